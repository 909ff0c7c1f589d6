// Issue 5: logout revokes at X (POST /1.1/oauth/invalidate_token) and then forgets, in the metadata
// and in the real Secret Service; --all; --local-only forgets without revoking; and when X cannot
// be reached the account is kept and the exit status says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvPatch } from '../helpers/cli.js';
import { assertNoSecrets, SANDBOX_BROWSER, startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;

/** sb.tw: checks secrets and pipe-clean output (support.ts). */
const tw: Sandbox['tw'] = (args, opts) => sb.tw(args, opts);

interface LoggedIn {
  token: string;
  secret: string;
  key: string;
  env: EnvPatch;
}

const IDS: Record<string, string> = {
  sandbox_alice: '1000000001',
  sandbox_bob: '1000000002',
  sandbox_carol: '1000000003',
};

async function login(username: string): Promise<LoggedIn> {
  const r = await tw(['login', '--port', '0'], { env: { BROWSER: `${SANDBOX_BROWSER} --user ${username}` } });
  expect(r.code, `login as ${username}:\n${r.stderr}`).toBe(0);
  const t = await tw(['token', '--json', '--account', username]);
  expect(t.code, t.stderr).toBe(0);
  const c = JSON.parse(t.stdout) as { access_token: string; access_token_secret: string };
  sb.addSecret(c.access_token, c.access_token_secret);
  assertNoSecrets(r, sb.secrets(), `login as ${username}`);
  return {
    token: c.access_token,
    secret: c.access_token_secret,
    key: `${IDS[username]}:sandbox-consumer-key@${sb.emu.url}`,
    env: { TWAUTH_ACCESS_TOKEN: c.access_token, TWAUTH_ACCESS_TOKEN_SECRET: c.access_token_secret },
  };
}

async function stored(): Promise<string[]> {
  const r = await tw(['accounts', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { username: string }[]).map((a) => a.username);
}

async function keychainKeys(): Promise<string[]> {
  return (await sb.secretService!.items()).map((i) => i.account);
}

/** Whether the emulator still honours a token pair: a signed v1.1 call with it from the environment. */
async function tokenWorks(who: LoggedIn): Promise<boolean> {
  const r = await tw(['api', '/1.1/account/verify_credentials.json'], { env: who.env });
  if (r.code === 0) return true;
  expect(r.code, r.stderr).toBe(4);
  // X's answer for a revoked token: 401 with code 89, printed as the body.
  expect(JSON.parse(r.stdout)).toMatchObject({ errors: [{ code: 89 }] });
  expect(r.stderr).toMatch(/code 89/);
  return false;
}

/** Logs out every stored account locally, so each test starts from nothing. */
async function reset(): Promise<void> {
  sb.emu.setFaults({});
  await tw(['logout', '--all', '--local-only']);
  expect(await stored()).toEqual([]);
  expect(await keychainKeys()).toEqual([]);
}

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb?.stop());

describe('logout', { timeout: 120_000 }, () => {
  it('revokes the token at X, then forgets the account in the metadata and the keychain', async () => {
    await reset();
    const alice = await login('sandbox_alice');
    const bob = await login('sandbox_bob'); // the default now
    expect(await keychainKeys()).toEqual([alice.key, bob.key].sort());
    const before = sb.emu.requests().filter((r) => r.path === '/1.1/oauth/invalidate_token').length;

    const r = await tw(['logout']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/Logged out @sandbox_bob \(id 1000000002\); the token is revoked/);
    const calls = sb.emu.requests().filter((x) => x.path === '/1.1/oauth/invalidate_token');
    expect(calls.length).toBe(before + 1);
    expect(calls.at(-1)).toMatchObject({ method: 'POST', status: 200 });

    expect(await tokenWorks(bob)).toBe(false); // 401 code 89 at the emulator
    expect(await stored()).toEqual(['sandbox_alice']);
    expect(await keychainKeys()).toEqual([alice.key]);
    // Alice is untouched, and is the default now.
    expect(await tokenWorks(alice)).toBe(true);
    const who = await tw(['whoami']);
    expect(who.stdout).toBe('sandbox_alice\n');
    // The logged-out account cannot be used any more.
    const gone = await tw(['--account', 'sandbox_bob', 'whoami']);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(
      /no stored account matches "sandbox_bob"; known accounts: @sandbox_alice \(1000000001\)/,
    );
  });

  it('--account logs out that account only', async () => {
    await reset();
    const alice = await login('sandbox_alice');
    const bob = await login('sandbox_bob');
    const r = await tw(['logout', '--account', 'sandbox_alice']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Logged out @sandbox_alice/);
    expect(await stored()).toEqual(['sandbox_bob']);
    expect(await keychainKeys()).toEqual([bob.key]);
    expect(await tokenWorks(alice)).toBe(false);
    expect(await tokenWorks(bob)).toBe(true);
  });

  it('--all revokes and forgets every account', async () => {
    await reset();
    const all = [await login('sandbox_alice'), await login('sandbox_bob'), await login('sandbox_carol')];
    expect(await keychainKeys()).toHaveLength(3);
    const r = await tw(['logout', '--all']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    for (const name of ['sandbox_alice', 'sandbox_bob', 'sandbox_carol'])
      expect(r.stderr).toMatch(new RegExp(`Logged out @${name} \\(id \\d+\\); the token is revoked`));
    expect(await stored()).toEqual([]);
    expect(await keychainKeys()).toEqual([]);
    for (const who of all) expect(await tokenWorks(who)).toBe(false);
    const w = await tw(['whoami']);
    expect(w.code).toBe(4);
    expect(w.stderr).toMatch(/run twauth login/);
  });

  it('--local-only forgets without revoking: the old token still works at X', async () => {
    await reset();
    const alice = await login('sandbox_alice');
    const before = sb.emu.requests().length;
    const r = await tw(['logout', '--local-only']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/Logged out @sandbox_alice \(id 1000000001\) locally; the token was not revoked at X/);
    expect(sb.emu.requests().length).toBe(before); // nothing sent at all
    expect(await stored()).toEqual([]);
    expect(await keychainKeys()).toEqual([]);
    expect(await tokenWorks(alice)).toBe(true);
    sb.emu.revokeAccessToken(alice.token);
  });

  it('X answering 503 to invalidate_token: the account is kept, exit 7 naming --local-only', async () => {
    await reset();
    const alice = await login('sandbox_alice');
    sb.emu.setFaults({ paths: ['/1.1/oauth/invalidate_token'], status503: { next: 1000 } });
    try {
      const r = await tw(['logout']);
      expect(r.code).toBe(7);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /could not revoke @sandbox_alice's token at X \(HTTP 503\); kept it\. Try again, or use --local-only to just forget it/,
      );
      expect(r.stderr).not.toMatch(/Logged out/);
    } finally {
      sb.emu.setFaults({});
    }
    expect(await stored()).toEqual(['sandbox_alice']);
    expect(await keychainKeys()).toEqual([alice.key]);
    expect(await tokenWorks(alice)).toBe(true);
    expect((await tw(['whoami'])).stdout).toBe('sandbox_alice\n');
    // Once X answers again, logout works.
    const again = await tw(['logout']);
    expect(again.code, again.stderr).toBe(0);
    expect(await tokenWorks(alice)).toBe(false);
    expect(await stored()).toEqual([]);
  });

  it('the connection reset at invalidate_token: kept, non-zero, names --local-only; --local-only then forgets', async () => {
    await reset();
    const alice = await login('sandbox_alice');
    sb.emu.setFaults({ paths: ['/1.1/oauth/invalidate_token'], reset: { next: 1000 } });
    try {
      const r = await tw(['logout']);
      expect(r.code).toBe(7);
      expect(r.stderr).toMatch(/could not revoke @sandbox_alice's token at X \(.+\); kept it.*--local-only/);
      expect(await stored()).toEqual(['sandbox_alice']);
      expect(await keychainKeys()).toEqual([alice.key]);
      const local = await tw(['logout', '--local-only']);
      expect(local.code, local.stderr).toBe(0);
      expect(await stored()).toEqual([]);
      expect(await keychainKeys()).toEqual([]);
    } finally {
      sb.emu.setFaults({});
    }
    expect(await tokenWorks(alice)).toBe(true);
    sb.emu.revokeAccessToken(alice.token);
  });

  it('--all while X is unreachable keeps every account and exits non-zero', async () => {
    await reset();
    await login('sandbox_alice');
    await login('sandbox_bob');
    sb.emu.setFaults({ paths: ['/1.1/oauth/invalidate_token'], status503: { next: 1000 } });
    try {
      const r = await tw(['logout', '--all']);
      expect(r.code).toBe(7);
      expect(r.stderr.match(/--local-only/g)).toHaveLength(2);
    } finally {
      sb.emu.setFaults({});
    }
    expect(await stored()).toEqual(['sandbox_alice', 'sandbox_bob']);
    expect(await keychainKeys()).toHaveLength(2);
  });

  it('a token X already refuses counts as revoked: the account is forgotten', async () => {
    await reset();
    const alice = await login('sandbox_alice');
    sb.emu.revokeAccessToken(alice.token);
    const r = await tw(['logout']);
    expect(r.code, r.stderr).toBe(0);
    expect(await stored()).toEqual([]);
    expect(await keychainKeys()).toEqual([]);
  });

  it('nothing stored: exit 4', async () => {
    await reset();
    const r = await tw(['logout']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/no stored account to log out of/);
    expect((await tw(['logout', '--all'])).code).toBe(4);
  });
});
