import { createInterface } from 'node:readline';
import { InvalidPinError, LoginCancelledError, LoginInterruptedError } from '../flows/login-errors.js';

/** Prompts go to stderr, so that stdout carries only data even on a terminal. */
const context = () => ({ input: process.stdin, output: process.stderr, clearPromptOnDone: false });

/**
 * A prompt reads the terminal in raw mode, so Ctrl-C raises no SIGINT: inquirer rejects with its
 * ExitPromptError instead. That is an interruption like any other (exit 130), not a crash.
 * Ctrl-D is not: it ends the input (readline closes; inquirer then reports an exit "with 0
 * null"), which means the person gave no answer: cancelled (exit 3), saying what was not given.
 */
function interrupted(what: string): (err: unknown) => never {
  return (err) => {
    const e = err as Error | undefined;
    if (e?.name === 'ExitPromptError') {
      if (/SIGINT|SIGTERM|SIGHUP/.test(e.message)) throw new LoginInterruptedError(/SIGTERM/.test(e.message) ? 'SIGTERM' : 'SIGINT');
      throw new LoginCancelledError(`no ${what} given (the input ended: Ctrl-D); nothing was stored`);
    }
    throw err;
  };
}

export async function askText(message: string, validate?: (v: string) => true | string, signal?: AbortSignal, what = 'answer'): Promise<string> {
  const { default: input } = await import('@inquirer/input');
  return input({ message, validate: validate ?? (() => true) }, { ...context(), signal }).catch(interrupted(what));
}

export async function askSecret(message: string, what = 'answer'): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  return password({ message, mask: '*', validate: (v) => (v.trim() ? true : 'required') }, context()).catch(interrupted(what));
}

/** One line of standard input when it is not a terminal (scripts and tests feed the PIN so). */
export function readLine(signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      rl.close();
      fn();
    };
    rl.once('line', (line) => finish(() => resolve(line)));
    rl.once('close', () => finish(() => reject(new InvalidPinError('standard input ended before a PIN was read; write the PIN X shows to standard input, or run twauth login on a terminal'))));
    signal.addEventListener('abort', () => finish(() => resolve('')), { once: true });
  });
}

/** Lines typed or pasted on a terminal while login waits for the browser. */
export async function* terminalLines(signal: AbortSignal): AsyncIterable<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  signal.addEventListener('abort', () => rl.close(), { once: true });
  try {
    for await (const line of rl) yield line;
  } finally {
    rl.close();
  }
}
