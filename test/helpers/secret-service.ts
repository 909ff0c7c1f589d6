// A real, private Secret Service (gnome-keyring-daemon) on a private session bus, one per call, so
// test files running in parallel never share a keyring. Merge `env` into a child's environment to
// make keytar in that child use it.
//
// Traps handled here: the daemon's output is piped and kept in memory, never
// inherited; the daemons die with the test process (setpriv --pdeathsig) and stop() waits until
// they have exited; readiness is "org.freedesktop.secrets is owned" AND a keytar
// set/get/delete round trip works in a child process (the login collection can lag behind the
// name). lock() never leads anyone to call keytar's findCredentials (it segfaults when locked).
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnDaemon, pollUntil, type Daemon } from './daemon.js';
import { makeTempDir, startSessionBus, type SessionBus } from './session-bus.js';
import { run } from './run.js';
import { atFileEnd } from './cleanup.js';

export interface SecretService {
  /** DBUS_SESSION_BUS_ADDRESS (all keytar needs), to merge into a child's env. */
  env: Record<string, string>;
  /** Private temp dir: bus socket, keyring files (data/keyrings), runtime dir. Removed by stop(). */
  dir: string;
  /** pids of this instance's dbus-daemon and gnome-keyring-daemon. */
  pids: number[];
  /** Lock the default (login) collection: keytar getPassword then returns null, setPassword rejects. */
  lock(): Promise<void>;
  /** Unlock it again with its password (no prompt). */
  unlock(): Promise<void>;
  /** The items stored with attribute service=`service`, sorted by account. Rejects if any is locked. */
  items(service?: string): Promise<Array<{ account: string; secret: string }>>;
  /** Every stored property of those items (label, all attributes, content type, secret), sorted by label. */
  raw(service?: string): Promise<RawItem[]>;
  /** Stores `secret` exactly as keytar 7.9's setPassword does on Linux (secret-service-tool.py). */
  storeLikeKeytar79(service: string, account: string, secret: string): Promise<void>;
  /** Kill both daemons, wait until they have exited, remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface RawItem {
  label: string;
  attributes: Record<string, string>;
  content_type: string;
  secret: string;
}

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');
/** Debian's python3 (has python3-dbus); a pyenv `python3` on PATH may not. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const SECRET_SERVICE_TOOL = join(here, 'secret-service-tool.py');
const SECRETS_NAME = 'org.freedesktop.secrets';

function basePath(): string {
  return process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
}

/** Runs secret-service-tool.py against a bus. */
export function secretServiceTool(address: string, args: string[], timeoutMs = 10_000, input?: string) {
  return run(SYSTEM_PYTHON, [SECRET_SERVICE_TOOL, ...args], {
    env: { PATH: basePath(), LANG: 'C.UTF-8', DBUS_SESSION_BUS_ADDRESS: address },
    timeoutMs,
    ...(input === undefined ? {} : { input }),
  });
}

const KEYTAR_PROBE = `
import keytar from '@github/keytar';
const account = process.argv[1];
await keytar.setPassword('twauth-probe', account, 'probe-secret');
const got = await keytar.getPassword('twauth-probe', account);
const deleted = await keytar.deletePassword('twauth-probe', account);
if (got !== 'probe-secret' || !deleted) { console.error('round trip gave', got, deleted); process.exit(1); }
console.log('ok');
`;

/** Runs a keytar set/get/delete round trip in a child node with exactly `env` + PATH/HOME. */
async function keytarRoundTrip(env: Record<string, string>, home: string): Promise<boolean> {
  const r = await run(
    process.execPath,
    ['--input-type=module', '-e', KEYTAR_PROBE, `probe-${randomBytes(4).toString('hex')}`],
    { env: { PATH: basePath(), HOME: home, LANG: 'C.UTF-8', ...env }, cwd: repoRoot, timeoutMs: 8_000 },
  );
  if (r.code !== 0) throw new Error(`keytar round trip failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout.trim() === 'ok';
}

export async function startSecretService(): Promise<SecretService> {
  const dir = await makeTempDir('twauth-ss-');
  let bus: SessionBus | undefined;
  let keyring: Daemon | undefined;
  const cleanup = async () => {
    await keyring?.stop();
    await bus?.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const home = join(dir, 'home');
    const data = join(dir, 'data');
    const runtime = join(dir, 'run');
    const clientHome = join(dir, 'client-home');
    for (const d of [home, data, runtime, clientHome]) await mkdir(d, { mode: 0o700 });
    bus = await startSessionBus(dir);
    const address = bus.address;
    const password = randomBytes(12).toString('hex');
    keyring = spawnDaemon('gnome-keyring-daemon', ['--unlock', '--components=secrets', '--foreground'], {
      env: {
        PATH: basePath(),
        LANG: 'C.UTF-8',
        HOME: home,
        XDG_DATA_HOME: data,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_CACHE_HOME: join(home, '.cache'),
        XDG_RUNTIME_DIR: runtime,
        DBUS_SESSION_BUS_ADDRESS: address,
      },
      stdin: password,
    });
    const kr = keyring;
    const details = () => `gnome-keyring-daemon output:\n${kr.output()}\ndbus-daemon output:\n${bus?.daemon.output()}`;
    const b = bus;
    await pollUntil(
      async () => {
        if (kr.child.exitCode !== null || kr.child.signalCode !== null) {
          throw new Error('gnome-keyring-daemon exited');
        }
        return b.nameHasOwner(SECRETS_NAME);
      },
      { timeoutMs: 10_000, intervalMs: 20, what: `${SECRETS_NAME} to be owned`, details },
    );
    const env = { DBUS_SESSION_BUS_ADDRESS: address };
    await pollUntil(() => keytarRoundTrip(env, clientHome), {
      timeoutMs: 20_000,
      intervalMs: 50,
      what: 'a keytar round trip to work',
      details,
    });

    let stopped: Promise<void> | undefined;
    const unregister = atFileEnd(() => stopped ?? cleanup());
    return {
      env,
      dir,
      pids: [b.daemon.pid, kr.pid],
      async lock() {
        const r = await secretServiceTool(address, ['lock']);
        if (r.code !== 0) throw new Error(`lock failed: ${r.stderr.trim()}`);
      },
      async unlock() {
        const r = await secretServiceTool(address, ['unlock', password]);
        if (r.code !== 0) throw new Error(`unlock failed: ${r.stderr.trim()}`);
      },
      async items(service = 'twauth') {
        const r = await secretServiceTool(address, ['items', service]);
        if (r.code !== 0) throw new Error(`items(${service}) failed (${r.code}): ${r.stderr.trim()}`);
        return JSON.parse(r.stdout) as Array<{ account: string; secret: string }>;
      },
      async raw(service = 'twauth') {
        const r = await secretServiceTool(address, ['raw', service]);
        if (r.code !== 0) throw new Error(`raw(${service}) failed (${r.code}): ${r.stderr.trim()}`);
        return JSON.parse(r.stdout) as RawItem[];
      },
      async storeLikeKeytar79(service, account, secret) {
        const r = await secretServiceTool(address, ['store-like-keytar-7.9', service, account], 10_000, secret);
        if (r.code !== 0) throw new Error(`storeLikeKeytar79 failed (${r.code}): ${r.stderr.trim()}`);
      },
      stop() {
        unregister();
        stopped ??= cleanup();
        return stopped;
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * `base` with DBUS_SESSION_BUS_ADDRESS pointing at a socket path where nothing listens (and no
 * DISPLAY, so libsecret cannot autolaunch a bus): keytar calls reject at once.
 */
export function noSecretServiceEnv(base: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const nowhere = join('/tmp', `twauth-no-bus-${process.pid}-${randomBytes(6).toString('hex')}`, 'bus');
  return { ...base, DBUS_SESSION_BUS_ADDRESS: `unix:path=${nowhere}`, DISPLAY: undefined };
}
