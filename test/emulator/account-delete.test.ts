/**
 * The emulator's 2026 answers (account switches: options, setAccount, /_emulator/account), the
 * reply rule, the read-only token's problem type, and DELETE /2/tweets/:id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { ALICE, BOB, useEmulator } from './support/emulator.js';
import { call, raw, SANDBOX_CONSUMER } from './support/oauth-client.js';

const emu = useEmulator();
const tokenFor = (user = ALICE, access?: 'read' | 'read-write') =>
  emu().issueAccessToken(user, SANDBOX_CONSUMER.key, access);
const post = (token: { token: string; secret: string }, body: unknown) =>
  call(emu().port, { method: 'POST', path: '/2/tweets', token, json: body });
const del = (token: { token: string; secret: string }, id: string) =>
  call(emu().port, { method: 'DELETE', path: `/2/tweets/${id}`, token });
const control = (path: string, body: unknown) =>
  raw(emu().port, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

afterEach(() =>
  emu().setAccount({ notEnrolled: false, creditsDepleted: false, usageCapped: false, replyRestricted: false }),
);

describe('account switches', () => {
  it('creditsDepleted: every v2 request is 402 CreditsDepleted; v1.1 and OAuth are not', async () => {
    emu().setAccount({ creditsDepleted: true });
    const t = tokenFor();
    const res = await post(t, { text: 'no credits' });
    expect(res.status).toBe(402);
    expect(res.json()).toEqual({
      title: 'CreditsDepleted',
      detail: 'Your enrolled account does not have any credits to fulfill this request.',
      type: 'https://api.twitter.com/2/problems/credits',
    });
    expect((await call(emu().port, { path: '/2/users/me', token: t })).status).toBe(402);
    expect((await call(emu().port, { path: '/1.1/account/verify_credentials.json', token: t })).status).toBe(200);
    expect(
      emu()
        .tweets()
        .some((p) => p.text === 'no credits'),
    ).toBe(false);
  });

  it('usageCapped: 429 UsageCapExceeded with period and scope, the 15-minute window untouched', async () => {
    emu().setAccount({ usageCapped: true, usageCapPeriod: 'Daily' });
    const res = await call(emu().port, { path: '/2/users/me', token: tokenFor() });
    expect(res.status).toBe(429);
    expect(res.json()).toEqual({
      title: 'UsageCapExceeded',
      detail: 'Usage cap exceeded: Daily product cap',
      period: 'Daily',
      scope: 'Product',
      type: 'https://api.twitter.com/2/problems/usage-capped',
    });
    expect(Number(res.headers['x-rate-limit-remaining'])).toBeGreaterThan(0);
  });

  it('notEnrolled: 403 client-forbidden with reason client-not-enrolled', async () => {
    emu().setAccount({ notEnrolled: true });
    const res = await call(emu().port, { path: '/2/users/me', token: tokenFor() });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({
      title: 'Client Forbidden',
      reason: 'client-not-enrolled',
      type: 'https://api.twitter.com/2/problems/client-forbidden',
    });
    expect(res.json().client_id).toMatch(/^\d+$/);
  });

  it('a read-only token writing gets the oauth1-permissions problem type', async () => {
    const res = await post(tokenFor(ALICE, 'read'), { text: 'read only' });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({
      type: 'https://api.twitter.com/2/problems/oauth1-permissions',
      title: 'Forbidden',
    });
  });

  it("replyRestricted: replies to one's own posts and to posts mentioning one pass; others are refused", async () => {
    const alice = tokenFor(ALICE);
    const bob = tokenFor(BOB);
    const own = (await post(alice, { text: 'thread start' })).json().data.id;
    const plain = (await post(bob, { text: 'bob says hi' })).json().data.id;
    const mention = (await post(bob, { text: 'hey @SANDBOX_ALICE look' })).json().data.id;
    emu().setAccount({ replyRestricted: true });
    expect((await post(alice, { text: 'thread part 2', reply: { in_reply_to_tweet_id: own } })).status).toBe(201);
    expect((await post(alice, { text: 'thanks', reply: { in_reply_to_tweet_id: mention } })).status).toBe(201);
    const refused = await post(alice, { text: 'unasked', reply: { in_reply_to_tweet_id: plain } });
    expect(refused.status).toBe(403);
    expect(refused.json().detail).toMatch(
      /^Reply to this conversation is not allowed because you have not been mentioned/,
    );
    emu().setAccount({ replyRestricted: false });
    expect((await post(alice, { text: 'unasked', reply: { in_reply_to_tweet_id: plain } })).status).toBe(201);
  });

  it('the control endpoint sets them, reports them in /_emulator/state, and refuses unknown ones', async () => {
    const set = await control('/_emulator/account', { creditsDepleted: true });
    expect(set.status).toBe(200);
    expect(set.json().account).toMatchObject({ creditsDepleted: true });
    expect((await raw(emu().port, { path: '/_emulator/state' })).json().account).toMatchObject({
      creditsDepleted: true,
    });
    expect((await call(emu().port, { path: '/2/users/me', token: tokenFor() })).status).toBe(402);
    expect((await control('/_emulator/account', { creditsDepleted: 'yes' })).status).toBe(400);
    expect((await control('/_emulator/account', { bogus: true })).json().error).toBe('unknown account switch "bogus"');
  });

  it('options: account switches from the start; malformed ones refused', async () => {
    const other = await startEmulator({ account: { notEnrolled: true } });
    try {
      const t = other.issueAccessToken(ALICE, SANDBOX_CONSUMER.key);
      expect((await call(other.port, { path: '/2/users/me', token: t })).status).toBe(403);
    } finally {
      await other.close();
    }
    await expect(startEmulator({ account: { usageCapPeriod: 'Yearly' as 'Daily' } })).rejects.toThrow(/usageCapPeriod/);
  });
});

describe('DELETE /2/tweets/:id', () => {
  it("deletes one's own post; again is 404; someone else's is 403; a read-only token is refused", async () => {
    const alice = tokenFor(ALICE);
    const id = (await post(alice, { text: 'to be deleted' })).json().data.id;
    const bobs = (await post(tokenFor(BOB), { text: 'bob keeps this' })).json().data.id;

    expect((await del(tokenFor(ALICE, 'read'), id)).json().type).toBe(
      'https://api.twitter.com/2/problems/oauth1-permissions',
    );
    const ok = await del(alice, id);
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('{"data":{"deleted":true}}');
    expect(
      emu()
        .tweets()
        .some((p) => p.id === id),
    ).toBe(false);

    const again = await del(alice, id);
    expect(again.status).toBe(404);
    expect(again.json()).toMatchObject({
      title: 'Not Found Error',
      detail: `Could not find tweet with id: [${id}].`,
      type: 'https://api.twitter.com/2/problems/resource-not-found',
    });

    const other = await del(alice, bobs);
    expect(other.status).toBe(403);
    expect(other.json().detail).toBe('You are not authorized to delete this Tweet.');
    expect(
      emu()
        .tweets()
        .some((p) => p.id === bobs),
    ).toBe(true);

    // The deleted text may be posted again.
    expect((await post(alice, { text: 'to be deleted' })).status).toBe(201);
    expect((await call(emu().port, { method: 'DELETE', path: '/2/tweets/abc', token: alice })).status).toBe(404);
  });
});

describe('faults: skip', () => {
  it('lets the first N matching requests through, then strikes `next` times', async () => {
    const t = tokenFor(BOB);
    emu().setFaults({ paths: ['/2/tweets'], status503: { skip: 1, next: 1 } });
    try {
      expect((await post(t, { text: 'skip one' })).status).toBe(201);
      expect((await post(t, { text: 'skip two' })).status).toBe(503);
      expect((await post(t, { text: 'skip three' })).status).toBe(201);
    } finally {
      emu().setFaults({});
    }
    expect(() => emu().setFaults({ status503: { skip: 1.5 } })).toThrow(/status503.skip must be an integer/);
  });
});
