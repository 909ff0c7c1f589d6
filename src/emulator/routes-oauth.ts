import { authenticate } from './authenticate.js';
import { authenticityToken, isAuthenticityTokenValid } from './authenticity-token.js';
import { appendQuery, isCallbackAllowed } from './callback-allowlist.js';
import { consentPage } from './consent-page.js';
import type { RouteContext } from './context.js';
import { percentEncode } from './percent-encoding.js';
import { htmlResponse, jsonResponse, redirectResponse, textResponse, type EmuResponse } from './responses.js';
import { deniedPage, errorPage, invalidTokenPage, pinPage } from './result-pages.js';
import { constantTimeEqual } from './signature-verify.js';
import type { AccessLevel, RequestTokenRecord } from './state.js';
import type { EmulatorApp } from './types.js';
import { firstValue, type Param } from './url-encoded.js';
import { callbackMissing, callbackNotApproved, invalidVerifier } from './x-errors.js';

/** X answers the token endpoints with a form-encoded body but labels it text/html. */
function tokenBody(pairs: ReadonlyArray<readonly [string, string]>): EmuResponse {
  return textResponse(
    200,
    pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&'),
    'text/html; charset=utf-8',
  );
}

function appName(app: EmulatorApp | undefined): string {
  return app?.name ?? app?.consumerKey ?? 'this app';
}

/** A signed parameter from the query or the form body (both are signed, §3.4.1.3.1). */
function signedParam(ctx: RouteContext, name: string): string | undefined {
  return firstValue(ctx.form, name) ?? firstValue(ctx.query, name);
}

/** POST oauth/request_token (RFC 5849 §2.1). */
export function requestToken(ctx: RouteContext): EmuResponse {
  const auth = authenticate(ctx, 'none');
  if (!auth.ok) return auth.response;
  const callback = auth.protocol.get('oauth_callback');
  if (callback === undefined || callback === '') return callbackMissing();
  if (!isCallbackAllowed(auth.app, callback)) return callbackNotApproved();
  // x_auth_access_type lets an app ask for less than its permission level; other values are ignored.
  const asked = signedParam(ctx, 'x_auth_access_type');
  const accessType = asked === 'read' || asked === 'write' ? asked : undefined;
  const record = ctx.services.state.createRequestToken(auth.app.consumerKey, callback, accessType);
  return tokenBody([
    ['oauth_token', record.token],
    ['oauth_token_secret', record.secret],
    ['oauth_callback_confirmed', 'true'],
  ]);
}

function grantedAccess(app: EmulatorApp, record: RequestTokenRecord): AccessLevel {
  return app.access === 'read' || record.accessType === 'read' ? 'read' : 'read-write';
}

function callbackHost(callback: string): string | undefined {
  if (callback === 'oob') return undefined;
  try {
    return new URL(callback).host;
  } catch {
    return undefined;
  }
}

interface ConsentOptions {
  forceLogin: boolean;
  screenName: string | undefined;
  error?: string;
}

function renderConsent(
  ctx: RouteContext,
  record: RequestTokenRecord,
  status: number,
  options: ConsentOptions,
): EmuResponse {
  const app = ctx.services.state.findApp(record.consumerKey);
  if (!app) return htmlResponse(400, invalidTokenPage());
  return htmlResponse(
    status,
    consentPage({
      appName: appName(app),
      requestToken: record.token,
      authenticityToken: authenticityToken(ctx.services.formKey, record.token),
      access: grantedAccess(app, record),
      users: ctx.services.state.users,
      forceLogin: options.forceLogin,
      screenName: options.screenName,
      callbackHost: callbackHost(record.callback),
      ...(options.error !== undefined ? { error: options.error } : {}),
    }),
  );
}

/** GET oauth/authorize and oauth/authenticate (§2.2): the consent page. */
export function authorizePage(ctx: RouteContext): EmuResponse {
  const record = ctx.services.state.findRequestToken(firstValue(ctx.query, 'oauth_token'));
  if (record?.status !== 'pending') return htmlResponse(400, invalidTokenPage());
  return renderConsent(ctx, record, 200, {
    forceLogin: firstValue(ctx.query, 'force_login') === 'true',
    screenName: firstValue(ctx.query, 'screen_name'),
  });
}

/** POST oauth/authorize: the person's answer to the consent page. */
export function authorizeSubmit(ctx: RouteContext): EmuResponse {
  if (ctx.contentType !== 'application/x-www-form-urlencoded') {
    return htmlResponse(
      400,
      errorPage('Bad request', 'The form must be submitted as application/x-www-form-urlencoded.'),
    );
  }
  const field = (name: string): string | undefined => firstValue(ctx.form as Param[], name);
  const { state, formKey } = ctx.services;
  const record = state.findRequestToken(field('oauth_token'));
  if (record?.status !== 'pending') return htmlResponse(400, invalidTokenPage());
  if (!isAuthenticityTokenValid(formKey, record.token, field('authenticity_token'))) {
    return htmlResponse(403, errorPage('This form has expired', 'Reload the authorization page and try again.'));
  }
  const app = state.findApp(record.consumerKey);
  const action = field('action');

  if (action === 'cancel') {
    state.denyRequestToken(record);
    if (record.callback === 'oob') return htmlResponse(200, deniedPage(appName(app)));
    return redirectResponse(appendQuery(record.callback, [['denied', record.token]]));
  }
  if (action !== 'authorize') return htmlResponse(400, errorPage('Bad request', 'Choose "Authorize app" or "Cancel".'));

  const forceLogin = field('force_login') === 'true';
  const username = field('username') ?? '';
  const user = state.findUserByUsername(username);
  if (!user) {
    return renderConsent(ctx, record, 400, {
      forceLogin,
      screenName: username,
      error: username.trim() === '' ? 'Enter a username.' : `There is no account named "${username}".`,
    });
  }
  const verifier = state.authorizeRequestToken(record, user.id);
  if (record.callback === 'oob') return htmlResponse(200, pinPage(appName(app), verifier));
  return redirectResponse(
    appendQuery(record.callback, [
      ['oauth_token', record.token],
      ['oauth_verifier', verifier],
    ]),
  );
}

/** POST oauth/access_token (§2.3): the verifier is single-use and the request token is consumed. */
export function accessToken(ctx: RouteContext): EmuResponse {
  const auth = authenticate(ctx, 'request');
  if (!auth.ok) return auth.response;
  const record = auth.token;
  const verifier = auth.protocol.get('oauth_verifier') ?? signedParam(ctx, 'oauth_verifier');
  if (
    record.status !== 'authorized' ||
    record.verifier === undefined ||
    record.userId === undefined ||
    verifier === undefined ||
    !constantTimeEqual(record.verifier, verifier)
  ) {
    return invalidVerifier();
  }
  const { state } = ctx.services;
  const user = state.findUserById(record.userId);
  if (!user) return invalidVerifier();
  state.consumeRequestToken(record);
  const token = state.issueAccessToken(user.id, auth.app.consumerKey, grantedAccess(auth.app, record));
  return tokenBody([
    ['oauth_token', token.token],
    ['oauth_token_secret', token.secret],
    ['user_id', user.id],
    ['screen_name', user.username],
  ]);
}

/** POST 1.1/oauth/invalidate_token: the app gives up an access token. */
export function invalidateToken(ctx: RouteContext): EmuResponse {
  const auth = authenticate(ctx, 'access');
  if (!auth.ok) return auth.response;
  ctx.services.state.revokeAccessToken(auth.token.token);
  return jsonResponse(200, { access_token: auth.token.token });
}
