/** A percent-encoded value that does not decode to UTF-8 text: the client's bug, answered with 400. */
export class MalformedEncodingError extends Error {
  constructor(message = 'malformed percent-encoding') {
    super(message);
    this.name = 'MalformedEncodingError';
  }
}

/**
 * RFC 5849 §3.6: every character except the unreserved set (ALPHA, DIGIT, "-", ".", "_", "~") is
 * UTF-8 encoded and written as %XX with upper-case hex. encodeURIComponent leaves !'()* alone, so
 * those are encoded here by hand.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Strict decoding: "%" must start two hex digits and the bytes must be UTF-8, otherwise
 * MalformedEncodingError. With plusAsSpace, "+" means a space as in
 * application/x-www-form-urlencoded (which RFC 5849 §3.4.1.3.1 applies to the query and the body).
 */
export function percentDecode(value: string, plusAsSpace: boolean): string {
  const text = plusAsSpace ? value.replace(/\+/g, ' ') : value;
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new MalformedEncodingError();
  }
}
