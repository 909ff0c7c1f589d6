import { createHmac, timingSafeEqual } from 'node:crypto';
import { percentEncode } from './percent-encoding.js';
import type { Param } from './url-encoded.js';

/**
 * RFC 5849 §3.4.1.2 base string URI. The emulator only speaks plain HTTP, so the scheme is "http";
 * the authority is the Host header, lower-cased, without the default port 80; the path is the
 * request-target's path exactly as sent.
 */
export function signatureBaseUri(hostHeader: string, rawPath: string): string {
  let host = hostHeader.trim().toLowerCase();
  if (host.endsWith(':80')) host = host.slice(0, -3);
  return `http://${host}${rawPath}`;
}

/**
 * §3.4.1.3.2: encode every name and value, sort by encoded name then encoded value (repeated names
 * are all kept), join as name=value with "&". Encoded strings are ASCII, so code-unit order is
 * byte order.
 */
export function normalizeParameters(params: readonly Param[]): string {
  return params
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * §3.4.1.1: METHOD & encoded base string URI & encoded normalized parameters. The method is
 * upper-cased and, as the section requires for a custom method, percent-encoded (§3.6): "GET"
 * stays "GET", a method holding "!" enters as "%21".
 */
export function signatureBaseString(method: string, baseUri: string, params: readonly Param[]): string {
  return [percentEncode(method.toUpperCase()), percentEncode(baseUri), percentEncode(normalizeParameters(params))].join(
    '&',
  );
}

/** §3.4.2: HMAC-SHA1 keyed with encoded consumer secret "&" encoded token secret, base64. */
export function hmacSha1Signature(baseString: string, consumerSecret: string, tokenSecret: string): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(baseString).digest('base64');
}

/** Constant-time comparison (§4.7 warns about timing attacks); differing lengths leak only the length. */
export function constantTimeEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface HmacSha1Check {
  method: string;
  baseUri: string;
  /** Every parameter that enters the base string, oauth_signature and realm already removed. */
  params: readonly Param[];
  consumerSecret: string;
  tokenSecret: string;
  /** The decoded oauth_signature the client sent. */
  signature: string;
}

/** §3.2: recompute the signature the client should have sent and compare. */
export function verifyHmacSha1(check: HmacSha1Check): boolean {
  const base = signatureBaseString(check.method, check.baseUri, check.params);
  return constantTimeEqual(hmacSha1Signature(base, check.consumerSecret, check.tokenSecret), check.signature);
}
