// Issue 3, login in a real browser: headless Chromium (test/helpers/browser-user.mjs, driven by
// playwright-core) is the BROWSER twauth opens; the person presses "Authorize app" or "Cancel" on
// the emulator's consent page and Chromium follows X's redirect to twauth's loopback server. The
// token pair goes to a real Secret Service (gnome-keyring on a private bus).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { pollUntil } from '../helpers/daemon.js';
import { repoRoot } from '../helpers/secret-service.js';
import { ANSI, SANDBOX_BROWSER, startSandbox, type Sandbox } from './support.js';

const ALICE = { username: 'sandbox_alice', id: '1000000001' };
const SCREENSHOTS = join(repoRoot, 'test-output', 'screenshots');

let sb: Sandbox;
let logDir: string;

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'real' });
  logDir = tempConfigDir('twauth-browser-log-');
});
afterAll(() => sb.stop());

/** BROWSER: real Chromium playing the person, logging each final page to `log`. */
function realBrowser(action: 'authorize' | 'cancel', log: string, shots: string): string {
  const script = join(repoRoot, 'test', 'helpers', 'browser-user.mjs');
  return `${process.execPath} ${script} --action ${action} --screenshot-dir ${shots} --log ${log}`;
}

interface BrowserLogEntry {
  finalUrl: string | null;
  status: number | null;
  title: string;
  h1: string | null;
  text: string;
  error?: string;
}

/** twauth does not wait for its BROWSER command: the log line appears when Chromium is done. */
async function browserLog(file: string): Promise<BrowserLogEntry> {
  const text = await pollUntil(
    async () => {
      const t = existsSync(file) ? readFileSync(file, 'utf8') : '';
      return t.trim() ? t : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100, what: `the browser log ${file}` },
  );
  const lines = text.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as BrowserLogEntry;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

function storedAccounts(): unknown[] {
  const file = join(sb.configDir, 'config.json');
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { accounts: unknown[] }).accounts;
}

/** The authorize URL, alone on its line of stderr. */
function authorizeUrlLine(stderr: string): string | undefined {
  const base = sb.emu.url.replace(/[.]/g, '\\.');
  return new RegExp(`^${base}/oauth/authorize\\?oauth_token=[A-Za-z0-9_-]+$`, 'm').exec(stderr)?.[0];
}

describe('login in a real browser (loopback route, real keychain)', () => {
  beforeEach(async () => {
    // Each test starts logged out: no metadata, no keychain entries.
    expect(storedAccounts()).toEqual([]);
    expect(await sb.secretService!.items()).toEqual([]);
  });

  it('authorize: stores the account in the keychain only; whoami then works from it', async () => {
    const log = join(logDir, 'authorize.jsonl');
    const r = await sb.tw(['login', '--port', '0'], {
      env: { BROWSER: realBrowser('authorize', log, join(SCREENSHOTS, 'login')) },
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(authorizeUrlLine(r.stderr), r.stderr).toBeDefined();
    expect(r.stderr).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expect(r.stderr).not.toMatch(ANSI);
    expect(r.stderr).not.toMatch(/warning|note:/); // the keychain answered: no file fallback

    // The browser ended on twauth's success page.
    const page = await browserLog(log);
    expect(page.error).toBeUndefined();
    expect(page.h1).toBe('You are logged in to twauth');
    expect(page.status).toBe(200);
    expect(page.finalUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/callback\?twauth_state=[A-Za-z0-9_-]{24}&oauth_token=[^&]+&oauth_verifier=/,
    );

    // Exactly one keychain entry (service "twauth") for this account, holding the secrets.
    const items = await sb.secretService!.items();
    expect(items).toHaveLength(1);
    expect(items[0]!.account).toBe(`${ALICE.id}:sandbox-consumer-key@${sb.emu.url}`);
    const secrets = JSON.parse(items[0]!.secret) as {
      consumerSecret: string;
      accessToken: string;
      accessTokenSecret: string;
    };
    expect(secrets.consumerSecret).toBe('sandbox-consumer-secret');
    expect(secrets.accessTokenSecret.length).toBeGreaterThan(8);
    sb.addSecret(secrets.accessTokenSecret);

    // The config dir holds metadata only: no secret (nor the access token) in any of its files.
    const files = filesUnder(sb.configDir);
    expect(files.map((f) => f.slice(sb.configDir.length + 1))).toContain('config.json');
    expect(files.some((f) => f.endsWith('credentials.json'))).toBe(false);
    for (const f of files) {
      const text = readFileSync(f, 'latin1');
      for (const s of [secrets.accessTokenSecret, secrets.accessToken, secrets.consumerSecret]) {
        expect(text.includes(s), `${f} contains a secret`).toBe(false);
      }
    }
    expect(storedAccounts()).toMatchObject([{ userId: ALICE.id, screenName: ALICE.username, store: 'keychain' }]);

    // whoami with no token in the environment reads the keychain.
    const who = await sb.tw(['whoami']);
    expect(who).toMatchObject({ code: 0, stdout: 'sandbox_alice\n', stderr: '' });
    const whoJson = await sb.tw(['whoami', '--json']);
    expect(whoJson.code, whoJson.stderr).toBe(0);
    expect(JSON.parse(whoJson.stdout)).toMatchObject({
      id: ALICE.id,
      username: ALICE.username,
      credential_source: 'keychain',
    });

    // Logging in again with --json: stdout is the account (no secret), still one keychain entry.
    const again = await sb.tw(['--json', 'login', '--port', '0'], { env: { BROWSER: SANDBOX_BROWSER } });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\) \(tokens replaced\)$/m);
    const account = JSON.parse(again.stdout) as Record<string, unknown>;
    expect(account).toEqual({
      username: ALICE.username,
      id: ALICE.id,
      app: 'sandbox-consumer-key',
      api_base: sb.emu.url,
      store: 'keychain',
      default: true,
    });
    const after = await sb.secretService!.items();
    expect(after).toHaveLength(1);
    const newSecrets = JSON.parse(after[0]!.secret) as { accessToken: string; accessTokenSecret: string };
    sb.addSecret(newSecrets.accessTokenSecret);
    for (const s of [newSecrets.accessTokenSecret, newSecrets.accessToken, 'sandbox-consumer-secret'])
      expect(again.stdout).not.toContain(s);
    expect(newSecrets.accessToken).not.toBe(secrets.accessToken);

    // Clean up for the next test: logout forgets the account and revokes the token at X.
    const out = await sb.tw(['logout', '--all']);
    expect(out.code, out.stderr).toBe(0);
  });

  it('cancel in the browser: exit 3, a clear message, nothing stored', async () => {
    const log = join(logDir, 'cancel.jsonl');
    const r = await sb.tw(['login', '--port', '0'], {
      env: { BROWSER: realBrowser('cancel', log, join(SCREENSHOTS, 'login-cancel')) },
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('');
    expect(authorizeUrlLine(r.stderr), r.stderr).toBeDefined();
    expect(r.stderr).toMatch(/^twauth: authorization was cancelled in the browser; nothing was stored$/m);
    expect(r.stderr).not.toMatch(/Logged in/);

    const page = await browserLog(log);
    expect(page.error).toBeUndefined();
    expect(page.h1).toBe('Login cancelled');
    expect(page.finalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?twauth_state=[A-Za-z0-9_-]{24}&denied=/);

    expect(storedAccounts()).toEqual([]);
    expect(await sb.secretService!.items()).toEqual([]);
    expect(filesUnder(sb.configDir).some((f) => f.endsWith('credentials.json'))).toBe(false);
    const who = await sb.tw(['whoami']);
    expect(who.code).toBe(4);
  });
});
