import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInBrowserless, SANDBOX_APP } from '../../src/emulator/index.js';
import { useEmulator } from './support/emulator.js';
import { call, parseTokenAnswer } from './support/oauth-client.js';

const emu = useEmulator({ apps: [{ ...SANDBOX_APP, callbacks: [...SANDBOX_APP.callbacks, 'http://example.com/cb'] }] });

async function authorizeUrl(callback: string, query = ''): Promise<{ url: string; token: string; secret: string }> {
  const res = await call(emu().port, {
    method: 'POST',
    path: '/oauth/request_token',
    oauth: { oauth_callback: callback },
  });
  expect(res.status).toBe(200);
  const t = parseTokenAnswer(res.text);
  return {
    url: `${emu().url}/oauth/authorize?oauth_token=${t.oauth_token}${query}`,
    token: t.oauth_token!,
    secret: t.oauth_token_secret!,
  };
}

async function exchange(rt: { token: string; secret: string }, verifier: string) {
  const res = await call(emu().port, {
    method: 'POST',
    path: '/oauth/access_token',
    token: rt,
    oauth: { oauth_verifier: verifier },
  });
  expect(res.status).toBe(200);
  return parseTokenAnswer(res.text);
}

describe('approveInBrowserless', () => {
  let app: Server;
  let appPort = 0;
  const seen: URL[] = [];
  beforeAll(async () => {
    app = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      seen.push(url);
      res.writeHead(url.searchParams.has('denied') ? 403 : 200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const a = app.address();
    appPort = typeof a === 'object' && a ? a.port : 0;
  });
  afterAll(() => new Promise<void>((r) => app.close(() => r())));

  it('approves and follows the redirect to the callback', async () => {
    const rt = await authorizeUrl(`http://127.0.0.1:${appPort}/callback`);
    const result = await approveInBrowserless(rt.url);
    expect(result.callbackStatus).toBe(200);
    expect(result.pin).toBeUndefined();
    const hit = seen.at(-1)!;
    expect(result.redirectedTo).toBe(`http://127.0.0.1:${appPort}${hit.pathname}${hit.search}`);
    expect(hit.searchParams.get('oauth_token')).toBe(rt.token);
    const access = await exchange(rt, hit.searchParams.get('oauth_verifier')!);
    expect(access.screen_name).toBe('sandbox_alice');
  });

  it('picks the account asked for', async () => {
    const rt = await authorizeUrl(`http://127.0.0.1:${appPort}/callback`);
    await approveInBrowserless(rt.url, { username: 'sandbox_carol' });
    expect((await exchange(rt, seen.at(-1)!.searchParams.get('oauth_verifier')!)).screen_name).toBe('sandbox_carol');
    const other = await authorizeUrl(`http://127.0.0.1:${appPort}/callback`);
    await expect(approveInBrowserless(other.url, { username: 'nobody' })).rejects.toThrow(/no account named "nobody"/);
  });

  it('reads the PIN for oob', async () => {
    const rt = await authorizeUrl('oob');
    const result = await approveInBrowserless(rt.url, { username: '@sandbox_bob' });
    expect(result.pin).toMatch(/^\d{7}$/);
    expect((await exchange(rt, result.pin!)).screen_name).toBe('sandbox_bob');
  });

  it('cancels: denied redirect for a callback, nothing for oob', async () => {
    const rt = await authorizeUrl(`http://127.0.0.1:${appPort}/callback`);
    const result = await approveInBrowserless(rt.url, { cancel: true });
    expect(result.callbackStatus).toBe(403);
    expect(new URL(result.redirectedTo!).searchParams.get('denied')).toBe(rt.token);
    const oob = await authorizeUrl('oob');
    expect(await approveInBrowserless(oob.url, { cancel: true })).toEqual({});
  });

  it('fills in the username field of a force_login page', async () => {
    const rt = await authorizeUrl('oob', '&force_login=true');
    await expect(approveInBrowserless(rt.url)).rejects.toThrow(/asks for a username/);
    const result = await approveInBrowserless(rt.url, { username: 'sandbox_carol' });
    expect((await exchange(rt, result.pin!)).user_id).toBe('1000000003');
    const prefilled = await authorizeUrl('oob', '&force_login=true&screen_name=sandbox_bob');
    expect((await approveInBrowserless(prefilled.url)).pin).toMatch(/^\d{7}$/);
  });

  it('reports a non-loopback callback without contacting it', async () => {
    const rt = await authorizeUrl('http://example.com/cb');
    const result = await approveInBrowserless(rt.url);
    expect(result.redirectedTo).toMatch(/^http:\/\/example\.com\/cb\?oauth_token=/);
    expect(result.callbackStatus).toBeUndefined();
  });

  it('fails clearly on an invalid token or a non-loopback authorize URL', async () => {
    await expect(approveInBrowserless(`${emu().url}/oauth/authorize?oauth_token=bogus`)).rejects.toThrow(
      /answered 400: The request token is unknown, expired or already used/,
    );
    await expect(approveInBrowserless('https://api.x.com/oauth/authorize?oauth_token=x')).rejects.toThrow(
      /refusing to contact/,
    );
  });
});
