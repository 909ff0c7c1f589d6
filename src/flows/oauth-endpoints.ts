import type { XClient } from '../api/client.js';
import {
  parseAccessTokenResponse,
  parseRequestTokenResponse,
  type AccessToken,
  type AccessTokenResponse,
  type RequestToken,
  type RequestTokenResponse,
} from '../oauth1/index.js';

export type AccessType = 'read' | 'write';

/** The three OAuth endpoints of X (docs: "3-legged OAuth flow"), over a signed client. */
export interface OAuthEndpoints {
  requestToken(callback: string, accessType?: AccessType): Promise<RequestTokenResponse>;
  accessToken(token: RequestToken, verifier: string): Promise<AccessTokenResponse>;
  invalidate(token: AccessToken): Promise<void>;
}

export function oauthEndpoints(client: XClient): OAuthEndpoints {
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
      return parseRequestTokenResponse(res.body);
    },
    async accessToken(token, verifier) {
      // The verifier is single use: once this POST may have reached X, it must not be resent.
      const res = await client.request({ method: 'POST', path: '/oauth/access_token', oauth: { oauth_verifier: verifier }, token });
      return parseAccessTokenResponse(res.body);
    },
    async invalidate(token) {
      await client.request({ method: 'POST', path: '/1.1/oauth/invalidate_token', token, idempotent: true });
    },
  };
}

/**
 * GET oauth/authorize: X says desktop and mobile apps must use it (oauth/authenticate may skip
 * the consent screen). force_login and screen_name are X's documented optional parameters.
 */
export function authorizeUrl(apiBase: string, token: RequestToken, options: { forceLogin?: boolean | undefined; screenName?: string | undefined } = {}): string {
  const url = new URL(apiBase.replace(/\/+$/, '') + '/oauth/authorize');
  url.searchParams.set('oauth_token', token.token);
  if (options.forceLogin) url.searchParams.set('force_login', 'true');
  if (options.screenName) url.searchParams.set('screen_name', options.screenName.replace(/^@/, ''));
  return url.href;
}
