import { createRequire } from 'node:module';
import { printable } from '../text/printable.js';
import { keytarWriteInChild } from './keytar-child.js';
import {
  busSocketPaths,
  BusConnectionError,
  DBusError,
  lookupPassword,
  MalformedReplyError,
  SecretLockedError,
  SecretServiceTimeoutError,
} from './secret-service/index.js';
import { StoreError, type SecretStore } from './secret-store.js';
import { withTimeout } from './with-timeout.js';

export const KEYCHAIN_SERVICE = 'twauth';
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 3000;

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/**
 * GitHub's maintained fork of keytar: the same API and the same items (service/account attributes
 * in the Secret Service on Linux), with N-API prebuilds in the package, so installing needs no
 * compiler.
 */
const KEYTAR_MODULE = '@github/keytar';

let keytar: Keytar | undefined;

function loader(): NodeJS.Require {
  // The CLI bundle is CommonJS (a plain require exists); the library build is ESM.
  return typeof require === 'function' ? require : createRequire(import.meta.url);
}

/**
 * keytar is an optional, native dependency: it is loaded on first use only (start-up cost, and a
 * machine without it must still work), and a failure to load is "no keychain", not a crash.
 */
function loadKeytar(): Keytar {
  if (keytar) return keytar;
  try {
    keytar = loader()(KEYTAR_MODULE) as Keytar;
    return keytar;
  } catch (err) {
    throw new StoreError(
      `the keychain module (${KEYTAR_MODULE}) is not installed or failed to load: ${(err as Error).message.split('\n')[0]}`,
      'keychain',
      'unavailable',
    );
  }
}

function classify(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  // libsecret's messages carry the Secret Service's own error text: cleaned before it is shown.
  const message = printable(String((err as Error)?.message ?? err).split('\n')[0]!);
  if (/locked/i.test(message)) return new StoreError(`the keychain is locked (${message})`, 'keychain', 'locked');
  if (/dbus|secret service|org\.freedesktop|autolaunch|no such/i.test(message))
    return new StoreError(`no keychain service answers (${message})`, 'keychain', 'unavailable');
  return new StoreError(`the keychain failed: ${message}`, 'keychain', 'failed');
}

/**
 * The OS keychain (service "twauth"), written through keytar. Every call has a deadline: a
 * provider that hangs would otherwise block for ~50 s. Never calls keytar.findCredentials, which
 * segfaults on a locked Secret Service collection (libsecret, keytar 7.9); the account list lives in
 * the metadata.
 *
 * On Linux, reads go straight to the Secret Service over the session bus (./secret-service): the
 * item keytar wrote, without loading libsecret and GLib (bench/: whoami from the keychain went
 * from ~65 ms to ~15 ms more than with environment credentials), a locked keyring told apart from
 * a missing entry, and a deadline that closes the connection (a read stuck in libsecret held the
 * process's exit for ~50 s).
 */
export function keychainStore(
  timeoutMs = DEFAULT_KEYCHAIN_TIMEOUT_MS,
  env: NodeJS.ProcessEnv = process.env,
): SecretStore {
  const timedOut = (what: string) =>
    new StoreError(`the keychain did not answer within ${timeoutMs / 1000} s (${what})`, 'keychain', 'timeout');
  const call = <T>(what: string, fn: (k: Keytar) => Promise<T>): Promise<T> => {
    let k: Keytar;
    try {
      k = loadKeytar();
    } catch (err) {
      return Promise.reject(err);
    }
    return withTimeout(
      fn(k).catch((err: unknown) => Promise.reject(classify(err))),
      timeoutMs,
      () => timedOut(what),
    );
  };
  /** Writes run in a child process (see keytar-child.ts); a hung one is killed, not waited for. */
  const write = async (
    what: string,
    request: { op: 'set' | 'delete'; account: string; secret?: string },
    signal?: AbortSignal,
  ): Promise<boolean> => {
    let path: string;
    try {
      path = loader().resolve(KEYTAR_MODULE);
    } catch {
      throw new StoreError(`the keychain module (${KEYTAR_MODULE}) is not installed`, 'keychain', 'unavailable');
    }
    const outcome = await keytarWriteInChild(path, { ...request, service: KEYCHAIN_SERVICE }, timeoutMs, env, signal);
    if ('aborted' in outcome) throw signal?.reason ?? new Error('aborted');
    if ('timedOut' in outcome) throw timedOut(what);
    if (!outcome.ok) throw classify(new Error(outcome.message));
    return outcome.result === true;
  };
  const readOverBus = async (paths: string[], account: string): Promise<string | null> => {
    try {
      return await lookupPassword(paths, KEYCHAIN_SERVICE, account, timeoutMs);
    } catch (err) {
      if (err instanceof SecretServiceTimeoutError) throw timedOut('read');
      if (err instanceof SecretLockedError) throw new StoreError('the keychain is locked', 'keychain', 'locked');
      if (err instanceof MalformedReplyError)
        throw new StoreError(
          `${err.message}; is something other than your keyring answering as org.freedesktop.secrets?`,
          'keychain',
          'failed',
        );
      const noService =
        err instanceof BusConnectionError ||
        (err instanceof DBusError && /ServiceUnknown|NameHasNoOwner|NoServer|Spawn/.test(err.errorName));
      if (noService)
        throw new StoreError(`no keychain service answers (${(err as Error).message})`, 'keychain', 'unavailable');
      throw classify(err);
    }
  };
  return {
    kind: 'keychain',
    get: (account) => {
      // keytar's libsecret would autolaunch a bus where there is no address; leave that to it.
      const paths = process.platform === 'linux' ? busSocketPaths(env.DBUS_SESSION_BUS_ADDRESS) : [];
      if (paths.length > 0) return readOverBus(paths, account);
      return call('read', (k) => k.getPassword(KEYCHAIN_SERVICE, account));
    },
    set: async (account, secret, signal) => void (await write('write', { op: 'set', account, secret }, signal)),
    delete: (account) => write('delete', { op: 'delete', account }),
  };
}
