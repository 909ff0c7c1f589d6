import { dirname, join } from 'node:path';
import { sweepStaleTemps, writeFileAtomic } from './atomic-write.js';
import { ConfigError, METADATA_LIMIT_BYTES } from './config-file.js';
import { withFileLock } from './file-lock.js';
import { checkPrivateDir, readPrivateFile } from './private-path.js';
import { InputTooLargeError } from './read-bounded.js';
import type { SecretStore } from './secret-store.js';

export function credentialsPath(dir: string): string {
  return join(dir, 'credentials.json');
}

function readAll(file: string, warn: (line: string) => void): Record<string, string> {
  let text: string;
  try {
    if (!checkPrivateDir(dirname(file))) return {};
    const read = readPrivateFile(file, { secret: true, maxBytes: METADATA_LIMIT_BYTES });
    if (read === undefined) return {};
    if (read.repairedFrom !== undefined) {
      warn(
        `warning: ${file} was mode ${read.repairedFrom.toString(8).padStart(4, '0')}, readable by other users; set it to 0600. Anyone who read it has your tokens: consider twauth logout and login again`,
      );
    }
    text = read.text;
  } catch (err) {
    if (err instanceof InputTooLargeError)
      throw new ConfigError(file, `larger than ${METADATA_LIMIT_BYTES} bytes, so not a file twauth wrote`);
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string') throw new ConfigError(file, `unreadable (${code})`);
    throw err;
  }
  try {
    const o = JSON.parse(text) as unknown;
    if (
      typeof o === 'object' &&
      o !== null &&
      !Array.isArray(o) &&
      Object.values(o).every((v) => typeof v === 'string')
    ) {
      return o as Record<string, string>;
    }
  } catch {
    // reported below
  }
  throw new ConfigError(file, 'not a valid twauth credentials file');
}

/**
 * The announced fallback when no keychain works: one JSON file, mode 0600 in a 0700 folder,
 * replaced atomically under a lock (see atomic-write.ts, file-lock.ts).
 */
export function fileStore(
  dir: string,
  warn: (line: string) => void = () => {},
): SecretStore & { readonly path: string } {
  const file = credentialsPath(dir);
  const update = (fn: (all: Record<string, string>) => boolean) =>
    withFileLock(`${file}.lock`, () => {
      sweepStaleTemps(dir, ['credentials.json']);
      const all = readAll(file, warn);
      const changed = fn(all);
      if (changed) writeFileAtomic(file, JSON.stringify(all, null, 2) + '\n');
      return changed;
    });
  return {
    kind: 'file',
    path: file,
    get: async (account) => {
      const all = readAll(file, warn);
      return Object.hasOwn(all, account) ? all[account]! : null;
    },
    set: async (account, secret) => {
      await update((all) => {
        all[account] = secret;
        return true;
      });
    },
    delete: (account) =>
      update((all) => {
        if (!Object.hasOwn(all, account)) return false;
        delete all[account];
        return true;
      }),
  };
}
