import { chmodSync, lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface FolderFinding {
  readonly path: string;
  readonly problem: string;
  /** True when the mode was ours to tighten and was tightened. */
  readonly repaired: boolean;
}

const mode = (st: Stats) => (st.mode & 0o777).toString(8).padStart(4, '0');

/**
 * What `twauth doctor` reports about the config folder and its files, before any command has
 * quietly repaired them: another user's, writable by others, a symbolic link (refused by every
 * command: private-path.ts), or readable by others (the folder, and credentials.json which holds
 * secrets: tightened here, 0700 and 0600, and said).
 */
export function auditConfigFolder(dir: string): FolderFinding[] {
  const uid = process.getuid?.();
  const out: FolderFinding[] = [];
  const foreign = (st: Stats) =>
    uid !== undefined && st.uid !== uid
      ? `belongs to another user (owner uid ${st.uid}, mode ${mode(st)})`
      : (st.mode & 0o022) !== 0
        ? `is writable by others (mode ${mode(st)})`
        : undefined;
  const dirSt = lstatSync(dir, { throwIfNoEntry: false });
  if (!dirSt) return out;
  const dirProblem = foreign(dirSt);
  if (dirProblem) return [{ path: dir, problem: `${dirProblem}: twauth refuses to use it`, repaired: false }];
  if ((dirSt.mode & 0o077) !== 0) {
    chmodSync(dir, 0o700);
    out.push({ path: dir, problem: `was mode ${mode(dirSt)}, open to other users: set to 0700`, repaired: true });
  }
  for (const name of ['config.json', 'config.json.bak', 'credentials.json']) {
    const path = join(dir, name);
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isSymbolicLink()) {
      out.push({ path, problem: 'is a symbolic link: twauth refuses to read it', repaired: false });
      continue;
    }
    const problem = foreign(st);
    if (problem) out.push({ path, problem: `${problem}: twauth refuses to read it`, repaired: false });
    else if (name === 'credentials.json' && (st.mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      out.push({
        path,
        problem: `was mode ${mode(st)}, readable by other users: set to 0600; anyone who read it has your tokens (twauth logout, then login again)`,
        repaired: true,
      });
    }
  }
  return out;
}
