// A private D-Bus session bus for one test: its own dbus-daemon listening on a socket in a temp
// dir, with NO service directories, so nothing is ever auto-activated on it (with the stock
// session.conf, a call to org.freedesktop.secrets before our daemon owns the name would make
// dbus-daemon launch an unsupervised gnome-keyring-daemon of its own).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnDaemon, pollUntil, type Daemon } from './daemon.js';
import { run } from './run.js';

export interface SessionBus {
  /** The value for DBUS_SESSION_BUS_ADDRESS. */
  address: string;
  /** Private temp dir (0700) holding the socket; removed by stop(). */
  dir: string;
  daemon: Daemon;
  /** True if `name` currently has an owner on this bus. */
  nameHasOwner(name: string): Promise<boolean>;
  stop(): Promise<void>;
}

/** Unix socket paths are limited to 107 bytes, so prefer a short base dir. */
function shortTmp(): string {
  const t = tmpdir();
  return t.length <= 40 ? t : '/tmp';
}

export async function makeTempDir(prefix: string): Promise<string> {
  // mkdtemp creates the directory with mode 0700.
  return mkdtemp(join(shortTmp(), prefix));
}

function busConfig(socket: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

export async function startSessionBus(dir?: string): Promise<SessionBus> {
  const ownDir = dir === undefined;
  const busDir = dir ?? (await makeTempDir('twauth-bus-'));
  const socket = join(busDir, 'bus');
  const config = join(busDir, 'bus.conf');
  await writeFile(config, busConfig(socket));
  const daemon = spawnDaemon(
    'dbus-daemon',
    [`--config-file=${config}`, '--nofork', '--nopidfile', '--print-address=1'],
    { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' } },
  );
  const details = () => `dbus-daemon output:\n${daemon.output()}`;
  const address = await pollUntil(
    async () => {
      if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) {
        throw new Error('dbus-daemon exited');
      }
      const m = /^(unix:path=[^\n]*)\n/m.exec(daemon.output());
      return m?.[1];
    },
    { timeoutMs: 10_000, what: 'dbus-daemon to print its address', details },
  ).catch(async (err: unknown) => {
    await daemon.stop();
    if (ownDir) await rm(busDir, { recursive: true, force: true });
    throw err;
  });

  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
  const nameHasOwner = async (name: string): Promise<boolean> => {
    const r = await run(
      'dbus-send',
      [
        `--bus=${address}`,
        '--print-reply=literal',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        `string:${name}`,
      ],
      { env, timeoutMs: 5_000 },
    );
    if (r.code !== 0) throw new Error(`dbus-send NameHasOwner failed: ${r.stderr.trim()}`);
    return /\btrue\b/.test(r.stdout);
  };

  return {
    address,
    dir: busDir,
    daemon,
    nameHasOwner,
    async stop() {
      await daemon.stop();
      if (ownDir) await rm(busDir, { recursive: true, force: true });
    },
  };
}
