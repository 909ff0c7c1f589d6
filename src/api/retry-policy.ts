/**
 * Bounded exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): attempt n waits a random time in [0, min(cap, base·2ⁿ)). Retries stop after
 * `attempts` tries, so a command's worst case is known in advance.
 */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 200, capMs: 3000 };

export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  return Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** attempt));
}

/** Requests that can be sent twice without harm (RFC 9110 §9.2.2). */
export function isIdempotent(method: string): boolean {
  return ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].includes(method.toUpperCase());
}
