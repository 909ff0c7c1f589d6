/** X's rate-limit headers (docs: "Rate limits", x-rate-limit-* and the 24-hour x-*-limit-24hour-*). */
export interface Window {
  readonly limit?: number | undefined;
  readonly remaining?: number | undefined;
  /** Epoch seconds at which the window resets. */
  readonly reset?: number | undefined;
}

export interface RateLimit {
  readonly window: Window;
  readonly user24h: Window;
  readonly app24h: Window;
}

function num(v: string | undefined): number | undefined {
  // At most 12 digits: a longer "reset" would be Infinity or past Date's range (toISOString throws).
  if (v === undefined || !/^\s*\d{1,12}\s*$/.test(v)) return undefined;
  return Number(v);
}

function window(h: Readonly<Record<string, string>>, prefix: string): Window {
  return {
    limit: num(h[`${prefix}-limit`]),
    remaining: num(h[`${prefix}-remaining`]),
    reset: num(h[`${prefix}-reset`]),
  };
}

export function parseRateLimit(headers: Readonly<Record<string, string>>): RateLimit {
  return {
    window: window(headers, 'x-rate-limit'),
    user24h: window(headers, 'x-user-limit-24hour'),
    app24h: window(headers, 'x-app-limit-24hour'),
  };
}

/**
 * When the request can be made again: the latest reset among the exhausted windows (a 24-hour
 * limit outlasts the 15-minute one), else the 15-minute reset. Undefined when X gave no hint.
 */
export function retryAt(rl: RateLimit): number | undefined {
  const exhausted = [rl.window, rl.user24h, rl.app24h].filter((w) => w.remaining === 0 && w.reset !== undefined);
  const resets = (exhausted.length ? exhausted : [rl.window])
    .map((w) => w.reset)
    .filter((r): r is number => r !== undefined);
  return resets.length ? Math.max(...resets) : undefined;
}
