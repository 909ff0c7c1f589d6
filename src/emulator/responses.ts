import { toJson } from './json.js';

/**
 * A decided answer. Handlers return one instead of writing to the socket so that faults can act
 * after the effect (hang or reset with the real answer half-sent, 503 instead of the answer).
 */
export interface EmuResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): EmuResponse {
  return { status, headers: { 'content-type': JSON_TYPE, ...headers }, body: toJson(value) };
}

export function textResponse(status: number, body: string, contentType = 'text/plain; charset=utf-8'): EmuResponse {
  return { status, headers: { 'content-type': contentType }, body };
}

/**
 * HTML pages: no scripts, no framing, no referrer (the page URL holds the request token).
 * No form-action directive: browsers apply it to the redirect to the callback.
 */
export function htmlResponse(status: number, body: string): EmuResponse {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    },
    body,
  };
}

export function redirectResponse(location: string): EmuResponse {
  return {
    status: 302,
    headers: { location, 'content-type': 'text/html; charset=utf-8', 'referrer-policy': 'no-referrer' },
    body: '',
  };
}

export function withHeaders(response: EmuResponse, headers: Record<string, string>): EmuResponse {
  return { ...response, headers: { ...response.headers, ...headers } };
}
