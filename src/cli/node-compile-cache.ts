import { lstatSync, mkdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';

/**
 * Node's own compile cache (`module.enableCompileCache`, Node ≥ 22.1; Node 20 has none): V8
 * code for the CLI's bundles is kept on disk, so later starts skip compiling them.
 *
 * A compile cache is code: V8 checks little more than the source's length before running what it
 * finds, so a cache file planted by someone else runs as the user. The folder must therefore be
 * the user's alone, checked at every start (not only when it is made): not a symbolic link,
 * owned by this uid, no access for group or others, in a parent no one else can rename it out of.
 * Otherwise no cache is used. Node's default folder (under the shared temp folder) is never used.
 *
 * - NODE_DISABLE_COMPILE_CACHE=1: none (as for Node itself).
 * - NODE_COMPILE_CACHE=DIR: Node itself enables that cache before any of twauth's code runs. If
 *   DIR is private it is used as it is; if not, twauth runs itself again without the variable
 *   (one extra process start, only in that case) before loading any of its bundles.
 * - Otherwise $XDG_CACHE_HOME/twauth (absolute paths only, XDG Base Directory spec), else
 *   $HOME/.cache/twauth, made 0700 if missing; neither set: none.
 *
 * Only node:fs, node:path and node:module here: this runs at every start (node:child_process,
 * for the rare rerun, is loaded only then).
 */
export type CompileCacheOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'enabled'; readonly dir: string }
  | { readonly kind: 'refused'; readonly dir: string; readonly why: string; readonly from: string };

interface Deps {
  readonly env: NodeJS.ProcessEnv;
  readonly uid: number | undefined;
  readonly enable: ((dir: string) => unknown) | undefined;
}

function defaultDeps(): Deps {
  const enable = (module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  return { env: process.env, uid: process.getuid?.(), enable: enable?.bind(module) };
}

/** Why `dir` is not this user's alone, or undefined when it is. */
export function whyNotPrivate(dir: string, uid: number): string | undefined {
  let s;
  try {
    s = lstatSync(dir);
  } catch (err) {
    return `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (s.isSymbolicLink()) return 'is a symbolic link';
  if (!s.isDirectory()) return 'is not a folder';
  if (s.uid !== uid) return `belongs to uid ${s.uid}, not to this user (uid ${uid})`;
  if (s.mode & 0o077) return `has mode ${(s.mode & 0o777).toString(8)}: group or others have access (chmod 700 it)`;
  // Someone who may write the parent could swap the folder for their own between this check and
  // Node's use of it; a sticky parent (like /tmp) lets only the folder's owner rename it.
  let p;
  try {
    p = statSync(dirname(dir));
  } catch {
    return 'has an unreadable parent folder';
  }
  if (p.uid !== uid && p.uid !== 0) return `is in ${dirname(dir)}, which belongs to uid ${p.uid}`;
  if (p.mode & 0o022 && !(p.mode & 0o1000)) return `is in ${dirname(dir)}, which group or others may write`;
  return undefined;
}

/** Chooses, checks and enables the compile cache for this run; see the comment above. */
export function startCompileCache(deps: Deps = defaultDeps()): CompileCacheOutcome {
  const { env, uid, enable } = deps;
  // Node 20 (no compile cache), a platform without Unix owners, or switched off.
  if (!enable || uid === undefined || env.NODE_DISABLE_COMPILE_CACHE === '1') return { kind: 'none' };
  const fromEnv = env.NODE_COMPILE_CACHE;
  if (fromEnv) {
    const dir = isAbsolute(fromEnv) ? fromEnv : join(process.cwd(), fromEnv);
    const why = whyNotPrivate(dir, uid);
    if (why === undefined) return { kind: 'enabled', dir }; // already enabled by Node at start-up
    return { kind: 'refused', dir, why, from: 'NODE_COMPILE_CACHE' };
  }
  const xdg = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  const home = env.HOME;
  if (!xdg && !home) return { kind: 'none' };
  const dir = join(xdg ?? join(home as string, '.cache'), 'twauth');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    // a read-only home: checked (and refused) below
  }
  const why = whyNotPrivate(dir, uid);
  if (why !== undefined) return { kind: 'refused', dir, why, from: xdg ? 'XDG_CACHE_HOME' : 'HOME' };
  try {
    enable(dir);
  } catch {
    return { kind: 'none' };
  }
  return { kind: 'enabled', dir };
}

/**
 * For a refused NODE_COMPILE_CACHE: runs this same command again without it, passing signals on
 * and ending with the child's status. Node enabled that cache before twauth could check it, and
 * offers no way to turn it off again.
 */
export async function rerunWithoutNodeCompileCache(): Promise<void> {
  const { spawn } = await import('node:child_process');
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
  child.on('error', (err) => {
    process.stderr.write(`twauth: could not start itself again: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, forward);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
}
