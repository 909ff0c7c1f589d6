import { createInterface, emitKeypressEvents } from 'node:readline';
import { InvalidPinError, LoginCancelledError, LoginInterruptedError } from '../flows/login-errors.js';
import type { Io } from './io.js';

/** What a prompt needs of the Io: standard input, and stderr to draw on. */
export type PromptIo = Pick<Io, 'stdin' | 'promptOutput'>;

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
      if (/SIGINT|SIGTERM|SIGHUP/.test(e.message))
        throw new LoginInterruptedError(/SIGTERM/.test(e.message) ? 'SIGTERM' : 'SIGINT');
      throw new LoginCancelledError(`no ${what} given (the input ended: Ctrl-D); nothing was stored`);
    }
    throw err;
  };
}

/**
 * Ctrl-D on an empty line ends the input: readline closes, and inquirer's prompt would wait for
 * ever. Watch for it (inquirer's own readline emits the keypress events) and abort the prompt.
 */
function endOfInput(
  stdin: NodeJS.ReadableStream,
  isEmpty: () => boolean,
  signal?: AbortSignal,
): { signal: AbortSignal; dispose: () => void } {
  const eof = new AbortController();
  const onKey = (_s: string | undefined, key: { ctrl?: boolean; name?: string } | undefined) => {
    if (key?.ctrl && key.name === 'd' && isEmpty()) eof.abort('eof');
  };
  emitKeypressEvents(stdin);
  stdin.on('keypress', onKey);
  return {
    signal: signal ? AbortSignal.any([signal, eof.signal]) : eof.signal,
    dispose: () => void stdin.off('keypress', onKey),
  };
}

function cancelledOnEof(what: string, signal: AbortSignal): (err: unknown) => never {
  return (err) => {
    if ((err as Error | undefined)?.name === 'AbortPromptError' && signal.reason === 'eof')
      throw new LoginCancelledError(`no ${what} given (the input ended: Ctrl-D); nothing was stored`);
    return interrupted(what)(err);
  };
}

/** Questions and lines read through `io` (prompts go to stderr, so stdout carries only data). */
export function prompts(io: PromptIo) {
  const context = () => ({ input: io.stdin, output: io.promptOutput, clearPromptOnDone: false });
  return {
    async askText(
      message: string,
      validate?: (v: string) => true | string,
      signal?: AbortSignal,
      what = 'answer',
    ): Promise<string> {
      const { default: input } = await import('@inquirer/input');
      let value = '';
      const eof = endOfInput(io.stdin, () => value === '', signal);
      const transformer = (v: string) => ((value = v), v);
      return input({ message, validate: validate ?? (() => true), transformer }, { ...context(), signal: eof.signal })
        .catch(cancelledOnEof(what, eof.signal))
        .finally(eof.dispose);
    },

    async askSecret(message: string, what = 'answer'): Promise<string> {
      const { default: password } = await import('@inquirer/password');
      // The masked prompt shows no value to track; Ctrl-D there ends the input whatever was typed.
      const eof = endOfInput(io.stdin, () => true);
      const validate = (v: string) => (v.trim() ? true : 'required');
      return password({ message, mask: '*', validate }, { ...context(), signal: eof.signal })
        .catch(cancelledOnEof(what, eof.signal))
        .finally(eof.dispose);
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
