import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  openSync,
  readSync,
  statSync,
  type Stats,
} from 'node:fs';
import { makeDirs } from './make-dirs.js';
import { InputTooLargeError } from './read-bounded.js';

/**
 * The config folder or one of its files is not safe to trust: another user owns it, others may
 * write it, or it is a symbolic link. Nothing is read from it or written to it.
 */
export class UnsafePathError extends Error {
  override readonly name = 'UnsafePathError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`refusing ${path}: ${problem}; fix it (chown/chmod) or point TWAUTH_CONFIG_DIR at a private folder`);
  }
}

function describe(st: Stats): string {
  return `owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}`;
}

const myUid = (): number | undefined => process.getuid?.();

/** Another user's file or folder, or one others may write: either could swap what we read. */
function unsafeBecause(st: Stats): string | undefined {
  const uid = myUid();
  if (uid !== undefined && st.uid !== uid) return `it belongs to another user (${describe(st)}; you are uid ${uid})`;
  if ((st.mode & 0o022) !== 0) return `others may write to it (${describe(st)})`;
  return undefined;
}

/** Checks an existing config folder; tightens one of ours that others may read (0755 → 0700). */
export function checkPrivateDir(dir: string): boolean {
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (err) {
    // Missing, or under a file: nothing to check; creating it (makeDirs) says what is wrong.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return false;
    throw err;
  }
  if (!st.isDirectory()) throw new UnsafePathError(dir, 'it is not a folder');
  const problem = unsafeBecause(st);
  if (problem) throw new UnsafePathError(dir, problem);
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return true;
}

/** Creates the folder if needed with mode 0700; an existing one must be ours and not writable by others. */
export function ensurePrivateDir(dir: string): void {
  if (!checkPrivateDir(dir)) {
    makeDirs(dir, 0o700);
    checkPrivateDir(dir);
  }
}

export interface PrivateRead {
  readonly text: string;
  /** Set when the file was readable by others and its mode was tightened to 0600. */
  readonly repairedFrom?: number | undefined;
}

/**
 * Reads one of our files without following a symbolic link (O_NOFOLLOW), checked on the opened
 * descriptor (no window between check and read): another user's file, or one others may write, is
 * refused. With `secret`, a file others may read is ours to tighten: mode 0600, and the caller is
 * told. At most `maxBytes` are read (InputTooLargeError beyond): a file that big is not ours.
 */
export function readPrivateFile(path: string, options: { secret: boolean; maxBytes: number }): PrivateRead | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP')
      throw new UnsafePathError(path, 'it is a symbolic link (twauth never follows one in its folder)');
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UnsafePathError(path, 'it is not a regular file');
    const problem = unsafeBecause(st);
    if (problem) throw new UnsafePathError(path, problem);
    let repairedFrom: number | undefined;
    if (options.secret && (st.mode & 0o077) !== 0) {
      fchmodSync(fd, 0o600);
      repairedFrom = st.mode & 0o777;
    }
    if (st.size > options.maxBytes) throw new InputTooLargeError(path, options.maxBytes);
    const buf = Buffer.alloc(Math.min(st.size, options.maxBytes) + 1);
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
    if (n > options.maxBytes) throw new InputTooLargeError(path, options.maxBytes);
    return { text: buf.toString('utf8', 0, n), repairedFrom };
  } finally {
    closeSync(fd);
  }
}
