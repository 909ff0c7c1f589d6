const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A one-line spinner with the time left, on stderr; only ever started when stderr is a terminal
 * and NO_COLOR is unset (Io.fancy). Returns the function that stops it and clears the line.
 */
export function startSpinner(write: (s: string) => void, label: string, deadlineMs: number, now: () => number = Date.now): () => void {
  let i = 0;
  const draw = () => write(`\r\x1b[2K${FRAMES[i++ % FRAMES.length]} ${label} ${clock(deadlineMs - now())} left`);
  draw();
  const timer = setInterval(draw, 120);
  timer.unref();
  return () => {
    clearInterval(timer);
    write('\r\x1b[2K');
  };
}
