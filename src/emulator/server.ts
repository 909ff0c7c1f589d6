import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { AccountSwitches, type AccountSwitchSettings } from './account-switches.js';
import { EmulatorClock } from './clock.js';
import type { EmulatorServices } from './context.js';
import { FaultInjector, type Faults } from './faults.js';
import { issueAccessTokenFor } from './issue-token.js';
import { MediaStore } from './media-store.js';
import { NonceCache } from './nonce-cache.js';
import { validateMediaSettings, validateOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { handleRequest } from './request-handler.js';
import { RequestLog } from './request-log.js';
import { SANDBOX_APP, SANDBOX_USERS } from './sandbox-defaults.js';
import { EmulatorState } from './state.js';
import type { Emulator, EmulatorOptions } from './types.js';

/** Loopback only: the emulator must never be reachable from another machine. */
const HOST = '127.0.0.1';

/** Starts an emulator of X's OAuth 1.0a and API endpoints on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  validateOptions(options);
  const clock = new EmulatorClock(options.clockOffsetSeconds ?? 0);
  const state = new EmulatorState(
    options.restore?.apps ?? options.apps ?? [SANDBOX_APP],
    options.restore?.users ?? options.users ?? SANDBOX_USERS,
    clock,
  );
  if (options.restore) state.restore(options.restore);
  let port = 0;
  const services: EmulatorServices = {
    state,
    clock,
    nonces: new NonceCache(clock),
    rateLimits: new RateLimiter(clock, options.rateLimits ?? true),
    faults: new FaultInjector(options.seed ?? 1),
    log: new RequestLog(),
    media: new MediaStore(clock, {
      processingMs: options.media?.processingMs,
      failNext: options.media?.failProcessing,
      maxVideoMb: options.media?.maxVideoMb,
      maxVideoSeconds: options.media?.maxVideoSeconds,
    }),
    account: new AccountSwitches(options.account),
    formKey: randomBytes(32),
    port: () => port,
  };

  const sockets = new Set<Socket>();
  const shutdown = new AbortController();
  const server = createServer({ requestTimeout: 60_000, headersTimeout: 30_000 }, (req, res) => {
    void handleRequest(services, req, res, shutdown.signal);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Unparseable HTTP: answer like Node's default (431 for oversized headers, else 400) and drop
  // the connection, never crash.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable)
      socket.end(`HTTP/1.1 ${status}\r\nDate: ${clock.httpDate()}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  await listen(server, options.port ?? 0);
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${HOST}:${port}`,
    port,
    apps: state.apps,
    users: state.users,
    tweets: () => state.tweets(),
    media: () => services.media.summaries(),
    setMedia: (settings) => services.media.configure(validateMediaSettings(settings)),
    requests: () => services.log.entries(),
    setAccount: (settings: AccountSwitchSettings) => services.account.update(settings),
    setFaults: (f: Faults) => services.faults.set(f),
    setClockOffset: (seconds: number) => clock.setOffset(seconds),
    revokeAccessToken: (token: string) => state.revokeAccessToken(token),
    snapshot: () => state.snapshot(),
    issueAccessToken: (userId, consumerKey, access) => issueAccessTokenFor(state, userId, consumerKey, access),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        // Hung answers and idle keep-alive connections would otherwise hold close() open.
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
