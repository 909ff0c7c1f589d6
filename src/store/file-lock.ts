import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from './atomic-write.js';

const STALE_MS = 30_000;

function holderIsGone(lockPath: string): boolean {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').split(' ')[0]);
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 0);
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'ESRCH';
      }
    }
    return Date.now() - statSync(lockPath).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` while holding an exclusive lock file (O_CREAT|O_EXCL), so that parallel twauth
 * processes updating the same config never lose each other's changes. A lock left by a process
 * that died is taken over: its pid is gone, or it is older than 30 s.
 */
export async function withFileLock<T>(lockPath: string, fn: () => T | Promise<T>, waitMs = 15_000): Promise<T> {
  ensurePrivateDir(dirname(lockPath));
  const deadline = Date.now() + waitMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, `${process.pid} ${new Date().toISOString()}`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (holderIsGone(lockPath)) {
        try {
          unlinkSync(lockPath);
        } catch {
          // another process took it over first
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${lockPath} is held by another twauth process; try again, or delete it if no twauth is running`);
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      // already gone: nothing to release
    }
  }
}
