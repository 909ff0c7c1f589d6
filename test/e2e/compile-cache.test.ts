// Issues 15 and 13 (item 1): Node's own compile cache (module.enableCompileCache, Node >= 22.1;
// none on Node 20), only ever in a folder that is the user's alone, checked at every start.
// The attack it must stop: a compile cache is code, and V8 checks little more than the source's
// length, so cache files another user planted ran as the victim (`twauth --version` printed the
// other user's output). Here a real attacker's cache is built and planted in folders owned by
// another Unix user (made with useradd), shown to work against plain node, and shown not to be
// used by twauth.
import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempConfigDir, twauthEnv, type EnvPatch } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { repoRoot } from '../helpers/secret-service.js';
import { startSandbox, type Sandbox } from './support.js';

const exec = promisify(execFile);
/** Node ≥ 22.1 has a compile cache; Node 20 has none (and twauth then uses none). */
const NODE_HAS_CACHE = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const VERSION = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

let sb: Sandbox;
let evil: { name: string; uid: number } | undefined;

/** useradd, retried: parallel test files may hold /etc/passwd's lock for a moment. */
async function addUser(name: string): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      await exec('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
      break;
    } catch (err) {
      if (i >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return Number((await exec('id', ['-u', name])).stdout.trim());
}

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
  if (NODE_HAS_CACHE) {
    const name = `twauth-cc-${process.pid}`;
    evil = { name, uid: await addUser(name) };
  }
}, 60_000);
afterAll(async () => {
  await sb?.stop();
  if (evil) await exec('userdel', [evil.name]).catch(() => undefined);
});

/** A private copy of the installed CLI (bin, dist/cli), sharing node_modules. */
function installCopy(): string {
  const dir = tempConfigDir('twauth-install-');
  cpSync(join(repoRoot, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(repoRoot, 'dist', 'cli'), join(dir, 'dist', 'cli'), { recursive: true });
  cpSync(join(repoRoot, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function twauth(install: string, args: string[], env: EnvPatch) {
  const r = await run(process.execPath, [join(install, 'bin', 'twauth'), ...args], {
    env: twauthEnv(env),
    timeoutMs: 30_000,
  });
  return { ...r, code: r.code ?? -1 };
}

/** Every file under `root`, relative path → mtime (ms) and mode. */
function files(root: string): Map<string, { mtimeMs: number; mode: number }> {
  const out = new Map<string, { mtimeMs: number; mode: number }>();
  if (!existsSync(root)) return out;
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const s = statSync(join(root, entry));
    if (s.isFile()) out.set(entry, { mtimeMs: s.mtimeMs, mode: s.mode & 0o777 });
  }
  return out;
}

describe('the compile cache', () => {
  it.skipIf(!NODE_HAS_CACHE)(
    'Node >= 22: written by the first run in a 0700 folder, then used and never rewritten',
    async () => {
      const install = installCopy();
      const cache = tempConfigDir('twauth-xdg-cache-');
      const env = { ...sb.env, ...sb.issue('sandbox_alice').env, XDG_CACHE_HOME: cache };
      const first = await twauth(install, ['whoami'], env);
      expect(first, first.stderr).toMatchObject({ code: 0, stdout: 'sandbox_alice\n', stderr: '' });
      const root = join(cache, 'twauth');
      expect(statSync(root).mode & 0o777).toBe(0o700);
      const written = files(root);
      // main.cjs and dispatch.cjs (boot.cjs enables the cache, so it is compiled before it)
      expect(written.size).toBe(2);
      for (const { mode } of written.values()) expect(mode).toBe(0o600);
      for (let i = 0; i < 3; i++) {
        const again = await twauth(install, ['whoami'], env);
        expect(again, again.stderr).toMatchObject({ code: 0, stdout: 'sandbox_alice\n', stderr: '' });
      }
      // Node rewrites an entry only when it is missing or V8 rejected it: unchanged files mean
      // V8 accepted them, also after the CLI's run-time V8 flag (--liftoff-only, on the request).
      expect(files(root)).toEqual(written);
    },
  );

  it.skipIf(NODE_HAS_CACHE)('Node 20: no compile cache, nothing written', async () => {
    const install = installCopy();
    const cache = tempConfigDir('twauth-xdg-cache-');
    const r = await twauth(install, ['--help'], { XDG_CACHE_HOME: cache });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readdirSync(cache)).toEqual([]);
  });

  it('code restored from the cache still imports ES-module-only packages (open, undici behind a proxy)', async () => {
    const install = installCopy();
    const cache = tempConfigDir('twauth-xdg-cache-');
    // No BROWSER and no desktop: login imports `open`, which fails to launch anything (a note),
    // and the login then times out waiting for the person.
    const loginEnv = {
      ...sb.env,
      XDG_CACHE_HOME: cache,
      BROWSER: undefined,
      DISPLAY: undefined,
      TWAUTH_CONFIG_DIR: tempConfigDir('twauth-cfg-'),
    };
    const proxyEnv = {
      ...sb.env,
      ...sb.issue('sandbox_alice').env,
      XDG_CACHE_HOME: cache,
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
    };
    const runs = [];
    for (let i = 0; i < 3; i++) {
      runs.push(await twauth(install, ['login', '--port', '0', '--timeout', '1'], loginEnv));
      runs.push(await twauth(install, ['whoami'], proxyEnv));
    }
    if (NODE_HAS_CACHE) expect(files(join(cache, 'twauth')).size).toBeGreaterThanOrEqual(2);
    for (const r of runs) {
      expect(r.stderr).not.toMatch(/dynamic import|unexpected error|ExperimentalWarning/i);
      expect(r.code, r.stderr).not.toBe(0);
    }
    // The same outcome cold and warm.
    expect(runs.map((r) => r.code)).toEqual([
      runs[0]!.code,
      runs[1]!.code,
      runs[0]!.code,
      runs[1]!.code,
      runs[0]!.code,
      runs[1]!.code,
    ]);
  });

  it('an unusable cache folder, or NODE_DISABLE_COMPILE_CACHE=1, leaves no cache and changes no output', async () => {
    const install = installCopy();
    const env = { ...sb.env, ...sb.issue('sandbox_bob').env };
    const blocked = tempConfigDir('twauth-xdg-cache-');
    writeFileSync(join(blocked, 'twauth'), 'a file where the folder would go');
    const r1 = await twauth(install, ['whoami'], { ...env, XDG_CACHE_HOME: blocked });
    expect(r1).toMatchObject({ code: 0, stdout: 'sandbox_bob\n', stderr: '' });
    expect(readdirSync(blocked)).toEqual(['twauth']);
    const off = tempConfigDir('twauth-xdg-cache-');
    const r2 = await twauth(install, ['whoami'], { ...env, XDG_CACHE_HOME: off, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(r2).toMatchObject({ code: 0, stdout: 'sandbox_bob\n', stderr: '' });
    expect(readdirSync(off)).toEqual([]);
  });
});

describe.skipIf(!NODE_HAS_CACHE)('a compile cache another user can write is never used (issue 13, item 1)', () => {
  const MARK = 'PLANTED-CODE-RAN';

  /**
   * Builds what an attacker would: a cache for `install`'s main.cjs (the bundle `--version`
   * runs) that holds other code of the same length, with the real file's hash in Node's header.
   * Returns the folder, still owned by the test's user.
   */
  async function plantedCache(install: string, marker: string): Promise<string> {
    const main = join(install, 'dist', 'cli', 'main.cjs');
    const real = readFileSync(main);
    const nodeMain = (cacheDir: string) =>
      exec(process.execPath, [main, '--version'], {
        env: { PATH: process.env.PATH ?? '', HOME: cacheDir, NODE_COMPILE_CACHE: cacheDir },
      }).catch((e: { stdout: string }) => e);
    const entry = (dir: string) => {
      const [name, ...more] = [...files(dir).keys()];
      expect(more).toEqual([]);
      return join(dir, name!);
    };
    // The real entry's header (Node's: magic, code size, cache size, code hash, cache hash).
    const honest = tempConfigDir('twauth-cc-honest-');
    await nodeMain(honest);
    const realHeader = readFileSync(entry(honest)).subarray(0, 20);
    // Other code, same length, compiled at the same path.
    const payload = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x'); console.log(${JSON.stringify(MARK)});`;
    expect(payload.length).toBeLessThan(real.length);
    writeFileSync(main, payload + ' '.repeat(real.length - Buffer.byteLength(payload)));
    const planted = tempConfigDir('twauth-cc-planted-');
    expect((await nodeMain(planted)).stdout).toBe(`${MARK}\n`);
    writeFileSync(main, real);
    const file = entry(planted);
    const bytes = readFileSync(file);
    realHeader.subarray(12, 16).copy(bytes, 12); // the code hash Node checks: the real file's
    writeFileSync(file, bytes);
    // The plant works: plain node, pointed at it, runs the other code instead of main.cjs.
    const control = await nodeMain(planted);
    expect(control.stdout).toBe(`${MARK}\n`);
    expect(existsSync(marker)).toBe(true);
    return planted;
  }

  /** Hands `dir` (and everything in it) to the other user, with `mode` on the folder. */
  function giveToOtherUser(dir: string, mode: number): void {
    for (const entry of ['', ...readdirSync(dir, { recursive: true, encoding: 'utf8' })])
      chownSync(join(dir, entry), evil!.uid, evil!.uid);
    chmodSync(dir, mode);
  }

  it('NODE_COMPILE_CACHE on a folder of another user: ignored (a note under --verbose), the planted code never runs', async () => {
    const install = installCopy();
    const probe = join(tempConfigDir('twauth-cc-probe-'), 'ran');
    const planted = await plantedCache(install, probe);
    giveToOtherUser(planted, 0o777);
    rmSync(probe, { force: true });
    const own = tempConfigDir('twauth-xdg-cache-');
    // A command that loads main.cjs (`--version` alone loads only the entry bundle).
    const r = await twauth(install, ['help', 'whoami'], { NODE_COMPILE_CACHE: planted, XDG_CACHE_HOME: own });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: twauth whoami/);
    expect(r.stdout).not.toContain(MARK);
    const v = await twauth(install, ['--verbose', '--version'], { NODE_COMPILE_CACHE: planted, XDG_CACHE_HOME: own });
    expect(v.stdout).toBe(`${VERSION}\n`);
    expect(v.stderr).toBe(
      `twauth: note: no compile cache: ${planted} (from NODE_COMPILE_CACHE) belongs to uid ${evil!.uid}, not to this user (uid ${process.getuid!()})\n`,
    );
    expect(existsSync(probe)).toBe(false);
    // Ignored, not merely distrusted: twauth used its own private cache instead.
    expect(files(join(own, 'twauth')).size).toBe(1);
  });

  it('the default folder ($XDG_CACHE_HOME/twauth) owned by another user, or open to others, or a symlink: not used', async () => {
    const install = installCopy();
    const probe = join(tempConfigDir('twauth-cc-probe-'), 'ran');
    const planted = await plantedCache(install, probe);
    rmSync(probe, { force: true });

    // Open to others (0777) although the user's own: someone else may have planted files.
    const openBase = tempConfigDir('twauth-xdg-cache-');
    cpSync(planted, join(openBase, 'twauth'), { recursive: true });
    chmodSync(join(openBase, 'twauth'), 0o777);
    const open = await twauth(install, ['--verbose', '--version'], { XDG_CACHE_HOME: openBase });
    expect(open.stdout).toBe(`${VERSION}\n`);
    expect(open.stderr).toBe(
      `twauth: note: no compile cache: ${join(openBase, 'twauth')} (from XDG_CACHE_HOME) has mode 777: group or others have access (chmod 700 it)\n`,
    );

    // Another user's, mode 0700 (as if that user had made it).
    const otherBase = tempConfigDir('twauth-xdg-cache-');
    cpSync(planted, join(otherBase, 'twauth'), { recursive: true });
    giveToOtherUser(join(otherBase, 'twauth'), 0o700);
    const other = await twauth(install, ['--verbose', '--version'], { XDG_CACHE_HOME: otherBase });
    expect(other).toMatchObject({
      code: 0,
      stdout: `${VERSION}\n`,
      stderr: `twauth: note: no compile cache: ${join(otherBase, 'twauth')} (from XDG_CACHE_HOME) belongs to uid ${evil!.uid}, not to this user (uid ${process.getuid!()})\n`,
    });

    // A symbolic link to it.
    const linkBase = tempConfigDir('twauth-xdg-cache-');
    symlinkSync(join(otherBase, 'twauth'), join(linkBase, 'twauth'));
    const link = await twauth(install, ['--verbose', '--version'], { XDG_CACHE_HOME: linkBase });
    expect(link.stdout).toBe(`${VERSION}\n`);
    expect(link.stderr).toMatch(/^twauth: note: no compile cache: .* is a symbolic link\n$/);

    // The user's own 0700 folder, but in a parent others may write (not sticky): they could swap it.
    const sharedBase = tempConfigDir('twauth-xdg-cache-');
    cpSync(planted, join(sharedBase, 'twauth'), { recursive: true });
    chmodSync(join(sharedBase, 'twauth'), 0o700);
    chmodSync(sharedBase, 0o777);
    const shared = await twauth(install, ['--verbose', '--version'], { XDG_CACHE_HOME: sharedBase });
    expect(shared.stdout).toBe(`${VERSION}\n`);
    expect(shared.stderr).toBe(
      `twauth: note: no compile cache: ${join(sharedBase, 'twauth')} (from XDG_CACHE_HOME) is in ${sharedBase}, which group or others may write\n`,
    );

    expect(existsSync(probe)).toBe(false);
  });
});
