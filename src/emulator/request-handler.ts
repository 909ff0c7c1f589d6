import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BodyTooLargeError, MAX_BODY_BYTES, readBody } from './body.js';
import type { EmulatorServices, RouteContext } from './context.js';
import { CONTROL_PREFIX, handleControl } from './control.js';
import type { FaultDecision } from './faults.js';
import { MalformedEncodingError } from './percent-encoding.js';
import { ENDPOINT_LIMITS, rateLimitHeaders } from './rate-limit.js';
import { jsonResponse, withHeaders, type EmuResponse } from './responses.js';
import { route, streamingRoute, type StreamingHandler } from './router.js';
import { parseUrlEncoded, type Param } from './url-encoded.js';
import { badEncodingFor, internalError, payloadTooLarge, serviceUnavailable, tooManyRequestsFor } from './x-errors.js';

/** Headers X puts on every answer. */
const COMMON_HEADERS = {
  'cache-control': 'no-cache, no-store, max-age=0',
  'x-content-type-options': 'nosniff',
};

/**
 * One request from arrival to answer: faults that strike before the effect, body and parameter
 * parsing, the route, then faults that strike after it. Never throws; `shutdown` aborts latency
 * waits when the emulator closes.
 */
export async function handleRequest(
  services: EmulatorServices,
  req: IncomingMessage,
  res: ServerResponse,
  shutdown: AbortSignal,
): Promise<void> {
  const arrival = new Date(services.clock.nowMs()).toISOString();
  const method = req.method ?? 'GET';
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const log = (status: number): void => services.log.record({ method, path, status, time: arrival });
  req.on('error', () => {});
  res.on('error', () => {});

  const send = (response: EmuResponse): void => {
    if (res.headersSent || res.destroyed) return;
    const body = Buffer.from(response.body, 'utf8');
    res.writeHead(response.status, {
      ...COMMON_HEADERS,
      ...response.headers,
      date: services.clock.httpDate(),
      'content-length': String(body.length),
    });
    res.end(body);
    log(response.status);
  };

  try {
    if (!target.startsWith('/')) return send(jsonResponse(400, { error: 'request-target must be an absolute path' }));
    const isControl = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);

    let fault: FaultDecision | null = null;
    if (!isControl) {
      const latency = services.faults.latencyFor(path);
      if (latency > 0) await sleep(latency, undefined, { signal: shutdown });
      fault = services.faults.decide(path);
      if (fault && strikesBefore(fault)) return strikeBefore(fault);
    }

    const streaming = isControl ? undefined : streamingRoute(method, path);
    if (streaming) {
      const ctx = parseContext(services, req, method, path, q === -1 ? '' : target.slice(q + 1), Buffer.alloc(0));
      const response =
        ctx instanceof MalformedEncodingError ? badEncodingFor(path) : await streamingAnswer(streaming, ctx, req);
      if (fault) return strikeAfter(fault, response);
      return send(response);
    }

    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) return void req.socket.destroy();
      // Stop reading and close after answering: the rest of a hostile body is never buffered.
      send(withHeaders(payloadTooLarge(MAX_BODY_BYTES), { connection: 'close' }));
      return;
    }

    const ctx = parseContext(services, req, method, path, q === -1 ? '' : target.slice(q + 1), body);
    let response: EmuResponse;
    if (ctx instanceof MalformedEncodingError)
      response = isControl ? jsonResponse(400, { error: ctx.message }) : badEncodingFor(path);
    else response = await answer(ctx, isControl);

    if (fault) return strikeAfter(fault, response);
    send(response);
  } catch (err) {
    if (shutdown.aborted) return void req.socket.destroy();
    if (!res.headersSent) send(internalError());
    else req.socket.destroy();
    if (!(err instanceof Error && err.name === 'AbortError')) process.emitWarning(`twauth emulator: ${String(err)}`);
  }

  function strikesBefore(f: FaultDecision): boolean {
    return f.kind === 'status503' || f.kind === 'rateLimit' || ((f.kind === 'reset' || f.kind === 'hang') && !f.after);
  }

  function strikeBefore(f: FaultDecision): void {
    switch (f.kind) {
      case 'status503':
        return send(serviceUnavailable());
      case 'rateLimit': {
        const reset = services.clock.nowSeconds() + Math.ceil(f.resetInSeconds);
        const limit = Object.values(ENDPOINT_LIMITS).find((l) => l.key === `${method} ${path}`)?.limit ?? 15;
        return send(withHeaders(tooManyRequestsFor(path), rateLimitHeaders({ limit, remaining: 0, reset })));
      }
      case 'reset':
        log(0);
        return void req.socket.destroy();
      case 'hang':
        return hang(jsonResponse(200, { data: { id: '0' } }));
      default:
        return;
    }
  }

  function strikeAfter(f: FaultDecision, response: EmuResponse): void {
    switch (f.kind) {
      case 'reset':
        log(0);
        return void req.socket.destroy();
      case 'hang':
        return hang(response);
      case 'status503After':
        return send(serviceUnavailable());
      default:
        return send(response);
    }
  }

  /**
   * Sends status, headers and the first half of the body, chunked so the client keeps waiting for
   * the rest, which never comes. close() destroys the socket.
   */
  function hang(response: EmuResponse): void {
    if (res.headersSent || res.destroyed) return;
    const { 'content-length': _ignored, ...headers } = response.headers;
    res.writeHead(response.status, { ...COMMON_HEADERS, ...headers, date: services.clock.httpDate() });
    const body = Buffer.from(response.body, 'utf8');
    res.flushHeaders();
    if (body.length > 1) res.write(body.subarray(0, Math.floor(body.length / 2)));
    log(response.status);
  }
}

function parseContext(
  services: EmulatorServices,
  req: IncomingMessage,
  method: string,
  path: string,
  rawQuery: string,
  body: Buffer,
): RouteContext | MalformedEncodingError {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let query: Param[];
  let form: Param[] = [];
  try {
    query = parseUrlEncoded(rawQuery);
    // Only form bodies carry parameters (RFC 5849 §3.4.1.3.1); JSON bodies are never signed.
    if (contentType === 'application/x-www-form-urlencoded') {
      const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
      form = parseUrlEncoded(text);
    }
  } catch (err) {
    if (err instanceof MalformedEncodingError) return err;
    if (err instanceof TypeError) return new MalformedEncodingError('the form body is not UTF-8');
    throw err;
  }
  return { services, method, path, headers: req.headers, host: req.headers.host ?? '', query, body, contentType, form };
}

async function streamingAnswer(
  handler: StreamingHandler,
  ctx: RouteContext,
  req: IncomingMessage,
): Promise<EmuResponse> {
  try {
    return await handler(ctx, req);
  } catch (err) {
    if (err instanceof MalformedEncodingError) return badEncodingFor(ctx.path);
    throw err;
  }
}

async function answer(ctx: RouteContext, isControl: boolean): Promise<EmuResponse> {
  try {
    return isControl ? handleControl(ctx) : await route(ctx.method, ctx.path)(ctx);
  } catch (err) {
    // The Authorization header is parsed inside the route.
    if (err instanceof MalformedEncodingError)
      return isControl ? jsonResponse(400, { error: err.message }) : badEncodingFor(ctx.path);
    throw err;
  }
}
