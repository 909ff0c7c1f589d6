import type { IncomingHttpHeaders } from 'node:http';
import type { AccountSwitches } from './account-switches.js';
import type { EmulatorClock } from './clock.js';
import type { FaultInjector } from './faults.js';
import type { MediaStore } from './media-store.js';
import type { NonceCache } from './nonce-cache.js';
import type { RateLimiter } from './rate-limit.js';
import type { RequestLog } from './request-log.js';
import type { EmuResponse } from './responses.js';
import type { EmulatorState } from './state.js';
import type { Param } from './url-encoded.js';

/** The parts of one emulator that route handlers use. */
export interface EmulatorServices {
  readonly state: EmulatorState;
  readonly clock: EmulatorClock;
  readonly nonces: NonceCache;
  readonly rateLimits: RateLimiter;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  /** Media uploads (digests and sizes, never the bytes). */
  readonly media: MediaStore;
  /** X's 2026 account answers, switched on by options or the control endpoint. */
  readonly account: AccountSwitches;
  /** Key for the consent form's authenticity tokens; random per emulator. */
  readonly formKey: Buffer;
  /** The port the emulator listens on (control endpoints check the Host header against it). */
  port(): number;
}

/** One request, parsed. */
export interface RouteContext {
  readonly services: EmulatorServices;
  readonly method: string;
  /** The path exactly as sent, without the query. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The Host header; '' when absent. */
  readonly host: string;
  readonly query: readonly Param[];
  readonly body: Buffer;
  /** The media type of the body, lower-cased, without parameters; '' when absent. */
  readonly contentType: string;
  /** Decoded body parameters when the body is application/x-www-form-urlencoded, else empty. */
  readonly form: readonly Param[];
}

export type RouteHandler = (ctx: RouteContext) => EmuResponse | Promise<EmuResponse>;
