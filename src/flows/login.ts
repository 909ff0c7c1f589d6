import { XApiError } from '../api/errors.js';
import type { AccessTokenResponse, RequestTokenResponse } from '../oauth1/index.js';
import { ListenError, type CallbackOutcome, type CallbackServer } from './callback-server.js';
import { InvalidPinError, LoginCancelledError, LoginProtocolError } from './login-errors.js';
import { authorizeUrl, type AccessType, type OAuthEndpoints } from './oauth-endpoints.js';
import { parsePin, parseVerifierInput } from './verifier-input.js';
import { waitForPerson } from './wait.js';

export interface LoginDeps {
  readonly endpoints: OAuthEndpoints;
  readonly apiBase: string;
  readonly listen: (port: number, path: string) => Promise<CallbackServer>;
  /** Opens the authorize URL in a browser; a rejection is only a note. */
  readonly openBrowser: (url: string) => Promise<void>;
  /** The PIN route's input: a prompt on a terminal, one line of stdin otherwise. */
  readonly readPin: (signal: AbortSignal) => Promise<string>;
  /** Only on a terminal: lines the person pastes while the loopback route waits. */
  readonly readPasted?: ((signal: AbortSignal) => AsyncIterable<string>) | undefined;
  /** A line for stderr. */
  readonly notify: (line: string) => void;
  /** Prints the authorize URL on stderr, on a line of its own. */
  readonly showUrl: (url: string) => void;
  /** Shows that login waits (a spinner on a terminal); returns a function that stops it. */
  readonly waiting?: ((deadlineMs: number) => () => void) | undefined;
  readonly signal: AbortSignal;
  readonly now: () => number;
  /**
   * On a terminal: a PIN that is not digits, or that X refuses, is asked for again while the
   * request token is valid. Off a terminal (one line of stdin) the first answer is final.
   */
  readonly retryPin?: boolean | undefined;
}

/** How many PINs X may refuse before login gives up (a request token lives 15 minutes). */
const MAX_PIN_ATTEMPTS = 3;
/** How long the PIN prompt waits for the browser command to fail, so its note comes above the prompt. */
const BROWSER_NOTE_WAIT_MS = 1000;

export interface LoginOptions {
  readonly pin: boolean;
  readonly port: number;
  readonly callbackUrl?: string | undefined;
  readonly accessType?: AccessType | undefined;
  readonly forceLogin?: boolean | undefined;
  readonly screenName?: string | undefined;
  readonly browser: boolean;
  readonly timeoutSeconds: number;
}

export interface LoginResult extends AccessTokenResponse {
  readonly route: 'loopback' | 'pin';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** X refuses a callback that is not registered for the app with code 415 (or 417 on old apps). */
function isCallbackRefused(err: unknown): err is XApiError {
  return err instanceof XApiError && (err.code === 415 || err.code === 417 || err.status === 415 || err.status === 417);
}

/**
 * X's three-legged OAuth 1.0a flow for a person at a terminal: the loopback route first (a
 * temporary server on 127.0.0.1 receives X's redirect), the PIN route (oauth_callback=oob) when
 * asked for or when the loopback route cannot work. All I/O comes in through `deps`.
 */
export async function login(deps: LoginDeps, options: LoginOptions): Promise<LoginResult> {
  const deadline = { atMs: deps.now() + options.timeoutSeconds * 1000, timeoutSeconds: options.timeoutSeconds };
  if (!options.pin) {
    const result = await loopbackRoute(deps, options, deadline);
    if (result) return result;
  }
  return pinRoute(deps, options, deadline);
}

function requireConfirmed(rt: RequestTokenResponse): RequestTokenResponse {
  // RFC 5849 §2.1: oauth_callback_confirmed MUST be "true"; without it the server may not have
  // bound our callback to the token, and a verifier could be redirected elsewhere.
  if (!rt.callbackConfirmed)
    throw new LoginProtocolError(
      'X did not confirm the callback (oauth_callback_confirmed is not "true"); refusing to go on',
    );
  return rt;
}

/** Shows the URL and starts the browser; resolves when the browser command was judged (its note printed). */
function present(
  deps: LoginDeps,
  options: LoginOptions,
  url: string,
  notify: (line: string) => void = deps.notify,
): Promise<void> {
  deps.showUrl(url);
  if (!options.browser) return Promise.resolve();
  return deps.openBrowser(url).catch((err: unknown) => {
    notify(`note: could not open a browser (${(err as Error).message}); open the URL above yourself`);
  });
}

/**
 * X answers a refused verifier at access_token with 401. The consumer key and secret were just
 * accepted at request_token, so a 401 here is about the verifier: a mistyped or stale PIN.
 */
function isVerifierRefused(err: unknown): err is XApiError {
  return err instanceof XApiError && err.status === 401;
}

/** Notes held while a prompt owns the line (they would land inside it), printed when it ends. */
function heldNotes(notify: (line: string) => void): {
  notify: (line: string) => void;
  hold: () => void;
  release: () => void;
} {
  let held: string[] | undefined;
  return {
    notify: (line) => (held ? held.push(line) : notify(line)),
    hold: () => void (held ??= []),
    release: () => {
      const lines = held ?? [];
      held = undefined;
      lines.forEach(notify);
    },
  };
}

/** Returns undefined when the PIN route must take over (it says why). */
async function loopbackRoute(
  deps: LoginDeps,
  options: LoginOptions,
  deadline: { atMs: number; timeoutSeconds: number },
): Promise<LoginResult | undefined> {
  let port = options.port;
  let path = '/callback';
  if (options.callbackUrl) {
    const u = new URL(options.callbackUrl);
    if (!LOOPBACK_HOSTS.has(u.hostname)) {
      deps.notify(
        `note: ${options.callbackUrl} is not on this machine, so twauth cannot receive it; using the PIN flow`,
      );
      return undefined;
    }
    port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    path = u.pathname;
  }
  let server: CallbackServer;
  try {
    server = await deps.listen(port, path);
  } catch (err) {
    if (!(err instanceof ListenError)) throw err;
    deps.notify(`note: ${err.message}; using the PIN flow instead (--port N picks another port)`);
    return undefined;
  }
  try {
    // The callback X is given carries the server's secret state (callback-server.ts): only X's
    // redirect can then end the login, not a local process that read the request token in `ps`.
    const callback = options.callbackUrl ? server.withState(options.callbackUrl) : server.callbackUrl;
    // What to register: X compares scheme, host, port and path, never the query string.
    const registered = options.callbackUrl ?? `http://127.0.0.1:${server.port}${path}`;
    let rt: RequestTokenResponse;
    try {
      rt = requireConfirmed(await deps.endpoints.requestToken(callback, options.accessType));
    } catch (err) {
      if (!isCallbackRefused(err)) throw err;
      deps.notify(
        `note: X refused the callback URL ${registered} (code ${err.code ?? err.status}): add exactly this URL to your app's callback URLs in the developer portal; using the PIN flow for now`,
      );
      return undefined;
    }
    server.expect(rt.token.token);
    void present(deps, options, authorizeUrl(deps.apiBase, rt.token, options));
    for (let attempt = 1; ; attempt++) {
      const stopWaiting = deps.waiting?.(deadline.atMs);
      const pasteAbort = new AbortController();
      let outcome: CallbackOutcome & { pasted?: boolean };
      try {
        const waits: Promise<CallbackOutcome & { pasted?: boolean }>[] = [server.outcome];
        if (deps.readPasted)
          waits.push(readPastedVerifier(deps, rt, pasteAbort.signal).then((o) => ({ ...o, pasted: true })));
        outcome = await waitForPerson(waits, deadline, deps.now, deps.signal);
      } finally {
        pasteAbort.abort();
        stopWaiting?.();
      }
      if (outcome.kind === 'denied') throw new LoginCancelledError();
      try {
        return { ...(await deps.endpoints.accessToken(rt.token, outcome.verifier)), route: 'loopback' };
      } catch (err) {
        // Only a pasted PIN can be a typo; a verifier X itself sent to the callback is final.
        if (!outcome.pasted || !isVerifierRefused(err) || attempt >= MAX_PIN_ATTEMPTS)
          throw wrongPin(err, outcome.pasted === true);
        deps.notify('X refused that PIN or address (mistyped? from another attempt?): paste it again; still waiting');
      }
    }
  } finally {
    await server.close();
  }
}

/** Pasted input while waiting: a verifier, or the callback URL copied from the browser. */
async function readPastedVerifier(
  deps: LoginDeps,
  rt: RequestTokenResponse,
  signal: AbortSignal,
): Promise<CallbackOutcome> {
  for await (const line of deps.readPasted!(signal)) {
    const parsed = parseVerifierInput(line);
    if ('error' in parsed) {
      if (line.trim() !== '') deps.notify(`${parsed.error}; still waiting`);
      continue;
    }
    if (parsed.token !== undefined && parsed.token !== rt.token.token) {
      deps.notify('that URL belongs to another login attempt; still waiting');
      continue;
    }
    return { kind: 'verifier', verifier: parsed.verifier };
  }
  return new Promise<never>(() => {}); // input closed: keep waiting for the browser
}

/** X refused a verifier the person typed: say so in those words (exit 2), not "check TWAUTH_*". */
function wrongPin(err: unknown, typed: boolean): unknown {
  if (!typed || !isVerifierRefused(err)) return err;
  return new InvalidPinError(
    'X refused the PIN: it was mistyped, or belongs to another login attempt; run twauth login again for a new one',
  );
}

async function pinRoute(
  deps: LoginDeps,
  options: LoginOptions,
  deadline: { atMs: number; timeoutSeconds: number },
): Promise<LoginResult> {
  const rt = requireConfirmed(await deps.endpoints.requestToken('oob', options.accessType));
  const notes = heldNotes(deps.notify);
  const browser = present(deps, options, authorizeUrl(deps.apiBase, rt.token, options), notes.notify);
  // A browser command that fails does so at once: let its note come before the prompt appears.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([browser, new Promise((r) => (timer = setTimeout(r, BROWSER_NOTE_WAIT_MS)))]);
  clearTimeout(timer);
  for (let attempt = 1; ; attempt++) {
    const abort = new AbortController();
    let input: string;
    notes.hold();
    try {
      input = await waitForPerson([deps.readPin(abort.signal)], deadline, deps.now, deps.signal);
    } finally {
      abort.abort();
      notes.release();
    }
    const pin = parsePin(input);
    if ('error' in pin) {
      if (!deps.retryPin) throw new InvalidPinError(`${pin.error}; run twauth login --pin again`);
      deps.notify(`${pin.error}; try again`);
      continue;
    }
    try {
      return { ...(await deps.endpoints.accessToken(rt.token, pin.verifier)), route: 'pin' };
    } catch (err) {
      if (!deps.retryPin || !isVerifierRefused(err) || attempt >= MAX_PIN_ATTEMPTS || deps.now() >= deadline.atMs)
        throw wrongPin(err, true);
      deps.notify(
        `X refused that PIN (wrong digits?); type it again (${MAX_PIN_ATTEMPTS - attempt} ${MAX_PIN_ATTEMPTS - attempt === 1 ? 'try' : 'tries'} left)`,
      );
    }
  }
}
