// Issue 14: --json on every command that prints anything, one documented shape per command
// (README "JSON output"), and under --json an error is one JSON object on stderr with the same
// exit code as without --json. Through the built binary, against the emulator, file store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandSpec, GroupSpec } from '../../src/cli/command-spec.js';
import { COMMANDS } from '../../src/cli/registry.js';
import { SANDBOX_BROWSER, startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
});
afterAll(() => sb.stop());

const ACCOUNT_KEYS = ['api_base', 'app', 'default', 'id', 'store', 'username'];

/** The one JSON object an error is under --json, and nothing else on stderr. */
function jsonError(stderr: string): {
  message: string;
  exit_code: number;
  hint: string | null;
  x?: Record<string, unknown>;
} {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  const parsed = JSON.parse(lines[0]!) as { error: { message: string; exit_code: number; hint: string | null } };
  expect(Object.keys(parsed)).toEqual(['error']);
  return parsed.error;
}

describe('every command that prints declares what --json prints', () => {
  it('each declaration has a json field, except the groups', () => {
    const all: readonly (CommandSpec | GroupSpec)[] = COMMANDS;
    const missing = all.filter((c) => !('group' in c) && !c.json).map((c) => c.name);
    expect(missing).toEqual([]);
  });
});

describe('--json shapes', () => {
  it('login, accounts, switch, status, logout: the accounts affected, [] when none', async () => {
    const none = { ...sb.env, TWAUTH_CONFIG_DIR: `${sb.configDir}-empty` };
    // No account yet: status and logout print [] and exit 4, as without --json; accounts exits 0.
    const status0 = await sb.tw(['status', '--json'], { env: none });
    expect([status0.code, status0.stdout.trim()]).toEqual([4, '[]']);
    expect(jsonError(status0.stderr)).toEqual({
      message: 'no stored accounts, and no TWAUTH_ACCESS_TOKEN: run twauth login',
      exit_code: 4,
      hint: null,
    });
    const logout0 = await sb.tw(['logout', '--json'], { env: none });
    expect([logout0.code, logout0.stdout.trim()]).toEqual([4, '[]']);
    expect(jsonError(logout0.stderr).exit_code).toBe(4);
    expect((await sb.tw(['logout'], { env: none })).code).toBe(4);
    const accounts0 = await sb.tw(['accounts', '--json'], { env: none });
    expect([accounts0.code, accounts0.stdout.trim()]).toEqual([0, '[]']);

    for (const user of ['sandbox_alice', 'sandbox_bob']) {
      const r = await sb.tw(['login', '--port', '0', '--json'], {
        env: { BROWSER: `${SANDBOX_BROWSER} --user ${user}` },
      });
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(Object.keys(j).sort()).toEqual(ACCOUNT_KEYS);
      expect(j).toMatchObject({ username: user, store: 'file', default: true });
    }
    const accounts = JSON.parse((await sb.tw(['accounts', '--json'])).stdout);
    expect(accounts.map((a: { username: string; default: boolean }) => [a.username, a.default])).toEqual([
      ['sandbox_alice', false],
      ['sandbox_bob', true],
    ]);

    const sw = await sb.tw(['switch', 'sandbox_alice', '--json']);
    expect(sw.code, sw.stderr).toBe(0);
    expect(JSON.parse(sw.stdout)).toEqual({ ...accounts[0], default: true });

    const status = await sb.tw(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const rows = JSON.parse(status.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => [r.username, r.state])).toEqual([
      ['sandbox_alice', 'valid'],
      ['sandbox_bob', 'valid'],
    ]);
    expect(Object.keys(rows[0]!).sort()).toEqual([...ACCOUNT_KEYS, 'access', 'detail', 'state'].sort());

    const out = await sb.tw(['logout', 'sandbox_bob', '--local-only', '--json']);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual([{ ...accounts[1], default: false, revoked: false }]);
  });

  it('whoami, tweet, tweet --dry-run, api, sign, token', async () => {
    const alice = sb.issue('sandbox_alice');
    const as = { env: alice.env };
    expect(Object.keys(JSON.parse((await sb.tw(['whoami', '--json'], as)).stdout))).toContain('credential_source');
    const tweet = JSON.parse((await sb.tw(['tweet', '--json', 'json shape'], as)).stdout);
    expect(tweet).toMatchObject({ text: 'json shape' });
    expect(tweet.id).toMatch(/^\d+$/);
    const dry = JSON.parse((await sb.tw(['tweet', '--json', '--dry-run', 'dry'], as)).stdout);
    expect(Object.keys(dry).sort()).toEqual(['body', 'headers', 'max_length', 'method', 'url', 'weighted_length']);
    expect(JSON.parse((await sb.tw(['api', '--json', '/2/users/me'], as)).stdout).data.username).toBe('sandbox_alice');

    const url = `${sb.emu.url}/2/users/me?user.fields=id`;
    const sign = await sb.tw(['sign', '--json', 'get', url], as);
    expect(sign.code, sign.stderr).toBe(0);
    const signed = JSON.parse(sign.stdout);
    expect(Object.keys(signed)).toEqual(['authorization', 'method', 'url']);
    expect(signed).toMatchObject({ method: 'GET', url });
    expect(signed.authorization).toMatch(/^OAuth oauth_consumer_key="/);
    const curl = JSON.parse((await sb.tw(['sign', '--json', '--curl', 'GET', url], as)).stdout);
    expect(Object.keys(curl)).toEqual(['authorization', 'method', 'url', 'curl']);
    expect(curl.curl).toMatch(/^curl -sS -X GET -H 'Authorization: OAuth /);

    const token = JSON.parse((await sb.tw(['token', '--json'], as)).stdout);
    expect(Object.keys(token)).toEqual([
      'consumer_key',
      'consumer_secret',
      'access_token',
      'access_token_secret',
      'user_id',
      'screen_name',
      'api_base',
    ]);
  });

  it('exit-codes, completion, doctor', async () => {
    const codes = await sb.tw(['exit-codes', '--json']);
    expect(JSON.parse(codes.stdout).map((c: { code: number }) => c.code)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 129, 130, 143,
    ]);
    expect(JSON.parse(codes.stdout)[2]).toEqual({ code: 2, meaning: 'usage or invalid input; nothing was sent' });
    const completion = JSON.parse((await sb.tw(['completion', 'bash', '--json'])).stdout);
    expect(completion.shell).toBe('bash');
    expect(completion.script).toBe((await sb.tw(['completion', 'bash'])).stdout);
    const doctor = await sb.tw(['doctor', '--json'], { env: sb.issue('sandbox_alice').env });
    expect(Object.keys(JSON.parse(doctor.stdout))).toEqual(['api_base', 'checks']);
  });

  it('environment: every variable the help names, whether set, never a value', async () => {
    const help = (await sb.tw(['environment'])).stdout;
    const r = await sb.tw(['environment', '--json'], {
      env: { TWAUTH_CONSUMER_SECRET: 'not-to-be-printed', NO_COLOR: undefined },
    });
    const vars = JSON.parse(r.stdout) as { name: string; set: boolean }[];
    for (const v of vars) expect(help, v.name).toContain(v.name);
    expect(vars.find((v) => v.name === 'TWAUTH_CONSUMER_SECRET')).toEqual({
      name: 'TWAUTH_CONSUMER_SECRET',
      set: true,
    });
    expect(vars.find((v) => v.name === 'NO_COLOR')).toEqual({ name: 'NO_COLOR', set: false });
    expect(r.stdout).not.toContain('not-to-be-printed');
  });

  it('sandbox run: the environment as one JSON line', async () => {
    const p = sb.spawn(['sandbox', '--json', '--port', '0']);
    try {
      // Stopped as soon as its address is out: it listens for signals from before printing it.
      const line = (await p.waitForStdout(/\n/)).trim();
      const vars = JSON.parse(line);
      expect(Object.keys(vars)).toEqual(['api_base', 'consumer_key', 'consumer_secret']);
      expect(vars.api_base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      p.kill('SIGTERM');
      expect((await p.exit).code).toBe(0);
    }
  });
});

describe('sandbox approve --json', () => {
  it('{"pressed", "pin", "callback_status"}: a loopback login, then a PIN login', async () => {
    const configDir = `${sb.configDir}-approve`;
    const loopback = sb.spawn(['login', '--no-browser', '--port', '0'], { env: { TWAUTH_CONFIG_DIR: configDir } });
    const url = /(http:\/\/\S+\/oauth\/authorize\?oauth_token=\S+)\n/.exec(
      await loopback.waitForStderr(/oauth_token=\S+\n/),
    )![1]!;
    const approved = await sb.tw(['sandbox', 'approve', '--json', url]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toEqual({ pressed: 'authorize', pin: null, callback_status: 200 });
    expect((await loopback.exit).code).toBe(0);

    const pin = sb.spawn(['login', '--pin', '--no-browser'], { env: { TWAUTH_CONFIG_DIR: configDir } });
    const pinUrl = /(http:\/\/\S+\/oauth\/authorize\?oauth_token=\S+)\n/.exec(
      await pin.waitForStderr(/oauth_token=\S+\n/),
    )![1]!;
    const shown = await sb.tw(['sandbox', 'approve', '--json', pinUrl]);
    const j = JSON.parse(shown.stdout);
    expect(j).toMatchObject({ pressed: 'authorize', callback_status: null });
    expect(j.pin).toMatch(/^\d+$/);
    pin.end(`${j.pin}\n`);
    expect((await pin.exit).code).toBe(0);
  });
});

describe('errors under --json: one object on stderr, the same exit code', () => {
  it.each([
    [['switch', ''], 2],
    [['tweet', '--reply-to', 'x', 'hi'], 2],
    [['whoami', '--bogus'], 2],
    [['nosuchcommand'], 2],
    [['completion', 'tcsh'], 2],
  ])('%j', async (args, code) => {
    const plain = await sb.tw(args as string[]);
    const json = await sb.tw([...(args as string[]), '--json']);
    expect([plain.code, json.code]).toEqual([code, code]);
    expect(json.stdout).toBe('');
    const e = jsonError(json.stderr);
    expect(e.exit_code).toBe(code);
    // The same message as the text (which is prefixed "twauth: ").
    expect(plain.stderr).toContain(e.message);
    expect(e).not.toHaveProperty('x');
  });

  it('no command: exit 2, the object instead of the help', async () => {
    const r = await sb.tw(['--json']);
    expect(r.code).toBe(2);
    expect(jsonError(r.stderr)).toEqual({ message: 'no command given', exit_code: 2, hint: 'see "twauth --help"' });
  });

  it('not logged in: exit 4', async () => {
    const r = await sb.tw(['whoami', '--json'], { env: { TWAUTH_CONFIG_DIR: `${sb.configDir}-nobody` } });
    expect(r.code).toBe(4);
    expect(jsonError(r.stderr)).toMatchObject({ exit_code: 4, message: expect.stringMatching(/^not logged in/) });
  });

  it('X answered: "x" carries its status, code, title, detail, type', async () => {
    const bob = sb.issue('sandbox_bob');
    sb.emu.revokeAccessToken(bob.token);
    const plain = await sb.tw(['whoami'], { env: bob.env });
    const r = await sb.tw(['whoami', '--json'], { env: bob.env });
    expect([plain.code, r.code]).toEqual([4, 4]);
    const e = jsonError(r.stderr);
    expect(e.x).toMatchObject({ status: 401, code: 89 });
    expect(Object.keys(e.x!).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
  });
});
