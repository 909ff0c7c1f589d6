import { OAuthInputError } from './errors.js';

/**
 * RFC 5849 §3.6: UTF-8 encode, then percent-encode every byte outside the RFC 3986 unreserved set
 * (ALPHA / DIGIT / "-" / "." / "_" / "~"), with upper-case hex. encodeURIComponent leaves
 * !'()* alone, so those are finished here. X's doc example: "Ladies + Gentlemen" →
 * "Ladies%20%2B%20Gentlemen", "☃" → "%E2%98%83".
 *
 * A lone surrogate has no UTF-8 form: it is refused with a typed error instead of the URIError
 * encodeURIComponent would throw.
 */
export function percentEncode(value: string): string {
  if (!value.isWellFormed()) {
    throw new OAuthInputError(
      'lone-surrogate',
      'text contains an unpaired UTF-16 surrogate and cannot be encoded as UTF-8',
    );
  }
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * Decodes %XX sequences as UTF-8. `plusIsSpace` applies the application/x-www-form-urlencoded
 * rule (query strings and form bodies), which RFC 5849 §3.4.1.3.1 requires before signing.
 */
export function percentDecode(value: string, plusIsSpace = false): string {
  const text = plusIsSpace ? value.replace(/\+/g, ' ') : value;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new OAuthInputError(
      'bad-percent-encoding',
      'malformed percent-encoding (a "%" not followed by two hex digits of valid UTF-8)',
    );
  }
}
