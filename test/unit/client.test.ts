import { describe, expect, it } from 'vitest';
import { PREPARED_FRESH_MS, resolveUrl } from '../../src/api/client.js';
import { NetworkError, XApiError } from '../../src/api/errors.js';
import { TransportError, type HttpRequest, type HttpResponse } from '../../src/api/http-transport.js';
import { fakeXClient } from '../helpers/fake-client.js';

type Step = HttpResponse | TransportError;

function fakeClient(steps: Step[], overrides: { wait?: boolean; now?: number } = {}) {
  const sent: HttpRequest[] = [];
  const slept: number[] = [];
  const offsets: number[] = [];
  const clock = { nowMs: () => overrides.now ?? 1_700_000_000_000, offsetMs: 0 };
  let seed = 0;
  const client = fakeXClient(
    async (req) => {
      sent.push(req);
      const step = steps.shift();
      if (!step) throw new Error('no more steps');
      if (step instanceof TransportError) throw step;
      return step;
    },
    { waitOnRateLimit: overrides.wait },
    {
      clock,
      randomBytes: (n) => new Uint8Array(n).map((_, i) => (i * 7 + seed++) % 200),
      random: () => 0.5,
      sleep: async (ms) => void slept.push(ms),
      onClockOffset: (ms) => offsets.push(ms),
    },
  );
  return { client, sent, slept, offsets, clock };
}

const ok = (body = '{"data":{"id":"1","username":"a"}}', headers: Record<string, string> = {}): HttpResponse => ({
  status: 200,
  headers,
  body,
});
const err = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body,
});

describe('XClient', () => {
  it('retries an idempotent GET after 5xx and network errors, with backoff', async () => {
    const { client, sent, slept } = fakeClient([
      err(503, '{"title":"Service Unavailable"}'),
      new TransportError('reset', 'after-send', false),
      ok(),
    ]);
    const res = await client.request({ method: 'GET', path: '/2/users/me' });
    expect(res.status).toBe(200);
    expect(sent).toHaveLength(3);
    expect(slept).toHaveLength(2);
    // Every attempt is signed afresh: a replayed nonce would be refused by X.
    expect(new Set(sent.map((s) => s.headers.authorization)).size).toBe(3);
  });

  it('gives up after the retry budget', async () => {
    const { client, sent } = fakeClient(Array.from({ length: 10 }, () => err(503, '')));
    await expect(client.request({ method: 'GET', path: '/2/users/me' })).rejects.toBeInstanceOf(XApiError);
    expect(sent).toHaveLength(4);
  });

  it('never resends a POST once it may have been sent', async () => {
    const { client, sent } = fakeClient([new TransportError('socket hang up', 'after-send', false), ok()]);
    const e = await client
      .request({ method: 'POST', path: '/2/tweets', json: '{"text":"x"}' })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NetworkError);
    expect((e as NetworkError).mayHaveTakenEffect).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('does not retry a POST that got a 5xx, and says it may have taken effect', async () => {
    const { client, sent } = fakeClient([err(503, '{"title":"Service Unavailable","status":503}'), ok()]);
    const e = (await client
      .request({ method: 'POST', path: '/2/tweets', json: '{}' })
      .catch((x: unknown) => x)) as XApiError;
    expect(e.status).toBe(503);
    expect(e.mayHaveTakenEffect).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('resends a POST whose connection was refused (nothing was sent)', async () => {
    const { client, sent } = fakeClient([new TransportError('ECONNREFUSED', 'before-send', false), ok()]);
    await client.request({ method: 'POST', path: '/2/tweets', json: '{}' });
    expect(sent).toHaveLength(2);
  });

  it('repairs clock skew once from the Date header (code 135), also for POST', async () => {
    const serverNow = new Date(1_700_000_000_000 + 3_600_000).toUTCString();
    const { client, sent, offsets, clock } = fakeClient([
      err(401, '{"errors":[{"code":135,"message":"Timestamp out of bounds."}]}', { date: serverNow }),
      ok(),
    ]);
    await client.request({ method: 'POST', path: '/2/tweets', json: '{}' });
    expect(sent).toHaveLength(2);
    expect(offsets).toEqual([3_600_000]);
    expect(clock.offsetMs).toBe(3_600_000);
    expect(sent[1]!.headers.authorization).toContain(`oauth_timestamp="${1_700_000_000 + 3600}"`);
  });

  it('does not loop on repeated 135', async () => {
    const skew = err(401, '{"errors":[{"code":135,"message":"Timestamp out of bounds."}]}', {
      date: new Date().toUTCString(),
    });
    const { client, sent } = fakeClient([skew, skew, skew]);
    await expect(client.request({ method: 'GET', path: '/2/users/me' })).rejects.toMatchObject({
      status: 401,
      code: 135,
    });
    expect(sent).toHaveLength(2);
  });

  it('reports 429 with the reset time, and --wait sleeps until it for GET only', async () => {
    const headers = {
      'x-rate-limit-limit': '75',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(1_700_000_000 + 30),
    };
    const limited = err(429, '{"title":"Too Many Requests","status":429}', headers);
    const a = fakeClient([limited]);
    const e = (await a.client.request({ method: 'GET', path: '/2/users/me' }).catch((x: unknown) => x)) as XApiError;
    expect(e.status).toBe(429);
    expect(e.rateLimit.window).toEqual({ limit: 75, remaining: 0, reset: 1_700_000_030 });

    const b = fakeClient([limited, ok()], { wait: true });
    await b.client.request({ method: 'GET', path: '/2/users/me' });
    expect(b.slept).toEqual([31_000]);

    const c = fakeClient([limited, ok()], { wait: true });
    await expect(c.client.request({ method: 'POST', path: '/2/tweets', json: '{}' })).rejects.toMatchObject({
      status: 429,
    });
    expect(c.sent).toHaveLength(1);
  });

  it('--wait does not sleep on a usage cap (429 UsageCapExceeded), under either problem host', async () => {
    const headers = {
      'x-rate-limit-limit': '75',
      'x-rate-limit-remaining': '74',
      'x-rate-limit-reset': String(1_700_000_000 + 30),
    };
    for (const host of ['api.twitter.com', 'api.x.com']) {
      const capped = err(
        429,
        JSON.stringify({
          title: 'UsageCapExceeded',
          detail: 'Usage cap exceeded: Monthly product cap',
          period: 'Monthly',
          scope: 'Product',
          type: `https://${host}/2/problems/usage-capped`,
        }),
        headers,
      );
      const { client, sent, slept } = fakeClient([capped, ok()], { wait: true });
      const e = (await client.request({ method: 'GET', path: '/2/users/me' }).catch((x: unknown) => x)) as XApiError;
      expect(e).toBeInstanceOf(XApiError);
      expect(e.problem).toBe('usage-capped');
      expect(e.body).toMatchObject({ period: 'Monthly', scope: 'Product' });
      expect(sent).toHaveLength(1);
      expect(slept).toEqual([]);
    }
  });

  it('a request signed ahead (prepare) goes out with that signature once; a retry is signed afresh', async () => {
    const { client, sent } = fakeClient([err(503, ''), ok(), ok()]);
    const req = { method: 'POST', path: '/2/media/upload/7/append', json: '{}', idempotent: true } as const;
    const early = client.prepare(req);
    await client.request(early);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.headers.authorization).toBe(early.headers.authorization);
    expect(sent[1]!.headers.authorization).not.toBe(early.headers.authorization);
    expect(sent[0]!.url).toBe('https://api.x.com/2/media/upload/7/append');
    // Prepared twice, the same request carries two nonces: a signature is never sent twice.
    await client.request(client.prepare(req));
    expect(new Set(sent.map((s) => s.headers.authorization)).size).toBe(3);
  });

  it('a signature made ahead is not used once stale, nor after a clock correction', async () => {
    const { client, sent, clock } = fakeClient([ok(), ok(), ok()]);
    let now = 1_700_000_000_000;
    clock.nowMs = () => now;
    const req = { method: 'POST', path: '/2/media/upload/7/append', json: '{}', idempotent: true } as const;
    const fresh = client.prepare(req);
    now += PREPARED_FRESH_MS;
    await client.request(fresh);
    expect(sent[0]!.headers.authorization).toBe(fresh.headers.authorization);
    const stale = client.prepare(req);
    now += PREPARED_FRESH_MS + 1;
    await client.request(stale);
    expect(sent[1]!.headers.authorization).not.toBe(stale.headers.authorization);
    expect(sent[1]!.headers.authorization).toContain(`oauth_timestamp="${Math.floor(now / 1000)}"`);
    const beforeFix = client.prepare(req);
    clock.offsetMs = 3_600_000;
    await client.request(beforeFix);
    expect(sent[2]!.headers.authorization).not.toBe(beforeFix.headers.authorization);
    expect(sent[2]!.headers.authorization).toContain(`oauth_timestamp="${Math.floor(now / 1000) + 3600}"`);
  });

  it('signs form bodies and query, never JSON bodies', async () => {
    const { client, sent } = fakeClient([ok(), ok()]);
    await client.request({ method: 'POST', path: '/1.1/statuses/update.json', form: [['status', 'a b']] });
    expect(sent[0]!.body).toBe('status=a%20b');
    expect(sent[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    await client.request({ method: 'POST', path: '/2/tweets', json: '{"text":"x"}' });
    expect(sent[1]!.headers['content-type']).toBe('application/json');
  });

  it('resolves paths against the API base, keeping a base path', () => {
    expect(resolveUrl('https://api.x.com', '/2/users/me').href).toBe('https://api.x.com/2/users/me');
    expect(resolveUrl('http://127.0.0.1:9/x/', '2/users/me?a=1', [['b', 'c d']]).href).toBe(
      'http://127.0.0.1:9/x/2/users/me?a=1&b=c%20d',
    );
    expect(resolveUrl('https://api.x.com', 'https://upload.x.com/1.1/media').href).toBe(
      'https://upload.x.com/1.1/media',
    );
  });
});
