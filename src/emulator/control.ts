import type { RouteContext } from './context.js';
import { validateAccountSwitches } from './account-switches.js';
import { validateFaults } from './faults.js';
import { validateMediaSettings } from './options.js';
import { jsonResponse, type EmuResponse } from './responses.js';
import { issueAccessTokenFor } from './issue-token.js';

/** Unsigned endpoints for tests and for driving the emulator from another process. */
export const CONTROL_PREFIX = '/_emulator';

function problem(status: number, detail: string): EmuResponse {
  return jsonResponse(status, { error: detail });
}

/**
 * Guards against a web page in the person's browser driving the emulator: the Host must be the
 * loopback address itself (defeats DNS rebinding) and POST bodies must be JSON (a cross-origin page
 * cannot send that without a CORS preflight, which the emulator never approves).
 */
function refuse(ctx: RouteContext): EmuResponse | undefined {
  const host = ctx.host.toLowerCase();
  const port = ctx.services.port();
  if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host))
    return problem(403, 'control endpoints answer loopback Host headers only');
  if (ctx.method === 'POST' && ctx.contentType !== 'application/json')
    return problem(415, 'control endpoints take application/json');
  return undefined;
}

function jsonBody(ctx: RouteContext): Record<string, unknown> | EmuResponse {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(ctx.body));
  } catch {
    return problem(400, 'body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return problem(400, 'body must be a JSON object');
  return value as Record<string, unknown>;
}

function isResponse(value: unknown): value is EmuResponse {
  return typeof value === 'object' && value !== null && 'status' in value && 'body' in value && 'headers' in value;
}

export function handleControl(ctx: RouteContext): EmuResponse {
  const refused = refuse(ctx);
  if (refused) return refused;
  const { state, clock, faults, log } = ctx.services;
  const route = `${ctx.method} ${ctx.path}`;

  if (route === `GET ${CONTROL_PREFIX}/state`) {
    return jsonResponse(200, {
      tweets: state.tweets(),
      requestCount: log.count(),
      revokedTokens: state.revokedCount(),
      clockOffsetSeconds: clock.offsetSeconds,
      faults: faults.current(),
      account: ctx.services.account.current(),
      users: state.users,
      apps: state.apps.map((a) => ({
        consumerKey: a.consumerKey,
        name: a.name,
        callbacks: a.callbacks,
        access: a.access,
      })),
    });
  }
  if (route === `GET ${CONTROL_PREFIX}/media`)
    return jsonResponse(200, { settings: ctx.services.media.settings, uploads: ctx.services.media.summaries() });
  if (ctx.method !== 'POST') return problem(404, 'unknown control endpoint');

  const body = jsonBody(ctx);
  if (isResponse(body)) return body;
  try {
    switch (ctx.path) {
      case `${CONTROL_PREFIX}/faults`:
        faults.set(validateFaults(body));
        return jsonResponse(200, { faults: faults.current() });
      case `${CONTROL_PREFIX}/media`:
        ctx.services.media.configure(validateMediaSettings(body));
        return jsonResponse(200, { settings: ctx.services.media.settings });
      case `${CONTROL_PREFIX}/account`:
        ctx.services.account.update(validateAccountSwitches(body));
        return jsonResponse(200, { account: ctx.services.account.current() });
      case `${CONTROL_PREFIX}/clock`:
        clock.setOffset(body.offsetSeconds as number);
        return jsonResponse(200, { offsetSeconds: clock.offsetSeconds });
      case `${CONTROL_PREFIX}/revoke`:
        if (typeof body.token !== 'string') return problem(400, 'token must be a string');
        return jsonResponse(200, { revoked: state.revokeAccessToken(body.token) });
      case `${CONTROL_PREFIX}/tokens`: {
        const { userId, consumerKey, access } = body;
        if (typeof userId !== 'string' || typeof consumerKey !== 'string')
          return problem(400, 'userId and consumerKey must be strings');
        if (access !== undefined && access !== 'read' && access !== 'read-write')
          return problem(400, 'access must be "read" or "read-write"');
        return jsonResponse(201, issueAccessTokenFor(state, userId, consumerKey, access));
      }
      default:
        return problem(404, 'unknown control endpoint');
    }
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) return problem(400, err.message);
    throw err;
  }
}
