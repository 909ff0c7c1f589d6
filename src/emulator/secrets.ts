import { randomBytes, randomInt } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random alphanumeric string, like X's tokens and secrets (no characters that need encoding). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const byte of bytes) {
    // 248 = 4 * 62: drop the tail of the byte range so every character is equally likely.
    if (byte < 248) out += ALPHANUMERIC[byte % 62];
    if (out.length === length) return out;
  }
  return out + randomToken(length - out.length);
}

/** X's out-of-band PIN: seven digits, leading zeros allowed. */
export function randomPin(): string {
  return String(randomInt(0, 10_000_000)).padStart(7, '0');
}
