// A Secret Service that never answers: a private session bus on which a python3-dbus process owns
// org.freedesktop.secrets but never reads its messages. keytar calls against it hang until
// libsecret's own D-Bus timeout (~25-50 s), which is what twauth's keychain timeouts must beat.
import { spawnDaemon, pollUntil, type Daemon } from './daemon.js';
import { startSessionBus, type SessionBus } from './session-bus.js';
import { SECRET_SERVICE_TOOL, SYSTEM_PYTHON } from './secret-service.js';
import { atFileEnd } from './cleanup.js';

export interface HangingSecretService {
  /** DBUS_SESSION_BUS_ADDRESS, to merge into a child's env. */
  env: Record<string, string>;
  pids: number[];
  stop(): Promise<void>;
}

export async function startHangingSecretService(): Promise<HangingSecretService> {
  const bus: SessionBus = await startSessionBus();
  let owner: Daemon | undefined;
  try {
    owner = spawnDaemon(SYSTEM_PYTHON, [SECRET_SERVICE_TOOL, 'hang', 'org.freedesktop.secrets'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', DBUS_SESSION_BUS_ADDRESS: bus.address },
      keepStdinOpen: true, // it exits on EOF: this also ends it if the test process dies
    });
    const o = owner;
    await pollUntil(
      async () => {
        if (o.child.exitCode !== null || o.child.signalCode !== null) throw new Error('owner exited');
        return /^ready$/m.test(o.output()) && (await bus.nameHasOwner('org.freedesktop.secrets'));
      },
      { timeoutMs: 10_000, what: 'the hanging owner of org.freedesktop.secrets', details: () => o.output() },
    );
  } catch (err) {
    await owner?.stop();
    await bus.stop();
    throw err;
  }
  const o = owner;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await o.stop(500);
      await bus.stop();
    })();
    return stopped;
  };
  atFileEnd(stop);
  return {
    env: { DBUS_SESSION_BUS_ADDRESS: bus.address },
    pids: [bus.daemon.pid, o.pid],
    stop,
  };
}
