import { describe, expect, it } from 'vitest';
import { SANDBOX_APP, SANDBOX_USERS, startEmulator } from '../../src/emulator/index.js';
import { call, raw } from './support/oauth-client.js';

describe('startEmulator defaults', () => {
  it('exports the sandbox app and users', () => {
    expect(SANDBOX_APP).toEqual({
      consumerKey: 'sandbox-consumer-key',
      consumerSecret: 'sandbox-consumer-secret',
      name: 'twauth sandbox',
      callbacks: ['http://127.0.0.1:*/callback'],
      access: 'read-write',
    });
    expect(SANDBOX_USERS.map((u) => [u.id, u.username, u.name])).toEqual([
      ['1000000001', 'sandbox_alice', 'Alice Sandbox'],
      ['1000000002', 'sandbox_bob', 'Bob Sandbox'],
      ['1000000003', 'sandbox_carol', 'Carol Sandbox'],
    ]);
  });

  it('listens on 127.0.0.1 with the sandbox app and users, and starts empty', async () => {
    const e = await startEmulator();
    try {
      expect(e.url).toBe(`http://127.0.0.1:${e.port}`);
      expect(e.port).toBeGreaterThan(0);
      expect(e.apps).toEqual([SANDBOX_APP]);
      expect(e.users).toEqual(SANDBOX_USERS);
      expect(e.tweets()).toEqual([]);
      expect(e.requests()).toEqual([]);
      const res = await raw(e.port, { path: '/2/users/me' });
      expect(res.headers.date).toBeDefined();
      expect(e.requests()).toEqual([{ method: 'GET', path: '/2/users/me', status: 401, time: expect.any(String) }]);
    } finally {
      await e.close();
    }
  });

  it('starts with a clock offset and two emulators do not share state', async () => {
    const [a, b] = await Promise.all([startEmulator({ clockOffsetSeconds: 7200 }), startEmulator()]);
    try {
      const t = a.issueAccessToken('1000000001', 'sandbox-consumer-key');
      expect((await call(a.port, { path: '/2/users/me', token: t })).json().errors[0].code).toBe(135);
      expect((await call(b.port, { path: '/2/users/me', token: t })).json().errors[0].code).toBe(89);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('rejects unusable options', async () => {
    await expect(startEmulator({ port: 70000 })).rejects.toThrow(TypeError);
    await expect(startEmulator({ users: [{ id: 'abc', username: 'x', name: 'X' }] })).rejects.toThrow(/numeric/);
    await expect(startEmulator({ apps: [] })).rejects.toThrow(/non-empty/);
    expect(() => (SANDBOX_USERS as unknown as unknown[]).push({})).toThrow();
  });

  it('rateLimits: false lifts the windows and the 24-hour caps, but not injected 429s', async () => {
    const e = await startEmulator({ rateLimits: false });
    try {
      const t = e.issueAccessToken('1000000001', 'sandbox-consumer-key');
      for (let i = 0; i < 80; i++) {
        const res = await call(e.port, { path: '/2/users/me', token: t });
        expect(res.status).toBe(200);
        expect(res.headers['x-rate-limit-remaining']).toBe('75');
      }
      e.setFaults({ rateLimit: { next: 1 } });
      expect((await call(e.port, { path: '/2/users/me', token: t })).status).toBe(429);
      await expect(startEmulator({ rateLimits: 'no' as never })).rejects.toThrow(/rateLimits/);
    } finally {
      await e.close();
    }
  });

  it('issueAccessToken refuses unknown users and apps', async () => {
    const e = await startEmulator();
    try {
      expect(() => e.issueAccessToken('42', 'sandbox-consumer-key')).toThrow(/unknown user/);
      expect(() => e.issueAccessToken('1000000001', 'nope')).toThrow(/unknown consumer/);
    } finally {
      await e.close();
    }
  });
});
