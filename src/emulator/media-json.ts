import type { RouteContext } from './context.js';
import type { EmuResponse } from './responses.js';
import { invalidRequest } from './x-errors.js';

export type JsonBody = { ok: true; body: Record<string, unknown> } | { ok: false; response: EmuResponse };

/** A v2 JSON request body as an object, or X's 400 for anything else. Bodies are never signed. */
export function jsonObjectBody(ctx: RouteContext): JsonBody {
  if (ctx.contentType !== 'application/json')
    return { ok: false, response: invalidRequest('The Content-Type must be application/json.') };
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(ctx.body));
  } catch {
    return { ok: false, response: invalidRequest('Request body is not valid JSON.') };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, response: invalidRequest('Request body must be a JSON object.') };
  return { ok: true, body: body as Record<string, unknown> };
}
