import type { EmulatorClock } from './clock.js';

export interface RateWindow {
  limit: number;
  remaining: number;
  /** Epoch seconds when the window starts over. */
  reset: number;
}

export interface EndpointLimit {
  /** Identifies the endpoint in window keys. */
  key: string;
  limit: number;
}

const FIFTEEN_MINUTES = 15 * 60;
export const DAY = 24 * 60 * 60;

/**
 * Per-token limits per 15-minute window (X's "per user" limits, which are per access token for
 * OAuth 1.0a). The numbers follow X's published Basic-tier table where one exists.
 */
export const ENDPOINT_LIMITS = {
  usersMe: { key: 'GET /2/users/me', limit: 75 },
  createTweet: { key: 'POST /2/tweets', limit: 100 },
  deleteTweet: { key: 'DELETE /2/tweets/:id', limit: 50 },
  verifyCredentials: { key: 'GET /1.1/account/verify_credentials.json', limit: 75 },
  statusesUpdate: { key: 'POST /1.1/statuses/update.json', limit: 300 },
  homeTimeline: { key: 'GET /1.1/statuses/home_timeline.json', limit: 15 },
  // X's per-user limit for GET /2/users/:id/tweets on the Basic tier is 5 / 15 min; a sandbox that
  // lets a paginated walk finish is more useful, so the Pro tier's 900.
  userTweets: { key: 'GET /2/users/:id/tweets', limit: 900 },
  // The media endpoints: the emulator's own generous numbers (a 512 MB video is 128 appends).
  mediaInitialize: { key: 'POST /2/media/upload/initialize', limit: 500 },
  mediaAppend: { key: 'POST /2/media/upload/:id/append', limit: 5000 },
  mediaFinalize: { key: 'POST /2/media/upload/:id/finalize', limit: 500 },
  mediaStatus: { key: 'GET /2/media/upload', limit: 2000 },
  mediaMetadata: { key: 'POST /2/media/metadata', limit: 500 },
} as const satisfies Record<string, EndpointLimit>;

/** POST /2/tweets' 24-hour caps on creations, per person (and app) and per app. */
export const DAILY_TWEET_LIMITS = { user: 100, app: 1667 } as const;

interface Window {
  reset: number;
  used: number;
}

/** Fixed windows that start with their first request, like X's. */
export class RateLimiter {
  readonly #windows = new Map<string, Window>();

  /** enabled false (EmulatorOptions.rateLimits): nothing is counted and every request is allowed. */
  constructor(
    private readonly clock: EmulatorClock,
    private readonly enabled = true,
  ) {}

  /** Counts one request; allowed is false (and remaining 0) once the window is used up. */
  consume(key: string, limit: number, windowSeconds = FIFTEEN_MINUTES): { allowed: boolean; window: RateWindow } {
    const w = this.#current(key, windowSeconds);
    if (!this.enabled) return { allowed: true, window: { limit, remaining: limit, reset: w.reset } };
    if (w.used >= limit) return { allowed: false, window: { limit, remaining: 0, reset: w.reset } };
    w.used++;
    return { allowed: true, window: { limit, remaining: limit - w.used, reset: w.reset } };
  }

  /** The window's state without counting a request. */
  peek(key: string, limit: number, windowSeconds = FIFTEEN_MINUTES): RateWindow {
    const w = this.#current(key, windowSeconds);
    return { limit, remaining: Math.max(0, limit - w.used), reset: w.reset };
  }

  #current(key: string, windowSeconds: number): Window {
    const now = this.clock.nowSeconds();
    let w = this.#windows.get(key);
    if (!w || w.reset <= now) {
      w = { reset: now + windowSeconds, used: 0 };
      this.#windows.set(key, w);
    }
    return w;
  }
}

export function rateLimitHeaders(w: RateWindow): Record<string, string> {
  return {
    'x-rate-limit-limit': String(w.limit),
    'x-rate-limit-remaining': String(w.remaining),
    'x-rate-limit-reset': String(w.reset),
  };
}

export function dailyLimitHeaders(user: RateWindow, app: RateWindow): Record<string, string> {
  return {
    'x-user-limit-24hour-limit': String(user.limit),
    'x-user-limit-24hour-remaining': String(user.remaining),
    'x-user-limit-24hour-reset': String(user.reset),
    'x-app-limit-24hour-limit': String(app.limit),
    'x-app-limit-24hour-remaining': String(app.remaining),
    'x-app-limit-24hour-reset': String(app.reset),
  };
}
