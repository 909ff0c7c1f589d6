import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';

/**
 * A V8 code cache for the CLI's own bundles (what Node 22's module.enableCompileCache does; Node
 * 20 has none). Compiling the bundles, and the functions a command runs, is a large part of a
 * short command's time; with the cache V8 deserialises them instead (README "Performance").
 *
 * - Where: $NODE_COMPILE_CACHE, else $XDG_CACHE_HOME/twauth, else ~/.cache/twauth; in a folder
 *   per Node version, architecture and Node/V8 options (V8 rejects a cache made under other
 *   flags). NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does for Node 22's cache.
 * - Which cache belongs to which bundle: the bundle's path, size, modification time and inode are
 *   in the cache's name. V8 itself checks only the source's length, so a rebuilt bundle of the
 *   same length must not find the old cache; older builds' caches are deleted.
 * - When it is written: only when it was missing or V8 rejected it, at exit or at freezeCompileCache(),
 *   whichever comes first, atomically (a temporary file renamed into place), never failing the
 *   command (a read-only home just has no cache).
 * - freezeCompileCache(): V8 stamps a cache with a hash of its flags, so one made after a flag change (the
 *   API client's --liftoff-only, src/api/http-transport.ts) would be rejected at every later
 *   start. The client calls it just before; from then on nothing more is cached.
 */
const FREEZE = Symbol.for('twauth.compileCache.freeze');

/** Called by code that is about to change V8 flags; a no-op when no cache is installed. */
export function freezeCompileCache(): void {
  (globalThis as { [FREEZE]?: () => void })[FREEZE]?.();
}

interface Pending {
  readonly script: Script;
  readonly file: string;
  readonly bundle: string;
}

export function installCompileCache(bundleDir: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_DISABLE_COMPILE_CACHE === '1') return;
  const home = env.HOME || homedir();
  const root = env.NODE_COMPILE_CACHE || join(env.XDG_CACHE_HOME || (home ? join(home, '.cache') : ''), 'twauth');
  if (!env.NODE_COMPILE_CACHE && !env.XDG_CACHE_HOME && !home) return;
  const dir = join(root, `v8-${process.version}-${process.arch}-${fnv1a(`${process.execArgv.join(' ')}\0${env.NODE_OPTIONS ?? ''}`)}`);
  const prefix = bundleDir.endsWith(sep) ? bundleDir : bundleDir + sep;
  const pending: Pending[] = [];
  let frozen = false;

  const flush = () => {
    for (const { script, file, bundle } of pending.splice(0)) {
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, file);
        // The caches of earlier builds of this bundle will never be read again.
        for (const old of readdirSync(dir)) if (old.startsWith(`${bundle}-`) && old.endsWith('.bin') && join(dir, old) !== file) rmSync(join(dir, old), { force: true });
      } catch {
        // no cache this time; the command is unaffected
        try {
          rmSync(tmp, { force: true });
        } catch {
          // the folder itself is unusable
        }
      }
    }
  };
  const freeze = () => {
    if (frozen) return;
    flush();
    frozen = true;
  };
  (globalThis as { [FREEZE]?: () => void })[FREEZE] = freeze;
  process.once('exit', freeze);

  type Compile = (this: Module, content: string, filename: string) => unknown;
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  proto._compile = function (this: Module, content: string, filename: string) {
    if (!filename.startsWith(prefix)) return original.call(this, content, filename);
    // Named after the bundle and its folder: two installations of twauth keep a cache each.
    const bundle = `${basename(filename)}-${fnv1a(filename)}`;
    const file = join(dir, `${bundle}-${identity(filename)}.bin`);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(file);
    } catch {
      // first run, or a new build
    }
    // No importModuleDynamically: code restored from a cache loses it anyway, so the bundles
    // import() through boot.cjs instead (scripts/build.mjs).
    const script = new Script(Module.wrap(content), { filename, cachedData });
    if (!frozen && (!cachedData || script.cachedDataRejected)) pending.push({ script, file, bundle });
    const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => unknown;
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
  };
}

/** Size, modification time and inode: any rewrite or rebuild of the bundle changes them. */
function identity(filename: string): string {
  try {
    const s = statSync(filename);
    return `${s.size}-${Math.round(s.mtimeMs * 1000)}-${s.ino}`;
  } catch {
    return 'unknown';
  }
}

/** FNV-1a, 32 bits, hex: a short folder name for a string, no crypto module needed. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
