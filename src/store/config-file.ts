import { join } from 'node:path';
import { accountKey, type AccountMeta } from './account.js';
import { sweepStaleTemps, writeFileAtomic } from './atomic-write.js';
import { withFileLock } from './file-lock.js';
import { checkPrivateDir, readPrivateFile } from './private-path.js';
import { InputTooLargeError } from './read-bounded.js';

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
    typeof a === 'object' &&
    a !== null &&
    ['key', 'userId', 'screenName', 'consumerKey', 'apiBase', 'store', 'addedAt'].every(
      (k) => typeof a[k] === 'string',
    ) &&
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
  if (
    typeof o !== 'object' ||
    o === null ||
    o.version !== 1 ||
    !Array.isArray(o.accounts) ||
    !o.accounts.every(isAccount)
  ) {
    throw new ConfigError(file, 'not a twauth config (version 1)');
  }
  // The key is what the secret was stored under, and it names the API base; an account whose
  // fields say otherwise was edited, and its token must not go to the API base it now names.
  const forged = o.accounts.find((a) => !keyMatches(a));
  if (forged)
    throw new ConfigError(
      file,
      `naming account "${forged.key}" with API base ${forged.apiBase}, which is not the one its credentials were stored for (edited by hand?)`,
    );
  const offsets =
    typeof o.clockOffsets === 'object' && o.clockOffsets !== null ? (o.clockOffsets as Record<string, unknown>) : {};
  return {
    version: 1,
    defaultAccount: typeof o.defaultAccount === 'string' ? o.defaultAccount : undefined,
    accounts: o.accounts,
    clockOffsets: Object.fromEntries(
      Object.entries(offsets).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)),
    ) as Record<string, number>,
  };
}

function keyMatches(a: AccountMeta): boolean {
  try {
    return accountKey(a.userId, a.consumerKey, a.apiBase) === a.key;
  } catch {
    return false; // not a URL
  }
}

export function configPath(dir: string): string {
  return join(dir, 'config.json');
}

/** The file's text, or undefined when there is none; another user's file (or folder) is refused. */
function readConfigText(dir: string): string | undefined {
  const file = configPath(dir);
  if (!checkPrivateDir(dir)) return undefined;
  try {
    return readPrivateFile(file, { secret: false, maxBytes: METADATA_LIMIT_BYTES })?.text;
  } catch (err) {
    if (err instanceof InputTooLargeError)
      throw new ConfigError(file, `larger than ${METADATA_LIMIT_BYTES} bytes, so not a file twauth wrote`);
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string') throw new ConfigError(file, `unreadable (${code})`);
    throw err;
  }
}

export function readConfig(dir: string): Config {
  const text = readConfigText(dir);
  return text === undefined ? EMPTY_CONFIG : parseConfig(text, configPath(dir));
}

/**
 * Read-modify-write under the lock, so parallel processes never lose updates. The previous
 * version is copied to config.json.bak first; a corrupt file stops the update (ConfigError)
 * instead of being replaced.
 */
export async function updateConfig<T>(
  dir: string,
  change: (config: Config) => { config: Config; result: T },
): Promise<T> {
  const file = configPath(dir);
  return withFileLock(`${file}.lock`, () => {
    sweepStaleTemps(dir, ['config.json', 'config.json.bak']);
    const text = readConfigText(dir);
    const current = text === undefined ? EMPTY_CONFIG : parseConfig(text, file);
    const { config, result } = change(current);
    if (config !== current) {
      // Written like the config itself (temp file, rename): a link planted at the .bak's name is
      // replaced, never written through.
      if (text !== undefined) writeFileAtomic(`${file}.bak`, text);
      writeFileAtomic(file, JSON.stringify(config, null, 2) + '\n');
    }
    return result;
  });
}
