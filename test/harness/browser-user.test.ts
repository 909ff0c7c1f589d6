import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';
import { launchChromium } from '../helpers/chromium.js';

const BROWSER_USER = resolve(import.meta.dirname, '../helpers/browser-user.mjs');

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((r) => {
    let s = '';
    req
      .setEncoding('utf8')
      .on('data', (d: string) => (s += d))
      .on('end', () => r(s));
  });
}

let provider: { server: Server; base: string };
let callback: { server: Server; base: string };
let dir: string;
let deadPort: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'twauth-browser-test-'));
  callback = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const user = url.searchParams.get('user');
    const denied = url.searchParams.has('denied');
    res.writeHead(denied ? 403 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>twauth: ${denied ? 'cancelled' : 'done'}</title>
      <h1>${denied ? 'Login cancelled' : `Logged in as @${user}`}</h1><p>You can close this tab.</p>`);
  });
  const dead = await listen(() => {});
  deadPort = (dead.server.address() as AddressInfo).port;
  await new Promise((r) => dead.server.close(r));
  provider = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname.startsWith('/oauth/authorize')) {
      const field =
        url.searchParams.get('field') === 'text'
          ? '<label>Username <input name="user"></label>'
          : '<label>Account <select name="user"><option>alice</option><option value="bob">Bob B.</option></select></label>';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Authorize twauth</title><h1>Authorize twauth to use your account?</h1>
        <form method="post" action="/oauth/authorize?${url.searchParams}">${field}
        <button name="go" value="yes">Authorize app</button> <button name="go" value="no">Cancel</button></form>`);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/oauth/authorize') {
      const form = new URLSearchParams(await body(req));
      const target = url.searchParams.get('dead') ? `http://127.0.0.1:${deadPort}` : callback.base;
      const location =
        form.get('go') === 'yes'
          ? `${target}/callback?oauth_token=t1&oauth_verifier=v1&user=${encodeURIComponent(form.get('user') ?? '')}`
          : `${target}/callback?denied=t1`;
      res.writeHead(302, { location });
      res.end();
      return;
    }
    res.writeHead(404).end();
  });
});

afterAll(async () => {
  await Promise.all([provider, callback].map((s) => new Promise((r) => s?.server.close(r))));
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function readLog(file: string): Promise<Array<Record<string, unknown>>> {
  return (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir(), LANG: 'C.UTF-8' };

describe('browser-user.mjs', () => {
  it('authorizes as the chosen user and follows the redirect to the loopback callback', async () => {
    const log = join(dir, 'authorize.jsonl');
    const shots = join(dir, 'shots');
    const r = await run(
      process.execPath,
      [
        BROWSER_USER,
        '--action',
        'authorize',
        '--username',
        'bob',
        '--screenshot-dir',
        shots,
        '--log',
        log,
        `${provider.base}/oauth/authorize?oauth_token=t1`,
      ],
      { env, timeoutMs: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const [entry, ...more] = await readLog(log);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      finalUrl: `${callback.base}/callback?oauth_token=t1&oauth_verifier=v1&user=bob`,
      status: 200,
      title: 'twauth: done',
      h1: 'Logged in as @bob',
      text: expect.stringMatching(/^Logged in as @bob\n+You can close this tab\.$/),
    });
    const files = (await readdir(shots)).sort();
    expect(files).toEqual(['01-loaded.png', '02-after-authorize.png']);
    const png = await readFile(join(shots, files[0]!));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('takes its options from the environment too, and types into a text field', async () => {
    const log = join(dir, 'env.jsonl');
    const r = await run(process.execPath, [BROWSER_USER, `${provider.base}/oauth/authorize?field=text`], {
      env: { ...env, BROWSER_USER_LOG: log, BROWSER_USER_USERNAME: 'carol' },
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const [entry] = await readLog(log);
    expect(entry?.finalUrl).toBe(`${callback.base}/callback?oauth_token=t1&oauth_verifier=v1&user=carol`);
  });

  it('cancels', async () => {
    const log = join(dir, 'cancel.jsonl');
    const r = await run(
      process.execPath,
      [BROWSER_USER, '--action=cancel', '--log', log, `${provider.base}/oauth/authorize`],
      { env, timeoutMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const [entry] = await readLog(log);
    expect(entry).toMatchObject({
      finalUrl: `${callback.base}/callback?denied=t1`,
      status: 403,
      h1: 'Login cancelled',
    });
  });

  it('only loads the page with --action none', async () => {
    const log = join(dir, 'none.jsonl');
    const r = await run(
      process.execPath,
      [BROWSER_USER, '--action', 'none', '--log', log, `${provider.base}/oauth/authorize`],
      { env, timeoutMs: 60_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const [entry] = await readLog(log);
    expect(entry).toMatchObject({
      finalUrl: `${provider.base}/oauth/authorize`,
      status: 200,
      title: 'Authorize twauth',
    });
  });

  it('fails with a message when the callback cannot be reached or the button is missing', async () => {
    const log = join(dir, 'fail.jsonl');
    const dead = await run(process.execPath, [BROWSER_USER, '--log', log, `${provider.base}/oauth/authorize?dead=1`], {
      env,
      timeoutMs: 60_000,
    });
    expect(dead.code).toBe(1);
    expect(dead.stderr).toMatch(/navigation failed: .*127\.0\.0\.1.*ERR_CONNECTION_REFUSED/);
    const missing = await run(process.execPath, [BROWSER_USER, '--log', log, `${callback.base}/callback?user=x`], {
      env,
      timeoutMs: 60_000,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no button named exactly "Authorize app"/);
    const entries = await readLog(log);
    expect(entries.map((e) => typeof e.error)).toEqual(['string', 'string']);
    const usage = await run(process.execPath, [BROWSER_USER, '--action', 'dance', 'http://127.0.0.1:1/'], { env });
    expect(usage.code).toBe(2);
  });
});

describe('launchChromium', () => {
  it('renders a page to a screenshot', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<h1>hello</h1>');
      expect(await page.locator('h1').innerText()).toBe('hello');
      const png = await page.screenshot();
      expect(png.subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await browser.close();
    }
  });
});
