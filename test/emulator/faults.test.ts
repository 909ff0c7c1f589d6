import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { ALICE, useEmulator } from './support/emulator.js';
import { call, raw, SANDBOX_CONSUMER } from './support/oauth-client.js';
import { watchTweet } from './support/partial.js';

const emu = useEmulator();
let counter = 0;
const uniqueText = (label: string) => `${label} #${++counter}`;
const token = () => emu().issueAccessToken(ALICE, SANDBOX_CONSUMER.key);
const tweet = (text: string, t = token()) =>
  call(emu().port, { method: 'POST', path: '/2/tweets', token: t, json: { text } });
const recorded = (text: string) =>
  emu()
    .tweets()
    .some((t) => t.text === text);

describe('fault injection', () => {
  it('status503 answers 503 before any effect, for the next N requests only', async () => {
    emu().setFaults({ status503: { next: 2 } });
    for (let i = 0; i < 2; i++) {
      const text = uniqueText('503');
      const res = await tweet(text);
      expect(res.status).toBe(503);
      expect(res.json()).toMatchObject({ title: 'Service Unavailable', status: 503 });
      expect(recorded(text)).toBe(false);
    }
    const text = uniqueText('after 503');
    expect((await tweet(text)).status).toBe(201);
    expect(recorded(text)).toBe(true);
  });

  it('rateLimit answers 429 with remaining 0 and the reset asked for', async () => {
    emu().setFaults({ rateLimit: { next: 1, resetInSeconds: 30 } });
    const text = uniqueText('429');
    const res = await tweet(text);
    expect(res.status).toBe(429);
    expect(res.json()).toEqual({
      title: 'Too Many Requests',
      detail: 'Too Many Requests',
      type: 'about:blank',
      status: 429,
    });
    expect(res.headers['x-rate-limit-remaining']).toBe('0');
    expect(res.headers['x-rate-limit-limit']).toBe('100');
    const reset = Number(res.headers['x-rate-limit-reset']);
    expect(Math.abs(reset - (Date.now() / 1000 + 30))).toBeLessThan(3);
    expect(recorded(text)).toBe(false);
  });

  it('reset destroys the socket before the effect', async () => {
    emu().setFaults({ reset: { next: 1 } });
    const text = uniqueText('reset');
    await expect(tweet(text)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(recorded(text)).toBe(false);
    expect(emu().requests().at(-1)).toMatchObject({ method: 'POST', path: '/2/tweets', status: 0 });
  });

  it('reset with after=true records the post first', async () => {
    emu().setFaults({ reset: { next: 1, after: true } });
    const text = uniqueText('reset after');
    await expect(tweet(text)).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(recorded(text)).toBe(true);
  });

  it('hang sends headers and part of a body, then nothing, before the effect', async () => {
    emu().setFaults({ hang: { next: 1 } });
    const text = uniqueText('hang');
    const answer = await watchTweet(emu().port, token(), text);
    expect(answer.status).toBe(200);
    expect(answer.ended).toBe(false);
    expect(answer.closed).toBe(false);
    expect(answer.received.length).toBeGreaterThan(0);
    expect(() => JSON.parse(answer.received)).toThrow();
    expect(recorded(text)).toBe(false);
  });

  it('hang with after=true records the post and half-sends the real answer', async () => {
    emu().setFaults({ hang: { next: 1, after: true } });
    const text = uniqueText('hang after');
    const answer = await watchTweet(emu().port, token(), text);
    expect(answer.status).toBe(201);
    expect(answer.ended).toBe(false);
    expect(answer.received).toMatch(/^\{"data":/);
    expect(recorded(text)).toBe(true);
  });

  it('status503After records the post, then answers 503', async () => {
    emu().setFaults({ status503After: { next: 1 } });
    const text = uniqueText('503 after');
    const res = await tweet(text);
    expect(res.status).toBe(503);
    expect(recorded(text)).toBe(true);
    // The retry meets the duplicate rule: exactly the ambiguity a client must handle.
    expect((await tweet(text)).status).toBe(403);
  });

  it('latencyMs delays the answer', async () => {
    emu().setFaults({ latencyMs: 250 });
    const started = Date.now();
    expect((await call(emu().port, { path: '/2/users/me', token: token() })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    emu().setFaults({});
  });

  it('paths limits faults to matching prefixes and /_emulator is never faulted', async () => {
    emu().setFaults({ paths: ['/2/tweets'], status503: { rate: 1 } });
    expect((await call(emu().port, { path: '/2/users/me', token: token() })).status).toBe(200);
    expect((await tweet(uniqueText('path'))).status).toBe(503);
    expect((await raw(emu().port, { path: '/_emulator/state' })).status).toBe(200);
    emu().setFaults({ status503: { rate: 1 } });
    expect((await raw(emu().port, { path: '/_emulator/state' })).status).toBe(200);
    expect((await raw(emu().port, { path: '/oauth/authorize?oauth_token=x' })).status).toBe(503);
    emu().setFaults({});
  });

  it('rate faults are reproducible from the seed', async () => {
    const pattern = async (seed: number) => {
      const e = await startEmulator({ seed });
      try {
        e.setFaults({ status503: { rate: 0.5 } });
        const t = e.issueAccessToken(ALICE, SANDBOX_CONSUMER.key);
        const out: number[] = [];
        for (let i = 0; i < 16; i++) out.push((await call(e.port, { path: '/2/users/me', token: t })).status);
        return out.join(',');
      } finally {
        await e.close();
      }
    };
    const a = await pattern(7);
    expect(a).toMatch(/503/);
    expect(a).toMatch(/200/);
    expect(await pattern(7)).toBe(a);
    expect(await pattern(8)).not.toBe(a);
  });

  it('rejects malformed faults', () => {
    expect(() => emu().setFaults({ status503: { rate: 2 } })).toThrow(TypeError);
    expect(() => emu().setFaults({ bogus: {} } as never)).toThrow(TypeError);
    expect(() => emu().setFaults({ reset: { next: 1.5 } })).toThrow(TypeError);
  });
});

describe('close()', () => {
  it('ends hung sockets promptly', async () => {
    const e = await startEmulator();
    e.setFaults({ hang: { rate: 1 } });
    const t = e.issueAccessToken(ALICE, SANDBOX_CONSUMER.key);
    const hung = watchTweet(e.port, t, 'hung forever', 2000);
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await e.close();
    expect(Date.now() - started).toBeLessThan(1000);
    const answer = await hung;
    expect(answer.ended).toBe(false);
    expect(answer.closed).toBe(true);
    await e.close(); // idempotent
  });

  it('cuts a latency wait short', async () => {
    const e = await startEmulator();
    e.setFaults({ latencyMs: 60_000 });
    const pending = raw(e.port, { path: '/2/users/me' }).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await e.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
