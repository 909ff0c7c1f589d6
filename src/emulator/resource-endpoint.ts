import { authenticate } from './authenticate.js';
import type { RouteContext, RouteHandler } from './context.js';
import { rateLimitHeaders, type EndpointLimit } from './rate-limit.js';
import { withHeaders, type EmuResponse } from './responses.js';
import type { AccessTokenRecord } from './state.js';
import type { EmulatorApp, EmulatorUser } from './types.js';
import { invalidOrExpiredToken, tooManyRequestsFor } from './x-errors.js';

/** Who is calling a resource endpoint: the app, the person and their access token. */
export interface Principal {
  app: EmulatorApp;
  user: EmulatorUser;
  token: AccessTokenRecord;
}

/**
 * Wraps an endpoint that acts as a person: verifies the access-token signature, counts the request
 * in the token's 15-minute window for this endpoint, and puts the x-rate-limit-* headers on every
 * answer after authentication (X sends them on errors too), with x-access-level: the token's
 * permission, as X reports it ('read', 'read-write'; X also has 'read-write-directmessages').
 * While an account switch is on (account-switches.ts), v2 requests get X's answer for it instead.
 */
export function resourceEndpoint(
  limit: EndpointLimit,
  handler: (ctx: RouteContext, who: Principal) => EmuResponse,
): RouteHandler {
  return (ctx) => {
    const auth = authenticate(ctx, 'access');
    if (!auth.ok) return auth.response;
    const user = ctx.services.state.findUserById(auth.token.userId);
    if (!user) return invalidOrExpiredToken();
    const { allowed, window } = ctx.services.rateLimits.consume(`${auth.token.token}\u0000${limit.key}`, limit.limit);
    const headers = { ...rateLimitHeaders(window), 'x-access-level': auth.token.access };
    if (!allowed) return withHeaders(tooManyRequestsFor(ctx.path), headers);
    const refusal = ctx.services.account.refusal(ctx.path, auth.app.consumerKey);
    if (refusal) return withHeaders(refusal, headers);
    return withHeaders(handler(ctx, { app: auth.app, user, token: auth.token }), headers);
  };
}
