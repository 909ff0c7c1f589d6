// Issue 13, second round of attacks on the stored state: a hostile Secret Service (item 2), a
// stale lock under parallel logins (5), a config folder or file another user controls and
// symlinks planted beside it (6), children's environments (8), crash leftovers (9), loose
// permissions (12). Each test runs the built bin/twauth.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempConfigDir, twauthEnv } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { startHangingSecretService, type HangingSecretService } from '../helpers/hanging-secret-service.js';
import { startHostileBus, type HostileBus, type HostileMode } from '../helpers/hostile-bus.js';
import { SANDBOX_BROWSER, startSandbox, TWAUTH, type Sandbox } from './support.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
});
afterAll(async () => {
  await sb?.stop();
});

/** Stores sandbox_alice in the file store through `login --with-token`. */
async function loginWithToken(
  username: string,
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; stderr: string }> {
  const t = await sb.tw(['token', '--env'], { env: sb.issue(username).env });
  expect(t.code, t.stderr).toBe(0);
  return sb.tw(['login', '--with-token'], { env, input: t.stdout });
}

describe('a hostile Secret Service (issue 13 item 2)', () => {
  const buses: HostileBus[] = [];
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.stop()));
  });

  for (const mode of ['truncated', 'wrong-type', 'silent'] as HostileMode[]) {
    it(`${mode} replies: tweet, token, whoami and status exit non-zero and say what the keychain did`, async () => {
      const r0 = await loginWithToken('sandbox_alice');
      expect(r0.code, r0.stderr).toBe(0);
      // The account now claims to live in the keychain, which the hostile bus answers for.
      const file = join(sb.configDir, 'config.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as { accounts: { store: string }[] };
      for (const a of config.accounts) a.store = 'keychain';
      writeFileSync(file, JSON.stringify(config));
      const bus = await startHostileBus(mode);
      buses.push(bus);
      const env = { ...bus.env, TWAUTH_STORE: undefined, TWAUTH_KEYCHAIN_TIMEOUT: '1' };
      const before = sb.emu.tweets().length;
      for (const args of [['tweet', 'must not be sent'], ['token'], ['whoami'], ['status']]) {
        const started = Date.now();
        const r = await sb.tw(args, { env });
        const label = `${mode}: twauth ${args.join(' ')}\n${r.stderr}`;
        expect(r.code, label).toBe(4);
        if (args[0] === 'status') expect(r.stdout, label).toContain('locked');
        else expect(r.stdout, label).toBe('');
        expect(r.stderr + r.stdout, label).toMatch(
          mode === 'silent' ? /did not answer within 1 s/ : /malformed reply|answered with type "s" where/,
        );
        expect(Date.now() - started, label).toBeLessThan(6000);
      }
      expect(bus.calls()).toBeGreaterThanOrEqual(4);
      expect(sb.emu.tweets().length).toBe(before);
    });
  }
});

/** A second Unix user (made with useradd once per machine): the attacker of items 6 and 12. */
function otherUser(): { uid: number; gid: number } {
  const name = 'twauth-intruder';
  const id = () => spawnSync('id', ['-u', name], { encoding: 'utf8' });
  if (id().status !== 0)
    spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { encoding: 'utf8' });
  const uid = Number(id().stdout.trim());
  const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
  expect(Number.isInteger(uid) && uid > 0, `useradd ${name} failed`).toBe(true);
  return { uid, gid };
}

/** A pid that certainly belongs to no process: one that has just exited. */
function deadPid(): number {
  const r = spawnSync('true');
  return r.pid!;
}

/** The file names in a folder, sorted; takeover folders and temp files would show here. */
const entries = (dir: string) => readdirSync(dir).sort();

describe('a stale lock under 24 parallel logins (issue 13 item 5)', () => {
  const USERS = Array.from({ length: 24 }, (_, i) => ({
    id: String(2000000001 + i),
    username: `lock_u${String(i + 1).padStart(2, '0')}`,
    name: `Lock ${i + 1}`,
  }));
  let lk: Sandbox;
  beforeAll(async () => {
    lk = await startSandbox({ keychain: 'file', emulator: { users: USERS } });
  });
  afterAll(async () => {
    await lk?.stop();
  });

  const lockRounds: number[] = [];
  afterAll(() => {
    console.log(`stale-lock rounds passed: ${lockRounds.length}`);
  });
  it("a dead process's locks left behind: every round, every login exits 0 and every account's secret is stored", async () => {
    const app = lk.emu.apps[0]!;
    const ROUNDS = 5;
    for (let round = 1; round <= ROUNDS; round++) {
      const dir = join(tempConfigDir('twauth-lock-'), 'config');
      mkdirSync(dir, { mode: 0o700 });
      // What a twauth killed while holding the locks leaves: its pid, a time, no process.
      const dead = deadPid();
      for (const lock of ['config.json.lock', 'credentials.json.lock'])
        writeFileSync(join(dir, lock), `${dead} ${new Date().toISOString()}`, { mode: 0o600 });
      const issued = USERS.map((u) => ({ u, t: lk.emu.issueAccessToken(u.id, app.consumerKey) }));
      for (const { t } of issued) lk.addSecret(t.token, t.secret);
      // The interleaving that lost updates, made to happen most rounds instead of in 3 of ~58:
      // every login takes 40 ms or more between reading a file and replacing it (strace delays its
      // stat of the folder, which the write does), so some process always holds a lock; and six
      // of them remove a lock 300 ms after judging it stale (their unlink of either lock file is
      // delayed), by which time another process has taken the stale lock over.
      const results = await Promise.all(
        issued.map(({ t }, i) => {
          const input = JSON.stringify({
            consumer_key: app.consumerKey,
            consumer_secret: app.consumerSecret,
            access_token: t.token,
            access_token_secret: t.secret,
          });
          const faults = [
            '-e',
            'trace=statx,newfstatat,unlink,unlinkat',
            '-e',
            'inject=statx,newfstatat:delay_enter=40000',
          ];
          if (i % 4 === 0) faults.push('-e', 'inject=unlink,unlinkat:delay_enter=300000');
          const paths = [dir, join(dir, 'config.json.lock'), join(dir, 'credentials.json.lock')].flatMap((p) => [
            '-P',
            p,
          ]);
          return run(
            'strace',
            [
              '-f',
              '-qq',
              '--seccomp-bpf',
              '-o',
              '/dev/null',
              ...faults,
              ...paths,
              process.execPath,
              TWAUTH,
              'login',
              '--with-token',
            ],
            { env: twauthEnv({ ...lk.env, TWAUTH_CONFIG_DIR: dir }), input, timeoutMs: 120_000 },
          );
        }),
      );
      results.forEach((r, i) => expect(r.code, `round ${round}, login ${i}: ${r.stderr}`).toBe(0));
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
        accounts: { key: string; userId: string }[];
      };
      const creds = JSON.parse(readFileSync(join(dir, 'credentials.json'), 'utf8')) as Record<string, string>;
      expect(config.accounts.length, `round ${round}: accounts in config.json`).toBe(USERS.length);
      expect(Object.keys(creds).length, `round ${round}: secrets in credentials.json`).toBe(USERS.length);
      for (const { u, t } of issued) {
        const account = config.accounts.find((a) => a.userId === u.id);
        expect(account, `round ${round}: ${u.username} in config.json`).toBeDefined();
        expect(JSON.parse(creds[account!.key] ?? '{}').accessToken, `round ${round}: ${u.username}'s secret`).toBe(
          t.token,
        );
      }
      // No lock, lock temp file, takeover folder or write temp file is left.
      expect(entries(dir), `round ${round}`).toEqual(['config.json', 'config.json.bak', 'credentials.json']);
      lockRounds.push(round);
    }
  }, 600_000);
});

describe('crash leftovers (issue 13 item 9)', () => {
  it('kill -9 between write and rename: the next login under the lock removes the 0600 temp file with the secrets', async () => {
    const dir = join(tempConfigDir('twauth-crash-'), 'config');
    // SIGKILL at the rename that would have put credentials.json in place.
    const t = sb.issue('sandbox_alice');
    const app = sb.emu.apps[0]!;
    const input = JSON.stringify({
      consumer_key: app.consumerKey,
      consumer_secret: app.consumerSecret,
      access_token: t.token,
      access_token_secret: t.secret,
    });
    // The first rename of a login to the file store (the compile cache, which renames too, off) is
    // the one that puts credentials.json in place. (strace's -P does not match rename's target.)
    const killed = await run(
      'strace',
      [
        '-f',
        '-qq',
        '-o',
        '/dev/null',
        '-e',
        'trace=rename,renameat,renameat2',
        '-e',
        'inject=rename,renameat,renameat2:signal=KILL:when=1',
        process.execPath,
        TWAUTH,
        'login',
        '--with-token',
      ],
      {
        env: twauthEnv({ ...sb.env, TWAUTH_CONFIG_DIR: dir, NODE_DISABLE_COMPILE_CACHE: '1' }),
        input,
        timeoutMs: 30_000,
      },
    );
    // strace ends itself with the signal that killed the traced command.
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const leftovers = entries(dir).filter((n) => n.endsWith('.tmp'));
    expect(leftovers.length, `left after kill -9: ${entries(dir).join(' ')}`).toBe(1);
    expect(readFileSync(join(dir, leftovers[0]!), 'utf8')).toContain(t.secret);
    // The next run that takes the lock (any account) sweeps it.
    const r = await loginWithToken('sandbox_bob', { TWAUTH_CONFIG_DIR: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(entries(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(entries(dir).join(' ')).not.toMatch(/lock/);
  });

  it('an empty lock (ENOSPC while its pid was written) is stale within a second: login and switch do not wait 15 s', async () => {
    const dir = join(tempConfigDir('twauth-empty-lock-'), 'config');
    const r0 = await loginWithToken('sandbox_alice', { TWAUTH_CONFIG_DIR: dir });
    expect(r0.code, r0.stderr).toBe(0);
    writeFileSync(join(dir, 'config.json.lock'), '', { mode: 0o600 });
    writeFileSync(join(dir, 'credentials.json.lock'), '', { mode: 0o600 });
    const started = Date.now();
    const r = await loginWithToken('sandbox_bob', { TWAUTH_CONFIG_DIR: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    const s = await sb.tw(['switch', 'sandbox_alice'], { env: { TWAUTH_CONFIG_DIR: dir } });
    expect(s.code, s.stderr).toBe(0);
    expect(entries(dir).join(' ')).not.toMatch(/lock/);
  });

  it("a full disk (a 64 KiB tmpfs) while the lock's pid is written: no empty lock is left; once there is room, the next login runs at once", async () => {
    const mnt = tempConfigDir('twauth-full-');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', mnt], { encoding: 'utf8' });
    expect(mounted.status, mounted.stderr).toBe(0);
    try {
      const dir = join(mnt, 'config');
      mkdirSync(dir, { mode: 0o700 });
      // Fill it to the last block.
      spawnSync('dd', ['if=/dev/zero', `of=${join(mnt, 'fill')}`, 'bs=4k'], { encoding: 'utf8' });
      const r1 = await loginWithToken('sandbox_alice', { TWAUTH_CONFIG_DIR: dir });
      expect(r1.code, r1.stderr).not.toBe(0);
      expect(entries(dir)).toEqual([]);
      rmSync(join(mnt, 'fill'));
      const started = Date.now();
      const r2 = await loginWithToken('sandbox_alice', { TWAUTH_CONFIG_DIR: dir });
      expect(r2.code, r2.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(entries(dir)).toEqual(['config.json', 'credentials.json']);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('a config folder or file another user controls, and links planted in it (issue 13 items 6 and 12)', () => {
  /** A config folder with sandbox_alice stored in the file store. */
  async function storedDir(): Promise<string> {
    const dir = join(tempConfigDir('twauth-own-'), 'config');
    const r = await loginWithToken('sandbox_alice', { TWAUTH_CONFIG_DIR: dir });
    expect(r.code, r.stderr).toBe(0);
    return dir;
  }

  it('a 0777 folder owned by another user: login and whoami refuse (exit 2) naming the folder, its owner and mode; nothing is written', async () => {
    const other = otherUser();
    const dir = join(tempConfigDir('twauth-theirs-'), 'config');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    chownSync(dir, other.uid, other.gid);
    const r = await loginWithToken('sandbox_alice', { TWAUTH_CONFIG_DIR: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`refusing ${dir}: it belongs to another user (owner uid ${other.uid}, mode 0777`);
    expect(entries(dir)).toEqual([]);
    const w = await sb.tw(['whoami'], { env: { TWAUTH_CONFIG_DIR: dir } });
    expect(w.code, w.stderr).toBe(2);
    expect(w.stderr).toContain(`refusing ${dir}`);
  });

  it('our own folder others may write (0777): refused (exit 2), not used', async () => {
    const dir = await storedDir();
    chmodSync(dir, 0o777);
    const w = await sb.tw(['whoami'], { env: { TWAUTH_CONFIG_DIR: dir } });
    expect(w.code, w.stderr).toBe(2);
    expect(w.stderr).toContain(`refusing ${dir}: others may write to it`);
  });

  it('a config.json.bak symlink to another file: switch replaces the link, never writes or chmods its target', async () => {
    const dir = await storedDir();
    const victimDir = tempConfigDir('twauth-victim-');
    const victim = join(victimDir, 'victim');
    writeFileSync(victim, 'precious\n', { mode: 0o644 });
    chmodSync(victim, 0o644);
    symlinkSync(victim, join(dir, 'config.json.bak'));
    const r = await sb.tw(['switch', 'sandbox_alice'], { env: { TWAUTH_CONFIG_DIR: dir } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(statSync(victim).mode & 0o777).toBe(0o644);
    expect(lstatSync(join(dir, 'config.json.bak')).isSymbolicLink()).toBe(false);
  });

  it('a symlinked config.json or credentials.json is refused (exit 2), its target never read', async () => {
    for (const name of ['config.json', 'credentials.json']) {
      const dir = await storedDir();
      const moved = join(dir, `${name}.real`);
      renameSync(join(dir, name), moved);
      symlinkSync(moved, join(dir, name));
      const w = await sb.tw(['whoami'], { env: { TWAUTH_CONFIG_DIR: dir } });
      expect(w.code, `${name}: ${w.stderr}`).toBe(2);
      expect(w.stderr).toContain(`refusing ${join(dir, name)}: it is a symbolic link`);
    }
  });

  it("config.json edited to give the stored account another API base: whoami refuses, the attacker's server gets nothing", async () => {
    const dir = await storedDir();
    let hits = 0;
    const attacker = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const file = join(dir, 'config.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as { accounts: { apiBase: string }[] };
      config.accounts[0]!.apiBase = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
      writeFileSync(file, JSON.stringify(config));
      const w = await sb.tw(['whoami'], { env: { TWAUTH_CONFIG_DIR: dir, TWAUTH_API_BASE: undefined } });
      expect(w.code, w.stderr).not.toBe(0);
      expect(w.stderr).toContain('which is not the one its credentials were stored for');
      expect(hits).toBe(0);
    } finally {
      attacker.close();
    }
  });

  it('a credentials.json owned by another user is refused (exit 2)', async () => {
    const dir = await storedDir();
    const other = otherUser();
    chownSync(join(dir, 'credentials.json'), other.uid, other.gid);
    const w = await sb.tw(['whoami'], { env: { TWAUTH_CONFIG_DIR: dir } });
    expect(w.code, w.stderr).toBe(2);
    expect(w.stderr).toContain(
      `refusing ${join(dir, 'credentials.json')}: it belongs to another user (owner uid ${other.uid}`,
    );
  });

  it('a 0644 credentials.json in a 0755 folder: whoami warns and repairs both (0600, 0700)', async () => {
    const dir = await storedDir();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'credentials.json'), 0o644);
    const w = await sb.tw(['whoami'], { env: { TWAUTH_CONFIG_DIR: dir } });
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toContain(
      `warning: ${join(dir, 'credentials.json')} was mode 0644, readable by other users; set it to 0600`,
    );
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const again = await sb.tw(['whoami'], { env: { TWAUTH_CONFIG_DIR: dir } });
    expect(again.stderr).not.toContain('warning');
  });

  it('doctor: FAIL for a 0644 credentials.json in a 0755 folder, saying what it repaired; ok the next time', async () => {
    const dir = await storedDir();
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'credentials.json'), 0o644);
    const first = await sb.tw(['doctor', '--json'], { env: { TWAUTH_CONFIG_DIR: dir } });
    expect(first.code, first.stderr).toBe(1);
    const files = (
      JSON.parse(first.stdout) as { checks: { check: string; status: string; detail: string }[] }
    ).checks.find((c) => c.check === 'files');
    expect(files?.status).toBe('fail');
    expect(files?.detail).toContain(`${dir} was mode 0755, open to other users: set to 0700`);
    expect(files?.detail).toContain(
      `${join(dir, 'credentials.json')} was mode 0644, readable by other users: set to 0600`,
    );
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
    const second = await sb.tw(['doctor', '--json'], { env: { TWAUTH_CONFIG_DIR: dir } });
    expect(
      (JSON.parse(second.stdout) as { checks: { check: string; status: string }[] }).checks.find(
        (c) => c.check === 'files',
      )?.status,
    ).toBe('ok');
  });
});

/** The children of `pid` (from /proc/N/stat's ppid field), with their command line and environment. */
async function childrenOf(pid: number): Promise<{ pid: number; cmdline: string; environ: string }[]> {
  const out: { pid: number; cmdline: string; environ: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) continue;
      out.push({
        pid: Number(name),
        cmdline: readFileSync(`/proc/${name}/cmdline`, 'latin1'),
        environ: readFileSync(`/proc/${name}/environ`, 'latin1'),
      });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe("children's environments (issue 13 item 8)", () => {
  let hanging: HangingSecretService;
  beforeAll(async () => {
    hanging = await startHangingSecretService();
  });
  afterAll(async () => {
    await hanging?.stop();
  });

  it('the keytar child gets its secret on stdin and no TWAUTH_* variable (seen in /proc while a hung keychain holds it)', async () => {
    const dir = join(tempConfigDir('twauth-kchild-'), 'config');
    const t = sb.issue('sandbox_alice');
    const app = sb.emu.apps[0]!;
    const p = sb.spawn(['login', '--with-token'], {
      env: {
        ...hanging.env,
        TWAUTH_STORE: undefined,
        TWAUTH_KEYCHAIN_TIMEOUT: '3',
        TWAUTH_CONFIG_DIR: dir,
        TWAUTH_ACCESS_TOKEN_SECRET: 'env-token-secret-not-for-children',
      },
    });
    p.end(
      JSON.stringify({
        consumer_key: app.consumerKey,
        consumer_secret: app.consumerSecret,
        access_token: t.token,
        access_token_secret: t.secret,
      }),
    );
    let seen: { cmdline: string; environ: string } | undefined;
    // Looked for until twauth ends (not for a fixed time: a slow start-up on a loaded machine
    // must not move the helper's 3 s out of the window); the helper lives until that deadline.
    let ended = false;
    void p.exit.then(() => (ended = true));
    for (
      const until = Date.now() + 50_000;
      !seen && !ended && Date.now() < until;
      await new Promise((r) => setTimeout(r, 50))
    ) {
      seen = (await childrenOf(p.child.pid!)).find((c) => c.cmdline.includes('keytar'));
    }
    const exit = await p.exit;
    expect(seen, `no keytar child seen; twauth said: ${p.stderr()}`).toBeDefined();
    const names = seen!.environ.split('\0').map((kv) => kv.split('=')[0] ?? '');
    expect(names.filter((n) => n.startsWith('TWAUTH_'))).toEqual([]);
    expect(names).toContain('DBUS_SESSION_BUS_ADDRESS');
    for (const secret of [app.consumerSecret, t.secret, 'env-token-secret-not-for-children']) {
      expect(seen!.environ.includes(secret)).toBe(false);
      expect(seen!.cmdline.includes(secret)).toBe(false);
    }
    expect(exit.code, p.stderr()).toBe(0); // fell back to the file store after the keychain's 3 s
  });

  it('the BROWSER command sees no TWAUTH_* variable: no consumer secret, no token (it dumps its environment)', async () => {
    const dir = join(tempConfigDir('twauth-browser-env-'), 'config');
    const dump = join(tempConfigDir('twauth-browser-dump-'), 'env');
    const app = sb.emu.apps[0]!;
    const r = await sb.tw(['login', '--port', '0'], {
      env: {
        TWAUTH_CONFIG_DIR: dir,
        TWAUTH_ACCESS_TOKEN: 'env-access-token-not-for-children',
        TWAUTH_ACCESS_TOKEN_SECRET: 'env-token-secret-not-for-children',
        BROWSER: `env > ${dump}; ${SANDBOX_BROWSER} --user sandbox_alice`,
      },
    });
    expect(r.code, r.stderr).toBe(0);
    const seen = readFileSync(dump, 'utf8');
    expect(seen).toContain('PATH=');
    expect(seen.split('\n').filter((l) => l.startsWith('TWAUTH_'))).toEqual([]);
    for (const secret of [app.consumerSecret, 'env-access-token-not-for-children', 'env-token-secret-not-for-children'])
      expect(seen.includes(secret)).toBe(false);
  });
});
