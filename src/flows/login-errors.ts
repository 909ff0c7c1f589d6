/** The person pressed "Cancel" on X's authorization page, or closed a prompt's input (Ctrl-D): exit 3. */
export class LoginCancelledError extends Error {
  override readonly name = 'LoginCancelledError';
  constructor(message = 'authorization was cancelled in the browser; nothing was stored') {
    super(message);
  }
}

/** Nobody completed the authorization in time. */
export class LoginTimeoutError extends Error {
  override readonly name = 'LoginTimeoutError';
  constructor(readonly seconds: number) {
    super(`no authorization arrived within ${seconds} s; run twauth login again (--timeout SEC to wait longer)`);
  }
}

/** Ctrl-C or SIGTERM while waiting. */
export class LoginInterruptedError extends Error {
  override readonly name = 'LoginInterruptedError';
  constructor(readonly signalName: string) {
    super(`login interrupted (${signalName}); nothing was stored`);
  }
}

/**
 * X issued a token, but the login could not store it (a signal, a folder that cannot be written, a
 * keychain that failed). Nothing is kept; the token was revoked at X, or, if X could not be
 * reached, the message names the token (its public start only) for the person to revoke.
 */
export class LoginNotStoredError extends Error {
  override readonly name = 'LoginNotStoredError';
  constructor(
    /** The signal that interrupted the store step, if one did. */
    readonly signalName: string | undefined,
    /** Why storing failed (when no signal did it). */
    readonly reason: unknown,
    readonly revoked: boolean,
    /** The start of the access token, which is not the secret half: enough to recognise it. */
    readonly tokenStart: string,
    /** Places where a copy of the secrets could not be ruled out. */
    readonly leftIn: readonly string[],
  ) {
    const why = signalName
      ? `login interrupted (${signalName}) before the account was stored`
      : `the account could not be stored (${(reason as Error)?.message ?? String(reason)})`;
    const token = revoked
      ? 'the new token was revoked at X'
      : `the new token (${tokenStart}…) could NOT be revoked: revoke twauth's access in your X account's connected apps settings`;
    const left = leftIn.length ? `; check for a leftover copy in ${leftIn.join(' and ')}` : '';
    super(`${why}; nothing was stored and ${token}${left}`);
  }
}

/** X broke the protocol in a way that makes going on unsafe. */
export class LoginProtocolError extends Error {
  override readonly name = 'LoginProtocolError';
}

/** The PIN (or pasted verifier) was not usable. */
export class InvalidPinError extends Error {
  override readonly name = 'InvalidPinError';
}
