import { percentDecode } from './percent-encoding.js';
import type { Param } from './url-encoded.js';

export type AuthorizationHeader =
  | { kind: 'absent' }
  /** Present but not an OAuth header we can read: answered like a missing one (X code 32). */
  | { kind: 'garbled' }
  | { kind: 'oauth'; params: Param[] };

// RFC 5849 §3.5.1: `OAuth` then comma-separated `name="value"` pairs, names and values
// percent-encoded (§3.6), so a value never holds a quote or a backslash. Linear whitespace is
// allowed around the separators.
const PAIR = /[ \t]*([A-Za-z0-9_.~%-]+)[ \t]*=[ \t]*"([^"\\]*)"[ \t]*(?:,|$)/y;
const TRAILING_SPACE = /[ \t]*$/y;

/**
 * Reads the Authorization header. Values are percent-decoded strictly: a malformed escape throws
 * MalformedEncodingError, which the server answers with 400. "realm" is returned like any other
 * parameter; the caller drops it (§3.4.1.3.1).
 */
export function parseAuthorizationHeader(header: string | undefined): AuthorizationHeader {
  if (header === undefined) return { kind: 'absent' };
  const scheme = /^OAuth(?:[ \t]+|$)/i.exec(header);
  if (!scheme) return { kind: 'garbled' };
  const params: Param[] = [];
  PAIR.lastIndex = scheme[0].length;
  while (PAIR.lastIndex < header.length) {
    TRAILING_SPACE.lastIndex = PAIR.lastIndex;
    if (TRAILING_SPACE.test(header)) break;
    const m = PAIR.exec(header);
    if (!m) return { kind: 'garbled' };
    params.push([percentDecode(m[1] ?? '', false), percentDecode(m[2] ?? '', false)]);
  }
  return { kind: 'oauth', params };
}
