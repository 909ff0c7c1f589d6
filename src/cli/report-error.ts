import { NetworkError, XApiError } from '../api/errors.js';
import { InvalidPinError, LoginCancelledError, LoginInterruptedError, LoginProtocolError, LoginTimeoutError } from '../flows/login-errors.js';
import { OAuthInputError } from '../oauth1/errors.js';
import { ConfigError } from '../store/config-file.js';
import { MissingSecretsError, UnknownAccountError } from '../store/accounts.js';
import { StoreError } from '../store/secret-store.js';
import { UnsafePathError } from '../store/private-path.js';
import { EXIT } from './exit-codes.js';
import { explainXError, mayHaveTakenEffect } from './explain-x-error.js';
import { NotLoggedInError, UsageError } from './usage-error.js';

export interface Report {
  readonly code: number;
  readonly lines: string[];
}

/**
 * The only place where failures become exit codes and words (README "Exit codes"). Messages are
 * built from typed fields, never from request data, so no secret can reach them.
 */
export function reportError(err: unknown, verbose = false): Report {
  const r = (code: number, ...lines: string[]): Report => ({ code, lines: lines.map((l) => `twauth: ${l}`) });
  if (err instanceof UsageError || err instanceof OAuthInputError || err instanceof InvalidPinError) return r(EXIT.usage, err.message);
  if (err instanceof UnknownAccountError) {
    const known = err.known.map((a) => `@${a.screenName} (${a.userId})`).join(', ');
    return r(EXIT.usage, `${err.message}; known accounts: ${known || 'none (run twauth login)'}`);
  }
  if (err instanceof UnsafePathError) return r(EXIT.usage, err.message);
  if (err instanceof NotLoggedInError) return r(EXIT.auth, err.message);
  if (err instanceof MissingSecretsError) return r(EXIT.auth, err.message, 'unlock the keychain, or run twauth login again to store them anew');
  if (err instanceof LoginCancelledError) return r(EXIT.cancelled, err.message);
  if (err instanceof LoginInterruptedError) return r(err.signalName === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted, err.message);
  if (err instanceof LoginTimeoutError) return r(EXIT.unavailable, err.message);
  if (err instanceof XApiError) {
    const code = err.status === 401 ? EXIT.auth : err.status === 429 ? EXIT.rateLimited : err.status >= 500 ? EXIT.unavailable : EXIT.rejected;
    return r(code, explainXError(err));
  }
  if (err instanceof NetworkError) {
    const what = err.timedOut ? 'no answer from X in time' : `cannot reach X (${err.message})`;
    if (err.mayHaveTakenEffect) return r(EXIT.unavailable, `${what} after sending ${err.endpoint}: ${mayHaveTakenEffect(err.endpoint)}`);
    return r(EXIT.unavailable, `${what} for ${err.endpoint}; check the network, proxy settings (HTTPS_PROXY) and --api-base`);
  }
  if (err instanceof ConfigError || err instanceof StoreError || err instanceof LoginProtocolError) return r(EXIT.unexpected, err.message);
  const e = err as Error;
  return r(EXIT.unexpected, `unexpected error: ${e?.message ?? String(err)}`, ...(verbose && e?.stack ? [e.stack] : ['run again with --verbose for details']));
}
