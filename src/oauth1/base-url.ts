import { OAuthInputError } from './errors.js';

/**
 * The base string URI of RFC 5849 §3.4.1.2: scheme and host lower-cased, the port kept only when
 * it is not the scheme's default, path kept as sent ("/" when empty), query and fragment dropped.
 * (oauth-1.0a passes the URL through untouched: its issue #59.)
 */
export function baseStringUri(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw new OAuthInputError('bad-url', 'not an absolute URL (expected something like https://api.x.com/2/users/me)');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new OAuthInputError('bad-url', `unsupported URL scheme "${parsed.protocol}" (use http or https)`);
  }
  // WHATWG URL already lower-cases scheme and host and drops default ports (:80 for http,
  // :443 for https), which is exactly §3.4.1.2's rule.
  const path = parsed.pathname === '' ? '/' : parsed.pathname;
  return `${parsed.protocol}//${parsed.host}${path}`;
}
