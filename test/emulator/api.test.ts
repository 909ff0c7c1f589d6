import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, useEmulator } from './support/emulator.js';
import { call, SANDBOX_CONSUMER } from './support/oauth-client.js';

const emu = useEmulator({
  apps: [
    {
      consumerKey: 'sandbox-consumer-key',
      consumerSecret: 'sandbox-consumer-secret',
      name: 'twauth sandbox',
      callbacks: [],
      access: 'read-write',
    },
    { consumerKey: 'reader-key', consumerSecret: 'reader-secret', name: 'reader', callbacks: [], access: 'read' },
  ],
});
const READER = { key: 'reader-key', secret: 'reader-secret' };
const tokenFor = (user = ALICE, access?: 'read' | 'read-write') =>
  emu().issueAccessToken(user, SANDBOX_CONSUMER.key, access);
const post = (token: { token: string; secret: string }, body: unknown, consumer = SANDBOX_CONSUMER) =>
  call(emu().port, { method: 'POST', path: '/2/tweets', token, json: body, consumer });

describe('v2', () => {
  it('GET /2/users/me', async () => {
    const res = await call(emu().port, { path: '/2/users/me', token: tokenFor(BOB) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBe('{"data":{"id":"1000000002","name":"Bob Sandbox","username":"sandbox_bob"}}');
  });

  it("GET /2/users/me with user.fields: the fields asked for, in order; an unknown one is X's 400", async () => {
    const res = await call(emu().port, {
      path: '/2/users/me?user.fields=created_at%2Cprotected%2Cpublic_metrics',
      token: tokenFor(BOB),
    });
    expect(res.status).toBe(200);
    const { data } = res.json();
    expect(Object.keys(data)).toEqual(['id', 'name', 'username', 'created_at', 'protected', 'public_metrics']);
    expect(data.created_at).toMatch(/^2020-\d\d-\d\dT12:00:00\.000Z$/);
    expect(data.protected).toBe(false);
    expect(data.public_metrics).toMatchObject({ followers_count: 0, tweet_count: 0 });
    // The same again: the sandbox's values are stable.
    expect(
      (await call(emu().port, { path: '/2/users/me?user.fields=created_at', token: tokenFor(BOB) })).json().data
        .created_at,
    ).toBe(data.created_at);

    const bad = await call(emu().port, { path: '/2/users/me?user.fields=created_at%2Cbogus', token: tokenFor(BOB) });
    expect(bad.status).toBe(400);
    const body = bad.json();
    expect(body).toMatchObject({
      title: 'Invalid Request',
      type: 'https://api.twitter.com/2/problems/invalid-request',
      errors: [{ parameters: { 'user.fields': ['bogus'] } }],
    });
    expect(body.errors[0].message).toMatch(
      /^The `user.fields` query parameter value \[bogus\] is not one of \[affiliation,.*,withheld\]$/,
    );
  });

  it('POST /2/tweets creates a post, then refuses a duplicate', async () => {
    const t = tokenFor();
    const res = await post(t, { text: 'hello from the emulator' });
    expect(res.status).toBe(201);
    const { data } = res.json();
    expect(data.id).toMatch(/^\d{15,19}$/);
    expect(data).toEqual({ id: data.id, text: 'hello from the emulator', edit_history_tweet_ids: [data.id] });
    expect(emu().tweets().at(-1)).toMatchObject({ id: data.id, text: 'hello from the emulator', authorId: ALICE });
    expect(Date.parse(emu().tweets().at(-1)!.createdAt)).toBeGreaterThan(0);

    const dup = await post(t, { text: 'hello from the emulator' });
    expect(dup.status).toBe(403);
    expect(dup.text).toBe(
      '{"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403}',
    );
    // Someone else may post the same words.
    expect((await post(tokenFor(BOB), { text: 'hello from the emulator' })).status).toBe(201);
  });

  it('replies to an existing post and refuses a missing one', async () => {
    const t = tokenFor();
    const parent = (await post(t, { text: 'parent post' })).json().data.id;
    const reply = await post(t, { text: 'a reply', reply: { in_reply_to_tweet_id: parent } });
    expect(reply.status).toBe(201);
    expect(emu().tweets().at(-1)).toMatchObject({ text: 'a reply', replyTo: parent });
    expect((await post(t, { text: 'orphan', reply: { in_reply_to_tweet_id: '123' } })).status).toBe(403);
    expect((await post(t, { text: 'bad id', reply: { in_reply_to_tweet_id: 123 } })).status).toBe(400);
  });

  it('enforces the length rule as X counts (weighted, after NFC)', async () => {
    const t = tokenFor();
    expect((await post(t, { text: '🙂'.repeat(140) })).status).toBe(201);
    expect((await post(t, { text: '🙂'.repeat(141) })).status).toBe(403);
    expect((await post(t, { text: `https://example.com/${'a'.repeat(400)}` })).status).toBe(201);
    expect((await post(t, { text: '\u200B \u200D' })).status).toBe(403);
    // "e" + combining acute is one code point after NFC.
    expect((await post(t, { text: 'e\u0301'.repeat(280) })).status).toBe(201);
    const long = await post(t, { text: 'x'.repeat(281) });
    expect(long.status).toBe(403);
    expect(long.json()).toMatchObject({ title: 'Forbidden', status: 403, type: 'about:blank' });
    expect(long.json().detail).toMatch(/281/);
    const empty = await post(t, { text: '   ' });
    expect(empty.status).toBe(403);
    expect(empty.json().detail).toMatch(/empty/);
  });

  it('answers bad bodies with a v2 invalid-request problem', async () => {
    const t = tokenFor();
    const cases = [
      call(emu().port, {
        method: 'POST',
        path: '/2/tweets',
        token: t,
        rawBody: '{"text":',
        contentType: 'application/json',
      }),
      call(emu().port, { method: 'POST', path: '/2/tweets', token: t, rawBody: 'text=hi', contentType: 'text/plain' }),
      post(t, ['not', 'an', 'object']),
      post(t, { nottext: 1 }),
    ];
    for (const res of await Promise.all(cases)) {
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({
        title: 'Invalid Request',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      });
    }
  });

  it('refuses a read-only token with 403', async () => {
    const res = await post(tokenFor(ALICE, 'read'), { text: 'cannot write' });
    expect(res.status).toBe(403);
    expect(res.text).toBe(
      '{"title":"Forbidden","type":"https://api.twitter.com/2/problems/oauth1-permissions","status":403,"detail":"Your client app is not configured with the appropriate oauth1 app permissions for this endpoint."}',
    );
    // A read-only app cannot get a writing token even when asked.
    const readerToken = emu().issueAccessToken(ALICE, READER.key, 'read-write');
    expect((await post(readerToken, { text: 'reader app' }, READER)).status).toBe(403);
  });

  it('sends rate-limit headers, 24-hour headers on POST /2/tweets, and 429 when a window is used up', async () => {
    const t = tokenFor(CAROL);
    const first = await call(emu().port, { path: '/2/users/me', token: t });
    expect(first.headers['x-rate-limit-limit']).toBe('75');
    expect(first.headers['x-rate-limit-remaining']).toBe('74');
    const reset = Number(first.headers['x-rate-limit-reset']);
    expect(reset - Date.now() / 1000).toBeGreaterThan(890);
    expect(reset - Date.now() / 1000).toBeLessThanOrEqual(901);

    let last = first;
    for (let i = 0; i < 74; i++) last = await call(emu().port, { path: '/2/users/me', token: t });
    expect(last.status).toBe(200);
    expect(last.headers['x-rate-limit-remaining']).toBe('0');
    const over = await call(emu().port, { path: '/2/users/me', token: t });
    expect(over.status).toBe(429);
    expect(over.json()).toEqual({
      title: 'Too Many Requests',
      detail: 'Too Many Requests',
      type: 'about:blank',
      status: 429,
    });
    expect(over.headers['x-rate-limit-remaining']).toBe('0');
    expect(over.headers['x-rate-limit-reset']).toBe(String(reset));
    // Windows are per token: another token of the same person is unaffected.
    expect((await call(emu().port, { path: '/2/users/me', token: tokenFor(CAROL) })).status).toBe(200);

    const created = await post(t, { text: 'limits' });
    expect(created.headers['x-rate-limit-limit']).toBe('100');
    expect(created.headers['x-rate-limit-remaining']).toBe('99');
    expect(created.headers['x-user-limit-24hour-limit']).toBe('100');
    expect(created.headers['x-user-limit-24hour-remaining']).toBe('99');
    expect(created.headers['x-app-limit-24hour-limit']).toBe('1667');
    expect(Number(created.headers['x-user-limit-24hour-reset'])).toBeGreaterThan(Date.now() / 1000 + 86000);
    expect(created.headers['x-app-limit-24hour-reset']).toMatch(/^\d+$/);
  });

  it('answers 89 for a revoked token, and invalidate_token revokes', async () => {
    const t = tokenFor();
    expect(emu().revokeAccessToken(t.token)).toBe(true);
    expect(emu().revokeAccessToken(t.token)).toBe(false);
    const res = await call(emu().port, { path: '/2/users/me', token: t });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ errors: [{ code: 89, message: 'Invalid or expired token.' }] });

    const u = tokenFor();
    const inv = await call(emu().port, { method: 'POST', path: '/1.1/oauth/invalidate_token', token: u });
    expect(inv.status).toBe(200);
    expect(inv.json()).toEqual({ access_token: u.token });
    expect((await call(emu().port, { path: '/2/users/me', token: u })).json().errors[0].code).toBe(89);
    expect(
      (await call(emu().port, { method: 'POST', path: '/1.1/oauth/invalidate_token', token: u })).json().errors[0].code,
    ).toBe(89);
  });

  it('a token only works with its own app', async () => {
    const readerToken = emu().issueAccessToken(ALICE, READER.key);
    expect((await call(emu().port, { path: '/2/users/me', token: readerToken })).json().errors[0].code).toBe(89);
  });

  it('answers unknown endpoints with a v2 404 problem', async () => {
    const res = await call(emu().port, { path: '/2/nope', token: tokenFor() });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ title: 'Not Found Error', status: 404 });
    expect((await call(emu().port, { method: 'GET', path: '/2/tweets', token: tokenFor() })).status).toBe(404);
  });
});

describe('v1.1', () => {
  it('verify_credentials', async () => {
    const res = await call(emu().port, { path: '/1.1/account/verify_credentials.json', token: tokenFor() });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({
      id: 1000000001,
      id_str: '1000000001',
      name: 'Alice Sandbox',
      screen_name: 'sandbox_alice',
    });
    expect(res.headers['x-rate-limit-limit']).toBe('75');
  });

  it('statuses/update shares posts with v2, with v1.1 errors', async () => {
    const t = tokenFor(BOB);
    const up = (status: string, extra: Array<[string, string]> = [], token = t) =>
      call(emu().port, {
        method: 'POST',
        path: '/1.1/statuses/update.json',
        token,
        form: [['status', status], ...extra],
      });
    const ok = await up('posted with v1.1');
    expect(ok.status).toBe(200);
    const tweet = ok.json();
    expect(tweet).toMatchObject({ text: 'posted with v1.1', user: { screen_name: 'sandbox_bob', id_str: BOB } });
    expect(tweet.id_str).toMatch(/^\d+$/);
    // The numeric id is a 64-bit JSON number, as on X (JavaScript loses precision; id_str does not).
    expect(ok.text).toContain(`"id":${tweet.id_str},`);
    expect(tweet.created_at).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0000 \d{4}$/);
    expect(
      emu()
        .tweets()
        .some((x) => x.id === tweet.id_str && x.authorId === BOB),
    ).toBe(true);

    const v2dup = await post(t, { text: 'posted with v1.1' });
    expect(v2dup.status).toBe(403);
    const dup = await up('posted with v1.1');
    expect(dup.status).toBe(403);
    expect(dup.json()).toEqual({ errors: [{ code: 187, message: 'Status is a duplicate.' }] });
    const long = await up('y'.repeat(281));
    expect(long.status).toBe(403);
    expect(long.json()).toEqual({ errors: [{ code: 186, message: 'Tweet needs to be a bit shorter.' }] });
    const ro = await up('read only', [], tokenFor(BOB, 'read'));
    expect(ro.status).toBe(403);
    expect(ro.json()).toEqual({
      errors: [
        {
          code: 261,
          message:
            'Application cannot perform write actions. Contact Twitter Platform Operations through https://help.twitter.com/forms/platform.',
        },
      ],
    });
    const reply = await up('v1 reply', [['in_reply_to_status_id', tweet.id_str]]);
    expect(reply.json()).toMatchObject({
      in_reply_to_status_id_str: tweet.id_str,
      in_reply_to_screen_name: 'sandbox_bob',
    });
    const missing = await call(emu().port, {
      method: 'POST',
      path: '/1.1/statuses/update.json',
      token: t,
      form: [['nostatus', '1']],
    });
    expect(missing.status).toBe(400);
  });

  it('home_timeline answers 453', async () => {
    const res = await call(emu().port, { path: '/1.1/statuses/home_timeline.json', token: tokenFor() });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({
      errors: [
        {
          code: 453,
          message:
            'You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media post, oauth) only. If you need access to this endpoint, you may need a different access level. You can learn more here: https://developer.x.com/en/portal/product',
        },
      ],
    });
  });
});
