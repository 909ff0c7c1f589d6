import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { noSecretServiceEnv, startSecretService, type SecretService } from '../helpers/secret-service.js';
import { startHangingSecretService, type HangingSecretService } from '../helpers/hanging-secret-service.js';
import { keytarInChild } from '../helpers/keytar-child.js';
import { isAlive, processesMentioning } from '../helpers/proc-scan.js';

const started: Array<SecretService | HangingSecretService> = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

async function start(): Promise<SecretService> {
  const s = await startSecretService();
  started.push(s);
  return s;
}

describe('startSecretService', () => {
  it('stores with keytar in a child, lists items, locks and unlocks, and stops without orphans', async () => {
    const t0 = performance.now();
    const ss = await start();
    const startMs = performance.now() - t0;
    console.log(`startSecretService took ${Math.round(startMs)} ms`);
    expect(Object.keys(ss.env)).toEqual(['DBUS_SESSION_BUS_ADDRESS']);

    const set = await keytarInChild(ss.env, {
      method: 'setPassword',
      service: 'twauth',
      account: 'alice',
      password: 'tok-ä/1',
    });
    expect(set.outcome).toBe('resolved');
    const get = await keytarInChild(ss.env, { method: 'getPassword', service: 'twauth', account: 'alice' });
    expect(get).toMatchObject({ outcome: 'resolved', value: 'tok-ä/1' });
    await keytarInChild(ss.env, { method: 'setPassword', service: 'other', account: 'bob', password: 'x' });
    expect(await ss.items()).toEqual([{ account: 'alice', secret: 'tok-ä/1' }]);
    expect(await ss.items('other')).toEqual([{ account: 'bob', secret: 'x' }]);

    await ss.lock();
    const locked = await keytarInChild(ss.env, { method: 'getPassword', service: 'twauth', account: 'alice' });
    expect(locked).toMatchObject({ outcome: 'resolved', value: null, code: 0 });
    const lockedSet = await keytarInChild(ss.env, {
      method: 'setPassword',
      service: 'twauth',
      account: 'carol',
      password: 'y',
    });
    expect(lockedSet.outcome).toBe('rejected');
    expect(lockedSet.error).toMatch(/locked/i);
    await expect(ss.items()).rejects.toThrow(/locked/);

    await ss.unlock();
    expect(await ss.items()).toEqual([{ account: 'alice', secret: 'tok-ä/1' }]);

    const { dir, pids } = ss;
    expect(await processesMentioning(dir)).not.toEqual([]);
    await ss.stop();
    for (const pid of pids) expect(await isAlive(pid)).toBe(false);
    expect(await processesMentioning(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    await ss.stop(); // idempotent
  });

  it('keeps instances started in parallel apart', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.env.DBUS_SESSION_BUS_ADDRESS).not.toBe(b.env.DBUS_SESSION_BUS_ADDRESS);
    await keytarInChild(a.env, { method: 'setPassword', service: 'twauth', account: 'only-in-a', password: 'A' });
    await keytarInChild(b.env, { method: 'setPassword', service: 'twauth', account: 'only-in-b', password: 'B' });
    expect(await a.items()).toEqual([{ account: 'only-in-a', secret: 'A' }]);
    expect(await b.items()).toEqual([{ account: 'only-in-b', secret: 'B' }]);
    const cross = await keytarInChild(b.env, { method: 'getPassword', service: 'twauth', account: 'only-in-a' });
    expect(cross).toMatchObject({ outcome: 'resolved', value: null });
    await a.lock();
    expect(await b.items()).toHaveLength(1); // locking a does not lock b
  });
});

describe('noSecretServiceEnv', () => {
  it('makes keytar reject at once', async () => {
    const t0 = performance.now();
    const r = await keytarInChild(noSecretServiceEnv({ DISPLAY: ':99' }), {
      method: 'getPassword',
      service: 'twauth',
      account: 'alice',
    });
    const wallMs = performance.now() - t0;
    expect(r.outcome).toBe('rejected');
    expect(r.ms).toBeLessThan(2000);
    expect(wallMs).toBeLessThan(2000);
  });
});

describe('startHangingSecretService', () => {
  it('owns org.freedesktop.secrets but never answers, and stops without orphans', async () => {
    const hs = await startHangingSecretService();
    started.push(hs);
    const r = await keytarInChild(hs.env, { method: 'getPassword', service: 'twauth', account: 'alice' }, 3000);
    expect(r.outcome).toBe('pending');
    expect(r.ms).toBeGreaterThanOrEqual(2900);
    const { pids } = hs;
    await hs.stop();
    for (const pid of pids) expect(await isAlive(pid)).toBe(false);
  });
});
