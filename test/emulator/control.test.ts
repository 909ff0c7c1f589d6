import { describe, expect, it } from 'vitest';
import { ALICE, useEmulator } from './support/emulator.js';
import { call, raw, SANDBOX_CONSUMER } from './support/oauth-client.js';

const emu = useEmulator();
const control = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(emu().port, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('control endpoints', () => {
  it('POST /_emulator/tokens issues a working token; /revoke revokes it', async () => {
    const issued = await control('/_emulator/tokens', {
      userId: ALICE,
      consumerKey: SANDBOX_CONSUMER.key,
      access: 'read-write',
    });
    expect(issued.status).toBe(201);
    const t = issued.json();
    expect(t.token).toMatch(/^1000000001-/);
    expect(
      (await call(emu().port, { method: 'POST', path: '/2/tweets', token: t, json: { text: 'via control token' } }))
        .status,
    ).toBe(201);

    const revoked = await control('/_emulator/revoke', { token: t.token });
    expect(revoked.json()).toEqual({ revoked: true });
    expect((await call(emu().port, { path: '/2/users/me', token: t })).json().errors[0].code).toBe(89);

    expect((await control('/_emulator/tokens', { userId: '42', consumerKey: SANDBOX_CONSUMER.key })).status).toBe(400);
    expect((await control('/_emulator/tokens', { userId: ALICE, consumerKey: 'nope' })).status).toBe(400);
  });

  it('GET /_emulator/state reports posts, request count and revoked tokens', async () => {
    const state = (await raw(emu().port, { path: '/_emulator/state' })).json();
    expect(state.tweets).toEqual([expect.objectContaining({ text: 'via control token', authorId: ALICE })]);
    expect(state.requestCount).toBeGreaterThanOrEqual(5);
    expect(state.revokedTokens).toBe(1);
    expect(JSON.stringify(state)).not.toContain('sandbox-consumer-secret');
    // The state request itself is logged once answered.
    expect(emu().requests().length).toBe(state.requestCount + 1);
    expect(emu().requests()[0]).toMatchObject({ method: 'POST', path: '/_emulator/tokens', status: 201 });
    expect(Date.parse(emu().requests()[0]!.time)).toBeGreaterThan(0);
  });

  it('POST /_emulator/faults and /clock drive the emulator', async () => {
    const set = await control('/_emulator/faults', { status503: { next: 1 } });
    expect(set.status).toBe(200);
    const t = emu().issueAccessToken(ALICE, SANDBOX_CONSUMER.key);
    expect((await call(emu().port, { path: '/2/users/me', token: t })).status).toBe(503);
    expect((await call(emu().port, { path: '/2/users/me', token: t })).status).toBe(200);
    expect((await control('/_emulator/faults', { status503: { rate: 5 } })).status).toBe(400);
    expect((await control('/_emulator/faults', { nonsense: true })).status).toBe(400);

    expect((await control('/_emulator/clock', { offsetSeconds: -1000 })).json()).toEqual({ offsetSeconds: -1000 });
    expect((await call(emu().port, { path: '/2/users/me', token: t })).json().errors[0].code).toBe(135);
    expect((await control('/_emulator/clock', { offsetSeconds: 'soon' })).status).toBe(400);
    await control('/_emulator/clock', { offsetSeconds: 0 });
    expect((await call(emu().port, { path: '/2/users/me', token: t })).status).toBe(200);
  });

  it('refuses non-JSON posts, foreign Host headers and unknown paths', async () => {
    const form = await raw(emu().port, {
      method: 'POST',
      path: '/_emulator/faults',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(form.status).toBe(415);
    const rebinding = await raw(emu().port, {
      path: '/_emulator/state',
      headers: { host: `evil.example:${emu().port}` },
    });
    expect(rebinding.status).toBe(403);
    expect((await raw(emu().port, { path: '/_emulator/nope' })).status).toBe(404);
    expect(
      (
        await raw(emu().port, {
          method: 'POST',
          path: '/_emulator/faults',
          headers: { 'content-type': 'application/json' },
          body: '{',
        })
      ).status,
    ).toBe(400);
  });
});
