import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensurePrivateDir } from './private-path.js';
import { processIsGone } from './process-is-gone.js';

const STALE_MS = 30_000;
/** An empty lock this young may be one being written where hard links are not supported (tryCreate). */
const EMPTY_GRACE_MS = 1_000;
/** A takeover takes microseconds; a takeover folder older than this was left by a crash. */
const TAKEOVER_STALE_MS = 5_000;
/** Far above "pid ISO-date nonce". */
const MAX_LOCK_BYTES = 256;

/** The lock is held by a live twauth process, and went on being held until our deadline. */
export class LockBusyError extends Error {
  override readonly name = 'LockBusyError';
  constructor(readonly lockPath: string) {
    super(`${lockPath} is held by another twauth process; try again, or delete it if no twauth is running`);
  }
}

/** What a lock file is: its inode and content, which name one acquisition and no other. */
interface LockIdentity {
  readonly ino: number;
  readonly content: string;
  readonly mtimeMs: number;
}

function readLock(lockPath: string): LockIdentity | undefined {
  let fd: number;
  try {
    fd = openSync(lockPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A symlink or an unreadable entry where our lock should be: identified by its lstat alone.
    const st = lstatSync(lockPath, { throwIfNoEntry: false });
    return st ? { ino: st.ino, content: '', mtimeMs: st.mtimeMs } : undefined;
  }
  try {
    const st = fstatSync(fd);
    const buf = Buffer.alloc(MAX_LOCK_BYTES);
    let n = 0;
    try {
      n = readSync(fd, buf, 0, buf.length, 0);
    } catch {
      // unreadable: an empty identity, so stale
    }
    return { ino: st.ino, content: buf.toString('utf8', 0, n), mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function sameLock(a: LockIdentity | undefined, b: LockIdentity): boolean {
  return a !== undefined && a.ino === b.ino && a.content === b.content;
}

/**
 * A lock is stale when its holder cannot be holding it: the content names no process (empty or
 * unreadable, and over a second old: a writer that died or ran out of space; ours appear
 * complete, see tryCreate),
 * the process is gone, or the lock is older than 30 s (a hung holder, or a pid reused).
 */
function isStale(lock: LockIdentity): boolean {
  const pid = Number(/^(\d+) /.exec(lock.content)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return Date.now() - lock.mtimeMs > EMPTY_GRACE_MS;
  if (processIsGone(pid)) return true;
  return Date.now() - lock.mtimeMs > STALE_MS;
}

/**
 * The folder that makes removing one lock file an exclusive act. mkdir is atomic, and the name
 * holds the lock's identity, so two processes that both judged the same lock stale cannot both
 * remove a lock: the second finds the folder taken, or, once it is free again, a lock file of
 * another identity, which it leaves alone. The holder releases its own lock through the same
 * folder, so a holder that was only slow and a process taking its lock over never both unlink.
 */
function takeoverDir(lockPath: string, lock: LockIdentity): string {
  const tag = createHash('sha256').update(lock.content).digest('hex').slice(0, 32);
  return `${lockPath}.takeover-${lock.ino}-${tag}`;
}

/** Removes the lock file if it is still `lock`; false when another process is at it. */
function removeIfStill(lockPath: string, lock: LockIdentity): boolean {
  const guard = takeoverDir(lockPath, lock);
  try {
    mkdirSync(guard, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const st = lstatSync(guard, { throwIfNoEntry: false });
    // Its maker died between mkdir and rmdir: free it for the next try.
    if (st && Date.now() - st.mtimeMs > TAKEOVER_STALE_MS) {
      try {
        rmdirSync(guard);
      } catch {
        // another process freed it first
      }
    }
    return false;
  }
  try {
    if (sameLock(readLock(lockPath), lock)) unlinkSync(lockPath);
    return true;
  } finally {
    rmdirSync(guard);
  }
}

/**
 * Creates the lock file complete or not at all: the content is written to a private temp file,
 * which is then hard-linked to the lock's name (link fails with EEXIST if the name exists, as
 * O_EXCL does). So a lock file is never seen empty or half-written, and a write that fails (no
 * space) leaves no lock and no open descriptor.
 */
function tryCreate(lockPath: string, content: string): boolean {
  const tmp = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, lockPath);
    } catch (err) {
      if (!NO_LINKS.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      createInPlace(lockPath, content);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
}

/** What link() answers on file systems without hard links (FAT, some FUSE and network mounts). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Without hard links: O_EXCL creation, then the content (briefly empty: see EMPTY_GRACE_MS). */
function createInPlace(lockPath: string, content: string): void {
  const fd = openSync(
    lockPath,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    writeSync(fd, content);
  } catch (err) {
    closeSync(fd);
    unlinkSync(lockPath);
    throw err;
  }
  closeSync(fd);
}

/** Lock temp files of processes that died between creating and linking them. */
function sweepLockTemps(lockPath: string): void {
  const prefix = `${basename(lockPath)}.`;
  const dir = dirname(lockPath);
  for (const name of readdirSync(dir)) {
    const m = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]+\.new$/.exec(name.slice(prefix.length)) : null;
    if (m && Number(m[1]) !== process.pid && processIsGone(Number(m[1]))) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // another process swept it
      }
    }
  }
}

/**
 * Runs `fn` while holding an exclusive lock file, so that parallel twauth processes updating the
 * same file never lose each other's changes. A lock whose holder is gone is taken over; the
 * takeover is atomic (see takeoverDir), so it can never remove a lock another process just took.
 */
export async function withFileLock<T>(lockPath: string, fn: () => T | Promise<T>, waitMs = 15_000): Promise<T> {
  ensurePrivateDir(dirname(lockPath));
  const deadline = Date.now() + waitMs;
  const content = `${process.pid} ${new Date().toISOString()} ${randomBytes(8).toString('hex')}`;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    if (tryCreate(lockPath, content)) break;
    const lock = readLock(lockPath);
    if (lock === undefined) continue; // released meanwhile
    if (isStale(lock) && removeIfStill(lockPath, lock)) continue;
    if (Date.now() > deadline) throw new LockBusyError(lockPath);
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
  }
  try {
    sweepLockTemps(lockPath);
    return await fn();
  } finally {
    release(lockPath, content);
  }
}

function release(lockPath: string, content: string): void {
  const mine = readLock(lockPath);
  if (mine?.content !== content) return; // taken over meanwhile (we were too slow): not ours to remove
  for (let i = 0; i < 50 && !removeIfStill(lockPath, mine); i++) {
    // A process is checking our lock right now; it finds it alive and lets go within microseconds.
    const until = Date.now() + 2;
    while (Date.now() < until);
  }
}
