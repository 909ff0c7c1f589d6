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

/** X broke the protocol in a way that makes going on unsafe. */
export class LoginProtocolError extends Error {
  override readonly name = 'LoginProtocolError';
}

/** The PIN (or pasted verifier) was not usable. */
export class InvalidPinError extends Error {
  override readonly name = 'InvalidPinError';
}
