/**
 * The time used for oauth_timestamp. offsetMs corrects a skewed local clock: X refuses timestamps
 * more than about five minutes off (401 code 135), so the offset learnt from X's Date header is
 * applied to every later signature (and saved for later runs by the CLI).
 */
export interface Clock {
  nowMs(): number;
  offsetMs: number;
}

export function systemClock(offsetMs = 0): Clock {
  return { nowMs: () => Date.now(), offsetMs };
}

export function oauthTimestamp(clock: Clock): number {
  return Math.floor((clock.nowMs() + clock.offsetMs) / 1000);
}
