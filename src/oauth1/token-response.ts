import { accessToken, requestToken, type AccessToken, type RequestToken } from './credentials.js';
import { OAuthInputError } from './errors.js';
import { isUsername, printable } from '../text/printable.js';
import { parseUrlEncoded } from './params.js';

/**
 * Parses the form-encoded body of a token endpoint (RFC 5849 §2.1, §2.3). X sends it with
 * `Content-Type: text/html`, so the content type is not trusted; the fields are. Duplicate fields
 * are refused: a response that says two different things is not one to act on.
 */
function fields(body: string, required: readonly string[]): Map<string, string> {
  let pairs;
  try {
    pairs = parseUrlEncoded(body.trim());
  } catch {
    throw new OAuthInputError('bad-token-response', 'the token response is not valid form encoding');
  }
  const map = new Map<string, string>();
  for (const [k, v] of pairs) {
    if (map.has(k)) throw new OAuthInputError('bad-token-response', `the token response repeats "${printable(k, 40)}"`);
    map.set(k, v);
  }
  for (const name of required) {
    if (!map.get(name)) throw new OAuthInputError('bad-token-response', `the token response has no ${name}`);
  }
  return map;
}

export interface RequestTokenResponse {
  readonly token: RequestToken;
  /** §2.1: MUST be "true"; anything else means the server ignored our callback. */
  readonly callbackConfirmed: boolean;
}

export function parseRequestTokenResponse(body: string): RequestTokenResponse {
  const f = fields(body, ['oauth_token', 'oauth_token_secret']);
  return {
    token: requestToken(f.get('oauth_token')!, f.get('oauth_token_secret')!),
    callbackConfirmed: f.get('oauth_callback_confirmed') === 'true',
  };
}

export interface AccessTokenResponse {
  readonly token: AccessToken;
  /** X adds these to the §2.3 response, so no extra call is needed to know who logged in. */
  readonly userId: string;
  readonly screenName: string;
}

export function parseAccessTokenResponse(body: string): AccessTokenResponse {
  const f = fields(body, ['oauth_token', 'oauth_token_secret', 'user_id', 'screen_name']);
  const userId = f.get('user_id')!;
  if (!/^\d{1,19}$/.test(userId))
    throw new OAuthInputError('bad-token-response', 'the token response has a user_id that is not numeric');
  // Stored and printed ("Logged in as @…"): only what X allows in a username, so no escape
  // sequence or forged line can come through it.
  const screenName = f.get('screen_name')!;
  if (!isUsername(screenName))
    throw new OAuthInputError(
      'bad-token-response',
      'the token response has a screen_name that is not an X username (1-15 of A-Z, a-z, 0-9, _)',
    );
  return { token: accessToken(f.get('oauth_token')!, f.get('oauth_token_secret')!), userId, screenName };
}
