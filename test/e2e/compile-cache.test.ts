// Issue 7: the V8 code cache for the CLI's bundles (src/cli/compile-cache.ts). What a user meets:
// the first run writes it, later runs use it (and never rewrite it), a rebuilt bundle gets a fresh
// one and the stale one goes, a broken or unwritable cache never changes a command's result, and
// NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempConfigDir, twauthEnv, type EnvPatch } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { repoRoot } from '../helpers/secret-service.js';
import { startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
});
afterAll(() => sb.stop());

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
  const r = await run(process.execPath, [join(install, 'bin', 'twauth'), ...args], { env: twauthEnv(env), timeoutMs: 30_000 });
  return { ...r, code: r.code ?? -1 };
}

/** The cache files under `root`: name → mtime (ms) and mode. */
function cacheFiles(root: string): Map<string, { mtimeMs: number; mode: number }> {
  const out = new Map<string, { mtimeMs: number; mode: number }>();
  if (!existsSync(root)) return out;
  for (const sub of readdirSync(root)) {
    for (const f of readdirSync(join(root, sub))) {
      const s = statSync(join(root, sub, f));
      out.set(`${sub}/${f}`, { mtimeMs: s.mtimeMs, mode: s.mode & 0o777 });
    }
  }
  return out;
}
const names = (m: Map<string, unknown>) => [...m.keys()].map((k) => k.replace(/^v8-[^/]+\//, '').replace(/-[0-9a-f]{8}-\d+-\d+-\d+\.bin$/, '')).sort();

describe('the compile cache', () => {
  it('is written by the first run (0600 files, 0700 folder), then used and never rewritten', async () => {
    const install = installCopy();
    const cache = tempConfigDir('twauth-xdg-cache-');
    const env = { ...sb.env, ...sb.issue('sandbox_alice').env, XDG_CACHE_HOME: cache };
    const first = await twauth(install, ['whoami'], env);
    expect(first, first.stderr).toMatchObject({ code: 0, stdout: 'sandbox_alice\n', stderr: '' });
    const root = join(cache, 'twauth');
    const written = cacheFiles(root);
    expect(names(written)).toEqual(['dispatch.cjs', 'main.cjs']);
    for (const { mode } of written.values()) expect(mode).toBe(0o600);
    for (const sub of readdirSync(root)) expect(statSync(join(root, sub)).mode & 0o777).toBe(0o700);

    for (let i = 0; i < 3; i++) {
      const again = await twauth(install, ['whoami'], env);
      expect(again, again.stderr).toMatchObject({ code: 0, stdout: 'sandbox_alice\n', stderr: '' });
    }
    // Written only when missing or rejected by V8: unchanged files mean V8 accepted them.
    expect(cacheFiles(root)).toEqual(written);
  });

  it('code restored from the cache still imports ES-module-only packages (open, undici behind a proxy)', async () => {
    const install = installCopy();
    const cache = tempConfigDir('twauth-xdg-cache-');
    // No BROWSER and no desktop: login imports `open`, which fails to launch anything (a note),
    // and the login then times out waiting for the person (exit 69).
    const loginEnv = { ...sb.env, XDG_CACHE_HOME: cache, BROWSER: undefined, DISPLAY: undefined, TWAUTH_CONFIG_DIR: tempConfigDir('twauth-cfg-') };
    const proxyEnv = { ...sb.env, ...sb.issue('sandbox_alice').env, XDG_CACHE_HOME: cache, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' };
    const runs = [];
    for (let i = 0; i < 3; i++) {
      runs.push(await twauth(install, ['login', '--port', '0', '--timeout', '1'], loginEnv));
      runs.push(await twauth(install, ['whoami'], proxyEnv));
    }
    expect(cacheFiles(join(cache, 'twauth')).size).toBe(2); // written by the first runs, then used
    for (const r of runs) {
      expect(r.stderr).not.toMatch(/dynamic import|unexpected error|ExperimentalWarning/i);
      expect(r.code, r.stderr).not.toBe(0);
    }
    // The same outcome cold and warm.
    expect(runs.map((r) => r.code)).toEqual([runs[0]!.code, runs[1]!.code, runs[0]!.code, runs[1]!.code, runs[0]!.code, runs[1]!.code]);
  });

  it('a rebuilt bundle gets a new cache and the old one is deleted', async () => {
    const install = installCopy();
    const cache = tempConfigDir('twauth-xdg-cache-');
    const env = { XDG_CACHE_HOME: cache };
    expect((await twauth(install, ['--version'], env)).code).toBe(0);
    const before = cacheFiles(join(cache, 'twauth'));
    expect(names(before)).toEqual(['main.cjs']);
    // The same length, other content (the version string): V8's own check, the source's length,
    // would accept the old cache and print the old version.
    const main = join(install, 'dist', 'cli', 'main.cjs');
    const text = readFileSync(main, 'utf8');
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const other = version.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
    expect(text.split(`"${version}"`)).toHaveLength(2);
    writeFileSync(main, text.replace(`"${version}"`, `"${other}"`));
    const r = await twauth(install, ['--version'], env);
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: `${other}\n` });
    const after = cacheFiles(join(cache, 'twauth'));
    expect(names(after)).toEqual(['main.cjs']);
    expect([...after.keys()]).not.toEqual([...before.keys()]);
  });

  it('a corrupt cache file is replaced; the command is unaffected', async () => {
    const install = installCopy();
    const cache = tempConfigDir('twauth-xdg-cache-');
    const env = { XDG_CACHE_HOME: cache };
    const expected = await twauth(install, ['--version'], env);
    const [file] = [...cacheFiles(join(cache, 'twauth')).keys()];
    writeFileSync(join(cache, 'twauth', file!), Buffer.alloc(5000, 0x5a));
    const r = await twauth(install, ['--version'], env);
    expect(r).toEqual(expected);
    expect(readFileSync(join(cache, 'twauth', file!)).equals(Buffer.alloc(5000, 0x5a))).toBe(false);
  });

  it('a cache folder that cannot be made, or NODE_DISABLE_COMPILE_CACHE=1, leaves no cache and changes no output', async () => {
    const install = installCopy();
    const env = { ...sb.env, ...sb.issue('sandbox_bob').env };
    // (Permissions cannot stand in: the tests run as root.)
    const blocked = tempConfigDir('twauth-xdg-cache-');
    writeFileSync(join(blocked, 'twauth'), 'a file where the folder would go');
    const r1 = await twauth(install, ['whoami'], { ...env, XDG_CACHE_HOME: blocked });
    expect(r1).toMatchObject({ code: 0, stdout: 'sandbox_bob\n', stderr: '' });
    expect(readdirSync(blocked)).toEqual(['twauth']);

    const off = tempConfigDir('twauth-xdg-cache-');
    const r3 = await twauth(install, ['whoami'], { ...env, XDG_CACHE_HOME: off, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(r3).toMatchObject({ code: 0, stdout: 'sandbox_bob\n', stderr: '' });
    expect(readdirSync(off)).toEqual([]);
  });
});
