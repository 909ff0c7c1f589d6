import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, chmodSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeDirs } from './make-dirs.js';

/** Creates the folder if needed with mode 0700, and tightens an existing one we own. */
export function ensurePrivateDir(dir: string): void {
  makeDirs(dir, 0o700);
  const st = statSync(dir);
  if ((st.mode & 0o077) !== 0 && st.uid === process.getuid?.()) chmodSync(dir, 0o700);
}

/**
 * Replaces a file so that a reader sees the old content or the new, never a mix, and a crash
 * leaves no half-written file: write a temp file (0600) in the same folder, fsync it, rename it
 * over the target (atomic on POSIX), then fsync the folder so the rename itself survives a crash.
 */
export function writeFileAtomic(path: string, data: string): void {
  const dir = dirname(path);
  ensurePrivateDir(dir);
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
