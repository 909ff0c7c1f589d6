// Runs the built CLI (`bin/twauth`, which loads dist/: run `npm run build` first) as a person or a
// script would: a separate process, a minimal explicit environment, and stdin that is never a TTY.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { atFileEnd } from './cleanup.js';
import { collect } from './run.js';
import { repoRoot } from './secret-service.js';

export const TWAUTH_BIN = join(repoRoot, 'bin', 'twauth');

export type EnvPatch = Record<string, string | undefined>;

export interface TwauthOptions {
  /** Added to the base environment; a variable set to undefined is removed. */
  env?: EnvPatch;
  /** Written to stdin, which is then closed. Without it, stdin is /dev/null. (spawnTwauth: a pipe.) */
  input?: string;
  /** runTwauth only: SIGKILL and reject after this long (default 30 s). */
  timeoutMs?: number;
  cwd?: string;
}

export interface TwauthResult {
  /** Exit status; 128 + n if killed by signal n (then `signal` names it). */
  code: number;
  signal: string | null;
  stdout: string;
  stderr: string;
}

const tempDirs = new Set<string>();
const children = new Set<ChildProcess>();

const cleanUp = () => {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
  sharedCache = undefined;
};

/**
 * A fresh private (0700) directory under os.tmpdir(), removed after the test file (or earlier by
 * `removeTempDir`).
 */
export function tempConfigDir(prefix = 'twauth-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix)); // mkdtemp makes it 0700
  tempDirs.add(dir);
  atFileEnd(cleanUp);
  return dir;
}

export function removeTempDir(dir: string): void {
  tempDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

let sharedCache: string | undefined;

/**
 * The base environment: PATH, LANG=C.UTF-8, HOME (a fresh temp dir unless given) and
 * XDG_CACHE_HOME (this test file's compile cache unless given), then
 * `patch`. Nothing else is inherited: no TWAUTH_*, no DBUS_SESSION_BUS_ADDRESS, no BROWSER,
 * DISPLAY, NO_COLOR or proxies from the developer's shell.
 */
export function twauthEnv(patch: EnvPatch = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
  };
  if (!('HOME' in patch)) env.HOME = tempConfigDir('twauth-home-'); // removed with the others
  // One compile cache per test file, as a person has one: after a file's first run, twauth starts
  // from cached code, the way it does for people (Node's compile cache, src/cli/node-compile-cache.ts; none on Node 20).
  if (!('XDG_CACHE_HOME' in patch)) env.XDG_CACHE_HOME = sharedCache ??= tempConfigDir('twauth-cache-');
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function spawnChild(args: string[], opts: TwauthOptions, stdin: 'pipe' | 'ignore'): ChildProcess {
  const env = twauthEnv(opts.env);
  const ownHome = opts.env === undefined || !('HOME' in opts.env) ? env.HOME : undefined;
  const child = spawn(process.execPath, [TWAUTH_BIN, ...args], {
    env,
    cwd: opts.cwd ?? repoRoot,
    stdio: [stdin, 'pipe', 'pipe'],
  });
  children.add(child);
  atFileEnd(cleanUp);
  child.once('close', () => {
    children.delete(child);
    if (ownHome) removeTempDir(ownHome); // the HOME made for this run alone
  });
  child.once('error', () => {
    children.delete(child);
    if (ownHome) removeTempDir(ownHome);
  });
  child.stdin?.on('error', () => {}); // EPIPE when twauth exits without reading its input
  return child;
}

export async function runTwauth(args: string[], opts: TwauthOptions = {}): Promise<TwauthResult> {
  const child = spawnChild(args, opts, opts.input === undefined ? 'ignore' : 'pipe');
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  const r = await collect(child, `twauth ${args.join(' ')}`, opts.timeoutMs ?? 30_000);
  return { ...r, code: r.code ?? 128 + signalNumber(r.signal) };
}

/** Shell convention for a process killed by a signal: 128 + the signal's number. */
function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? ((osConstants.signals as Record<string, number>)[signal] ?? 0) : 0;
}

export interface TwauthProcess {
  child: ChildProcess;
  /** All stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with all stderr so far once it matches `re`; rejects on timeout or exit first. */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<string>;
  waitForStdout(re: RegExp, timeoutMs?: number): Promise<string>;
  exit: Promise<{ code: number | null; signal: string | null }>;
  write(s: string): void;
  end(s?: string): void;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts twauth and returns at once, for long-running commands such as `twauth login`. */
export function spawnTwauth(args: string[], opts: TwauthOptions = {}): TwauthProcess {
  const child = spawnChild(args, opts, 'pipe');
  const out = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out.stdout += d;
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    out.stderr += d;
    notify();
  });
  if (opts.input !== undefined) child.stdin!.write(opts.input);
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('close', (code, signal) => {
      exited = true;
      notify();
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      out.stderr += `\nspawn error: ${err.message}`;
      exited = true;
      notify();
      resolve({ code: null, signal: null });
    });
  });

  const waitFor = (stream: 'stdout' | 'stderr', re: RegExp, timeoutMs = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (re.test(out[stream])) done(() => resolve(out[stream]));
        else if (exited)
          done(() =>
            reject(
              new Error(
                `twauth exited (code ${child.exitCode}, signal ${child.signalCode}) before ${stream} matched ${re}\nstdout: ${out.stdout}\nstderr: ${out.stderr}`,
              ),
            ),
          );
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new Error(
                `${stream} did not match ${re} within ${timeoutMs} ms\nstdout: ${out.stdout}\nstderr: ${out.stderr}`,
              ),
            ),
          ),
        timeoutMs,
      );
      const done = (f: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        f();
      };
      waiters.add(check);
      check();
    });

  return {
    child,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    waitForStderr: (re, timeoutMs) => waitFor('stderr', re, timeoutMs),
    waitForStdout: (re, timeoutMs) => waitFor('stdout', re, timeoutMs),
    exit,
    write: (s) => void child.stdin!.write(s),
    end: (s) => void (s === undefined ? child.stdin!.end() : child.stdin!.end(s)),
    kill: (signal = 'SIGTERM') => void child.kill(signal),
  };
}
