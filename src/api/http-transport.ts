import type { Dispatcher } from 'undici';
import { printable } from '../text/printable.js';

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Text (form, JSON) or bytes (a multipart media segment, sent as they are). */
  readonly body?: string | Uint8Array | undefined;
  /** Whole-exchange deadline, in milliseconds. */
  readonly timeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Where a transport failure happened: it decides whether a POST may have taken effect. */
export type FailurePhase = 'before-send' | 'after-send';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly phase: FailurePhase,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

/**
 * The request was refused by the HTTP library itself, before anything went out (undici's
 * InvalidArgumentError: e.g. a header value with a character outside Latin-1). Not a network
 * failure: nothing was sent, so it cannot have taken effect.
 */
export class InvalidHttpRequestError extends Error {
  override readonly name = 'InvalidHttpRequestError';
}

/** The one function the API client needs from the network. Tests inject their own. */
export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

function usesProxy(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy);
}

export interface UndiciTransportHooks {
  /**
   * Called once, on the first request, after undici's modules are loaded and before undici
   * compiles its WebAssembly HTTP parser. The CLI tunes V8 for a short-lived process there
   * (src/cli/prefer-baseline-wasm.ts); a library never changes process-wide settings itself.
   */
  readonly beforeFirstRequest?: () => void | Promise<void>;
}

/**
 * An HttpSend on undici. Node's global fetch ignores HTTPS_PROXY/HTTP_PROXY/NO_PROXY, so a
 * proxy in the environment switches to undici's EnvHttpProxyAgent, which honours all three.
 */
export function undiciTransport(env: NodeJS.ProcessEnv = process.env, hooks: UndiciTransportHooks = {}): HttpSend {
  let dispatcher: Dispatcher | undefined;
  let undiciRequest: typeof import('undici/lib/api/api-request.js');
  return async (req) => {
    if (!dispatcher) {
      // Loaded on the first request, so that commands which send none (sign, tweet --dry-run,
      // accounts) never pay for undici. Without a proxy only undici's Agent and request API are
      // loaded; the proxy agents need the whole package, which also installs the API methods
      // they call on Dispatcher.
      const [agent, request] = await Promise.all([
        usesProxy(env) ? undefined : import('undici/lib/dispatcher/agent.js'),
        import('undici/lib/api/api-request.js'),
      ]);
      undiciRequest = request.default;
      dispatcher = agent ? new agent.default({ connections: 4 }) : new (await import('undici')).EnvHttpProxyAgent();
      await hooks.beforeFirstRequest?.();
    }
    // undici tells "could not connect" apart from failures once the request went out; anything
    // after the connection is up may have reached X, which matters for non-idempotent POSTs.
    let connected = false;
    // undici takes whole milliseconds only (it threw for --timeout 0.0015).
    const timeoutMs = Math.max(1, Math.ceil(req.timeoutMs));
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await undiciRequest.call(dispatcher, {
        method: req.method as Dispatcher.HttpMethod,
        ...splitOrigin(req.url),
        headers: req.headers,
        body: req.body,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        onInfo: undefined,
      } as Dispatcher.RequestOptions);
      connected = true;
      const body = await res.body.text();
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body };
    } catch (err) {
      if ((err as { code?: string })?.code === 'UND_ERR_INVALID_ARG')
        throw new InvalidHttpRequestError(`the request was refused before sending: ${(err as Error).message}`);
      const timedOut =
        signal.aborted ||
        /timeout/i.test((err as Error)?.name ?? '') ||
        /timeout/i.test(String((err as { code?: string })?.code ?? ''));
      throw new TransportError(
        describe(err, timedOut),
        connected || !isConnectError(err) ? 'after-send' : 'before-send',
        timedOut,
      );
    }
  };
}

function splitOrigin(url: string): { origin: string; path: string } {
  const u = new URL(url);
  return { origin: u.origin, path: u.pathname + u.search };
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET_CONNECT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

function isConnectError(err: unknown): boolean {
  let e = err as { code?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++, e = e.cause as typeof e) if (e.code && CONNECT_CODES.has(e.code)) return true;
  return false;
}

/** A failure in a few words for the person; a library's message may quote what the server sent. */
function describe(err: unknown, timedOut: boolean): string {
  return printable(describeRaw(err, timedOut), 200);
}

function describeRaw(err: unknown, timedOut: boolean): string {
  if (timedOut) return 'no answer in time';
  let e = err as { code?: string; message?: string; cause?: unknown } | undefined;
  for (let i = 0; e && i < 4; i++, e = e.cause as typeof e)
    if (e.code) return `${e.code}${e.message ? `: ${e.message}` : ''}`;
  return (err as Error)?.message ?? String(err);
}
