// Issue 16, a newcomer's second pass: each stumble, through the built bin/twauth against the
// sandbox (pipes here; what a person sees on a terminal is in newcomer-second-pass-tty.test.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackRequest } from '../../src/emulator/loopback-client.js';
import { spawnTwauth, tempConfigDir } from '../helpers/cli.js';
import { startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
  await sb.login('sandbox_alice');
});
afterAll(async () => {
  await sb.stop();
});

describe('1. not logged in while an account is stored', () => {
  it('names the API base, where it came from, and what is stored', async () => {
    const r = await sb.tw(['whoami'], { env: { TWAUTH_API_BASE: 'http://127.0.0.1:9' } });
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe(
      `twauth: no account for http://127.0.0.1:9 (from TWAUTH_API_BASE); stored: @sandbox_alice for ${sb.emu.url} — run twauth login, or unset TWAUTH_API_BASE`,
    );
    const flag = await sb.tw(['whoami', '--api-base', 'http://127.0.0.1:9']);
    expect(flag.stderr).toMatch(/\(from --api-base\).*drop --api-base/);
    const out = await sb.tw(['logout'], { env: { TWAUTH_API_BASE: 'http://127.0.0.1:9' } });
    expect(out.code).toBe(4);
    expect(out.stderr).toMatch(
      /^twauth: no stored account to log out of for http:\/\/127\.0\.0\.1:9 \(from TWAUTH_API_BASE\); stored: @sandbox_alice/,
    );
  });

  it('TWAUTH_ACCOUNT=nosuch names the variable', async () => {
    const r = await sb.tw(['whoami'], { env: { TWAUTH_ACCOUNT: 'nosuch' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /no stored account matches "nosuch" \(from TWAUTH_ACCOUNT\); known accounts: @sandbox_alice/,
    );
  });
});

describe('4. status', () => {
  it('a 429 row says until when, in UTC, and the exit is 5', async () => {
    sb.emu.setFaults({ paths: ['/2/users/me'], rateLimit: { next: 1, resetInSeconds: 600 } });
    const r = await sb.tw(['status']);
    sb.emu.setFaults({});
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout).toMatch(
      /^\*\s+sandbox_alice\s+1000000001\s+rate-limited\s+-\s+rate limited until \d\d:\d\d UTC$/m,
    );
  });

  it('environment credentials get their own row, with the access level (also in --json)', async () => {
    const t = sb.issue('sandbox_bob', 'read');
    const cfg = join(tempConfigDir('twauth-status-env-'), 'config');
    const r = await sb.tw(['status'], { env: { ...t.env, TWAUTH_CONFIG_DIR: cfg } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\s+USERNAME\s+ID\s+STATE\s+ACCESS\s+DETAIL$/m);
    expect(r.stdout).toMatch(/^\*\s+@sandbox_bob \(environment\)\s+valid\s+read\s+ok$/m);
    const j = await sb.tw(['status', '--json'], { env: { ...t.env, TWAUTH_CONFIG_DIR: cfg } });
    expect(JSON.parse(j.stdout)).toEqual([
      expect.objectContaining({ username: 'sandbox_bob', source: 'environment', state: 'valid', access: 'read' }),
    ]);
    const stored = await sb.tw(['status']);
    expect(stored.stdout).toMatch(/sandbox_alice\s+1000000001\s+valid\s+read-write\s+ok/);
  });
});

describe('5. doctor', () => {
  it('no keychain: the file fallback is a warning; an unreachable X leaves the clock "not checked"', async () => {
    const r = await sb.tw(['doctor'], {
      env: {
        TWAUTH_STORE: undefined,
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent',
        TWAUTH_API_BASE: undefined,
        TWAUTH_ACCESS_TOKEN: 'a',
        TWAUTH_ACCESS_TOKEN_SECRET: 'b',
      },
    });
    expect(r.stdout).toMatch(/^warn\s+store\s+keychain: .*fall back to the 0600 file/m);
    expect(r.stdout).not.toMatch(/^FAIL\s+store/m);
    expect(r.stdout).toMatch(/^warn\s+clock\s+not checked: X unreachable at https:\/\/api\.x\.com/m);
  });

  it('a 429 on the token check is explained, and is no failure', async () => {
    sb.emu.setFaults({ paths: ['/2/users/me'], rateLimit: { next: 1, resetInSeconds: 600 } });
    const r = await sb.tw(['doctor']);
    sb.emu.setFaults({});
    expect(r.stdout).toMatch(/^warn\s+clock\s+not checked: X rate limited until \d\d:\d\d UTC$/m);
    expect(r.stdout).toMatch(/^warn\s+token\s+not checked: X rate limited GET \/2\/users\/me until \d\d:\d\d UTC/m);
    expect(r.stdout).not.toMatch(/^FAIL\s+(clock|token)/m);
  });
});

describe('8. smaller snags', () => {
  it('--wait says the time in UTC, as the 429 error does', async () => {
    sb.emu.setFaults({ paths: ['/2/users/me'], rateLimit: { next: 1, resetInSeconds: 1 } });
    const w = await sb.tw(['whoami', '--wait'], { env: { TZ: 'America/New_York', LANG: 'en_US.UTF-8' } });
    sb.emu.setFaults({});
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/^rate limited: waiting until \d\d:\d\d:\d\d UTC \(--wait; Ctrl-C stops\)$/m);
  });

  it("a sandbox post's address is the sandbox's own page, which shows it", async () => {
    const r = await sb.tw(['tweet', 'a sandbox post with <b>markup</b>']);
    expect(r.code, r.stderr).toBe(0);
    const [id, url] = r.stdout.trim().split(' ');
    expect(url).toBe(`${sb.emu.url}/sandbox_alice/status/${id}`);
    const page = await loopbackRequest(new URL(url!));
    expect(page.status).toBe(200);
    expect(page.body).toContain('a sandbox post with &#60;b&#62;markup&#60;/b&#62;');
    const missing = await loopbackRequest(new URL(`${sb.emu.url}/sandbox_alice/status/1`));
    expect(missing.status).toBe(404);
  });
});

describe('6. logout says which account is now the default', () => {
  it('after logging out of the default, names the new one', async () => {
    const s2 = await startSandbox({ keychain: 'file' });
    try {
      await s2.login('sandbox_alice');
      await s2.login('sandbox_bob');
      const r = await s2.tw(['logout']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(
        /^Logged out @sandbox_bob .*\ndefault account is now @sandbox_alice \(id 1000000001, http:\/\/127\.0\.0\.1:\d+\)$/m,
      );
      const last = await s2.tw(['logout']);
      expect(last.stderr).toMatch(/\nno stored accounts left\n$/);
    } finally {
      await s2.stop();
    }
  });
});

describe('1. the sandbox keeps its state with --state FILE', () => {
  async function startCli(
    args: string[],
    env: Record<string, string | undefined>,
  ): Promise<{ stop: () => Promise<number | null>; env: Record<string, string>; stderr: () => string }> {
    const p = spawnTwauth(['sandbox', ...args], { env });
    const out = await p.waitForStdout(/TWAUTH_CONSUMER_SECRET=.*\n/);
    await p.waitForStderr(/ try: /);
    const vars = Object.fromEntries([...out.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)].map((m) => [m[1]!, m[2]!]));
    return { env: vars, stderr: () => p.stderr(), stop: async () => (p.kill('SIGTERM'), (await p.exit).code) };
  }

  it('without it, says that tokens live only while it runs; with it, a login survives a restart', async () => {
    const dir = tempConfigDir('twauth-state-');
    const state = join(dir, 'sandbox.json');
    const plain = await startCli(['--port', '0'], {});
    await plain.stop();
    expect(plain.stderr()).toMatch(/tokens and posts live only while it runs/);

    const first = await startCli(['--port', '0', '--state', state], {});
    const cfg = join(dir, 'config');
    const env = { ...sb.env, ...first.env, TWAUTH_CONFIG_DIR: cfg };
    const login = await sb.tw(['login', '--port', '0'], {
      env: { ...env, BROWSER: `${process.execPath} ${join(process.cwd(), 'bin/twauth')} sandbox approve` },
    });
    expect(login.code, login.stderr).toBe(0);
    expect(await first.stop()).toBe(0);
    expect(existsSync(state)).toBe(true);
    expect(statSync(state).mode & 0o777).toBe(0o600);
    const port = new URL(first.env.TWAUTH_API_BASE!).port;

    const second = await startCli(['--port', port, '--state', state], {});
    try {
      expect(second.stderr()).toMatch(/1 token\(s\) and 0 post\(s\) restored/);
      const who = await sb.tw(['whoami'], { env });
      expect(who.code, who.stderr).toBe(0);
      expect(who.stdout).toBe('sandbox_alice\n');
    } finally {
      await second.stop();
    }
    // A state file that is not one is refused, naming it.
    await import('node:fs/promises').then((fs) => fs.writeFile(state, '{"version":2}'));
    const bad = spawnTwauth(['sandbox', '--port', '0', '--state', state], {});
    expect((await bad.exit).code).toBe(2);
    expect(bad.stderr()).toMatch(/--state .*sandbox\.json is not a usable sandbox state/);
    expect(readFileSync(state, 'utf8')).toBe('{"version":2}');
  });
});

describe('1. a network error against a base from the environment', () => {
  it('names the base and the variable, and what to do', async () => {
    const r = await sb.tw(['whoami'], {
      env: {
        TWAUTH_API_BASE: 'http://127.0.0.1:9',
        TWAUTH_ACCESS_TOKEN: 'tok',
        TWAUTH_ACCESS_TOKEN_SECRET: 'toksecret',
      },
    });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(
      /^twauth: cannot reach X \(.*ECONNREFUSED.*\) for GET \/2\/users\/me at http:\/\/127\.0\.0\.1:9 \(from TWAUTH_API_BASE\)\ntwauth: is it running\? Otherwise unset TWAUTH_API_BASE/,
    );
  });
});

describe('twauth help environment', () => {
  it('lists every variable the code reads, within 80 columns, with the precedence', async () => {
    const r = await sb.tw(['help', 'environment']);
    expect(r.code).toBe(0);
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const { readdirSync, readFileSync: read } = await import('node:fs');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
      );
    const used = new Set<string>();
    for (const f of files(join(process.cwd(), 'src')))
      for (const m of read(f, 'utf8').matchAll(
        /\b(TWAUTH_[A-Z_]+[A-Z]|NODE_COMPILE_CACHE|NODE_DISABLE_COMPILE_CACHE|BROWSER|NO_COLOR|HTTPS?_PROXY|DBUS_SESSION_BUS_ADDRESS|XDG_CONFIG_HOME)\b/g,
      ))
        used.add(m[1]!);
    expect(used.size).toBeGreaterThan(12);
    for (const v of used) expect(r.stdout, v).toContain(v);
    expect(r.stdout).toMatch(
      /1\. --account NAME[\s\S]*2\. TWAUTH_ACCESS_TOKEN[\s\S]*3\. TWAUTH_ACCOUNT[\s\S]*4\. the default stored account/,
    );
  });
});
