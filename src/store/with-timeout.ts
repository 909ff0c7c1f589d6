/**
 * Races a promise against a timer. A keychain provider that never answers otherwise blocks
 * keytar for about 50 s (keytar then rejects with "Timeout was reached"); the user is told after `ms` instead.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    // Not unref'ed: the deadline must fire even when nothing else keeps the process alive.
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
