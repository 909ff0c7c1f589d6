import type { EmulatorApp } from './types.js';

interface CallbackPattern {
  protocol: string;
  hostname: string;
  /** '*' matches any port. */
  port: string;
  pathname: string;
}

/**
 * X compares oauth_callback with the app's registered callback URLs (error 415 otherwise). The
 * query string of the callback is the client's own and is not compared; scheme, host, port and
 * path must match. "oob" (§2.1 out-of-band) is always accepted. An entry may write the port as
 * '*' so twauth's loopback server can use any free port.
 */
export function isCallbackAllowed(app: EmulatorApp, callback: string): boolean {
  if (callback === 'oob') return true;
  const target = parseCallback(callback);
  if (!target) return false;
  return app.callbacks.some((entry) => {
    const pattern = parsePattern(entry);
    return (
      pattern !== null &&
      pattern.protocol === target.protocol &&
      pattern.hostname === target.hostname &&
      (pattern.port === '*' || pattern.port === target.port) &&
      pattern.pathname === target.pathname
    );
  });
}

/** A callback the emulator can redirect to: an absolute http(s) URL without credentials. */
export function parseCallback(callback: string): CallbackPattern | null {
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '')
    return null;
  return { protocol: url.protocol, hostname: url.hostname, port: url.port, pathname: url.pathname };
}

function parsePattern(entry: string): CallbackPattern | null {
  const wildcard = /^([a-z][a-z0-9+.-]*:\/\/(?:\[[^\]]*\]|[^/:?#]+)):\*(?=[/?#]|$)/i.exec(entry);
  if (!wildcard) return parseCallback(entry);
  const concrete = parseCallback(`${wildcard[1]}${entry.slice(wildcard[0].length)}`);
  return concrete && { ...concrete, port: '*' };
}

/**
 * Adds parameters to a callback URL keeping its own query and fragment-free form untouched
 * (X appends oauth_token/oauth_verifier or denied to whatever query the client registered).
 */
export function appendQuery(callback: string, params: ReadonlyArray<readonly [string, string]>): string {
  const hash = callback.indexOf('#');
  const base = hash === -1 ? callback : callback.slice(0, hash);
  const added = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${added}`;
}
