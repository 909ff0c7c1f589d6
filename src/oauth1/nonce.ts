const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Turns random bytes into an ASCII-alphanumeric nonce (RFC 5849 §3.3) without modulo bias:
 * bytes >= 248 (= 4 × 62) are discarded. The caller supplies the bytes (crypto.randomBytes in
 * production), which keeps this core free of I/O and deterministic in tests.
 */
export function nonceFromBytes(bytes: Uint8Array, length = 32): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 248) continue;
    out += ALPHABET[b % 62];
    if (out.length === length) return out;
  }
  throw new RangeError(`not enough random bytes for a ${length}-character nonce`);
}

/** How many random bytes nonceFromBytes needs, with a wide margin for discarded bytes. */
export function nonceByteBudget(length = 32): number {
  return length * 2;
}
