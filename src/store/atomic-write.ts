import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensurePrivateDir } from './private-path.js';
import { processIsGone } from './process-is-gone.js';

export { ensurePrivateDir } from './private-path.js';

/** Temp files of an older twauth (".<12 hex>.tmp"): which file they were for is unknown. */
const LEGACY_TEMP = /^\.[0-9a-f]{12}\.tmp$/;
/** An older twauth's temp file this old is no write in progress. */
const LEGACY_TEMP_STALE_MS = 60_000;

function tempName(target: string): string {
  return `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/**
 * Replaces a file so that a reader sees the old content or the new, never a mix, and a crash
 * leaves no half-written file: write a temp file (0600) in the same folder, fsync it, rename it
 * over the target (atomic on POSIX), then fsync the folder so the rename itself survives a crash.
 * Nothing here follows a symbolic link: the temp file is created with O_EXCL|O_NOFOLLOW, and
 * rename replaces a link at the target's name instead of writing through it.
 */
export function writeFileAtomic(path: string, data: string): void {
  const dir = dirname(path);
  ensurePrivateDir(dir);
  const tmp = join(dir, tempName(path));
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created or already renamed
    }
    throw err;
  }
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

/**
 * Removes temp files that writers of `targets` left when they died between write and rename (they
 * may hold secrets, mode 0600). Call it holding the lock that guards those targets: then no live
 * process of ours is writing one, except one whose pid is still running (left alone).
 */
export function sweepStaleTemps(dir: string, targets: readonly string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    let stale = false;
    const m = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name);
    if (m && targets.includes(m[1]!)) stale = Number(m[2]) !== process.pid && processIsGone(Number(m[2]));
    else if (LEGACY_TEMP.test(name))
      stale =
        Date.now() - (lstatSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) >
        LEGACY_TEMP_STALE_MS;
    if (!stale) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // another process swept it first
    }
  }
}
