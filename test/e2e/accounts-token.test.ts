// Issue 5: `twauth token` (the only command that prints secrets) and `twauth login --with-token`
// (provisioning from its output), round trips through a real shell, against the emulator with a
// real Secret Service.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTwauth, tempConfigDir, twauthEnv, type EnvPatch, type TwauthResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';
import { startInTmux } from '../helpers/tmux.js';
import { assertNoSecrets, SANDBOX_BROWSER, startSandbox, TWAUTH, type Sandbox, twauthBinDir } from './support.js';

// The emulator runs in this process: child processes are awaited, never run synchronously.
const exec = promisify(execFile);

let sb: Sandbox;
let binDir: string;

/** sb.tw: checks secrets and pipe-clean output (support.ts). */
const tw: Sandbox['tw'] = (args, opts) => sb.tw(args, opts);

/** An environment with a fresh, empty config dir and no app or API base: only what is piped in counts. */
function freshEnv(): EnvPatch {
  return {
    TWAUTH_CONFIG_DIR: join(tempConfigDir('twauth-e2e-fresh-'), 'config'),
    TWAUTH_CONSUMER_KEY: undefined,
    TWAUTH_CONSUMER_SECRET: undefined,
    TWAUTH_API_BASE: undefined,
  };
}

/** bash -c SCRIPT with the sandbox's environment (plus `patch`) and `twauth` on PATH. */
async function bash(script: string, patch: EnvPatch = {}, args: string[] = []): Promise<TwauthResult> {
  const env = twauthEnv({ ...sb.env, ...patch });
  env.PATH = `${binDir}:${env.PATH}`;
  try {
    const r = await exec('bash', ['-c', script, 'bash', ...args], { env, cwd: repoRoot, timeout: 30_000 });
    return { code: 0, signal: null, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; signal?: string | null; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      signal: e.signal ?? null,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

interface Creds {
  consumer_key: string;
  consumer_secret: string;
  access_token: string;
  access_token_secret: string;
  user_id: string | null;
  screen_name: string | null;
  api_base: string;
}

let alice: Creds;

async function accounts(
  env: EnvPatch,
): Promise<{ username: string; id: string; store: string; api_base: string; default: boolean }[]> {
  const r = await tw(['accounts', '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const meCalls = () => sb.emu.requests().filter((r) => r.path === '/2/users/me').length;

beforeAll(async () => {
  sb = await startSandbox();
  binDir = await twauthBinDir();
  const login = await tw(['login', '--port', '0'], { env: { BROWSER: `${SANDBOX_BROWSER} --user sandbox_alice` } });
  expect(login.code, login.stderr).toBe(0);
  const t = await tw(['token', '--json']);
  alice = JSON.parse(t.stdout) as Creds;
  sb.addSecret(alice.access_token, alice.access_token_secret);
  assertNoSecrets(login, sb.secrets(), 'login');
});
afterAll(() => sb?.stop());

describe('token', () => {
  it('--json: the stored account, all fields, nothing on stderr', async () => {
    const r = await tw(['token', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const c = JSON.parse(r.stdout) as Creds;
    expect(Object.keys(c)).toEqual([
      'consumer_key',
      'consumer_secret',
      'access_token',
      'access_token_secret',
      'user_id',
      'screen_name',
      'api_base',
    ]);
    expect(c).toMatchObject({
      consumer_key: 'sandbox-consumer-key',
      consumer_secret: 'sandbox-consumer-secret',
      user_id: '1000000001',
      screen_name: 'sandbox_alice',
      api_base: sb.emu.url,
    });
    // The same pair the keychain holds, and one the emulator honours.
    const [item] = await sb.secretService!.items();
    expect(JSON.parse(item!.secret)).toEqual({
      consumerSecret: c.consumer_secret,
      accessToken: c.access_token,
      accessTokenSecret: c.access_token_secret,
    });
    const me = await tw(['whoami'], {
      env: { TWAUTH_ACCESS_TOKEN: c.access_token, TWAUTH_ACCESS_TOKEN_SECRET: c.access_token_secret },
    });
    expect(me.stdout).toBe('sandbox_alice\n');
  });

  it("--env: export lines; eval'd into another command's environment, whoami works without any stored account", async () => {
    const r = await tw(['token', '--env']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'export TWAUTH_CONSUMER_KEY=sandbox-consumer-key',
      'export TWAUTH_CONSUMER_SECRET=sandbox-consumer-secret',
      `export TWAUTH_ACCESS_TOKEN=${alice.access_token}`,
      `export TWAUTH_ACCESS_TOKEN_SECRET=${alice.access_token_secret}`,
      'export TWAUTH_USER_ID=1000000001',
      'export TWAUTH_SCREEN_NAME=sandbox_alice',
      `export TWAUTH_API_BASE=${sb.emu.url}`,
    ]);
    // Plain `token` prints the same lines.
    expect((await tw(['token'])).stdout).toBe(r.stdout);

    // A clean shell: a fresh config dir with no accounts, no app, no API base, no keychain.
    const dir = tempConfigDir('twauth-e2e-envfile-');
    await writeFile(join(dir, 'creds.env'), r.stdout, { mode: 0o600 });
    const fresh = { ...freshEnv(), DBUS_SESSION_BUS_ADDRESS: undefined };
    const run = await bash('eval "$(cat "$1")" && twauth whoami --json && twauth accounts --json', fresh, [
      join(dir, 'creds.env'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    assertNoSecrets(run, sb.secrets(), "whoami with eval'd credentials");
    const [who, ...list] = run.stdout.trim().split('\n');
    expect(JSON.parse(who!)).toMatchObject({
      id: '1000000001',
      username: 'sandbox_alice',
      credential_source: 'environment',
    });
    expect(JSON.parse(list.join('\n'))).toEqual([]); // nothing was stored by using them
    // The README's form, through a real pipe: `. ./ci-credentials.env && twauth whoami`.
    const dotted = await bash('. "$1" && twauth whoami', fresh, [join(dir, 'creds.env')]);
    expect(dotted).toMatchObject({ code: 0, stdout: 'sandbox_alice\n' });
  });

  it('--env quotes values so that the shell gives them back exactly', async () => {
    const odd = {
      TWAUTH_CONSUMER_KEY: 'key with space',
      TWAUTH_CONSUMER_SECRET: `it's "$HOME" \`id\` \\ ; & | *`,
      TWAUTH_ACCESS_TOKEN: 'tok$en',
      TWAUTH_ACCESS_TOKEN_SECRET: "sec'ret\nline",
    };
    const r = await runTwauth(['token', '--env'], { env: { ...sb.env, ...odd } });
    expect(r.code, r.stderr).toBe(0);
    const back = await bash(
      'eval "$1" && printf "%s\\0" "$TWAUTH_CONSUMER_KEY" "$TWAUTH_CONSUMER_SECRET" "$TWAUTH_ACCESS_TOKEN" "$TWAUTH_ACCESS_TOKEN_SECRET"',
      {},
      [r.stdout],
    );
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout.split('\0').slice(0, 4)).toEqual([
      odd.TWAUTH_CONSUMER_KEY,
      odd.TWAUTH_CONSUMER_SECRET,
      odd.TWAUTH_ACCESS_TOKEN,
      odd.TWAUTH_ACCESS_TOKEN_SECRET,
    ]);
  });

  it('is the only command whose output contains the secrets', async () => {
    const secrets = [alice.consumer_secret, alice.access_token, alice.access_token_secret];
    for (const args of [['token'], ['token', '--json'], ['token', '--env']]) {
      const r = await runTwauth(args, { env: sb.env });
      expect(r.code).toBe(0);
      for (const s of secrets) expect(r.stdout, `twauth ${args.join(' ')} prints ${s.slice(0, 4)}…`).toContain(s);
      expect(r.stderr).toBe('');
    }
    // Everything else: never (sb.tw checks every run; these say so explicitly).
    const others = [
      ['whoami'],
      ['whoami', '--json'],
      ['--verbose', 'whoami'],
      ['accounts'],
      ['accounts', '--json'],
      ['status'],
      ['status', '--json'],
      ['--verbose', 'status'],
      ['api', '/2/users/me'],
      ['--verbose', 'api', '-q', 'a=b', '/1.1/account/verify_credentials.json'],
      ['tweet', '--dry-run', 'dry'],
      ['--verbose', 'tweet', 'posted for real'],
      ['switch', 'sandbox_alice'],
      ['doctor'],
      ['doctor', '--json'],
      ['exit-codes'],
      ['--help'],
      ['help', 'token'],
      ['completion', 'bash'],
      ['--account', 'nobody', 'whoami'],
    ];
    for (const args of others) {
      const r = await tw(args);
      assertNoSecrets(r, secrets, `twauth ${args.join(' ')}`);
    }
    // sign's header carries the access token (every OAuth 1.0a header must), never a secret.
    const sign = await runTwauth(['sign', 'GET', `${sb.emu.url}/2/users/me`], { env: sb.env });
    expect(sign.code).toBe(0);
    expect(sign.stdout).toContain(`oauth_token="${alice.access_token}"`);
    assertNoSecrets(sign, [alice.consumer_secret, alice.access_token_secret], 'twauth sign');
  });
});

describe('login --with-token', () => {
  it('the JSON form from a pipe: checked with /2/users/me, stored in the keychain; whoami works', async () => {
    const bob = sb.issue('sandbox_bob');
    const env = freshEnv();
    const input = JSON.stringify(
      {
        consumer_key: 'sandbox-consumer-key',
        consumer_secret: 'sandbox-consumer-secret',
        access_token: bob.token,
        access_token_secret: bob.secret,
        user_id: null,
        screen_name: null,
        api_base: sb.emu.url,
      },
      null,
      2,
    );
    const calls = meCalls();
    const r = await tw(['login', '--with-token'], { env, input });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Logged in as @sandbox_bob \(id 1000000002\)$/m);
    expect(meCalls()).toBe(calls + 1);
    expect(await accounts(env)).toEqual([
      {
        username: 'sandbox_bob',
        id: '1000000002',
        app: 'sandbox-consumer-key',
        store: 'keychain',
        api_base: sb.emu.url,
        default: true,
      },
    ]);
    const item = (await sb.secretService!.items()).find(
      (i) => i.account === `1000000002:sandbox-consumer-key@${sb.emu.url}`,
    );
    expect(JSON.parse(item!.secret)).toEqual({
      consumerSecret: 'sandbox-consumer-secret',
      accessToken: bob.token,
      accessTokenSecret: bob.secret,
    });
    const who = await tw(['whoami', '--json'], { env });
    expect(JSON.parse(who.stdout)).toMatchObject({ username: 'sandbox_bob', credential_source: 'keychain' });
  });

  it('the env form (token --env of another run) through a shell pipe, with --json', async () => {
    const carol = sb.issue('sandbox_carol');
    const env = freshEnv();
    // `twauth token --env` with carol's pair in the environment, piped into a login that sees only stdin.
    const script = `twauth token --env | env -u TWAUTH_ACCESS_TOKEN -u TWAUTH_ACCESS_TOKEN_SECRET -u TWAUTH_CONSUMER_KEY -u TWAUTH_CONSUMER_SECRET -u TWAUTH_API_BASE TWAUTH_CONFIG_DIR="$1" twauth --json login --with-token`;
    const r = await bash(script, { ...carol.env }, [env.TWAUTH_CONFIG_DIR!]);
    expect(r.code, r.stderr).toBe(0);
    assertNoSecrets(r, sb.secrets(), 'token --env | login --with-token');
    expect(JSON.parse(r.stdout)).toEqual({
      username: 'sandbox_carol',
      id: '1000000003',
      app: 'sandbox-consumer-key',
      api_base: sb.emu.url,
      store: 'keychain',
      default: true,
    });
    expect(r.stderr).toMatch(/Logged in as @sandbox_carol/);
    expect((await accounts(env)).map((a) => a.username)).toEqual(['sandbox_carol']);
    expect((await tw(['whoami'], { env })).stdout).toBe('sandbox_carol\n');
  });

  it("the README's pipeline: twauth token --json | twauth login --with-token", async () => {
    const env = freshEnv();
    const r = await bash(
      'twauth token --json | TWAUTH_CONFIG_DIR="$1" twauth login --with-token && TWAUTH_CONFIG_DIR="$1" twauth whoami',
      {},
      [env.TWAUTH_CONFIG_DIR!],
    );
    expect(r.code, r.stderr).toBe(0);
    assertNoSecrets(r, sb.secrets(), 'token --json | login --with-token');
    expect(r.stdout).toBe('sandbox_alice\n');
    expect((await accounts(env)).map((a) => [a.username, a.api_base])).toEqual([['sandbox_alice', sb.emu.url]]);
  });

  it('bad input: exit 2, no secret echoed, nothing sent, nothing stored', async () => {
    const S = (n: number) => `SECRET-${n}-${'q'.repeat(12)}`;
    const inputs = [
      '',
      '\n\n',
      `{"consumer_key":"sandbox-consumer-key","consumer_secret":"${S(1)}","access_token":"${S(2)}"}`,
      `{"consumer_key":"sandbox-consumer-key","access_token_secret":"${S(3)}", `,
      `["${S(4)}"]`,
      `"${S(5)}"`,
      `export TWAUTH_ACCESS_TOKEN=${S(6)}\nexport TWAUTH_ACCESS_TOKEN_SECRET='${S(7)}'`,
      `just some text with ${S(8)} in it`,
      `{"consumer_key":"k","consumer_secret":"${S(9)}","access_token":"${S(10)}","access_token_secret":"${S(11)}","api_base":"ftp://example.com"}`,
      `{"consumer_key":"k","consumer_secret":"${S(12)}","access_token":"${S(13)}","access_token_secret":"${S(14)}","api_base":"not a url"}`,
    ];
    const env = freshEnv();
    const before = sb.emu.requests().length;
    const items = await sb.secretService!.items();
    for (const input of inputs) {
      const r = await tw(['login', '--with-token'], { env, input });
      expect(r.code, `input ${JSON.stringify(input)}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^twauth: /);
      expect(r.stderr).not.toMatch(/SECRET-/);
      expect(r.stderr).not.toMatch(/unexpected error/);
    }
    expect(sb.emu.requests().length).toBe(before);
    expect(await accounts(env)).toEqual([]);
    expect(await sb.secretService!.items()).toEqual(items);
  });

  it('rejected credentials: a revoked token exits 4 (code 89), a wrong consumer secret 4 (code 32); nothing stored', async () => {
    const env = freshEnv();
    const items = await sb.secretService!.items();
    const revoked = sb.issue('sandbox_carol');
    sb.emu.revokeAccessToken(revoked.token);
    const json = (over: Partial<Creds>) =>
      JSON.stringify({
        consumer_key: 'sandbox-consumer-key',
        consumer_secret: 'sandbox-consumer-secret',
        access_token: revoked.token,
        access_token_secret: revoked.secret,
        api_base: sb.emu.url,
        ...over,
      });
    const r = await tw(['login', '--with-token'], { env, input: json({}) });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/code 89/);
    expect(r.stderr).not.toMatch(/Logged in/);

    const fresh = sb.issue('sandbox_carol');
    sb.addSecret('not-the-consumer-secret');
    const wrong = await tw(['login', '--with-token'], {
      env,
      input: json({
        access_token: fresh.token,
        access_token_secret: fresh.secret,
        consumer_secret: 'not-the-consumer-secret',
      }),
    });
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(/code 32/);

    // X unreachable: exit 7, nothing stored either.
    sb.emu.setFaults({ paths: ['/2/users/me'], status503: { next: 1000 } });
    try {
      const down = await tw(['login', '--with-token'], {
        env,
        input: json({ access_token: fresh.token, access_token_secret: fresh.secret }),
      });
      expect(down.code).toBe(7);
    } finally {
      sb.emu.setFaults({});
    }
    expect(await accounts(env)).toEqual([]);
    expect(await sb.secretService!.items()).toEqual(items);
  });

  it('on a terminal it refuses at once (exit 2) instead of waiting for input', async () => {
    const env = freshEnv();
    const session = await startInTmux([process.execPath, TWAUTH, 'login', '--with-token'], {
      env: twauthEnv({ ...sb.env, ...env }),
      cwd: repoRoot,
    });
    try {
      expect(await session.exitCode(15_000)).toBe(2);
      expect(await session.capture()).toMatch(/--with-token reads credentials from standard input/);
    } finally {
      await session.kill();
    }
    expect(await accounts(env)).toEqual([]);
  });
});
