// Finds live processes by what they were started with, to prove a helper left no orphans.
import { readdir, readFile } from 'node:fs/promises';

export interface ProcInfo {
  pid: number;
  state: string;
  cmdline: string;
}

/** Live (non-zombie) processes whose command line or environment contains `needle`. */
export async function processesMentioning(needle: string): Promise<ProcInfo[]> {
  const found: ProcInfo[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      const [cmd, env, stat] = await Promise.all([
        readFile(`/proc/${pid}/cmdline`, 'latin1'),
        readFile(`/proc/${pid}/environ`, 'latin1').catch(() => ''),
        readFile(`/proc/${pid}/stat`, 'latin1'),
      ]);
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?';
      if (state === 'Z' || state === 'X') continue;
      if (cmd.includes(needle) || env.includes(needle)) {
        found.push({ pid, state, cmdline: cmd.replaceAll('\0', ' ').trim() });
      }
    } catch {
      // the process went away while we looked
    }
  }
  return found;
}

/** True if `pid` is a live (non-zombie) process. */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
