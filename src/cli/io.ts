/** The signals a command may want to hear: Ctrl-C, kill, and the terminal going away. */
export type SignalName = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** The terminal stderr is on, as the spinner needs it: its height, and when that changes. */
export interface TerminalSize {
  rows(): number | undefined;
  onResize(listener: () => void): () => void;
}

/**
 * The CLI's only way to talk to the person and to the process around it: data on stdout,
 * everything else on stderr, standard input, and signals. Colour, spinners and prompts only where
 * a terminal is there to see them (and NO_COLOR is unset). main.ts gives commands the process's
 * (processIo); unit tests give them a fake (test/helpers/fake-io.ts), so that a command runs
 * in-process without touching the real terminal.
 */
export interface Io {
  /** A line of data (the command's result) on stdout. */
  out(text: string): void;
  /** A line of diagnostics on stderr. */
  err(text: string): void;
  /** Text on stderr exactly as given, no newline added (a spinner's frames). */
  errRaw(text: string): void;
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Colour and spinners on stderr. */
  readonly fancy: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** Standard input: read with readStdin (bounded), or by a prompt. */
  readonly stdin: NodeJS.ReadableStream;
  /** Where prompts draw and echo: stderr, so that stdout carries only data. */
  readonly promptOutput: NodeJS.WritableStream;
  /** stderr's terminal (spinner.ts). */
  readonly terminal: TerminalSize;
  /**
   * Calls `listener` each time the process receives one of `signals`; returns the function that
   * stops listening. While someone listens, the signal no longer ends the process by itself.
   */
  onSignal(signals: readonly SignalName[], listener: (signal: SignalName) => void): () => void;
}

export function processIo(env: NodeJS.ProcessEnv = process.env): Io {
  // Getters: touching process.stdin/stdout/stderr builds a stream (and may load tty or net), a
  // few milliseconds of start-up that a command which never asks should not pay.
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
    errRaw: (text) => void process.stderr.write(text),
    get stdinIsTTY() {
      return Boolean(process.stdin.isTTY);
    },
    get stdoutIsTTY() {
      return Boolean(process.stdout.isTTY);
    },
    get stderrIsTTY() {
      return Boolean(process.stderr.isTTY);
    },
    get fancy() {
      return Boolean(process.stderr.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
    },
    env,
    get stdin() {
      return process.stdin;
    },
    get promptOutput() {
      return process.stderr;
    },
    terminal: {
      rows: () => process.stderr.rows,
      onResize(listener) {
        process.stderr.on('resize', listener);
        return () => void process.stderr.off('resize', listener);
      },
    },
    onSignal(signals, listener) {
      const handlers = signals.map((s) => [s, () => listener(s)] as const);
      for (const [s, h] of handlers) process.on(s, h);
      return () => {
        for (const [s, h] of handlers) process.off(s, h);
      };
    },
  };
}
