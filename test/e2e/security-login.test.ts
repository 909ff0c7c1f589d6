// Issue 13 item 4: a token X issued must never stay live, neither stored nor revoked. These tests
// run the built bin/twauth with a real gnome-keyring (test/helpers/secret-service.ts) and the
// sandbox emulator, and break the login at each step: a keychain write that times out but lands,
// a signal during the keychain write or the token exchange, a folder that cannot be written.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempConfigDir, twauthEnv } from '../helpers/cli.js';
import { startHoldingBusProxy } from '../helpers/holding-bus-proxy.js';
import { isAlive } from '../helpers/proc-scan.js';
import { run } from '../helpers/run.js';
import { SANDBOX_BROWSER, startSandbox, TWAUTH, type Sandbox } from './support.js';

let kc: Sandbox;
beforeAll(async () => {
  kc = await startSandbox({ keychain: 'real' });
});
afterAll(async () => {
  await kc?.stop();
});

interface Meta {
  accounts: { key: string; screenName: string; store: string; maybeInKeychain?: boolean }[];
}
const meta = (): Meta => JSON.parse(readFileSync(join(kc.configDir, 'config.json'), 'utf8')) as Meta;
const fileSecrets = (): Record<string, string> => {
  const f = join(kc.configDir, 'credentials.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Record<string, string>) : {};
};

describe('a keychain write that times out but lands (issue 13 item 4b)', () => {
  it('is read back: the account is stored in the keychain only, and logout leaves no copy anywhere', async () => {
    const t = kc.issue('sandbox_alice');
    const app = kc.emu.apps[0]!;
    const input = JSON.stringify({
      consumer_key: app.consumerKey,
      consumer_secret: app.consumerSecret,
      access_token: t.token,
      access_token_secret: t.secret,
    });
    // twauth talks to the keyring through a proxy that withholds the answer to CreateItem: the
    // keytar helper's item lands, but the write never answers, so twauth's 8 s keychain deadline
    // always passes first (well before libsecret's own 25 s D-Bus timeout): a write that "did not
    // answer" yet landed, whatever the machine's load.
    const proxy = await startHoldingBusProxy(kc.secretService!.env.DBUS_SESSION_BUS_ADDRESS!);
    let r: Awaited<ReturnType<typeof run>>;
    try {
      r = await run(process.execPath, [TWAUTH, 'login', '--with-token'], {
        env: twauthEnv({ ...kc.env, ...proxy.env, TWAUTH_KEYCHAIN_TIMEOUT: '8' }),
        input,
        timeoutMs: 50_000,
      });
    } finally {
      await proxy.stop();
    }
    expect(proxy.holds(), r.stderr).toBe(1);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Logged in as @sandbox_alice');
    expect(r.stderr).not.toContain('credentials saved to');
    const items = await kc.secretService!.items('twauth');
    expect(items.map((i) => i.account)).toEqual([meta().accounts[0]!.key]);
    expect(meta().accounts).toMatchObject([{ screenName: 'sandbox_alice', store: 'keychain' }]);
    expect(fileSecrets()).toEqual({});
    const out = await kc.tw(['logout', '--account', 'sandbox_alice']);
    expect(out.code, out.stderr).toBe(0);
    expect(await kc.secretService!.items('twauth')).toEqual([]);
    expect(fileSecrets()).toEqual({});
  });
});

/** The children of `pid` (from /proc/N/stat's ppid field), with their command lines. */
function childrenOf(pid: number): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid)
        out.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, 'latin1') });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  details: () => string = () => '',
): Promise<T> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = await probe();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}${details() ? `; twauth said:\n${details()}` : ''}`);
}

/** POST /1.1/oauth/invalidate_token requests X answered since `since` (an index into the request log). */
const revocations = (since: number) =>
  kc.emu
    .requests()
    .slice(since)
    .filter((r) => r.path === '/1.1/oauth/invalidate_token' && r.status === 200).length;

/**
 * `twauth login` approved by the sandbox's `user`, its keychain reached through `busEnv` (a
 * holding proxy). `running()` is undefined while twauth runs; a login that ended before the
 * signal fails the test at once.
 */
function spawnLogin(busEnv: Record<string, string>, user: string) {
  const child = spawn(process.execPath, [TWAUTH, 'login', '--port', '0'], {
    env: twauthEnv({
      ...kc.env,
      ...busEnv,
      BROWSER: `${SANDBOX_BROWSER} --user ${user}`,
      TWAUTH_KEYCHAIN_TIMEOUT: '120',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('close', (c) => resolve((code = c))));
  return {
    child,
    exited,
    stderr: () => stderr,
    code: () => code,
    running: (): undefined => {
      if (code !== undefined) throw new Error(`twauth exited (${code}) before the signal:\n${stderr}`);
      return undefined;
    },
  };
}

const EXIT_FOR: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

describe('a signal while the account is written to the keychain (issue 13 item 4a)', () => {
  // One user per signal, so that one test's leftovers can never pass for another's.
  const USER = { SIGINT: 'sandbox_alice', SIGTERM: 'sandbox_bob', SIGHUP: 'sandbox_carol' } as const;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${sig}: exit ${EXIT_FOR[sig]}, the token revoked, the keytar helper killed, the keychain item it wrote removed`, async () => {
      const since = kc.emu.requests().length;
      // twauth talks to the keyring through a proxy that withholds the answer to CreateItem: the
      // keytar helper's write lands in the keyring, then the helper waits for that answer until it
      // is killed. The store step is in progress when the signal comes, however slow the machine.
      const proxy = await startHoldingBusProxy(kc.secretService!.env.DBUS_SESSION_BUS_ADDRESS!);
      try {
        const login = spawnLogin(proxy.env, USER[sig]);
        const { child, exited, running } = login;
        const userId = kc.emu.users.find((u) => u.username === USER[sig])!.id;
        let helper: { pid: number };
        try {
          // Observable states only: the write is held at the proxy, the item is in the keyring,
          // and the helper that wrote it is a live child of twauth.
          await until(
            'the keychain write to be held',
            () => running() ?? (proxy.holds() > 0 ? true : undefined),
            60_000,
            login.stderr,
          );
          await until(
            'the item in the keychain',
            async () =>
              running() ??
              ((await kc.secretService!.items('twauth')).some((i) => i.account.startsWith(`${userId}:`))
                ? true
                : undefined),
            30_000,
            login.stderr,
          );
          helper = await until(
            'the keytar helper',
            () => running() ?? childrenOf(child.pid!).find((c) => c.cmdline.includes('keytar')),
            30_000,
            login.stderr,
          );
        } catch (err) {
          child.kill('SIGKILL');
          throw err;
        }
        expect(proxy.holds()).toBe(1);
        child.kill(sig);
        expect(await exited, login.stderr()).toBe(EXIT_FOR[sig]);
        expect(login.stderr()).toContain(
          `login interrupted (${sig}) before the account was stored; nothing was stored and the new token was revoked at X`,
        );
        expect(login.stderr()).not.toContain('Logged in');
        expect(revocations(since)).toBe(1);
        expect(await isAlive(helper.pid)).toBe(false);
        expect(await kc.secretService!.items('twauth')).toEqual([]);
        expect(existsSync(join(kc.configDir, 'config.json')) ? meta().accounts : []).toEqual([]);
        expect(fileSecrets()).toEqual({});
      } finally {
        await proxy.stop();
      }
    }, 120_000);
  }
});

describe('a second Ctrl-C while the token is taken back (issue 13 item 4: every way out revokes)', () => {
  it('is held until the revoke is done: exit 130, the token revoked, nothing left', async () => {
    const since = kc.emu.requests().length;
    const proxy = await startHoldingBusProxy(kc.secretService!.env.DBUS_SESSION_BUS_ADDRESS!);
    // The revoke takes 3 s, so the second signal surely comes while it is under way.
    kc.emu.setFaults({ paths: ['/1.1/oauth/invalidate_token'], latencyMs: 3000 });
    try {
      const login = spawnLogin(proxy.env, 'sandbox_alice');
      const { child, exited, running } = login;
      try {
        await until(
          'the keychain write to be held',
          () => running() ?? (proxy.holds() > 0 ? true : undefined),
          60_000,
          login.stderr,
        );
      } catch (err) {
        child.kill('SIGKILL');
        throw err;
      }
      child.kill('SIGINT');
      await new Promise((r) => setTimeout(r, 500));
      expect(login.code(), login.stderr()).toBeUndefined(); // still revoking
      child.kill('SIGINT');
      expect(await exited, login.stderr()).toBe(130);
      expect(login.stderr()).toContain('twauth: SIGINT: taking back the token X issued first, a moment…');
      expect(login.stderr()).toContain('nothing was stored and the new token was revoked at X');
      expect(revocations(since)).toBe(1);
      expect(await kc.secretService!.items('twauth')).toEqual([]);
    } finally {
      kc.emu.setFaults({});
      await proxy.stop();
    }
  }, 120_000);
});

describe('SIGHUP during the token exchange (issue 13 item 4d)', () => {
  it('exit 129 and the token X issued meanwhile is revoked', async () => {
    const since = kc.emu.requests().length;
    kc.emu.setFaults({ paths: ['/oauth/access_token'], latencyMs: 2500 });
    try {
      const p = kc.spawn(['login', '--port', '0'], {
        env: { BROWSER: `${SANDBOX_BROWSER} --user sandbox_carol`, TWAUTH_STORE: 'file' },
      });
      await until('the approval', () =>
        kc.emu
          .requests()
          .slice(since)
          .some((r) => r.method === 'POST' && r.path === '/oauth/authorize')
          ? true
          : undefined,
      );
      await new Promise((r) => setTimeout(r, 800)); // the exchange is under way (2.5 s)
      p.kill('SIGHUP');
      const { code } = await p.exit;
      expect(code, p.stderr()).toBe(129);
      expect(p.stderr()).toContain(
        'login interrupted (SIGHUP) before the account was stored; nothing was stored and the new token was revoked at X',
      );
      expect(
        kc.emu
          .requests()
          .slice(since)
          .filter((r) => r.path === '/oauth/access_token' && r.status === 200).length,
      ).toBe(1);
      expect(revocations(since)).toBe(1);
    } finally {
      kc.emu.setFaults({});
    }
  });
});

describe('a store step that fails (issue 13 item 4c)', () => {
  it('a read-only folder, or a "folder" that is a file: the token is revoked, the message says why, not "unexpected error"', async () => {
    const ro = tempConfigDir('twauth-ro-');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k,mode=0700', 'tmpfs', ro], {
      encoding: 'utf8',
    });
    expect(mounted.status, mounted.stderr).toBe(0);
    const notDir = join(tempConfigDir('twauth-notdir-'), 'file');
    writeFileSync(notDir, 'not a folder');
    try {
      // A read-only folder: the disk's error (exit 1); a path through a file: the setting is wrong (exit 2).
      for (const [dir, why, exit] of [
        [ro, 'EROFS', 1],
        [join(notDir, 'config'), `cannot create the config folder ${join(notDir, 'config')} (ENOTDIR)`, 2],
      ] as const) {
        const since = kc.emu.requests().length;
        const r = await kc.tw(['login', '--port', '0'], {
          env: { BROWSER: `${SANDBOX_BROWSER} --user sandbox_alice`, TWAUTH_STORE: 'file', TWAUTH_CONFIG_DIR: dir },
        });
        expect(r.code, r.stderr).toBe(exit);
        expect(r.stderr).toContain(`the account could not be stored (${why}`);
        expect(r.stderr).toContain('nothing was stored and the new token was revoked at X');
        expect(r.stderr).not.toContain('unexpected error');
        expect(revocations(since)).toBe(1);
      }
    } finally {
      spawnSync('umount', [ro]);
    }
  });
});
