import type { RouteContext } from './context.js';
import { extractOAuthRequest } from './oauth-request.js';
import type { EmuResponse } from './responses.js';
import { signatureBaseUri, verifyHmacSha1 } from './signature-verify.js';
import type { AccessTokenRecord, RequestTokenRecord } from './state.js';
import type { EmulatorApp } from './types.js';
import { couldNotAuthenticate, invalidOrExpiredToken, timestampOutOfBounds } from './x-errors.js';

/** X accepts timestamps within five minutes of its clock either way. */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

/** Which credentials the endpoint expects besides the consumer's (RFC 5849 §2). */
export type TokenKind = 'none' | 'request' | 'access';

type TokenFor<K extends TokenKind> = K extends 'request'
  ? RequestTokenRecord
  : K extends 'access'
    ? AccessTokenRecord
    : undefined;

export type Authentication<K extends TokenKind> =
  | { ok: true; app: EmulatorApp; protocol: ReadonlyMap<string, string>; token: TokenFor<K> }
  | { ok: false; response: EmuResponse };

/**
 * Verifies a signed request (RFC 5849 §3.2) in X's order of complaints: unreadable request,
 * unknown consumer or bad signature → 32; unknown token → 89; timestamp → 135; replayed nonce → 32;
 * revoked token → 89. Nonces are only remembered once signature and timestamp are good, so an
 * attacker cannot use up someone else's nonces. MalformedEncodingError propagates (→ 400).
 */
export function authenticate<K extends TokenKind>(ctx: RouteContext, kind: K): Authentication<K> {
  const { state, clock, nonces } = ctx.services;
  const fail = (response: EmuResponse): Authentication<K> => ({ ok: false, response });

  const extracted = extractOAuthRequest({
    authorization: headerValue(ctx.headers.authorization),
    query: ctx.query,
    form: ctx.form,
  });
  if (!extracted.ok) return fail(couldNotAuthenticate());
  const { protocol, signedParams } = extracted.parts;

  const consumerKey = protocol.get('oauth_consumer_key');
  const signature = protocol.get('oauth_signature');
  const timestamp = protocol.get('oauth_timestamp');
  const nonce = protocol.get('oauth_nonce');
  const version = protocol.get('oauth_version');
  if (consumerKey === undefined || signature === undefined || timestamp === undefined || !nonce)
    return fail(couldNotAuthenticate());
  // Only HMAC-SHA1 (X supports nothing else) and only version 1.0, which §3.1 makes optional.
  if (protocol.get('oauth_signature_method') !== 'HMAC-SHA1') return fail(couldNotAuthenticate());
  if (version !== undefined && version !== '1.0') return fail(couldNotAuthenticate());
  if (!/^\d{1,12}$/.test(timestamp)) return fail(couldNotAuthenticate());

  const app = state.findApp(consumerKey);
  if (!app) return fail(couldNotAuthenticate());

  const tokenValue = protocol.get('oauth_token');
  let token: RequestTokenRecord | AccessTokenRecord | undefined;
  if (kind === 'none') {
    // oauth/request_token is signed with the consumer only; a token here has no secret to sign with.
    if (tokenValue !== undefined && tokenValue !== '') return fail(couldNotAuthenticate());
  } else {
    token = kind === 'request' ? state.findRequestToken(tokenValue) : state.findAccessToken(tokenValue);
    if (!token || token.consumerKey !== app.consumerKey) return fail(invalidOrExpiredToken());
  }

  const valid = verifyHmacSha1({
    method: ctx.method,
    baseUri: signatureBaseUri(ctx.host, ctx.path),
    params: signedParams,
    consumerSecret: app.consumerSecret,
    tokenSecret: token?.secret ?? '',
    signature,
  });
  if (!valid) return fail(couldNotAuthenticate());

  if (Math.abs(Number(timestamp) - clock.nowSeconds()) > TIMESTAMP_TOLERANCE_SECONDS)
    return fail(timestampOutOfBounds());
  if (!nonces.remember(app.consumerKey, nonce)) return fail(couldNotAuthenticate());
  if (token && 'revoked' in token && token.revoked) return fail(invalidOrExpiredToken());

  return { ok: true, app, protocol, token: token as TokenFor<K> };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
