import type { TerminalSize } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The terminal the spinner draws on: its height, and a way to hear when it changes (Io.terminal). */
export type SpinnerTerminal = TerminalSize;

/**
 * A one-line spinner with the time left, on stderr; only ever started when stderr is a terminal
 * and NO_COLOR is unset (Io.fancy). Returns the function that stops it and clears the line.
 *
 * While it turns, the person may paste the address the browser ended up on, and twauth may print
 * notes: the terminal echoes what they type at the cursor. So the spinner lives on the bottom row,
 * outside a scroll region that holds everything else (as apt's progress line does), and never
 * moves the cursor: typed text, long pasted URLs that wrap, and notes stay intact. On a terminal
 * too small for that it redraws the current line.
 */
export function startSpinner(
  write: (s: string) => void,
  label: string,
  deadlineMs: number,
  now: () => number,
  terminal: SpinnerTerminal,
): () => void {
  let i = 0;
  const text = () => `${FRAMES[i++ % FRAMES.length]} ${label} ${clock(deadlineMs - now())} left`;
  let rows = terminal.rows() ?? 0;
  const pinned = () => rows >= 3;
  const reserve = () => {
    // A new line then back up: if the cursor was on the bottom row, the text scrolls up one row
    // instead of being covered. Then the scroll region (which homes the cursor: save/restore).
    write(`\n\x1b[1A\x1b7\x1b[1;${rows - 1}r\x1b8`);
  };
  const draw = () => write(pinned() ? `\x1b7\x1b[${rows};1H\x1b[2K${text()}\x1b8` : `\r\x1b[2K${text()}`);
  if (pinned()) reserve();
  draw();
  const timer = setInterval(draw, 120);
  timer.unref();
  const stopListening = terminal.onResize(() => {
    const before = rows;
    rows = terminal.rows() ?? 0;
    // Clear the old spinner row and region; then set them up again for the new height.
    if (before >= 3) write(`\x1b7\x1b[${Math.min(before, Math.max(rows, 1))};1H\x1b[2K\x1b[r\x1b8`);
    if (pinned()) reserve();
    draw();
  });
  return () => {
    clearInterval(timer);
    stopListening();
    write(pinned() ? `\x1b7\x1b[${rows};1H\x1b[2K\x1b[r\x1b8` : '\r\x1b[2K');
  };
}
