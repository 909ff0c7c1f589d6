import type { EmulatorClock } from './clock.js';

/** Seconds a nonce is remembered: twice the timestamp tolerance, so a replay is refused while its timestamp is still acceptable. */
const REMEMBER_SECONDS = 600;
/** Upper bound on remembered nonces, so a flood of signed requests cannot exhaust memory. */
const MAX_ENTRIES = 100_000;
/** When full, forget down to this many, so pruning happens once per many requests, not every one. */
const LOW_WATER = 90_000;

/**
 * RFC 5849 §3.3: the server may refuse a nonce it has already seen with the same consumer.
 * Only requests whose signature and timestamp are valid get here, so nobody can burn nonces.
 */
export class NonceCache {
  readonly #seen = new Map<string, number>();

  constructor(private readonly clock: EmulatorClock) {}

  /** Records the nonce; false when it was already seen for this consumer within the window. */
  remember(consumerKey: string, nonce: string): boolean {
    const now = this.clock.nowMs();
    const key = `${consumerKey}\u0000${nonce}`;
    const expires = this.#seen.get(key);
    if (expires !== undefined && expires > now) return false;
    this.#seen.delete(key);
    if (this.#seen.size >= MAX_ENTRIES) this.#prune(now);
    this.#seen.set(key, now + REMEMBER_SECONDS * 1000);
    return true;
  }

  /**
   * Entries are inserted with the same lifetime, so Map order (insertion order) is expiry order:
   * drop expired ones from the front, then, under a flood, the oldest live ones. Forgetting a live
   * nonce early only weakens replay detection for requests already 10 % of a flood old.
   */
  #prune(now: number): void {
    for (const [key, expires] of this.#seen) {
      if (expires > now && this.#seen.size <= LOW_WATER) break;
      this.#seen.delete(key);
    }
  }
}
