import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** The config folder cannot be created where its path points (invalid input, exit 2). */
export class ConfigDirError extends Error {
  override readonly name = 'ConfigDirError';
  constructor(
    readonly dir: string,
    readonly code: string,
  ) {
    super(
      `cannot create the config folder ${dir} (${code}); set TWAUTH_CONFIG_DIR (or XDG_CONFIG_HOME) to a folder you can write`,
    );
  }
}

/**
 * `mkdir -p` with the given mode for the folders it creates, failing at once where a folder
 * cannot be made. Node's own `mkdirSync(…, { recursive: true })` loops for ever when mkdir keeps
 * answering ENOENT under a parent that exists (measured: /proc/nope spun at 100 % CPU), so the
 * walk up is done here, bounded by the path's depth.
 */
export function makeDirs(dir: string, mode: number): void {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
      if (code !== 'ENOENT' || dirname(d) === d) throw new ConfigDirError(dir, code);
      missing.push(d);
      continue;
    }
    if (!isDir) throw new ConfigDirError(dir, `${d} is not a folder`);
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
      // Another process may have made it meanwhile; anything else is final (no retry loop).
      if (code !== 'EEXIST') throw new ConfigDirError(dir, code);
    }
  }
}
