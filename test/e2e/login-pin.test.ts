// Issue 3, the PIN route and the fallbacks, with the PIN fed on stdin as a script would: --pin,
// a busy callback port, a callback X refuses (415); the login timeout; where credentials go when
// no keychain answers (file fallback) or when the keychain is forced; consumer credentials.
// Every command runs with stdin and stderr not a terminal: no spinner, no escape sequences.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APP } from '../../src/emulator/index.js';
import { runTwauth, tempConfigDir, type EnvPatch } from '../helpers/cli.js';
import { ANSI, SANDBOX_BROWSER, startSandbox, type Sandbox } from './support.js';

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|Waiting for authorization/;

let sb: Sandbox; // real Secret Service
let noKeychain: Sandbox; // no Secret Service on the bus
let refusing: Sandbox; // an app with no registered callback URL: X answers 415

beforeAll(async () => {
  [sb, noKeychain, refusing] = await Promise.all([
    startSandbox({ keychain: 'real' }),
    startSandbox({ keychain: 'none' }),
    startSandbox({ keychain: 'file', emulator: { apps: [{ ...SANDBOX_APP, callbacks: [] }] } }),
  ]);
});
afterAll(() => Promise.all([sb?.stop(), noKeychain?.stop(), refusing?.stop()]));

/** Nothing on stderr that only a terminal should get. */
function expectPlain(stderr: string): void {
  expect(stderr).not.toMatch(ANSI);
  expect(stderr).not.toContain('\x1b');
  expect(stderr).not.toMatch(SPINNER);
  expect(stderr).not.toContain('\r');
}

function authorizeUrl(s: Sandbox, stderr: string): string | undefined {
  const base = s.emu.url.replace(/[.]/g, '\\.');
  return new RegExp(`^${base}/oauth/authorize\\?oauth_token=[A-Za-z0-9_-]+$`, 'm').exec(stderr)?.[0];
}

/** Plays the person: presses "Authorize app" on the emulator, returns the PIN X shows. */
async function approveForPin(url: string): Promise<string> {
  const r = await runTwauth(['sandbox', 'approve', url]);
  expect(r.code, r.stderr).toBe(0);
  const pin = r.stdout.trim();
  expect(pin).toMatch(/^\d{7}$/);
  return pin;
}

interface PinLogin {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  url: string;
}

/** `twauth login ARGS`, then the PIN written to its stdin once the authorize URL is shown. */
async function pinLogin(s: Sandbox, args: string[], env: EnvPatch = {}): Promise<PinLogin> {
  const p = s.spawn(['login', ...args], { env });
  const seen = await p.waitForStderr(/\/oauth\/authorize\?oauth_token=\S+\n/, 15_000);
  const url = authorizeUrl(s, seen);
  expect(url, seen).toBeDefined();
  const pin = await approveForPin(url!);
  p.write(`${pin}\n`);
  const { code, signal } = await p.exit;
  return { code, signal, stdout: p.stdout(), stderr: p.stderr(), url: url! };
}

function accounts(configDir: string): Array<{ screenName: string; userId: string; store: string }> {
  const file = join(configDir, 'config.json');
  if (!existsSync(file)) return [];
  return (
    JSON.parse(readFileSync(file, 'utf8')) as { accounts: Array<{ screenName: string; userId: string; store: string }> }
  ).accounts;
}

function expectNothingStored(configDir: string): void {
  expect(accounts(configDir)).toEqual([]);
  expect(existsSync(join(configDir, 'credentials.json'))).toBe(false);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve((server.address() as AddressInfo).port));
  });
}

describe('the PIN route, PIN on stdin', () => {
  it('--pin: BROWSER gets the URL, the PIN from stdin completes the login, the account is stored', async () => {
    const dir = tempConfigDir('twauth-pin-');
    const opened = join(dir, 'opened.txt');
    const configDir = join(dir, 'config');
    // BROWSER is run with the URL as its last argument: this one records it.
    const r = await pinLogin(sb, ['--pin'], { BROWSER: `printf '%s\\n' >> ${opened}`, TWAUTH_CONFIG_DIR: configDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(opened, 'utf8')).toBe(`${r.url}\n`);
    expect(r.stderr).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expectPlain(r.stderr);
    expect(accounts(configDir)).toMatchObject([{ screenName: 'sandbox_alice', store: 'keychain' }]);
    const items = await sb.secretService!.items();
    expect(items.filter((i) => i.account.startsWith('1000000001:'))).toHaveLength(1);
    const who = await sb.tw(['whoami', '--json'], { env: { TWAUTH_CONFIG_DIR: configDir } });
    expect(JSON.parse(who.stdout)).toMatchObject({ username: 'sandbox_alice', credential_source: 'keychain' });
    // The PIN route never listens: the request token was asked for with oauth_callback=oob.
    expect(r.stderr).not.toMatch(/in use|refused/);
  });

  it('a busy callback port: says so, falls back to the PIN flow, and completes', async () => {
    const busy = createServer();
    const port = await listen(busy, 0);
    try {
      const configDir = join(tempConfigDir('twauth-busy-'), 'config');
      const r = await pinLogin(sb, ['--port', String(port), '--no-browser', '--json'], {
        TWAUTH_CONFIG_DIR: configDir,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        new RegExp(`^note: port ${port} on 127\\.0\\.0\\.1 is already in use; using the PIN flow instead`, 'm'),
      );
      expect(r.stderr).toMatch(/^Logged in as @sandbox_alice/m);
      expectPlain(r.stderr);
      expect(JSON.parse(r.stdout)).toMatchObject({ username: 'sandbox_alice', id: '1000000001', store: 'keychain' });
      expect(accounts(configDir)).toHaveLength(1);
    } finally {
      busy.close();
    }
  });

  it('X refuses the callback (415): names the URL to register, falls back to the PIN flow', async () => {
    const before = refusing.emu.requests().length;
    const r = await pinLogin(refusing, ['--port', '0', '--no-browser']);
    expect(r.code, r.stderr).toBe(0);
    const note =
      /^note: X refused the callback URL (http:\/\/127\.0\.0\.1:(\d+)\/callback) \(code 415\): add exactly this URL to your app's callback URLs in the developer portal; using the PIN flow for now$/m.exec(
        r.stderr,
      );
    expect(note, r.stderr).not.toBeNull();
    expect(r.stderr).toMatch(/^Logged in as @sandbox_alice/m);
    expectPlain(r.stderr);
    // Two request tokens: the refused one (callback), then oob.
    const tokenRequests = refusing.emu
      .requests()
      .slice(before)
      .filter((q) => q.path === '/oauth/request_token');
    expect(tokenRequests.map((q) => q.status)).toEqual([403, 200]); // X: HTTP 403 with error code 415
    expect(accounts(refusing.configDir)).toMatchObject([{ screenName: 'sandbox_alice', store: 'file' }]);
    // The loopback server of the refused attempt was closed.
    const probe = createServer();
    await expect(listen(probe, Number(note![2]))).resolves.toBe(Number(note![2]));
    probe.close();
  });

  it('a PIN that is not digits: exit 2, nothing stored', async () => {
    const configDir = join(tempConfigDir('twauth-badpin-'), 'config');
    const p = sb.spawn(['login', '--pin', '--no-browser'], { env: { TWAUTH_CONFIG_DIR: configDir } });
    await p.waitForStderr(/oauth_token=\S+\n/);
    p.write('not-a-pin\n');
    const { code } = await p.exit;
    expect(code, p.stderr()).toBe(2);
    expect(p.stderr()).toMatch(/^twauth: a PIN is the digits X shows/m);
    expectNothingStored(configDir);
  });

  it('stdin ends before a PIN: exit 2 with a clear message (not "unexpected error"), nothing stored', async () => {
    const configDir = join(tempConfigDir('twauth-eofpin-'), 'config');
    const r = await sb.tw(['login', '--pin', '--no-browser'], { input: '', env: { TWAUTH_CONFIG_DIR: configDir } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^twauth: standard input ended before a PIN was read/m);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expectNothingStored(configDir);
  });
});

describe('the login timeout', () => {
  it('loopback route: --timeout 2 → exit 7 within ~5 s, a clear message, nothing stored', async () => {
    const configDir = join(tempConfigDir('twauth-timeout-'), 'config');
    const t0 = Date.now();
    const r = await sb.tw(['login', '--timeout', '2', '--no-browser', '--port', '0'], {
      env: { TWAUTH_CONFIG_DIR: configDir },
    });
    const elapsed = Date.now() - t0;
    expect(r.code, r.stderr).toBe(7);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
    expect(elapsed).toBeLessThan(5000);
    expect(r.stdout).toBe('');
    expect(authorizeUrl(sb, r.stderr)).toBeDefined();
    expect(r.stderr).toMatch(
      /^twauth: no authorization arrived within 2 s; run twauth login again \(--timeout SEC to wait longer\)$/m,
    );
    expectPlain(r.stderr);
    expectNothingStored(configDir);
  });

  it('PIN route: --timeout 2 with stdin open and silent → exit 7 within ~5 s', async () => {
    const configDir = join(tempConfigDir('twauth-timeout-pin-'), 'config');
    const t0 = Date.now();
    const p = sb.spawn(['login', '--pin', '--timeout', '2', '--no-browser'], { env: { TWAUTH_CONFIG_DIR: configDir } });
    const { code } = await p.exit;
    const elapsed = Date.now() - t0;
    expect(code, p.stderr()).toBe(7);
    expect(elapsed).toBeLessThan(5000);
    expect(p.stderr()).toMatch(/^twauth: no authorization arrived within 2 s/m);
    expectNothingStored(configDir);
  });
});

describe('where the credentials go', () => {
  it('no Secret Service: one warning line, credentials.json 0600 in a 0700 folder, whoami says file', async () => {
    const r = await noKeychain.tw(['login', '--port', '0'], { env: { BROWSER: SANDBOX_BROWSER } });
    expect(r.code, r.stderr).toBe(0);
    const file = join(noKeychain.configDir, 'credentials.json');
    const warnings = r.stderr.split('\n').filter((l) => /warning/i.test(l));
    expect(warnings, r.stderr).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toMatch(
      /^warning: no keychain service answers \(.+\); credentials saved to .+ \(mode 0600\) instead$/,
    );
    expect(r.stderr).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expectPlain(r.stderr);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(noKeychain.configDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(noKeychain.configDir, 'config.json')).mode & 0o777).toBe(0o600);
    const creds = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    const [secret] = Object.values(creds);
    noKeychain.addSecret(JSON.parse(secret!).accessTokenSecret);
    expect(accounts(noKeychain.configDir)).toMatchObject([{ screenName: 'sandbox_alice', store: 'file' }]);
    const who = await noKeychain.tw(['whoami', '--json']);
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ username: 'sandbox_alice', credential_source: 'file' });
  });

  it('TWAUTH_STORE=keychain and no Secret Service: login fails clearly, nothing stored', async () => {
    const configDir = join(tempConfigDir('twauth-forced-'), 'config');
    const before = noKeychain.emu.requests().length;
    const r = await noKeychain.tw(['login', '--port', '0'], {
      env: { BROWSER: SANDBOX_BROWSER, TWAUTH_STORE: 'keychain', TWAUTH_CONFIG_DIR: configDir },
    });
    expect(r.code, r.stderr).not.toBe(0);
    // Checked before asking X for anything: no token is issued only to be thrown away.
    expect(noKeychain.emu.requests().length).toBe(before);
    expect(r.stderr).toMatch(/TWAUTH_STORE=keychain allows no file fallback/);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^twauth: .*keychain.*$/m);
    expect(r.stderr).not.toMatch(/Logged in/);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expectPlain(r.stderr);
    expectNothingStored(configDir);
  });
});

describe("the app's consumer credentials", () => {
  const noConsumer: EnvPatch = { TWAUTH_CONSUMER_KEY: undefined, TWAUTH_CONSUMER_SECRET: undefined };

  it('missing and stdin not a terminal: exit 2 naming both variables, nothing sent', async () => {
    const before = sb.emu.requests().length;
    const r = await sb.tw(['login', '--port', '0', '--no-browser'], { env: noConsumer });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('TWAUTH_CONSUMER_KEY');
    expect(r.stderr).toContain('TWAUTH_CONSUMER_SECRET');
    expectPlain(r.stderr);
    const half = await sb.tw(['login', '--no-browser'], {
      env: { ...noConsumer, TWAUTH_CONSUMER_KEY: 'sandbox-consumer-key' },
    });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/TWAUTH_CONSUMER_KEY and TWAUTH_CONSUMER_SECRET/);
    expect(sb.emu.requests().length).toBe(before);
  });

  it('--consumer-secret on the command line: warns about shell history, login proceeds', async () => {
    const configDir = join(tempConfigDir('twauth-flags-'), 'config');
    const r = await sb.tw(
      [
        'login',
        '--port',
        '0',
        '--consumer-key',
        SANDBOX_APP.consumerKey,
        '--consumer-secret',
        SANDBOX_APP.consumerSecret,
      ],
      { env: { ...noConsumer, BROWSER: SANDBOX_BROWSER, TWAUTH_CONFIG_DIR: configDir } },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: --consumer-secret ends up in your shell history; prefer TWAUTH_CONSUMER_SECRET or the prompt$/m,
    );
    expect(r.stderr).toMatch(/^Logged in as @sandbox_alice/m);
    expect(accounts(configDir)).toHaveLength(1);
  });
});
