import type { Param } from '../oauth1/index.js';
import { formatUrlEncoded } from '../oauth1/index.js';

/**
 * The URL a request was asked for cannot be used with these credentials: it names another
 * origin than the API base the token belongs to, uses http: on a non-loopback host, or is a host
 * name written without its scheme. Nothing was sent.
 */
export class RequestTargetError extends Error {
  override readonly name = 'RequestTargetError';
}

// A first path segment that is a host name: `api.x.com`, `localhost:8080`, `127.0.0.1`,
// `[::1]:80`. X's own paths start with a version ("2", "1.1") or "oauth", never with a dotted
// name whose last label is a word.
const HOST_LIKE =
  /^(?:localhost|(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

function schemeLess(apiBase: string, path: string): RequestTargetError | undefined {
  const bare = path.startsWith('//') ? path.slice(2) : path;
  if (bare.startsWith('/')) return undefined;
  const end = bare.search(/[/?#]/);
  const first = end === -1 ? bare : bare.slice(0, end);
  if (!HOST_LIKE.test(first)) return undefined;
  // A lone segment ("users.json") is a host only when it is the API base's own host or has a port.
  const baseHost = new URL(apiBase).host.toLowerCase();
  if (!path.startsWith('//') && end === -1 && !first.includes(':') && first.toLowerCase() !== baseHost)
    return undefined;
  const rest = end === -1 ? '/' : bare.slice(end);
  const shown = path.length > 120 ? path.slice(0, 117) + '...' : path;
  return new RequestTargetError(
    `"${shown}" starts with a host name but has no scheme, so it is not a path on the API base: write https://${first}${rest.length > 80 ? rest.slice(0, 77) + '...' : rest} for a full URL, or ${rest.startsWith('/') ? rest.split('?')[0] : '/' + rest} for a path on ${new URL(apiBase).origin}; nothing was sent`,
  );
}

/**
 * Resolves a path against the API base (a base path, for an API mounted under a prefix, is kept
 * in front of it); absolute http(s) URLs are taken as they are. A host name without a scheme
 * ("api.x.com/2/users/me") is refused rather than turned into a path on the API base.
 */
export function resolveUrl(apiBase: string, path: string, query: readonly Param[] = []): URL {
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    try {
      url = new URL(path);
    } catch {
      throw new RequestTargetError(
        `"${path.length > 120 ? path.slice(0, 117) + '...' : path}" is not a valid URL; nothing was sent`,
      );
    }
  } else {
    const problem = schemeLess(apiBase, path);
    if (problem) throw problem;
    const base = new URL(apiBase);
    const q = path.indexOf('?');
    url = new URL(base.origin);
    url.pathname = base.pathname.replace(/\/+$/, '') + '/' + (q === -1 ? path : path.slice(0, q)).replace(/^\/+/, '');
    if (q !== -1) url.search = path.slice(q);
  }
  if (query.length) url.search = (url.search ? url.search.slice(1) + '&' : '') + formatUrlEncoded(query);
  return url;
}

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** `--allow-host` values: a host name, optionally with a port ("api.example.com", "127.0.0.1:8080"). */
export function parseAllowedHost(value: string): string {
  const v = value.trim().toLowerCase();
  if (!HOST_LIKE.test(v) && !/^[a-z0-9-]+(?::\d{1,5})?$/.test(v)) {
    throw new RequestTargetError(
      `--allow-host expects a host name such as api.example.com or 127.0.0.1:8080 (got "${value.length > 60 ? value.slice(0, 57) + '...' : value}")`,
    );
  }
  return v;
}

/**
 * A token goes only to the origin (scheme, host and port: RFC 6454) of the API base it was
 * issued for, so an absolute URL cannot carry it to another server or downgrade it to http:.
 * The person may allow another host for one call (`allowHosts`, from --allow-host); plain http:
 * to a host that is not this machine is refused even then: the signed request and the answer
 * would cross the network in clear text.
 */
export function checkRequestOrigin(apiBase: string, url: URL, allowHosts: readonly string[] = []): void {
  const base = new URL(apiBase);
  if (url.origin === base.origin) return;
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new RequestTargetError(
      `refusing to send the token over plain http: to ${url.host} (the API base is ${base.origin}); use https://, nothing was sent`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new RequestTargetError(`unsupported URL scheme "${url.protocol}" (use https); nothing was sent`);
  const host = url.host.toLowerCase();
  if (allowHosts.some((h) => h === host || h === url.hostname.toLowerCase())) return;
  throw new RequestTargetError(
    `${url.origin} is not the API base this token belongs to (${base.origin}); nothing was sent. To send the token there for this one call, add --allow-host ${url.host}`,
  );
}
