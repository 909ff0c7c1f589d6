import type { ErrorBody } from './error-body.js';
import type { RateLimit } from './rate-limit.js';
import { classifyProblem, type XProblem } from './x-problem.js';

/** X answered, with a status that is not 2xx. Carries what X said, never what we sent. */
export class XApiError extends Error {
  override readonly name = 'XApiError';
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly rateLimit: RateLimit,
    /** The method and path (no query, no host) of the failed request. */
    readonly endpoint: string,
    /** True when the request was not idempotent and X's answer does not prove it had no effect. */
    readonly mayHaveTakenEffect: boolean,
    /** X's raw body, for `twauth api`, which prints it. */
    readonly rawBody: string,
    /** X's response headers, for `twauth api -i`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(
      `${endpoint} → HTTP ${status}${body.code ? ` (code ${body.code})` : ''}: ${body.detail ?? body.message ?? body.title ?? 'no details'}`,
    );
  }

  /** Which of X's documented problems this is, when it is one that needs its own explanation. */
  get problem(): XProblem | undefined {
    return classifyProblem(this.status, this.body, this.endpoint);
  }

  /** The v1.1 error code, or for v2 problems nothing. */
  get code(): number | undefined {
    return this.body.code;
  }
}

/** The exchange did not complete: connection refused, reset, or no answer in time. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    message: string,
    readonly endpoint: string,
    readonly timedOut: boolean,
    /** A non-idempotent request was (at least partly) sent: X may have acted on it. */
    readonly mayHaveTakenEffect: boolean,
    /** The API base, when a person chose it (flag or variable): the likeliest thing to be wrong. */
    readonly chosenBase?: { readonly apiBase: string; readonly from: string } | undefined,
  ) {
    super(message);
  }
}

/**
 * X answered 2xx, but not with what the endpoint promises (not JSON, no data.id, a username X
 * would not allow). For a request that is not idempotent the outcome is unknown: X may have
 * acted on it (a tweet may have been posted).
 */
export class MalformedAnswerError extends Error {
  override readonly name = 'MalformedAnswerError';
  constructor(
    /** The method and path (no query, no host) of the request. */
    readonly endpoint: string,
    /** What is wrong with the answer, in twauth's words (never the answer itself). */
    readonly problem: string,
    readonly mayHaveTakenEffect: boolean,
  ) {
    super(`X's answer to ${endpoint} is malformed (${problem})`);
  }
}
