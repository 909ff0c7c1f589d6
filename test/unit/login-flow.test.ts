import { describe, expect, it } from 'vitest';
import { XApiError } from '../../src/api/errors.js';
import { parseRateLimit } from '../../src/api/rate-limit.js';
import { ListenError, type CallbackOutcome, type CallbackServer } from '../../src/flows/callback-server.js';
import { login, type LoginDeps, type LoginOptions } from '../../src/flows/login.js';
import {
  InvalidPinError,
  LoginCancelledError,
  LoginInterruptedError,
  LoginProtocolError,
  LoginTimeoutError,
} from '../../src/flows/login-errors.js';
import type { OAuthEndpoints } from '../../src/flows/oauth-endpoints.js';
import { accessToken, requestToken } from '../../src/oauth1/index.js';

function fakeServer(outcome: Promise<CallbackOutcome>) {
  const state = { expected: undefined as string | undefined, closed: false };
  const server: CallbackServer = {
    port: 5555,
    callbackUrl: 'http://127.0.0.1:5555/callback',
    withState: (callback) => callback,
    expect: (t) => void (state.expected = t),
    outcome,
    close: async () => void (state.closed = true),
    refused: () => 0,
  };
  return { server, state };
}

function setup(
  over: {
    outcome?: Promise<CallbackOutcome>;
    listenError?: string;
    refuseCallback?: boolean;
    confirmed?: boolean;
    pin?: string;
    pasted?: string[];
  } = {},
) {
  const calls: string[] = [];
  const notes: string[] = [];
  const urls: string[] = [];
  const { server, state } = fakeServer(over.outcome ?? new Promise(() => {}));
  const endpoints: OAuthEndpoints = {
    requestToken: async (callback, access) => {
      calls.push(`request_token ${callback} ${access ?? ''}`.trim());
      if (over.refuseCallback && callback !== 'oob') {
        throw new XApiError(
          403,
          { code: 415, message: 'Callback URL not approved' },
          parseRateLimit({}),
          'POST /oauth/request_token',
          false,
          '',
        );
      }
      return { token: requestToken('RT', 'RTS'), callbackConfirmed: over.confirmed ?? true };
    },
    accessToken: async (t, verifier) => {
      calls.push(`access_token ${t.token} ${verifier}`);
      return { token: accessToken('AT', 'ATS'), userId: '42', screenName: 'alice' };
    },
    invalidate: async () => {},
  };
  const abort = new AbortController();
  const deps: LoginDeps = {
    endpoints,
    apiBase: 'https://api.x.com',
    listen: async (port) => {
      calls.push(`listen ${port}`);
      if (over.listenError) throw new ListenError(port, over.listenError);
      return server;
    },
    openBrowser: async (url) => void calls.push(`open ${url}`),
    readPin: async () => over.pin ?? '1234567',
    readPasted: over.pasted
      ? async function* () {
          for (const l of over.pasted!) yield l;
          await new Promise(() => {});
        }
      : undefined,
    notify: (l) => void notes.push(l),
    showUrl: (u) => void urls.push(u),
    signal: abort.signal,
    now: Date.now,
  };
  const options: LoginOptions = { pin: false, port: 8736, browser: true, timeoutSeconds: 5 };
  return { deps, options, calls, notes, urls, state, abort };
}

describe('login orchestration', () => {
  it('loopback: listens first, asks for a request token with its callback, exchanges the verifier', async () => {
    const t = setup({ outcome: Promise.resolve({ kind: 'verifier', verifier: 'V' }) });
    const r = await login(t.deps, { ...t.options, accessType: 'write', forceLogin: true, screenName: '@alice' });
    expect(r).toMatchObject({ route: 'loopback', userId: '42', screenName: 'alice' });
    expect(t.calls).toEqual([
      'listen 8736',
      'request_token http://127.0.0.1:5555/callback write',
      'open https://api.x.com/oauth/authorize?oauth_token=RT&force_login=true&screen_name=alice',
      'access_token RT V',
    ]);
    expect(t.urls).toEqual(['https://api.x.com/oauth/authorize?oauth_token=RT&force_login=true&screen_name=alice']);
    expect(t.state.expected).toBe('RT');
    expect(t.state.closed).toBe(true);
  });

  it('--no-browser only prints the URL', async () => {
    const t = setup({ outcome: Promise.resolve({ kind: 'verifier', verifier: 'V' }) });
    await login(t.deps, { ...t.options, browser: false });
    expect(t.calls.some((c) => c.startsWith('open'))).toBe(false);
    expect(t.urls).toHaveLength(1);
  });

  it('a busy port falls back to the PIN flow and says so', async () => {
    const t = setup({ listenError: 'EADDRINUSE' });
    const r = await login(t.deps, t.options);
    expect(r.route).toBe('pin');
    expect(t.notes.join('\n')).toMatch(/port 8736 on 127\.0\.0\.1 is already in use; using the PIN flow/);
    expect(t.calls).toContain('request_token oob');
    expect(t.calls).toContain('access_token RT 1234567');
  });

  it('a refused callback (415) falls back to PIN with the URL to register', async () => {
    const t = setup({ refuseCallback: true });
    const r = await login(t.deps, t.options);
    expect(r.route).toBe('pin');
    expect(t.notes.join('\n')).toContain("add exactly this URL to your app's callback URLs");
    expect(t.notes.join('\n')).toContain('http://127.0.0.1:5555/callback');
    expect(t.state.closed).toBe(true);
  });

  it('denied in the browser is a cancellation and nothing is exchanged', async () => {
    const t = setup({ outcome: Promise.resolve({ kind: 'denied' }) });
    await expect(login(t.deps, t.options)).rejects.toBeInstanceOf(LoginCancelledError);
    expect(t.calls.some((c) => c.startsWith('access_token'))).toBe(false);
    expect(t.state.closed).toBe(true);
  });

  it('times out and closes the server', async () => {
    const t = setup();
    await expect(login(t.deps, { ...t.options, timeoutSeconds: 0.05 })).rejects.toBeInstanceOf(LoginTimeoutError);
    expect(t.state.closed).toBe(true);
  });

  it('Ctrl-C aborts the wait and closes the server', async () => {
    const t = setup();
    setTimeout(() => t.abort.abort('SIGINT'), 20);
    await expect(login(t.deps, t.options)).rejects.toBeInstanceOf(LoginInterruptedError);
    expect(t.state.closed).toBe(true);
  });

  it('refuses to go on when X does not confirm the callback', async () => {
    const t = setup({ confirmed: false });
    await expect(login(t.deps, t.options)).rejects.toBeInstanceOf(LoginProtocolError);
  });

  it('accepts a pasted callback URL (SSH), refusing one for another request token', async () => {
    const t = setup({
      pasted: [
        'garbage!',
        'http://127.0.0.1:5555/callback?oauth_token=OTHER&oauth_verifier=X',
        'http://127.0.0.1:5555/callback?oauth_token=RT&oauth_verifier=PASTED',
      ],
    });
    const r = await login(t.deps, t.options);
    expect(r.route).toBe('loopback');
    expect(t.calls).toContain('access_token RT PASTED');
    expect(t.notes.join('\n')).toMatch(/another login attempt/);
  });

  it('--pin uses oob and validates the PIN', async () => {
    const t = setup({ pin: ' 123 4567 ' });
    const r = await login(t.deps, { ...t.options, pin: true });
    expect(r.route).toBe('pin');
    expect(t.calls[0]).toBe('request_token oob');
    expect(t.calls).toContain('access_token RT 1234567');
    const bad = setup({ pin: 'abc' });
    await expect(login(bad.deps, { ...bad.options, pin: true })).rejects.toBeInstanceOf(InvalidPinError);
  });
});
