import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { ConfigError, METADATA_LIMIT_BYTES } from './config-file.js';
import { withFileLock } from './file-lock.js';
import { InputTooLargeError, readFileBounded } from './read-bounded.js';
import type { SecretStore } from './secret-store.js';

export function credentialsPath(dir: string): string {
  return join(dir, 'credentials.json');
}

function readAll(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileBounded(file, METADATA_LIMIT_BYTES);
  } catch (err) {
    if (err instanceof InputTooLargeError) throw new ConfigError(file, `larger than ${METADATA_LIMIT_BYTES} bytes, so not a file twauth wrote`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(file, `unreadable (${(err as NodeJS.ErrnoException).code})`);
  }
  try {
    const o = JSON.parse(text) as unknown;
    if (typeof o === 'object' && o !== null && !Array.isArray(o) && Object.values(o).every((v) => typeof v === 'string')) {
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
export function fileStore(dir: string): SecretStore & { readonly path: string } {
  const file = credentialsPath(dir);
  const update = (fn: (all: Record<string, string>) => boolean) =>
    withFileLock(`${file}.lock`, () => {
      const all = readAll(file);
      const changed = fn(all);
      if (changed) writeFileAtomic(file, JSON.stringify(all, null, 2) + '\n');
      return changed;
    });
  return {
    kind: 'file',
    path: file,
    get: async (account) => {
      const all = readAll(file);
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
