import type { XClient } from '../api/client.js';
import {
  accessToken as accessTokenOf,
  OAuthInputError,
  parseAccessTokenResponse,
  parseUrlEncoded,
  parseRequestTokenResponse,
  type AccessToken,
  type AccessTokenResponse,
  type RequestToken,
  type RequestTokenResponse,
} from '../oauth1/index.js';
import { LoginProtocolError } from './login-errors.js';

export type AccessType = 'read' | 'write';

/** The three OAuth endpoints of X (docs: "3-legged OAuth flow"), over a signed client. */
export interface OAuthEndpoints {
  requestToken(callback: string, accessType?: AccessType): Promise<RequestTokenResponse>;
  accessToken(token: RequestToken, verifier: string): Promise<AccessTokenResponse>;
  invalidate(token: AccessToken): Promise<void>;
}

export function oauthEndpoints(client: XClient): OAuthEndpoints {
  const invalidate = async (token: AccessToken): Promise<void> => {
    await client.request({ method: 'POST', path: '/1.1/oauth/invalidate_token', token, idempotent: true });
  };
  return {
    async requestToken(callback, accessType) {
      // oauth_callback goes in the Authorization header (RFC 5849 §2.1); x_auth_access_type is an
      // X extension sent as a signed query parameter. Nothing is created yet, so a retry is safe.
      const res = await client.request({
        method: 'POST',
        path: '/oauth/request_token',
        query: accessType ? [['x_auth_access_type', accessType]] : [],
        oauth: { oauth_callback: callback },
        token: null,
        idempotent: true,
      });
      try {
        return parseRequestTokenResponse(res.body);
      } catch (err) {
        if (!(err instanceof OAuthInputError)) throw err;
        // Requests were sent, so not "invalid input" (exit 2): X's answer is what is wrong.
        throw new LoginProtocolError(
          `X's answer to POST /oauth/request_token is malformed (${err.message}); nothing was stored: try twauth login again later`,
        );
      }
    },
    async accessToken(token, verifier) {
      // The verifier is single use: once this POST may have reached X, it must not be resent.
      const res = await client.request({
        method: 'POST',
        path: '/oauth/access_token',
        oauth: { oauth_verifier: verifier },
        token,
      });
      try {
        return parseAccessTokenResponse(res.body);
      } catch (err) {
        if (!(err instanceof OAuthInputError)) throw err;
        // X may have issued a working token in an answer twauth will not store (a screen_name
        // that is no username, a missing user_id): revoke it rather than leave it live.
        const issued = issuedToken(res.body);
        const revoked = issued
          ? await invalidate(issued).then(
              () => true,
              () => false,
            )
          : false;
        const what = revoked
          ? 'the token in it was revoked at X'
          : issued
            ? "the token in it could NOT be revoked: revoke the app in X's settings (Security and account access → Apps and sessions)"
            : 'it held no usable token';
        throw new LoginProtocolError(
          `X's answer to POST /oauth/access_token is malformed (${err.message}); ${what}; nothing was stored: run twauth login again`,
        );
      }
    },
    invalidate,
  };
}

/** The token pair of an access-token answer that failed the other checks, if it has one. */
function issuedToken(body: string): AccessToken | undefined {
  try {
    const f = new Map(parseUrlEncoded(body.trim()));
    const token = f.get('oauth_token');
    const secret = f.get('oauth_token_secret');
    return token && secret ? accessTokenOf(token, secret) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GET oauth/authorize: X says desktop and mobile apps must use it (oauth/authenticate may skip
 * the consent screen). force_login and screen_name are X's documented optional parameters.
 */
export function authorizeUrl(
  apiBase: string,
  token: RequestToken,
  options: { forceLogin?: boolean | undefined; screenName?: string | undefined } = {},
): string {
  const url = new URL(apiBase.replace(/\/+$/, '') + '/oauth/authorize');
  url.searchParams.set('oauth_token', token.token);
  if (options.forceLogin) url.searchParams.set('force_login', 'true');
  if (options.screenName) url.searchParams.set('screen_name', options.screenName.replace(/^@/, ''));
  return url.href;
}
