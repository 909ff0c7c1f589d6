/**
 * The three kinds of credentials of RFC 5849 §1.1. Request (temporary) and access (token)
 * credentials have the same shape on the wire, so a brand keeps them apart in the types: a request
 * token cannot be passed where an access token is needed, and vice versa.
 */
export interface ConsumerCredentials {
  readonly key: string;
  readonly secret: string;
}

declare const brand: unique symbol;

interface TokenPair<Kind extends string> {
  readonly token: string;
  readonly secret: string;
  readonly [brand]: Kind;
}

/** Temporary credentials from POST oauth/request_token (§2.1). */
export type RequestToken = TokenPair<'request'>;
/** Token credentials from POST oauth/access_token (§2.3): they act as the person. */
export type AccessToken = TokenPair<'access'>;
export type AnyToken = RequestToken | AccessToken;

export function requestToken(token: string, secret: string): RequestToken {
  return { token, secret } as RequestToken;
}

export function accessToken(token: string, secret: string): AccessToken {
  return { token, secret } as AccessToken;
}
