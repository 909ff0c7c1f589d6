import { createInterface } from 'node:readline';
import { InvalidPinError, LoginInterruptedError } from '../flows/login-errors.js';
import { processIo, type Io } from './io.js';

/** What a prompt needs of the Io: standard input, and stderr to draw on. */
export type PromptIo = Pick<Io, 'stdin' | 'promptOutput'>;

/**
 * A prompt reads the terminal in raw mode, so Ctrl-C raises no SIGINT: inquirer rejects with its
 * ExitPromptError instead. That is an interruption like any other (exit 130), not a crash.
 */
function interrupted(err: unknown): never {
  if ((err as Error | undefined)?.name === 'ExitPromptError') throw new LoginInterruptedError('SIGINT');
  throw err;
}

/** Questions and lines read through `io` (prompts go to stderr, so stdout carries only data). */
export function prompts(io: PromptIo) {
  const context = () => ({ input: io.stdin, output: io.promptOutput, clearPromptOnDone: false });
  return {
    async askText(message: string, validate?: (v: string) => true | string, signal?: AbortSignal): Promise<string> {
      const { default: input } = await import('@inquirer/input');
      return input({ message, validate: validate ?? (() => true) }, { ...context(), signal }).catch(interrupted);
    },

    async askSecret(message: string): Promise<string> {
      const { default: password } = await import('@inquirer/password');
      const validate = (v: string) => (v.trim() ? true : 'required');
      return password({ message, mask: '*', validate }, context()).catch(interrupted);
    },

    /** One line of standard input when it is not a terminal (scripts and tests feed the PIN so). */
    readLine(signal: AbortSignal): Promise<string> {
      return new Promise((resolve, reject) => {
        const rl = createInterface({ input: io.stdin, terminal: false });
        let done = false;
        const finish = (fn: () => void) => {
          if (done) return;
          done = true;
          rl.close();
          fn();
        };
        const ended = () =>
          new InvalidPinError(
            'standard input ended before a PIN was read; write the PIN X shows to standard input, or run twauth login on a terminal',
          );
        rl.once('line', (line) => finish(() => resolve(line)));
        rl.once('close', () => finish(() => reject(ended())));
        signal.addEventListener('abort', () => finish(() => resolve('')), { once: true });
      });
    },

    /** Lines typed or pasted on a terminal while login waits for the browser. */
    async *terminalLines(signal: AbortSignal): AsyncIterable<string> {
      const rl = createInterface({ input: io.stdin, output: io.promptOutput, terminal: false });
      signal.addEventListener('abort', () => rl.close(), { once: true });
      try {
        for await (const line of rl) yield line;
      } finally {
        rl.close();
      }
    },
  };
}

// The process's terminal, for callers written before prompts(io) (they cannot be run with a fake).
/** @deprecated Reads the process's terminal: use prompts(ctx.io).askText. */
export const askText: ReturnType<typeof prompts>['askText'] = (...a) => prompts(processIo()).askText(...a);
/** @deprecated Reads the process's terminal: use prompts(ctx.io).askSecret. */
export const askSecret: ReturnType<typeof prompts>['askSecret'] = (...a) => prompts(processIo()).askSecret(...a);
/** @deprecated Reads the process's stdin: use prompts(ctx.io).readLine. */
export const readLine: ReturnType<typeof prompts>['readLine'] = (...a) => prompts(processIo()).readLine(...a);
/** @deprecated Reads the process's stdin: use prompts(ctx.io).terminalLines. */
export const terminalLines: ReturnType<typeof prompts>['terminalLines'] = (...a) =>
  prompts(processIo()).terminalLines(...a);
