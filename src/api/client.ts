import type { AnyToken, ConsumerCredentials, Param } from '../oauth1/index.js';
import { formatUrlEncoded, nonceByteBudget, nonceFromBytes, signRequest } from '../oauth1/index.js';
import { oauthTimestamp, type Clock } from './clock.js';
import { parseErrorBody } from './error-body.js';
import { MalformedAnswerError, NetworkError, XApiError } from './errors.js';
import { TransportError, type HttpResponse, type HttpSend } from './http-transport.js';
import { parseRateLimit, retryAt } from './rate-limit.js';
import { classifyProblem } from './x-problem.js';
import { redactHeader } from './redact.js';
import { checkRequestOrigin, resolveUrl } from './request-target.js';
import { printable } from '../text/printable.js';
import { backoffMs, DEFAULT_RETRY, isIdempotent, type RetryPolicy } from './retry-policy.js';

export interface ClientDeps {
  readonly send: HttpSend;
  readonly clock: Clock;
  /** Random bytes for nonces (crypto.randomBytes in production). */
  readonly randomBytes: (n: number) => Uint8Array;
  /** A number in [0, 1) for backoff jitter. */
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** --verbose: one line per request and response, secrets already redacted. */
  readonly trace?: ((line: string) => void) | undefined;
  /** Told when a skewed clock was corrected, so the offset can be remembered. */
  readonly onClockOffset?: ((offsetMs: number) => void) | undefined;
  /** Told before sleeping out a rate limit (--wait). */
  readonly onWait?: ((untilEpochSeconds: number) => void) | undefined;
}

export interface ClientConfig {
  readonly apiBase: string;
  readonly consumer: ConsumerCredentials;
  readonly token?: AnyToken | undefined;
  readonly timeoutMs: number;
  readonly retry?: RetryPolicy | undefined;
  /** --wait: sleep until a rate limit resets and try again (idempotent requests only). */
  readonly waitOnRateLimit?: boolean | undefined;
  readonly userAgent?: string | undefined;
  /** Where apiBase came from when a person chose it (e.g. "TWAUTH_API_BASE"), for network errors. */
  readonly apiBaseFrom?: string | undefined;
  /**
   * Hosts ("host" or "host:port") an absolute URL may name besides the API base's origin, for
   * this client only (`--allow-host`). Plain http: to a non-loopback host stays refused.
   */
  readonly allowHosts?: readonly string[] | undefined;
}

export interface ApiRequest {
  readonly method: string;
  /** Relative to the API base ("/2/users/me") or an absolute URL. */
  readonly path: string;
  readonly query?: readonly Param[] | undefined;
  /** application/x-www-form-urlencoded fields: signed (RFC 5849 §3.4.1.3.1). */
  readonly form?: readonly Param[] | undefined;
  /** A JSON body, sent as is: never signed. */
  readonly json?: string | undefined;
  /**
   * Raw bytes with their content type (a multipart/form-data media segment): never signed
   * (RFC 5849 §3.4.1.3.1 signs form-urlencoded bodies only) and never traced, only counted.
   */
  readonly bytes?: { readonly contentType: string; readonly data: Uint8Array } | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** oauth_callback / oauth_verifier for the token endpoints. */
  readonly oauth?: Readonly<Record<`oauth_${string}`, string>> | undefined;
  /** Override: a signing-only step (token endpoints) may be retried although it is a POST. */
  readonly idempotent?: boolean | undefined;
  /** Replaces the client's token for this request (request token for oauth/access_token). */
  readonly token?: AnyToken | null | undefined;
}

export interface ApiResponse extends HttpResponse {
  readonly url: string;
}

/**
 * A request signed ahead of sending (XClient.prepare): requests sent back to back, such as the
 * segments of a media upload, can have the next one signed while the current one is on the wire.
 */
export interface PreparedRequest {
  readonly request: ApiRequest;
  readonly url: URL;
  /** The first attempt's headers, signed at signedAtMs (the client's clock). */
  readonly headers: Readonly<Record<string, string>>;
  readonly signedAtMs: number;
  /** The clock correction they were signed with: one learnt since (401 code 135) voids them. */
  readonly offsetMs: number;
}

/**
 * How long a signature made ahead stays good for the first attempt: about oauth_timestamp's own
 * resolution (seconds, RFC 5849 §3.3), so a request sent from it carries the time it is sent.
 * An older one is signed again.
 */
export const PREPARED_FRESH_MS = 1000;

export { resolveUrl } from './request-target.js';

/**
 * A signed X API client: signs every attempt afresh (new nonce and timestamp; a first attempt may
 * have been signed just ahead, see prepare), retries what is safe to retry, corrects clock skew
 * once, and turns every failure into XApiError or NetworkError. It never retries a
 * non-idempotent request once any of it may have been sent, so a tweet is never posted twice.
 */
export class XClient {
  constructor(
    readonly config: ClientConfig,
    private readonly deps: ClientDeps,
  ) {}

  /**
   * Signs a request now, to be sent later with request(). The first attempt uses this
   * signature if it is at most PREPARED_FRESH_MS old when sent; otherwise, and for every retry,
   * the request is signed afresh (new nonce and timestamp) as usual.
   */
  prepare(req: ApiRequest): PreparedRequest {
    const url = resolveUrl(this.config.apiBase, req.path, req.query);
    const headers = this.headers(req.method.toUpperCase(), url, req);
    return { request: req, url, headers, signedAtMs: this.deps.clock.nowMs(), offsetMs: this.deps.clock.offsetMs };
  }

  async request(toSend: ApiRequest | PreparedRequest): Promise<ApiResponse> {
    const prepared = 'signedAtMs' in toSend ? toSend : undefined;
    const req = prepared ? prepared.request : (toSend as ApiRequest);
    const method = req.method.toUpperCase();
    const url = prepared ? prepared.url : resolveUrl(this.config.apiBase, req.path, req.query);
    let presigned =
      prepared &&
      prepared.offsetMs === this.deps.clock.offsetMs &&
      this.deps.clock.nowMs() - prepared.signedAtMs <= PREPARED_FRESH_MS
        ? prepared.headers
        : undefined;
    const endpoint = `${method} ${url.pathname}`;
    const idempotent = req.idempotent ?? isIdempotent(method);
    const policy = this.config.retry ?? DEFAULT_RETRY;
    const body = req.form ? formatUrlEncoded(req.form) : (req.json ?? req.bytes?.data);
    let skewFixed = false;
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const headers = presigned ?? this.headers(method, url, req);
      presigned = undefined; // a signature goes out once: a retry is signed afresh
      // The trace lines are only built for --verbose: redacting and cleaning cost time on every
      // request otherwise (each media segment is one).
      const trace = this.deps.trace;
      if (trace) {
        trace(`> ${method} ${url.href}`);
        for (const [k, v] of Object.entries(headers)) trace(`> ${k}: ${redactHeader(k, v)}`);
        if (req.bytes) trace(`> (body: ${req.bytes.data.length} bytes, not shown)`);
      }
      let res: HttpResponse;
      try {
        res = await this.deps.send({ method, url: url.href, headers, body, timeoutMs: this.config.timeoutMs });
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        this.trace(`! ${err.message}`);
        const retryable = idempotent || err.phase === 'before-send';
        if (retryable && attempt + 1 < policy.attempts) {
          await this.deps.sleep(backoffMs(policy, attempt, this.deps.random));
          continue;
        }
        const base = this.config.apiBaseFrom
          ? { apiBase: this.config.apiBase, from: this.config.apiBaseFrom }
          : undefined;
        throw new NetworkError(err.message, endpoint, err.timedOut, !idempotent && err.phase === 'after-send', base);
      }
      if (trace) {
        trace(`< ${res.status} (${res.body.length} bytes)`);
        // Header values are the server's bytes (Latin-1 may hold C1 controls such as CSI): cleaned.
        for (const k of ['date', 'x-rate-limit-remaining', 'x-rate-limit-reset', 'retry-after'])
          if (res.headers[k]) trace(`< ${k}: ${printable(res.headers[k]!, 100)}`);
      }
      if (res.status >= 200 && res.status < 300) return { ...res, url: url.href };

      const errorBody = parseErrorBody(res.body);
      const rateLimit = parseRateLimit(res.headers);
      // 401 code 135: our clock is off. X's Date header says by how much; the request had no
      // effect, so re-signing and sending it once more is safe even for a POST.
      if (res.status === 401 && errorBody.code === 135 && !skewFixed && this.learnOffset(res.headers.date)) {
        skewFixed = true;
        attempt--;
        continue;
      }
      // --wait sleeps out the 15-minute (or 24-hour) window only. A usage cap (UsageCapExceeded)
      // lasts for a billing period: sleeping until x-rate-limit-reset would only fail again.
      if (
        res.status === 429 &&
        this.config.waitOnRateLimit &&
        idempotent &&
        waited < 2 &&
        classifyProblem(429, errorBody) !== 'usage-capped'
      ) {
        const until = retryAt(rateLimit) ?? Math.floor(this.now() / 1000) + 60;
        this.deps.onWait?.(until);
        await this.deps.sleep(Math.max(0, until * 1000 - this.now()) + 1000);
        waited++;
        attempt--;
        continue;
      }
      if (res.status >= 500 && idempotent && attempt + 1 < policy.attempts) {
        await this.deps.sleep(backoffMs(policy, attempt, this.deps.random));
        continue;
      }
      // A 5xx to a POST proves nothing: X may have acted before failing.
      throw new XApiError(
        res.status,
        errorBody,
        rateLimit,
        endpoint,
        !idempotent && res.status >= 500,
        res.body,
        res.headers,
      );
    }
  }

  /** Parses a 2xx JSON answer; a body that is not JSON is X misbehaving, reported as such. */
  async json<T>(req: ApiRequest): Promise<{ response: ApiResponse; data: T }> {
    const response = await this.request(req);
    try {
      return { response, data: JSON.parse(response.body) as T };
    } catch {
      const method = req.method.toUpperCase();
      throw new MalformedAnswerError(
        `${method} ${new URL(response.url).pathname}`,
        'not JSON',
        !(req.idempotent ?? isIdempotent(method)),
      );
    }
  }

  /** The headers for one attempt: a fresh signature each time (new nonce, current timestamp). */
  headers(method: string, url: URL, req: ApiRequest): Record<string, string> {
    const signed = this.sign(method, url, req);
    return {
      authorization: signed,
      'user-agent': this.config.userAgent ?? 'twauth',
      ...(req.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(req.json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(req.bytes ? { 'content-type': req.bytes.contentType } : {}),
      ...lowerKeys(req.headers ?? {}),
    };
  }

  /** Every signature (sent or printed) passes here: the token goes to its own API's origin only. */
  sign(method: string, url: URL, req: Pick<ApiRequest, 'form' | 'oauth' | 'token'>): string {
    checkRequestOrigin(this.config.apiBase, url, this.config.allowHosts);
    const token = req.token === null ? undefined : (req.token ?? this.config.token);
    return signRequest({
      method,
      url,
      consumer: this.config.consumer,
      token,
      form: req.form,
      extra: req.oauth,
      timestamp: oauthTimestamp(this.deps.clock),
      nonce: nonceFromBytes(this.deps.randomBytes(nonceByteBudget())),
    }).authorization;
  }

  private learnOffset(date: string | undefined): boolean {
    const server = date ? Date.parse(date) : NaN;
    if (Number.isNaN(server)) return false;
    const offset = server - this.deps.clock.nowMs();
    this.deps.clock.offsetMs = offset;
    this.trace(`! clock offset corrected by ${Math.round(offset / 1000)} s from X's Date header`);
    this.deps.onClockOffset?.(offset);
    return true;
  }

  private now(): number {
    return this.deps.clock.nowMs() + this.deps.clock.offsetMs;
  }

  private trace(line: string): void {
    this.deps.trace?.(line);
  }
}

function lowerKeys(h: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
