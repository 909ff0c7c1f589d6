/**
 * The CLI's only way to talk to the person: data on stdout, everything else on stderr. Colour,
 * spinners and prompts only where a terminal is there to see them (and NO_COLOR is unset).
 */
export interface Io {
  /** A line of data (the command's result) on stdout. */
  out(text: string): void;
  /** A line of diagnostics on stderr. */
  err(text: string): void;
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  /** Colour and spinners on stderr. */
  readonly fancy: boolean;
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(env: NodeJS.ProcessEnv = process.env): Io {
  // Getters: touching process.stdin/stdout/stderr builds a stream (and may load tty or net), a
  // few milliseconds of start-up that a command which never asks should not pay.
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
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
  };
}
