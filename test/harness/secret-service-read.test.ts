// The Linux keychain read (src/store/secret-service) against the real thing: a gnome-keyring
// Secret Service on a private session bus, items written by keytar (libsecret) in a child. It must
// read exactly what keytar's getPassword reads, say "locked" where keytar says null, and give up
// at its deadline with nothing left running.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keychainStore } from '../../src/store/keychain-store.js';
import {
  busSocketPaths,
  lookupPassword,
  SecretLockedError,
  SecretServiceTimeoutError,
  BusConnectionError,
  DBusError,
} from '../../src/store/secret-service/index.js';
import { StoreError } from '../../src/store/secret-store.js';
import { startHangingSecretService, type HangingSecretService } from '../helpers/hanging-secret-service.js';
import { startHostileBus } from '../helpers/hostile-bus.js';
import { keytarInChild } from '../helpers/keytar-child.js';
import { noSecretServiceEnv, startSecretService, type SecretService } from '../helpers/secret-service.js';
import { startSessionBus, type SessionBus } from '../helpers/session-bus.js';

let ss: SecretService;
let paths: string[];
beforeAll(async () => {
  ss = await startSecretService();
  paths = busSocketPaths(ss.env.DBUS_SESSION_BUS_ADDRESS);
});
afterAll(() => ss?.stop());

const SECRETS: Record<string, string> = {
  ascii: 'tok-1234567890-abcdef',
  json: JSON.stringify({ consumerSecret: 'c s"\\', accessToken: '1-x', accessTokenSecret: 'ts' }),
  unicode: 'pässwörd 🔑 キー',
  long: 'x'.repeat(20_000),
  // One AES block exactly, so that PKCS#7 adds a whole block of padding.
  block: '0123456789abcdef',
};

describe('lookupPassword against gnome-keyring', () => {
  beforeAll(async () => {
    for (const [account, password] of Object.entries(SECRETS)) {
      const r = await keytarInChild(ss.env, { method: 'setPassword', service: 'twauth-read-test', account, password });
      expect(r.outcome, r.error).toBe('resolved');
    }
    // The same account under another service must not be found.
    await keytarInChild(ss.env, {
      method: 'setPassword',
      service: 'twauth-other',
      account: 'ascii',
      password: 'wrong',
    });
  });

  it('reads what keytar wrote, byte for byte, as keytar reads it', async () => {
    for (const [account, password] of Object.entries(SECRETS)) {
      const ours = await lookupPassword(paths, 'twauth-read-test', account, 5000);
      const theirs = await keytarInChild(ss.env, { method: 'getPassword', service: 'twauth-read-test', account });
      expect(ours, account).toBe(password);
      expect(theirs.value, account).toBe(password);
    }
  });

  it('answers null for an entry that does not exist', async () => {
    expect(await lookupPassword(paths, 'twauth-read-test', 'nobody', 5000)).toBeNull();
    expect(await lookupPassword(paths, 'twauth-nothing', 'ascii', 5000)).toBeNull();
  });

  it('takes a few milliseconds (reported)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await lookupPassword(paths, 'twauth-read-test', 'ascii', 5000);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(
      `lookupPassword against gnome-keyring: median ${times[5]!.toFixed(1)} ms, max ${times[9]!.toFixed(1)} ms (10 reads)`,
    );
    expect(times[5]).toBeLessThan(1000);
  });

  it('says "locked" for an entry in a locked collection, where keytar answers null', async () => {
    await ss.lock();
    try {
      await expect(lookupPassword(paths, 'twauth-read-test', 'ascii', 5000)).rejects.toBeInstanceOf(SecretLockedError);
      const theirs = await keytarInChild(ss.env, {
        method: 'getPassword',
        service: 'twauth-read-test',
        account: 'ascii',
      });
      expect(theirs.value).toBeNull();
      // Nothing stored under that name at all: still null, locked or not.
      expect(await lookupPassword(paths, 'twauth-read-test', 'nobody', 5000)).toBeNull();
    } finally {
      await ss.unlock();
    }
    expect(await lookupPassword(paths, 'twauth-read-test', 'ascii', 5000)).toBe(SECRETS.ascii);
  });
});

describe('keychainStore().get on Linux', () => {
  it('reads the twauth service over the bus, and reports a locked keyring as such', async () => {
    const r = await keytarInChild(ss.env, {
      method: 'setPassword',
      service: 'twauth',
      account: 'acct-1',
      password: 'sekret',
    });
    expect(r.outcome, r.error).toBe('resolved');
    const store = keychainStore(5000, ss.env);
    expect(await store.get('acct-1')).toBe('sekret');
    await ss.lock();
    try {
      const err = await store.get('acct-1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ reason: 'locked', message: 'the keychain is locked' });
    } finally {
      await ss.unlock();
    }
  });

  it('says no keychain answers when the bus has no socket, or no Secret Service', async () => {
    const none = keychainStore(5000, noSecretServiceEnv() as NodeJS.ProcessEnv);
    await expect(none.get('a')).rejects.toMatchObject({
      reason: 'unavailable',
      message: expect.stringMatching(/^no keychain service answers/),
    });
    const bus: SessionBus = await startSessionBus();
    try {
      await expect(lookupPassword(busSocketPaths(bus.address), 'twauth', 'a', 5000)).rejects.toBeInstanceOf(DBusError);
      await expect(keychainStore(5000, { DBUS_SESSION_BUS_ADDRESS: bus.address }).get('a')).rejects.toMatchObject({
        reason: 'unavailable',
      });
    } finally {
      await bus.stop();
    }
    await expect(lookupPassword(['/nonexistent/bus'], 'twauth', 'a', 5000)).rejects.toBeInstanceOf(BusConnectionError);
  });
});

describe('a Secret Service that never answers', () => {
  let hanging: HangingSecretService;
  beforeAll(async () => {
    hanging = await startHangingSecretService();
  });
  afterAll(() => hanging?.stop());

  it('gives up at the deadline and closes its connection', async () => {
    const t = performance.now();
    await expect(
      lookupPassword(busSocketPaths(hanging.env.DBUS_SESSION_BUS_ADDRESS), 'twauth', 'a', 300),
    ).rejects.toBeInstanceOf(SecretServiceTimeoutError);
    const ms = performance.now() - t;
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1500);
    const err = await keychainStore(300, hanging.env)
      .get('a')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'timeout', message: 'the keychain did not answer within 0.3 s (read)' });
  });
});

describe('the handshake is pipelined', () => {
  it('a first SearchItems answered "UnknownMethod" is asked once more, on the same connection', async () => {
    const bus = await startHostileBus('unknown-method-once');
    try {
      expect(await lookupPassword(busSocketPaths(bus.env.DBUS_SESSION_BUS_ADDRESS), 'twauth', 'a', 2000)).toBeNull();
      expect(bus.members()).toEqual(['Hello', 'SearchItems', 'OpenSession', 'SearchItems', 'OpenSession']);
    } finally {
      await bus.stop();
    }
  });

  it('sends AUTH, BEGIN and Hello before the bus has answered anything, and no call before Hello is answered', async () => {
    // A bus that never answers, not even "OK": whatever arrives was sent without waiting. A
    // client that waits for each answer in turn sends AUTH alone and times out there; one that
    // sends calls behind Hello (gnome-keyring once answered such a SearchItems "UnknownMethod")
    // shows them here.
    const bus = await startHostileBus('mute');
    try {
      await expect(
        lookupPassword(busSocketPaths(bus.env.DBUS_SESSION_BUS_ADDRESS), 'twauth', 'a', 500),
      ).rejects.toBeInstanceOf(SecretServiceTimeoutError);
      expect(bus.members()).toEqual(['Hello']);
    } finally {
      await bus.stop();
    }
  });
});
