// Issue 3, the loopback server under attack and under interruption: forged callbacks are refused
// (4xx, no-store, no-referrer) while the login keeps waiting; it listens on 127.0.0.1 only and
// closes when the login ends; Ctrl-C / SIGTERM store nothing; a keychain that hangs is timed out
// and the file store takes over.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTwauth, tempConfigDir, type TwauthProcess } from '../helpers/cli.js';
import { startHangingSecretService, type HangingSecretService } from '../helpers/hanging-secret-service.js';
import { run } from '../helpers/run.js';
import { ANSI, SANDBOX_BROWSER, startSandbox, type Sandbox } from './support.js';

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|Waiting for authorization/;

let sb: Sandbox; // real Secret Service
let hung: Sandbox; // its bus is replaced by one whose Secret Service never answers
let hanging: HangingSecretService;

beforeAll(async () => {
  [sb, hung, hanging] = await Promise.all([
    startSandbox({ keychain: 'real' }),
    startSandbox({ keychain: 'none' }),
    startHangingSecretService(),
  ]);
});
afterAll(() => Promise.all([sb?.stop(), hung?.stop(), hanging?.stop()]));

function expectPlain(stderr: string): void {
  expect(stderr).not.toMatch(ANSI);
  expect(stderr).not.toContain('\x1b');
  expect(stderr).not.toMatch(SPINNER);
}

function authorizeUrl(s: Sandbox, stderr: string): string {
  const base = s.emu.url.replace(/[.]/g, '\\.');
  const url = new RegExp(`^${base}/oauth/authorize\\?oauth_token=[A-Za-z0-9_-]+$`, 'm').exec(stderr)?.[0];
  expect(url, stderr).toBeDefined();
  return url!;
}

/** The TCP listeners of process `pid`, from `ss` (address:port as the kernel reports them). */
async function listeners(pid: number): Promise<Array<{ address: string; port: number }>> {
  const r = await run('ss', ['-ltnpH'], { timeoutMs: 5_000 });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l.includes(`pid=${pid},`))
    .map((l) => {
      const local = l.trim().split(/\s+/)[3]!;
      const i = local.lastIndexOf(':');
      return { address: local.slice(0, i), port: Number(local.slice(i + 1)) };
    });
}

/** Starts `twauth login --no-browser ARGS`; resolves once it waits, with its URL and port. */
async function waitingLogin(s: Sandbox, args: string[] = [], configDir = join(tempConfigDir('twauth-lb-'), 'config')) {
  const p = s.spawn(['login', '--no-browser', '--port', '0', ...args], { env: { TWAUTH_CONFIG_DIR: configDir } });
  const url = authorizeUrl(s, await p.waitForStderr(/\/oauth\/authorize\?oauth_token=\S+\n/, 15_000));
  const mine = await listeners(p.child.pid!);
  expect(mine, 'twauth listens on exactly one socket').toHaveLength(1);
  return {
    p,
    url,
    token: new URL(url).searchParams.get('oauth_token')!,
    port: mine[0]!.port,
    address: mine[0]!.address,
    configDir,
  };
}

/** Errors that mean nothing listens at that address (IPv6 or 127.0.0.2 may be unusable here). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EADDRNOTAVAIL', 'ENETUNREACH', 'EHOSTUNREACH', 'EAFNOSUPPORT']);

/** Resolves true if a TCP connection to host:port is accepted, false if refused. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port, timeout: 3_000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('timeout', () => (s.destroy(), reject(new Error(`connect ${host}:${port} timed out`))));
    s.once('error', (err: NodeJS.ErrnoException) => (UNREACHABLE.has(err.code ?? '') ? resolve(false) : reject(err)));
  });
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function httpTo(port: number, method: string, path: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Raw bytes, for requests an HTTP client will not send (no Host header, garbage). */
function rawTo(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    let text = '';
    s.setEncoding('utf8').on('data', (d: string) => (text += d));
    s.on('end', () => resolve(text));
    s.on('error', reject);
    s.write(bytes);
  });
}

function storedAccounts(configDir: string): unknown[] {
  const file = join(configDir, 'config.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { accounts: unknown[] }).accounts : [];
}

function expectNothingStored(configDir: string): void {
  expect(storedAccounts(configDir)).toEqual([]);
  expect(existsSync(join(configDir, 'credentials.json'))).toBe(false);
}

function stillWaiting(p: TwauthProcess): void {
  expect(p.child.exitCode, p.stderr()).toBeNull();
  expect(p.child.signalCode).toBeNull();
  expect(p.stderr()).not.toMatch(/^twauth:|Logged in/m);
}

describe('forged callbacks', () => {
  it('are refused with 4xx, no-store and no-referrer; the login keeps waiting, then completes; the server closes', async () => {
    const { p, url, token, port, address, configDir } = await waitingLogin(sb);

    // 127.0.0.1 only: not the other loopback addresses, not IPv6, not the machine's other IPv4s.
    expect(address).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', port)).toBe(true);
    expect(await accepts('127.0.0.2', port)).toBe(false);
    expect(await accepts('::1', port)).toBe(false);
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal);
    for (const i of external) expect(await accepts(i!.address, port), `reachable on ${i!.address}`).toBe(false);

    const forged: Array<[method: string, path: string, status: number, body?: string]> = [
      ['GET', '/callback?oauth_token=not-the-token&oauth_verifier=abc123', 400],
      ['GET', `/callback?oauth_token=${token}`, 400], // no verifier
      ['GET', `/callback?oauth_token=${token}&oauth_verifier=`, 400],
      ['GET', `/callback?oauth_token=${token}&oauth_verifier=a%20b%3Cscript%3E`, 400],
      ['GET', `/callback?oauth_token=${token}&oauth_token=${token}&oauth_verifier=abc`, 400], // repeated
      ['GET', '/callback?denied=not-the-token', 400],
      ['GET', '/callback?oauth_token=%ZZ&oauth_verifier=abc', 400], // malformed
      ['GET', '/callback', 400],
      ['GET', '/', 404],
      ['GET', '/favicon.ico', 404],
      ['GET', '/callback/../admin', 404],
      ['GET', `/CALLBACK?oauth_token=${token}&oauth_verifier=abc`, 404],
      ['GET', `/callbackx?oauth_token=${token}&oauth_verifier=abc`, 404],
      ['POST', `/callback?oauth_token=${token}&oauth_verifier=abc`, 405, 'oauth_token=x'],
      ['PUT', '/callback', 405],
    ];
    for (const [method, path, status, body] of forged) {
      const a = await httpTo(port, method, path, body);
      const what = `${method} ${path}`;
      expect(a.status, what).toBe(status);
      expect(a.headers['cache-control'], what).toBe('no-store');
      expect(a.headers['referrer-policy'], what).toBe('no-referrer');
      expect(a.body, what).toContain('This login link did not work');
      expect(a.body, what).not.toContain('You are logged in');
      stillWaiting(p);
    }
    // No Host header (Node would answer with its own bare 400), and bytes that are not HTTP.
    const hostless = await rawTo(port, 'GET /favicon.ico HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(hostless).toMatch(/^HTTP\/1\.1 404 /);
    expect(hostless).toMatch(/^cache-control: no-store\r$/im);
    expect(hostless).toMatch(/^referrer-policy: no-referrer\r$/im);
    const garbage = await rawTo(port, 'THIS IS NOT HTTP\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toMatch(/^cache-control: no-store\r$/im);
    expect(garbage).toMatch(/^referrer-policy: no-referrer\r$/im);
    await new Promise((r) => setTimeout(r, 300));
    stillWaiting(p);
    expect(storedAccounts(configDir)).toEqual([]);

    // The genuine approval completes the login.
    const approve = await runTwauth(['sandbox', 'approve', url]);
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stderr).toMatch(/the callback answered HTTP 200/);
    const { code } = await p.exit;
    expect(code, p.stderr()).toBe(0);
    expect(p.stderr()).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expectPlain(p.stderr());
    expect(storedAccounts(configDir)).toHaveLength(1);

    // The server is gone with the process.
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });
});

describe('interrupting the login', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} while waiting: exit ${code}, a message, nothing stored, the port closed`, async () => {
      const { p, port, configDir } = await waitingLogin(sb);
      expect(await accepts('127.0.0.1', port)).toBe(true);
      p.kill(signal);
      const exit = await p.exit;
      expect(exit.code, p.stderr()).toBe(code);
      expect(p.stderr()).toMatch(new RegExp(`^twauth: login interrupted \\(${signal}\\); nothing was stored$`, 'm'));
      expect(p.stdout()).toBe('');
      expectPlain(p.stderr());
      expectNothingStored(configDir);
      expect(await accepts('127.0.0.1', port)).toBe(false);
    });
  }

  it('SIGINT while the PIN route reads stdin: exit 130, nothing stored', async () => {
    const configDir = join(tempConfigDir('twauth-int-pin-'), 'config');
    const p = sb.spawn(['login', '--pin', '--no-browser'], { env: { TWAUTH_CONFIG_DIR: configDir } });
    await p.waitForStderr(/oauth_token=\S+\n/);
    p.kill('SIGINT');
    const exit = await p.exit;
    expect(exit.code, p.stderr()).toBe(130);
    expect(p.stderr()).toMatch(/^twauth: login interrupted \(SIGINT\); nothing was stored$/m);
    expectNothingStored(configDir);
  });
});

describe('a keychain that hangs', () => {
  it('TWAUTH_KEYCHAIN_TIMEOUT=1: login falls back to the file store with a warning', { timeout: 120_000 }, async () => {
    const env = { ...hanging.env, TWAUTH_KEYCHAIN_TIMEOUT: '1', BROWSER: SANDBOX_BROWSER };
    const t0 = Date.now();
    const p = hung.spawn(['login', '--port', '0'], { env });
    await p.waitForStderr(/\/oauth\/authorize\?oauth_token=\S+\n/, 15_000);
    const tUrl = Date.now();
    await p.waitForStderr(/^Logged in as @sandbox_alice \(id 1000000001\)$/m, 15_000);
    const tSuccess = Date.now();
    const exit = await p.exit;
    const tExit = Date.now();
    const timing = {
      urlMs: tUrl - t0,
      successAfterUrlMs: tSuccess - tUrl,
      exitAfterSuccessMs: tExit - tSuccess,
      totalMs: tExit - t0,
    };
    console.log(`hung keychain timings: ${JSON.stringify(timing)}`);

    expect(exit.code, p.stderr()).toBe(0);
    const file = join(hung.configDir, 'credentials.json');
    expect(p.stderr()).toMatch(
      new RegExp(
        `^warning: the keychain did not answer within 1 s \\(write\\); credentials saved to ${file.replace(/[.]/g, '\\.')} \\(mode 0600\\) instead$`,
        'm',
      ),
    );
    expect(
      p
        .stderr()
        .split('\n')
        .filter((l) => /warning/.test(l)),
    ).toHaveLength(1);
    expectPlain(p.stderr());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Approval is immediate (the sandbox's person); the store gives up after the 1 s timeout.
    expect(timing.successAfterUrlMs).toBeLessThan(5_000);
    // The keychain write runs in a child process that is killed at the deadline: nothing is left
    // blocked in this process (an in-process keytar call held the exit for ~49 s).
    expect(timing.exitAfterSuccessMs).toBeLessThan(3_000);

    const who = await hung.tw(['whoami', '--json'], { env: { ...hanging.env, TWAUTH_KEYCHAIN_TIMEOUT: '1' } });
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ username: 'sandbox_alice', credential_source: 'file' });
  });
});
