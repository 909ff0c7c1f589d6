// Background processes for tests (dbus-daemon, gnome-keyring-daemon, tmux servers...) that must
// never outlive the test process: each is started under `setpriv --pdeathsig KILL`, so the kernel
// kills it if the test process dies without cleaning up, and is also killed after the test file
// (cleanup.ts) if nobody stopped it.
// Its output is always piped and kept in memory (never inherited), so it cannot leak into a
// test's or a command's stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { atFileEnd } from './cleanup.js';

export interface Daemon {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything the process wrote to stdout and stderr so far (for error messages). */
  output(): string;
  /** Resolves when the process has exited (and been reaped). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const SETPRIV = '/usr/bin/setpriv';
const live = new Set<ChildProcess>();

export function spawnDaemon(
  command: string,
  args: string[],
  opts: {
    env: Record<string, string>;
    cwd?: string;
    /** Written to stdin, which is then closed. */
    stdin?: string;
    /** Give it a stdin pipe that stays open until it exits (for processes that quit on EOF). */
    keepStdinOpen?: boolean;
  },
): Daemon {
  // setpriv execs the command, so the pid we get is the daemon's own pid.
  const [file, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]]
    : [command, args];
  const child = spawn(file, argv, {
    env: opts.env,
    cwd: opts.cwd,
    stdio: [opts.stdin === undefined && !opts.keepStdinOpen ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stdin?.on('error', () => {}); // EPIPE if the daemon exits before reading
  if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
  let unregister = () => {};
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (err) => {
      out += `\nspawn error: ${err.message}`;
      live.delete(child);
      unregister();
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      live.delete(child);
      unregister();
      resolve({ code, signal });
    });
  });
  const daemon: Daemon = {
    child,
    pid: child.pid ?? -1,
    output: () => out,
    exited,
    async stop(graceMs = 2000) {
      if (child.exitCode !== null || child.signalCode !== null || !live.has(child)) {
        await exited;
        return;
      }
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  if (live.has(child)) unregister = atFileEnd(() => daemon.stop(500));
  return daemon;
}

/** Polls `probe` every `intervalMs` until it returns a truthy value or `timeoutMs` passes. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | null | false>,
  opts: { timeoutMs: number; intervalMs?: number; what: string; details?: () => string },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      const details = opts.details ? `\n${opts.details()}` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${why}${details}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
  }
}
