import type { MalformedAnswerError, NetworkError, XApiError } from '../api/errors.js';
import type { InvalidHttpRequestError } from '../api/http-transport.js';
import type { RequestTargetError } from '../api/request-target.js';
import type { MediaRuleError } from '../api/media/media-rule-error.js';
import type { MediaProcessingError, MediaProtocolError, MediaTimeoutError } from '../api/media/upload-errors.js';
import type {
  InvalidPinError,
  LoginCancelledError,
  LoginInterruptedError,
  LoginNotStoredError,
  LoginProtocolError,
  LoginTimeoutError,
} from '../flows/login-errors.js';
import type { OAuthInputError } from '../oauth1/errors.js';
import type { MissingSecretsError, UnknownAccountError } from '../store/accounts.js';
import type { ConfigError } from '../store/config-file.js';
import type { ConfigDirError } from '../store/make-dirs.js';
import type { InputTooLargeError } from '../store/read-bounded.js';
import type { ConfigNotWritableError } from '../store/writable-dir.js';
import type { LockBusyError } from '../store/file-lock.js';
import type { UnsafePathError } from '../store/private-path.js';
import type { StoreError } from '../store/secret-store.js';
import { CliError, type XAnswer } from './cli-error.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { explainProcessingFailure } from './explain-media-error.js';
import { explainXError, mayHaveTakenEffect } from './explain-x-error.js';

export interface Report {
  readonly code: number;
  readonly lines: string[];
}

/** The typed errors of the lower layers (oauth1, flows, api, store), told apart by `name`. */
type LowerError =
  | OAuthInputError
  | InvalidPinError
  | UnknownAccountError
  | MissingSecretsError
  | LoginCancelledError
  | LoginInterruptedError
  | LoginNotStoredError
  | LoginTimeoutError
  | LoginProtocolError
  | XApiError
  | NetworkError
  | ConfigError
  | StoreError
  | UnsafePathError
  | LockBusyError
  | RequestTargetError
  | InvalidHttpRequestError
  | MalformedAnswerError
  | ConfigDirError
  | ConfigNotWritableError
  | InputTooLargeError
  | MediaRuleError
  | MediaProcessingError
  | MediaTimeoutError
  | MediaProtocolError;

/**
 * What each lower-layer error means to a person at the command line: its exit code, message and
 * hint. The lower layers know nothing of exit codes (only the CLI maps errors to them); the type
 * demands an entry for every error in LowerError.
 */
const TRANSLATE: { readonly [N in LowerError['name']]: (err: Extract<LowerError, { name: N }>) => CliError } = {
  OAuthInputError: (e) => new CliError(e.message, EXIT.usage),
  InvalidPinError: (e) => new CliError(e.message, EXIT.usage),
  UnknownAccountError: (e) => {
    const known = e.known.map((a) => `@${a.screenName} (${a.userId})`).join(', ');
    return new CliError(`${e.message}; known accounts: ${known || 'none (run twauth login)'}`, EXIT.usage);
  },
  MissingSecretsError: (e) =>
    new CliError(e.message, EXIT.auth, 'unlock the keychain, or run twauth login again to store them anew'),
  LoginCancelledError: (e) => new CliError(e.message, EXIT.cancelled),
  LoginInterruptedError: (e) => new CliError(e.message, signalExit(e.signalName)),
  LoginTimeoutError: (e) => new CliError(e.message, EXIT.unavailable),
  // Interrupted: the signal's code; otherwise the code of what made storing fail (2 for a folder
  // refused as unsafe, 1 for a disk or keychain failure).
  LoginNotStoredError: (e) =>
    new CliError(
      e.message,
      e.signalName ? signalExit(e.signalName) : (toCliError(e.reason)?.exitCode ?? EXIT.unexpected),
    ),
  XApiError: (e) =>
    new CliError(
      explainXError(e),
      e.status === 401
        ? EXIT.auth
        : e.status === 429
          ? EXIT.rateLimited
          : e.status >= 500
            ? EXIT.unavailable
            : EXIT.rejected,
      undefined,
      xAnswer(e),
    ),
  NetworkError: (e) => {
    const what = e.timedOut ? 'no answer from X in time' : `cannot reach X (${e.message})`;
    if (e.mayHaveTakenEffect)
      return new CliError(`${what} after sending ${e.endpoint}: ${mayHaveTakenEffect(e.endpoint)}`, EXIT.unavailable);
    // A base the person chose (a sandbox that has stopped, a stale TWAUTH_API_BASE) is the likeliest cause: name it.
    if (e.chosenBase)
      return new CliError(
        `${what} for ${e.endpoint} at ${e.chosenBase.apiBase} (from ${e.chosenBase.from})`,
        EXIT.unavailable,
        `is it running? Otherwise ${e.chosenBase.from === 'TWAUTH_API_BASE' ? 'unset TWAUTH_API_BASE' : 'drop --api-base'} to use X (https://api.x.com)`,
      );
    return new CliError(
      `${what} for ${e.endpoint}; check the network, proxy settings (HTTPS_PROXY) and --api-base`,
      EXIT.unavailable,
    );
  },
  // The config is the person's (written by twauth, maybe edited by hand): invalid input, exit 2.
  ConfigError: (e) => new CliError(e.message, EXIT.usage),
  // Not the person's input, but not a bug either: said as they are, exit 1.
  StoreError: (e) => new CliError(e.message, EXIT.unexpected),
  // Another user's folder or file, or a link in it: refused before anything is read or sent.
  UnsafePathError: (e) => new CliError(e.message, EXIT.usage),
  LockBusyError: (e) => new CliError(e.message, EXIT.unexpected),
  LoginProtocolError: (e) => new CliError(e.message, EXIT.unexpected),
  // Nothing was sent: the URL or a header could not be used as it was given.
  RequestTargetError: (e) => new CliError(e.message, EXIT.usage),
  InvalidHttpRequestError: (e) => new CliError(`${e.message}; nothing was sent`, EXIT.usage),
  // X answered 2xx with something unusable: for a POST the outcome is unknown, as after a timeout.
  MalformedAnswerError: (e) =>
    new CliError(
      e.mayHaveTakenEffect
        ? `${e.message}: ${mayHaveTakenEffect(e.endpoint)}`
        : `${e.message}; try again later, --verbose shows the exchange`,
      EXIT.unavailable,
    ),
  // Where the config folder points is the person's setting: invalid input, and nothing was sent.
  ConfigDirError: (e) => new CliError(e.message, EXIT.usage),
  ConfigNotWritableError: (e) =>
    new CliError(
      `${e.message}; nothing was sent`,
      EXIT.usage,
      'make it writable (or point TWAUTH_CONFIG_DIR at a writable folder) and try again',
    ),
  InputTooLargeError: (e) => new CliError(`${e.message}; nothing was sent`, EXIT.usage),
  // Media: a file X would refuse (found before sending, or the file changed while it was read),
  // X's processing failed or did not end in time, or X answered an upload out of its documents.
  MediaRuleError: (e) => new CliError(e.message, EXIT.usage),
  MediaProcessingError: (e) => {
    const { message, hint } = explainProcessingFailure(e.file, e.mediaId, e.reason);
    return new CliError(`${message}; nothing was posted`, EXIT.rejected, hint);
  },
  MediaTimeoutError: (e) =>
    new CliError(
      `${e.message}; nothing was posted`,
      EXIT.unavailable,
      'raise --media-timeout, or upload with "twauth media upload" and post the id later with --media-id',
    ),
  MediaProtocolError: (e) =>
    new CliError(`X's answer to an upload was not what X documents: ${e.message}`, EXIT.unexpected),
};

/** What X said (already cleaned of control characters by parseErrorBody), for --json errors. */
function xAnswer(e: XApiError): XAnswer {
  const b = e.body;
  return {
    status: e.status,
    code: b.code ?? null,
    title: b.title ?? null,
    detail: b.detail ?? b.message ?? null,
    type: b.type ?? null,
  };
}

function signalExit(name: string): ExitCode {
  return name === 'SIGTERM' ? EXIT.terminated : name === 'SIGHUP' ? EXIT.hangup : EXIT.interrupted;
}

function isLowerError(err: unknown): err is LowerError {
  return err instanceof Error && Object.hasOwn(TRANSLATE, err.name);
}

/** The CliError an error stands for, or undefined for an unexpected one (a bug). */
export function toCliError(err: unknown): CliError | undefined {
  if (err instanceof CliError) return err;
  if (!isLowerError(err)) return undefined;
  // TypeScript cannot relate err.name to err's own type here; TRANSLATE's type did it per entry.
  const translate = TRANSLATE[err.name] as (e: LowerError) => CliError;
  return translate(err);
}

/**
 * The only place where failures become exit codes and words (README "Exit codes"). Messages are
 * built from typed fields, never from request data, so no secret can reach them. With `json`,
 * the one line is a JSON object (README "JSON output"):
 * {"error": {"message", "exit_code", "hint", "x"?: {"status", "code", "title", "detail", "type"}}}.
 */
export function reportError(err: unknown, verbose = false, json = false): Report {
  const known = toCliError(err);
  const e = err as Error | undefined;
  const failure: JsonError = known
    ? {
        message: known.message,
        exit_code: known.exitCode,
        hint: known.hint ?? null,
        ...(known.x ? { x: known.x } : {}),
      }
    : {
        message: `unexpected error: ${e?.message ?? String(err)}`,
        exit_code: EXIT.unexpected,
        hint: verbose ? null : 'run again with --verbose for details',
        ...(verbose && e?.stack ? { stack: e.stack } : {}),
      };
  if (json) return { code: failure.exit_code, lines: [JSON.stringify({ error: failure })] };
  // A hint may hold several lines (a thread's resume commands): each is prefixed.
  const extra = failure.stack !== undefined ? [failure.stack] : (failure.hint?.split('\n') ?? []);
  return { code: failure.exit_code, lines: [failure.message, ...extra].map((l) => `twauth: ${l}`) };
}

/** An error under --json (README "JSON output"). */
export interface JsonError {
  readonly message: string;
  readonly exit_code: number;
  readonly hint: string | null;
  readonly x?: XAnswer;
  /** With --verbose, for an unexpected error. */
  readonly stack?: string;
}
