import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseUrlEncoded } from '../oauth1/index.js';
import { pages, type Page } from './callback-pages.js';

export type CallbackOutcome = { readonly kind: 'verifier'; readonly verifier: string } | { readonly kind: 'denied' };

export interface CallbackServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** http://127.0.0.1:<port>/callback?twauth_state=<secret>: the oauth_callback to send to X. */
  readonly callbackUrl: string;
  /** Adds this server's secret state to another callback URL (--callback-url on this machine). */
  withState(callback: string): string;
  /** Arms the server with the request token a genuine callback must carry. */
  expect(requestToken: string): void;
  /** Settles with the first genuine callback; refused requests never settle it. */
  readonly outcome: Promise<CallbackOutcome>;
  close(): Promise<void>;
  /** How many requests were refused (tests and --verbose). */
  readonly refused: () => number;
}

export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly port: number,
    readonly code: string,
  ) {
    super(
      code === 'EADDRINUSE'
        ? `port ${port} on 127.0.0.1 is already in use`
        : `cannot listen on 127.0.0.1:${port} (${code})`,
    );
  }
}

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The verifier is in this page's URL: keep it out of caches and Referer headers.
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  connection: 'close',
};

/**
 * The query parameter that carries this login's secret on the callback URL. X keeps a callback's
 * own query string and appends oauth_token and oauth_verifier, or denied, to it (RFC 5849 §2.2;
 * X docs "Callback URLs": registered URLs carry no query string, the one sent to
 * oauth/request_token may). The secret travels only inside the signed request_token request over
 * TLS and in X's redirect: unlike the request token, it is never on a command line (the browser's
 * is readable in `ps` by every local user), so a local process cannot forge the redirect.
 */
export const STATE_PARAM = 'twauth_state';

/** Connections at once; a new one beyond this closes the oldest that has not sent a request yet. */
const MAX_CONNECTIONS = 64;
/** A connection silent this long is closed: a browser sends its request as soon as it connects. */
const IDLE_MS = 2_000;

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function appendState(callback: string, state: string): string {
  const hash = callback.indexOf('#');
  const base = hash === -1 ? callback : callback.slice(0, hash);
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${STATE_PARAM}=${state}`;
}

/**
 * The temporary loopback server that receives X's redirect (RFC 5849 §2.2: oauth_token and
 * oauth_verifier on the callback URI). Listens on 127.0.0.1 only, answers only GET /callback,
 * and settles only for a request that carries this login's secret state (see STATE_PARAM) and
 * the exact request token: any other local process can reach the port and read the request
 * token from `ps`, but cannot end the login, neither with a verifier nor with a forged
 * `denied=`. It bounds everything a hostile local client could send: header size (Node's
 * 16 KiB), time to send a request, bodies (ignored); and it cannot be filled up: a new
 * connection is always accepted, closing the oldest one that has not sent a request yet when 64
 * are open, and silent ones are closed after 2 s, so the browser's redirect always finds a slot.
 */
export function startCallbackServer(port: number, path = '/callback'): Promise<CallbackServer> {
  const state = randomBytes(18).toString('base64url');
  let expected: string | undefined;
  let settled = false;
  let refusedCount = 0;
  let resolveOutcome!: (o: CallbackOutcome) => void;
  const outcome = new Promise<CallbackOutcome>((r) => (resolveOutcome = r));
  const sockets = new Set<Socket>();

  const send = (res: ServerResponse, page: Page) => {
    res.writeHead(page.status, HEADERS);
    res.end(page.html);
  };
  const refuse = (res: ServerResponse, page: Page) => {
    refusedCount++;
    send(res, page);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? '';
    const q = raw.indexOf('?');
    const reqPath = q === -1 ? raw : raw.slice(0, q);
    if (reqPath !== path) return refuse(res, pages.error('There is nothing here.', 404));
    if (req.method !== 'GET')
      return refuse(res, pages.error('Only the browser redirect from X is accepted here.', 405));
    if (settled) return refuse(res, pages.error('This login has already finished.', 410));
    let params;
    try {
      params = parseUrlEncoded(q === -1 ? '' : raw.slice(q + 1));
    } catch {
      return refuse(res, pages.error('The callback address is malformed.'));
    }
    const values = (name: string) => params.filter(([k]) => k === name).map(([, v]) => v);
    const [token, ...extraTokens] = values('oauth_token');
    const [denied, ...extraDenied] = values('denied');
    const [verifier, ...extraVerifiers] = values('oauth_verifier');
    const [given, ...extraStates] = values(STATE_PARAM);
    if (extraTokens.length || extraDenied.length || extraVerifiers.length || extraStates.length)
      return refuse(res, pages.error('The callback repeats a parameter, so it was refused.'));
    if (expected === undefined) return refuse(res, pages.error('twauth is not waiting for this login yet.'));
    // The secret state is checked last, just before settling: only X's redirect carries it.
    const fromX = given !== undefined && sameToken(given, state);
    const forged = () =>
      refuse(res, pages.error('This request did not come from X’s redirect for this login, so it was refused.', 403));
    // X reports a cancelled authorization as ?denied=<request token> (no oauth_token).
    if (denied !== undefined) {
      if (!sameToken(denied, expected))
        return refuse(res, pages.error('This callback belongs to another login attempt, so it was refused.'));
      if (!fromX) return forged();
      settled = true;
      send(res, pages.cancelled());
      return resolveOutcome({ kind: 'denied' });
    }
    if (token === undefined || !sameToken(token, expected))
      return refuse(res, pages.error('This callback belongs to another login attempt, so it was refused.'));
    if (!verifier || !/^[A-Za-z0-9_-]{1,128}$/.test(verifier))
      return refuse(res, pages.error('The callback has no valid oauth_verifier.'));
    if (!fromX) return forged();
    settled = true;
    send(res, pages.success());
    resolveOutcome({ kind: 'verifier', verifier });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    // Bodies are never read: discard them without buffering.
    req.resume();
    try {
      handle(req, res);
    } catch {
      if (!res.headersSent) send(res, pages.error('Something went wrong.', 500));
    }
  };
  // requireHostHeader: false so that Node does not answer a Host-less request with its own bare 400
  // (no no-store / no-referrer); handle() answers it like any other request (the Host is never used).
  // connectionsCheckingInterval: Node enforces headersTimeout/requestTimeout only when it sweeps its
  // connections, every 30 s by default, so a client trickling a header line a second held a
  // connection for 30 s; sweeping every second makes the 5 s deadline real.
  const server = createServer(
    {
      requestTimeout: 10_000,
      headersTimeout: 5_000,
      connectionsCheckingInterval: 1_000,
      keepAliveTimeout: 1_000,
      maxHeaderSize: 16_384,
      requireHostHeader: false,
    },
    onRequest,
  );
  // Likewise an Expect other than 100-continue would get Node's bare 417: answer it through handle().
  server.on('checkExpectation', onRequest);
  server.maxRequestsPerSocket = 4;
  // Not server.maxConnections: Node refuses every new connection while the limit is reached, so 64
  // idle connections from another process kept the browser's redirect out. Here a new connection
  // is always accepted and the oldest one still waiting for its first request is closed instead
  // (Set order is connection order); connections with a request in progress are never closed.
  const waiting = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    waiting.add(s);
    if (sockets.size > MAX_CONNECTIONS) {
      // Every open one has a request in progress (answered at once): then the newcomer waits its turn.
      const oldest = (waiting.values().next().value as Socket | undefined) ?? s;
      waiting.delete(oldest);
      refusedCount++;
      oldest.destroy();
    }
    s.setTimeout(IDLE_MS, () => s.destroy());
    s.on('close', () => {
      sockets.delete(s);
      waiting.delete(s);
    });
  });
  server.on('request', (req: IncomingMessage) => waiting.delete(req.socket));
  server.on('clientError', (_err, socket: Socket) => {
    refusedCount++;
    if (socket.writable)
      socket.end(
        'HTTP/1.1 400 Bad Request\r\ncache-control: no-store\r\nreferrer-policy: no-referrer\r\nconnection: close\r\ncontent-length: 0\r\n\r\n',
      );
    else socket.destroy();
  });

  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ListenError(port, err.code ?? 'unknown')));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const bound = (server.address() as AddressInfo).port;
      resolve({
        port: bound,
        callbackUrl: appendState(`http://127.0.0.1:${bound}${path}`, state),
        withState: (callback) => appendState(callback, state),
        expect: (t) => void (expected = t),
        outcome,
        refused: () => refusedCount,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Let the last page reach the browser, then drop whatever is left (slow clients).
            setTimeout(() => {
              for (const s of sockets) s.destroy();
            }, 200).unref();
          }),
      });
    });
  });
}
