import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountMeta } from './account.js';
import { writeFileAtomic } from './atomic-write.js';
import { withFileLock } from './file-lock.js';
import { InputTooLargeError, readFileBounded } from './read-bounded.js';

/** config.json and credentials.json stay far below this (a few hundred bytes per account). */
export const METADATA_LIMIT_BYTES = 1 << 20;

/** The metadata file: which accounts exist and which is the default. No secrets. */
export interface Config {
  readonly version: 1;
  readonly defaultAccount?: string | undefined;
  readonly accounts: readonly AccountMeta[];
  /** Clock offsets (ms) learnt from X's Date header, per API base (401 code 135). */
  readonly clockOffsets: Readonly<Record<string, number>>;
}

export const EMPTY_CONFIG: Config = { version: 1, accounts: [], clockOffsets: {} };

/** The config (or credentials) file exists but cannot be read as one: never overwritten. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file} is ${problem}; fix or move it away (a copy of the last good version may be at ${file}.bak)`);
  }
}

function isAccount(v: unknown): v is AccountMeta {
  const a = v as Record<string, unknown>;
  return (
    typeof a === 'object' && a !== null &&
    ['key', 'userId', 'screenName', 'consumerKey', 'apiBase', 'store', 'addedAt'].every((k) => typeof a[k] === 'string') &&
    ['keychain', 'file', 'memory'].includes(a.store as string)
  );
}

export function parseConfig(text: string, file: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigError(file, 'not valid JSON (truncated or edited by hand?)');
  }
  const o = raw as Record<string, unknown>;
  if (typeof o !== 'object' || o === null || o.version !== 1 || !Array.isArray(o.accounts) || !o.accounts.every(isAccount)) {
    throw new ConfigError(file, 'not a twauth config (version 1)');
  }
  const offsets = typeof o.clockOffsets === 'object' && o.clockOffsets !== null ? (o.clockOffsets as Record<string, unknown>) : {};
  return {
    version: 1,
    defaultAccount: typeof o.defaultAccount === 'string' ? o.defaultAccount : undefined,
    accounts: o.accounts,
    clockOffsets: Object.fromEntries(Object.entries(offsets).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Record<string, number>,
  };
}

export function configPath(dir: string): string {
  return join(dir, 'config.json');
}

export function readConfig(dir: string): Config {
  const file = configPath(dir);
  let text: string;
  try {
    text = readFileBounded(file, METADATA_LIMIT_BYTES);
  } catch (err) {
    if (err instanceof InputTooLargeError) throw new ConfigError(file, `larger than ${METADATA_LIMIT_BYTES} bytes, so not a file twauth wrote`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    throw new ConfigError(file, `unreadable (${(err as NodeJS.ErrnoException).code})`);
  }
  return parseConfig(text, file);
}

/**
 * Read-modify-write under the lock, so parallel processes never lose updates. The previous
 * version is copied to config.json.bak first; a corrupt file stops the update (ConfigError)
 * instead of being replaced.
 */
export async function updateConfig<T>(dir: string, change: (config: Config) => { config: Config; result: T }): Promise<T> {
  const file = configPath(dir);
  return withFileLock(`${file}.lock`, () => {
    const current = readConfig(dir);
    const { config, result } = change(current);
    if (config !== current) {
      if (current !== EMPTY_CONFIG) copyFileSync(file, `${file}.bak`);
      writeFileAtomic(file, JSON.stringify(config, null, 2) + '\n');
    }
    return result;
  });
}
