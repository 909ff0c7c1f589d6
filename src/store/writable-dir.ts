import { randomBytes } from 'node:crypto';
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** The config folder exists but twauth cannot write in it (read-only file system, permissions). */
export class ConfigNotWritableError extends Error {
  override readonly name = 'ConfigNotWritableError';
  constructor(
    readonly dir: string,
    readonly code: string,
  ) {
    super(`the config folder ${dir} is not writable (${code})`);
  }
}

/**
 * Proves that files can be created in `dir` by creating (O_EXCL) and removing one. Permission
 * bits alone cannot tell: root ignores them, and a read-only mount (EROFS) shows 0700.
 */
export function assertWritableDir(dir: string): void {
  const probe = join(dir, `.twauth-probe-${randomBytes(6).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
  } catch (err) {
    throw new ConfigNotWritableError(dir, (err as NodeJS.ErrnoException).code ?? 'unknown');
  }
  unlinkSync(probe);
}
