import { createInterface } from 'node:readline';

/** Prompts go to stderr, so that stdout carries only data even on a terminal. */
const context = () => ({ input: process.stdin, output: process.stderr, clearPromptOnDone: false });

export async function askText(message: string, validate?: (v: string) => true | string, signal?: AbortSignal): Promise<string> {
  const { default: input } = await import('@inquirer/input');
  return input({ message, validate: validate ?? (() => true) }, { ...context(), signal });
}

export async function askSecret(message: string): Promise<string> {
  const { default: password } = await import('@inquirer/password');
  return password({ message, mask: '*', validate: (v) => (v.trim() ? true : 'required') }, context());
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
    rl.once('close', () => finish(() => reject(new Error('standard input ended before a PIN was read'))));
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
