import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './usage-error.js';

export const DEFAULT_API_BASE = 'https://api.x.com';
/** The loopback callback port: fixed, because X matches registered callback URLs exactly. */
export const DEFAULT_CALLBACK_PORT = 8736;
export const DEFAULT_REQUEST_TIMEOUT_S = 30;
/**
 * `twauth sandbox`'s port: fixed, so that a restarted sandbox has the same TWAUTH_API_BASE and
 * the accounts stored for it still match (--port 0 picks any free port).
 */
export const DEFAULT_SANDBOX_PORT = 8737;
export const DEFAULT_LOGIN_TIMEOUT_S = 300;

/** Options every command accepts (README "Global options"). */
export interface GlobalOptions {
  readonly apiBase?: string | undefined;
  readonly account?: string | undefined;
  readonly json?: boolean | undefined;
  readonly verbose?: boolean | undefined;
  readonly timeout?: string | undefined;
  readonly wait?: boolean | undefined;
}

export interface Settings {
  /** Set when --api-base or TWAUTH_API_BASE chose it; otherwise the account decides. */
  readonly explicitApiBase?: string | undefined;
  /** Where explicitApiBase came from, so that messages can name it. */
  readonly apiBaseFrom?: '--api-base' | 'TWAUTH_API_BASE' | undefined;
  /** Where accountSelector came from, so that messages can name it. */
  readonly accountFrom?: '--account' | 'TWAUTH_ACCOUNT' | undefined;
  readonly accountSelector?: string | undefined;
  /** Whether --account (not TWAUTH_ACCOUNT) picked the account: it then beats TWAUTH_ACCESS_TOKEN. */
  readonly accountFromFlag: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  /** --timeout in seconds, if given. */
  readonly timeoutSeconds?: number | undefined;
  readonly wait: boolean;
  readonly configDir: string;
  readonly storePreference: 'auto' | 'keychain' | 'file';
  readonly keychainTimeoutMs: number;
}

export function checkApiBase(value: string, from: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`${from} must be an absolute http(s) URL, e.g. https://api.x.com (got "${value}")`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new UsageError(`${from} must use http or https`);
  return value.replace(/\/+$/, '');
}

/** Seconds, rounded up to whole milliseconds (timers and undici count in ms); at least 1 ms. */
export function parseSeconds(value: string, what: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0) || n > 86_400)
    throw new UsageError(`${what} must be a number of seconds between 0 and 86400 (got "${value}")`);
  if (n < 0.001) throw new UsageError(`${what} must be at least 0.001 (one millisecond; got "${value}")`);
  return Math.ceil(n * 1000) / 1000;
}

export function resolveSettings(opts: GlobalOptions, env: NodeJS.ProcessEnv): Settings {
  const store = env.TWAUTH_STORE?.trim().toLowerCase();
  if (store && store !== 'keychain' && store !== 'file')
    throw new UsageError(`TWAUTH_STORE must be "keychain" or "file" (got "${env.TWAUTH_STORE}")`);
  const apiBase =
    opts.apiBase !== undefined
      ? checkApiBase(opts.apiBase, '--api-base')
      : env.TWAUTH_API_BASE
        ? checkApiBase(env.TWAUTH_API_BASE, 'TWAUTH_API_BASE')
        : undefined;
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  const kcTimeout = env.TWAUTH_KEYCHAIN_TIMEOUT
    ? parseSeconds(env.TWAUTH_KEYCHAIN_TIMEOUT, 'TWAUTH_KEYCHAIN_TIMEOUT')
    : 3;
  return {
    explicitApiBase: apiBase,
    apiBaseFrom: opts.apiBase !== undefined ? '--api-base' : apiBase !== undefined ? 'TWAUTH_API_BASE' : undefined,
    accountSelector: opts.account ?? (env.TWAUTH_ACCOUNT || undefined),
    accountFrom: opts.account !== undefined ? '--account' : env.TWAUTH_ACCOUNT ? 'TWAUTH_ACCOUNT' : undefined,
    accountFromFlag: opts.account !== undefined,
    json: Boolean(opts.json),
    verbose: Boolean(opts.verbose),
    timeoutSeconds: opts.timeout !== undefined ? parseSeconds(opts.timeout, '--timeout') : undefined,
    wait: Boolean(opts.wait),
    configDir: env.TWAUTH_CONFIG_DIR || join(configHome, 'twauth'),
    storePreference: (store as 'keychain' | 'file' | undefined) ?? 'auto',
    keychainTimeoutMs: kcTimeout * 1000,
  };
}
