import { createInterface } from 'node:readline';
import { InvalidPinError, LoginInterruptedError } from '../flows/login-errors.js';

/** Prompts go to stderr, so that stdout carries only data even on a terminal. */
const context = () => ({ input: process.stdin, output: process.stderr, clearPromptOnDone: false });

/**
 * A prompt reads the terminal in raw mode, so Ctrl-C raises no SIGINT: inquirer rejects with its
 * ExitPromptError instead. That is an interruption like any other (exit 130), not a crash.
 */
function interrupted(err: unknown): never {
  if ((err as Error | undefined)?.name === 'ExitPromptError') throw new LoginInterruptedError('SIGINT');
  throw err;
}

export async function askText(message: string, validate?: (v: string) => true | string, signal?: AbortSignal): Promise<string> {
  const { default: input } = await import('@inquirer/input');
  return input({ message, validate: validate ?? (() => true) }, { ...context(), signal }).catch(interrupted);
}

export async function askSecret(message: string): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  return password({ message, mask: '*', validate: (v) => (v.trim() ? true : 'required') }, context()).catch(interrupted);
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
