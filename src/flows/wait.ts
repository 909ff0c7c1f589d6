import { LoginInterruptedError, LoginTimeoutError } from './login-errors.js';

/**
 * Waits for the first of `promises`, bounded by the login deadline and by the abort signal
 * (Ctrl-C). The losers are not cancelled here: callers close their servers and prompts.
 */
export function waitForPerson<T>(
  promises: Promise<T>[],
  deadline: { atMs: number; timeoutSeconds: number },
  now: () => number,
  signal: AbortSignal,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const limits = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LoginTimeoutError(deadline.timeoutSeconds)),
      Math.max(0, deadline.atMs - now()),
    );
    onAbort = () => reject(new LoginInterruptedError(String(signal.reason ?? 'SIGINT')));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([...promises, limits]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}
