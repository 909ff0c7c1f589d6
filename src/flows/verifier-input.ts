import { parseUrlEncoded } from '../oauth1/index.js';

/** What a person typed or pasted while login waited: a PIN / verifier, or the whole callback URL. */
export type PastedVerifier =
  | { readonly verifier: string; readonly token?: string | undefined }
  | { readonly error: string };

const VERIFIER = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Accepts a PIN ("1234567", spaces allowed inside as some people type them), a bare verifier, or
 * the callback URL copied from the browser's address bar (login over SSH: the browser cannot
 * reach this machine's loopback, but the person can copy the URL it tried to open).
 */
export function parseVerifierInput(input: string): PastedVerifier {
  const text = input.trim();
  if (text === '') return { error: 'nothing was entered' };
  if (/^https?:\/\//i.test(text) || text.includes('oauth_verifier=')) {
    let params: ReturnType<typeof parseUrlEncoded>;
    try {
      params = parseUrlEncoded(text.includes('?') ? text.slice(text.indexOf('?') + 1).split('#')[0]! : text);
    } catch {
      return { error: 'that URL has broken percent-encoding' };
    }
    const verifier = params.find(([k]) => k === 'oauth_verifier')?.[1];
    if (!verifier || !VERIFIER.test(verifier))
      return { error: 'that URL has no oauth_verifier; paste the whole address the browser was sent to' };
    return { verifier, token: params.find(([k]) => k === 'oauth_token')?.[1] };
  }
  const compact = text.replace(/[\s-]+/g, '');
  if (/^\d+$/.test(compact)) return { verifier: compact };
  if (VERIFIER.test(text)) return { verifier: text };
  return { error: 'expected the PIN shown by X (digits) or the full callback URL' };
}

/** The PIN route only: X's PINs are digits (7 today). */
export function parsePin(input: string): PastedVerifier {
  const compact = input.trim().replace(/[\s-]+/g, '');
  if (!/^\d{4,16}$/.test(compact)) return { error: 'a PIN is the digits X shows after you authorize the app' };
  return { verifier: compact };
}
