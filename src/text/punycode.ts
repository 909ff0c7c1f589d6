/**
 * Length of a DNS label once IDNA-encoded (RFC 3492 Punycode with the `xn--`
 * prefix), as twitter-text measures it to reject hosts whose labels exceed
 * 63 characters. Only the length is needed, so no string is built.
 */

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;

/** Longest DNS label, in ASCII characters (RFC 1035). */
export const MAX_LABEL_LENGTH = 63;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let d = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / numPoints);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return Math.floor(k + ((BASE - T_MIN + 1) * d) / (d + SKEW));
}

/** Code points of `s`; a lone surrogate stands for itself (as punycode.js does). */
function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) ?? 0);
  return out;
}

/** Length of the Punycode encoding (without `xn--`) of `input`. */
function encodedLength(input: string): number {
  const cps = codePoints(input);
  let basic = 0;
  for (const cp of cps) if (cp < 0x80) basic++;
  let length = basic > 0 ? basic + 1 : 0; // basic code points, then the '-' delimiter
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  let handled = basic;
  while (handled < cps.length) {
    let m = Number.MAX_SAFE_INTEGER;
    for (const cp of cps) if (cp >= n && cp < m) m = cp;
    delta += (m - n) * (handled + 1);
    n = m;
    for (const cp of cps) {
      if (cp < n) delta++;
      if (cp === n) {
        let q = delta;
        for (let k = BASE; ; k += BASE) {
          const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
          if (q < t) break;
          length++;
          q = Math.floor((q - t) / (BASE - t));
        }
        length++;
        bias = adapt(delta, handled + 1, handled === basic);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return length;
}

// Separators that IDNA treats like '.', as punycode.js's toASCII does.
const LABEL_SEPARATORS = /[\u3002\uFF0E\uFF61]/;

function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * Length of `label` after IDNA ToASCII (each non-ASCII part becomes
 * `xn--` + Punycode). Returns MAX_LABEL_LENGTH + 1 as soon as the result is
 * certain to be too long, so a huge label costs no quadratic work.
 */
export function asciiLabelLength(label: string): number {
  // Punycode never shortens: each code point yields at least one character.
  if (label.length > 2 * MAX_LABEL_LENGTH + 2) return MAX_LABEL_LENGTH + 1;
  const parts = label.split(LABEL_SEPARATORS);
  let total = parts.length - 1; // the '.' that joins the parts
  for (const part of parts) {
    total += hasNonAscii(part) ? 4 + encodedLength(part) : part.length;
    if (total > MAX_LABEL_LENGTH) return MAX_LABEL_LENGTH + 1;
  }
  return total;
}
