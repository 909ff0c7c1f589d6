// Issue 5: several stored accounts — login adds and replaces, accounts lists, switch and
// --account / TWAUTH_ACCOUNT pick, the credential precedence, and status. The built binary against
// the emulator, secrets in a real Secret Service (gnome-keyring on a private bus).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { tempConfigDir, type EnvPatch } from '../helpers/cli.js';
import { assertNoSecrets, SANDBOX_BROWSER, startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;

/** sb.tw: checks secrets and pipe-clean output (support.ts). */
const tw: Sandbox['tw'] = (args, opts) => sb.tw(args, opts);

interface LoggedIn {
  stderr: string;
  token: string;
  secret: string;
  /** The token pair as TWAUTH_ACCESS_TOKEN / _SECRET. */
  env: EnvPatch;
}

/** A full loopback login (the sandbox's headless person approves); its output is kept for checks. */
async function login(username: string, env: EnvPatch = {}): Promise<LoggedIn> {
  const r = await tw(['login', '--port', '0'], { env: { BROWSER: `${SANDBOX_BROWSER} --user ${username}`, ...env } });
  expect(r.code, `login as ${username}:\n${r.stderr}`).toBe(0);
  expect(r.stdout).toBe('');
  const t = await tw(['token', '--json', '--account', username], { env });
  expect(t.code, t.stderr).toBe(0);
  const c = JSON.parse(t.stdout) as { access_token: string; access_token_secret: string };
  sb.addSecret(c.access_token, c.access_token_secret);
  assertNoSecrets(r, sb.secrets(), `login as ${username}`); // checked now that its token is known
  return {
    stderr: r.stderr,
    token: c.access_token,
    secret: c.access_token_secret,
    env: { TWAUTH_ACCESS_TOKEN: c.access_token, TWAUTH_ACCESS_TOKEN_SECRET: c.access_token_secret },
  };
}

interface AccountRow {
  username: string;
  id: string;
  app: string;
  store: string;
  api_base: string;
  default: boolean;
}

async function accountsJson(env: EnvPatch = {}): Promise<AccountRow[]> {
  const r = await tw(['accounts', '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as AccountRow[];
}

async function whoami(args: string[] = [], env: EnvPatch = {}): Promise<{ username: string; source: string }> {
  const r = await tw([...args, 'whoami', '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout) as { username: string; credential_source: string };
  return { username: j.username, source: j.credential_source };
}

let alice: LoggedIn;
let bob: LoggedIn;

beforeAll(async () => {
  sb = await startSandbox();
  alice = await login('sandbox_alice');
  bob = await login('sandbox_bob');
});
afterAll(() => sb?.stop());

describe('two accounts', () => {
  it('the first login sets no note; the second says it is now the default', () => {
    expect(alice.stderr).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expect(alice.stderr).not.toMatch(/default/);
    expect(bob.stderr).toMatch(
      /Logged in as @sandbox_bob \(id 1000000002\); it is now the default account \(twauth switch changes that\)/,
    );
  });

  it('accounts --json: username, id, app, store, api_base, default', async () => {
    await tw(['switch', 'sandbox_bob']);
    const rows = await accountsJson();
    const common = { app: 'sandbox-consumer-key', store: 'keychain', api_base: sb.emu.url };
    expect(rows).toEqual([
      { username: 'sandbox_alice', id: '1000000001', ...common, default: false },
      { username: 'sandbox_bob', id: '1000000002', ...common, default: true },
    ]);
    for (const row of rows)
      expect(Object.keys(row).sort()).toEqual(['api_base', 'app', 'default', 'id', 'store', 'username']);
  });

  it('accounts: a table with the default starred, data on stdout only', async () => {
    await tw(['switch', 'sandbox_bob']);
    const r = await tw(['accounts']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\s+USERNAME\s+ID\s+APP\s+STORE\s+API$/);
    const url = sb.emu.url.replace(/[.]/g, '\\.');
    expect(lines[1]).toMatch(
      new RegExp(`^\\s+sandbox_alice\\s+1000000001\\s+sandbox-consumer-key\\s+keychain\\s+${url}$`),
    );
    expect(lines[2]).toMatch(
      new RegExp(`^\\*\\s+sandbox_bob\\s+1000000002\\s+sandbox-consumer-key\\s+keychain\\s+${url}$`),
    );
  });

  it('the secrets are in the Secret Service, one entry per account, none in config.json', async () => {
    const items = await sb.secretService!.items();
    expect(items.map((i) => i.account)).toEqual([
      `1000000001:sandbox-consumer-key@${sb.emu.url}`,
      `1000000002:sandbox-consumer-key@${sb.emu.url}`,
    ]);
    expect(JSON.parse(items[0]!.secret)).toEqual({
      consumerSecret: 'sandbox-consumer-secret',
      accessToken: alice.token,
      accessTokenSecret: alice.secret,
    });
    const config = await readFile(`${sb.configDir}/config.json`, 'utf8');
    for (const s of [alice.token, alice.secret, bob.token, bob.secret, 'sandbox-consumer-secret'])
      expect(config).not.toContain(s);
  });

  it('logging in again to the same account replaces its tokens without adding an account', async () => {
    const again = await login('sandbox_alice');
    expect(again.stderr).toMatch(/Logged in as @sandbox_alice \(id 1000000001\) \(tokens replaced\)/);
    expect(again.stderr).not.toMatch(/now the default/);
    expect(again.token).not.toBe(alice.token);
    expect(again.secret).not.toBe(alice.secret);
    const rows = await accountsJson();
    expect(rows.map((r) => r.username)).toEqual(['sandbox_alice', 'sandbox_bob']);
    // A login makes its account the default, also when it replaces one.
    expect(rows.find((r) => r.default)?.username).toBe('sandbox_alice');
    const items = await sb.secretService!.items();
    expect(items).toHaveLength(2);
    expect(JSON.parse(items[0]!.secret)).toMatchObject({ accessToken: again.token, accessTokenSecret: again.secret });
    // The stored (new) token works; the emulator, like X, still honours the replaced one: twauth
    // does not revoke it (it is no longer stored anywhere, so only X's app settings can).
    expect(await whoami()).toEqual({ username: 'sandbox_alice', source: 'keychain' });
    expect((await tw(['whoami'], { env: alice.env })).stdout).toBe('sandbox_alice\n');
    alice = again;
  });
});

describe('choosing the account', () => {
  it('switch NAME and switch ID set the default; nothing on stdout', async () => {
    const s1 = await tw(['switch', 'sandbox_alice']);
    expect(s1).toMatchObject({ code: 0, stdout: '' });
    expect(s1.stderr).toMatch(/default account is now @sandbox_alice \(id 1000000001, http:\/\/127\.0\.0\.1:\d+\)/);
    expect(await whoami()).toEqual({ username: 'sandbox_alice', source: 'keychain' });
    expect((await accountsJson()).find((r) => r.default)?.username).toBe('sandbox_alice');

    const s2 = await tw(['switch', '1000000002']);
    expect(s2).toMatchObject({ code: 0, stdout: '' });
    expect(s2.stderr).toMatch(/default account is now @sandbox_bob \(id 1000000002/);
    expect(await whoami()).toEqual({ username: 'sandbox_bob', source: 'keychain' });
    expect((await accountsJson()).map((r) => r.default)).toEqual([false, true]);

    // @name and any case are accepted too.
    expect((await tw(['switch', '@Sandbox_Alice'])).code).toBe(0);
    expect((await whoami()).username).toBe('sandbox_alice');
  });

  it('--account NAME|ID and TWAUTH_ACCOUNT pick an account for one run only', async () => {
    await tw(['switch', 'sandbox_bob']);
    expect(await whoami(['--account', 'sandbox_alice'])).toEqual({ username: 'sandbox_alice', source: 'keychain' });
    expect(await whoami(['--account', '1000000001'])).toEqual({ username: 'sandbox_alice', source: 'keychain' });
    expect(await whoami([], { TWAUTH_ACCOUNT: 'sandbox_alice' })).toEqual({
      username: 'sandbox_alice',
      source: 'keychain',
    });
    expect(await whoami([], { TWAUTH_ACCOUNT: '1000000001' })).toEqual({
      username: 'sandbox_alice',
      source: 'keychain',
    });
    // --account wins over TWAUTH_ACCOUNT.
    expect((await whoami(['--account', 'sandbox_bob'], { TWAUTH_ACCOUNT: 'sandbox_alice' })).username).toBe(
      'sandbox_bob',
    );
    // The option after the command works too.
    const after = await tw(['whoami', '--account', 'sandbox_alice']);
    expect(after.stdout).toBe('sandbox_alice\n');
    // None of that changed the default.
    expect((await whoami()).username).toBe('sandbox_bob');
    expect((await accountsJson()).find((r) => r.default)?.username).toBe('sandbox_bob');
  });

  it('an unknown account: exit 2, listing the known ones, nothing sent', async () => {
    const before = sb.emu.requests().length;
    const known = (from: string) =>
      new RegExp(
        `no stored account matches "nobody"${from}; known accounts: @sandbox_alice \\(1000000001\\), @sandbox_bob \\(1000000002\\)`,
      );
    // TWAUTH_ACCOUNT is named (issue 16): a variable set long ago is easily forgotten.
    for (const [args, env, from] of [
      [['--account', 'nobody', 'whoami'], {}, ''],
      [['whoami'], { TWAUTH_ACCOUNT: 'nobody' }, ' \\(from TWAUTH_ACCOUNT\\)'],
      [['switch', 'nobody'], {}, ''],
      [['--account', 'nobody', 'token'], {}, ''],
      [['--account', 'nobody', 'logout'], {}, ''],
    ] as const) {
      const r = await tw([...args], { env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(known(from));
    }
    expect(sb.emu.requests().length).toBe(before);
    expect((await accountsJson()).map((r) => r.username)).toEqual(['sandbox_alice', 'sandbox_bob']);
  });

  it('precedence: --account > TWAUTH_ACCESS_TOKEN > TWAUTH_ACCOUNT > the default', async () => {
    await tw(['switch', 'sandbox_bob']);
    const carol = sb.issue('sandbox_carol');
    // The environment's token pair beats the default account…
    expect(await whoami([], carol.env)).toEqual({ username: 'sandbox_carol', source: 'environment' });
    // …and TWAUTH_ACCOUNT…
    expect(await whoami([], { ...carol.env, TWAUTH_ACCOUNT: 'sandbox_alice' })).toEqual({
      username: 'sandbox_carol',
      source: 'environment',
    });
    // …but not an explicit --account.
    expect(await whoami(['--account', 'sandbox_alice'], carol.env)).toEqual({
      username: 'sandbox_alice',
      source: 'keychain',
    });
    expect(await whoami(['--account', '1000000001'], { ...carol.env, TWAUTH_ACCOUNT: 'sandbox_bob' })).toEqual({
      username: 'sandbox_alice',
      source: 'keychain',
    });
    // Without any of them: the default.
    expect(await whoami()).toEqual({ username: 'sandbox_bob', source: 'keychain' });
  });
});

describe('status', () => {
  it('all valid: exit 0, a table, and --json', async () => {
    await tw(['switch', 'sandbox_bob']);
    const r = await tw(['status']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+USERNAME\s+ID\s+STATE\s+ACCESS\s+DETAIL$/);
    expect(lines[1]).toMatch(/^\s+sandbox_alice\s+1000000001\s+valid\s+read-write\s+ok$/);
    expect(lines[2]).toMatch(/^\*\s+sandbox_bob\s+1000000002\s+valid\s+read-write\s+ok$/);
    const j = await tw(['status', '--json']);
    expect(j.code).toBe(0);
    const common = {
      app: 'sandbox-consumer-key',
      api_base: sb.emu.url,
      store: 'keychain',
      state: 'valid',
      access: 'read-write',
      detail: 'ok',
    };
    expect(JSON.parse(j.stdout)).toEqual([
      { username: 'sandbox_alice', id: '1000000001', ...common, default: false },
      { username: 'sandbox_bob', id: '1000000002', ...common, default: true },
    ]);
  });

  it('one revoked: exit 4 and that row says revoked', async () => {
    expect(sb.emu.revokeAccessToken(alice.token)).toBe(true);
    try {
      const r = await tw(['status']);
      expect(r.code).toBe(4);
      expect(r.stdout).toMatch(
        /^\s+sandbox_alice\s+1000000001\s+revoked\s+-\s+X rejected the token \(code 89\): run twauth login$/m,
      );
      expect(r.stdout).toMatch(/^\*\s+sandbox_bob\s+1000000002\s+valid\s+read-write\s+ok$/m);
      const j = await tw(['status', '--json']);
      expect(j.code).toBe(4);
      const rows = JSON.parse(j.stdout) as { username: string; state: string; detail: string }[];
      expect(rows.map((x) => [x.username, x.state])).toEqual([
        ['sandbox_alice', 'revoked'],
        ['sandbox_bob', 'valid'],
      ]);
      expect(rows[0]!.detail).toMatch(/code 89/);
      // The revoked account is still stored: status only reports.
      expect((await accountsJson()).map((x) => x.username)).toEqual(['sandbox_alice', 'sandbox_bob']);
    } finally {
      alice = await login('sandbox_alice'); // a fresh token for the tests after this one
      await tw(['switch', 'sandbox_bob']);
    }
    expect((await tw(['status'])).code).toBe(0);
  });

  it('X answering 503: every row unreachable, exit 7', async () => {
    sb.emu.setFaults({ paths: ['/2/users/me'], status503: { next: 1000 } });
    try {
      const r = await tw(['status']);
      expect(r.code).toBe(7);
      expect(r.stdout).toMatch(/^\s+sandbox_alice\s+1000000001\s+unreachable\s+-\s+HTTP 503$/m);
      expect(r.stdout).toMatch(/^\*\s+sandbox_bob\s+1000000002\s+unreachable\s+-\s+HTTP 503$/m);
      const j = await tw(['status', '--json']);
      expect(j.code).toBe(7);
      expect((JSON.parse(j.stdout) as { state: string }[]).map((x) => x.state)).toEqual(['unreachable', 'unreachable']);
    } finally {
      sb.emu.setFaults({});
    }
  });

  it('an account whose API is gone: unreachable (exit 7); with a revoked one too, exit 4', async () => {
    // A second config dir: one account at this emulator, one at a second emulator that then stops.
    // Each account keeps its own API base; TWAUTH_API_BASE does not redirect status's checks.
    const emu2 = await startEmulator();
    const dir = `${tempConfigDir('twauth-e2e-status-')}/config`;
    try {
      const env = { TWAUTH_CONFIG_DIR: dir };
      const carol = await login('sandbox_carol', env);
      await login('sandbox_bob', { ...env, TWAUTH_API_BASE: emu2.url });
      expect((await accountsJson(env)).map((x) => [x.username, x.api_base])).toEqual([
        ['sandbox_carol', sb.emu.url],
        ['sandbox_bob', emu2.url],
      ]);
      expect((await tw(['status'], { env })).code).toBe(0);
      await emu2.close();
      const r = await tw(['status', '--json'], { env });
      expect(r.code).toBe(7);
      const rows = JSON.parse(r.stdout) as { username: string; api_base: string; state: string; detail: string }[];
      expect(rows.map((x) => [x.username, x.state])).toEqual([
        ['sandbox_carol', 'valid'],
        ['sandbox_bob', 'unreachable'],
      ]);
      expect(rows[1]!.detail).toMatch(/ECONNREFUSED|refused|connect/i);
      const table = await tw(['status'], { env });
      expect(table.code).toBe(7);
      expect(table.stdout).toMatch(/^\*\s+sandbox_bob\s+1000000002\s+unreachable\s+\S/m);
      // Revoked beats unreachable: the person has something to do.
      sb.emu.revokeAccessToken(carol.token);
      const both = await tw(['status'], { env });
      expect(both.code).toBe(4);
      expect(both.stdout).toMatch(/sandbox_carol\s+1000000003\s+revoked/);
      expect(both.stdout).toMatch(/sandbox_bob\s+1000000002\s+unreachable/);
    } finally {
      await emu2.close();
    }
  });

  it('no stored account: exit 4, run twauth login', async () => {
    const env = { TWAUTH_CONFIG_DIR: `${tempConfigDir('twauth-e2e-empty-')}/config` };
    const r = await tw(['status'], { env });
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toMatch(/no stored accounts, and no TWAUTH_ACCESS_TOKEN: run twauth login/);
    const a = await tw(['accounts'], { env });
    expect(a).toMatchObject({ code: 0, stdout: '' });
    expect(a.stderr).toMatch(/no stored accounts: run twauth login/);
    expect(await accountsJson(env)).toEqual([]);
  });
});
