/**
 * What --verbose may print of a header. The Authorization header carries the access token and
 * signature; cookies and X's own token headers likewise. Everything else is printed as sent.
 */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-csrf-token']);

export function redactHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' && value.startsWith('OAuth ')) {
    // Parameter names help debugging; every value but the public ones is hidden.
    const names = [...value.matchAll(/(oauth_[a-z_]+)="([^"]*)"/g)].map(([, k, v]) =>
      k === 'oauth_signature_method' || k === 'oauth_version' || k === 'oauth_timestamp'
        ? `${k}="${v}"`
        : `${k}="[redacted]"`,
    );
    return `OAuth ${names.join(', ')}`;
  }
  return SECRET_HEADERS.has(lower) ? '[redacted]' : value;
}
