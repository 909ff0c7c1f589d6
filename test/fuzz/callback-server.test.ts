import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackServer, type CallbackOutcome, type CallbackServer } from '../../src/flows/callback-server.js';
import { refEncode, runs } from './support.js';

/**
 * Fires fast-check-generated requests, raw bytes over node:net and well-formed ones over
 * node:http, at a live callback server. Only a genuine callback may settle `outcome`; every refusal
 * that is an HTTP response must keep the page out of caches and Referer headers.
 */
const TOKEN = 'TOKEN';
const VERIFIER = /^[A-Za-z0-9_-]{1,128}$/;

let server: CallbackServer;
/** The login's secret on the callback URL: only X's redirect carries it (callback-server.ts). */
let STATE = '';
let settled: CallbackOutcome | undefined;
let sent = 0;
let httpResponses = 0;

beforeAll(async () => {
  server = await startCallbackServer(0);
  server.expect(TOKEN);
  STATE = new URL(server.callbackUrl).searchParams.get('twauth_state') ?? '';
  void server.outcome.then((o) => (settled = o));
});

afterAll(async () => {
  await server?.close();
});

/**
 * Independent statement of "genuine": GET, path exactly /callback, and per WHATWG form decoding
 * exactly one twauth_state equal to the server's, and exactly one oauth_token equal to TOKEN with
 * exactly one valid oauth_verifier, or exactly one denied=TOKEN (X's cancel). Lenient decoding
 * makes this a superset of what the server accepts.
 */
function genuine(method: string, target: string): boolean {
  if (method !== 'GET') return false;
  const q = target.indexOf('?');
  if ((q === -1 ? target : target.slice(0, q)) !== '/callback') return false;
  const params = new URLSearchParams(q === -1 ? '' : target.slice(q + 1));
  const token = params.getAll('oauth_token');
  const verifier = params.getAll('oauth_verifier');
  const denied = params.getAll('denied');
  const state = params.getAll('twauth_state');
  if (state.length !== 1 || state[0] !== STATE) return false;
  if (token.length > 1 || verifier.length > 1 || denied.length > 1) return false;
  if (denied.length === 1) return denied[0] === TOKEN;
  return token[0] === TOKEN && verifier[0] !== undefined && VERIFIER.test(verifier[0]);
}

/** Any request line anywhere in the bytes (pipelining) that could be genuine. */
function containsGenuine(bytes: string): boolean {
  for (const line of bytes.split(/\r\n|\n|\r/)) {
    const m = /(?:^|\s)(GET)\s+(\S+)/.exec(line);
    if (m && genuine('GET', m[2]!)) return true;
  }
  return false;
}

interface Raw {
  status?: number;
  headers: Record<string, string>;
  bytes: string;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseResponse(bytes: string): Raw {
  if (!bytes.startsWith('HTTP/1.')) return { headers: {}, bytes };
  const head = bytes.slice(0, bytes.indexOf('\r\n\r\n') >>> 0);
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const c = l.indexOf(':');
    if (c > 0) headers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, bytes };
}

/** Writes the bytes, half-closes, and collects whatever comes back until the server closes. */
function rawExchange(port: number, bytes: Buffer): Promise<Raw> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect({ port, host: '127.0.0.1' });
    s.on('data', (c) => chunks.push(c));
    s.on('error', () => {}); // a reset is a fine answer to garbage
    s.setTimeout(3000, () => s.destroy());
    s.on('close', () => resolve(parseResponse(Buffer.concat(chunks).toString('latin1'))));
    s.end(bytes);
  });
}

function httpExchange(port: number, method: string, path: string, headers: Record<string, string>): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          headers: res.headers as Record<string, string>,
          bytes: `${res.statusCode} ${JSON.stringify(res.headers)}`,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const tally = new Map<string, number>();
let firstSettledBy: string | undefined;

function checkRefusal(r: Raw, what: string): void {
  tally.set(String(r.status ?? 'no HTTP answer'), (tally.get(String(r.status ?? 'no HTTP answer')) ?? 0) + 1);
  // Settling is sticky, so later (shrunk) counterexamples mislead: name the request that did it.
  if (settled !== undefined) firstSettledBy ??= what;
  expect(settled, `settled by ${JSON.stringify(firstSettledBy)}`).toBeUndefined();
  if (r.status === undefined) return; // closed or reset without an HTTP answer
  httpResponses++;
  expect(r.status, what).toBeGreaterThanOrEqual(400);
  expect(r.headers['cache-control'], `${what}\n${r.bytes.slice(0, 300)}`).toBe('no-store');
  expect(r.headers['referrer-policy'], what).toBe('no-referrer');
}

// ---- generators -------------------------------------------------------------------------------

const validVerifier = fc.stringMatching(VERIFIER);
const invalidVerifier = fc.oneof(
  fc.constantFrom('', 'a'.repeat(129), 'ab.c', 'a b', 'é', '%', 'a+b', 'a/b', '<script>'),
  fc.string({ maxLength: 10 }).filter((s) => !VERIFIER.test(s)),
);
const tokenLike = fc.constantFrom(
  TOKEN,
  TOKEN,
  'token',
  'TOKEN ',
  ' TOKEN',
  'TOKENX',
  'TOKE',
  '',
  'TOKEN\0',
  'T%4FKEN',
  'TOK+EN',
  '%54OKEN',
  'TOKEN%',
);
const paramName = fc.constantFrom(
  'oauth_token',
  'oauth_verifier',
  'denied',
  'OAUTH_TOKEN',
  'oauth_token ',
  'oauth%5Ftoken',
  'oauth_token%00',
  'x',
  '',
  'oauth_verifier[]',
);

/** A query: a list of name=value pieces, some raw, some encoded, duplicates and junk included. */
const query = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.tuple(paramName, fc.oneof(tokenLike, validVerifier, invalidVerifier)).map(([n, v]) => `${n}=${v}`),
        fc.tuple(paramName, fc.string({ maxLength: 8 })).map(([n, v]) => `${n}=${refEncode(v)}`),
        fc.constantFrom('', '=', '&', '%', '%zz', '%E2%28', '#frag', '?', '+'),
      ),
      { maxLength: 5 },
    ),
    fc.constantFrom('&', '&', ';', '&&'),
  )
  .map(([parts, sep]) => parts.join(sep));

const path = fc.constantFrom(
  '/callback',
  '/callback',
  '/Callback',
  '/callback/',
  '//callback',
  '/callback%3F',
  '/%63allback',
  '/',
  '',
  '*',
  '/callback;x',
  '/./callback',
  '/x/../callback',
  'http://127.0.0.1/callback',
  '/callback#',
  '/callback\t',
);
const method = fc.constantFrom(
  'GET',
  'GET',
  'POST',
  'HEAD',
  'PUT',
  'OPTIONS',
  'DELETE',
  'get',
  'CONNECT',
  'PRI',
  'GETT',
  ' GET',
  'G\0T',
  'TRACE',
);
const version = fc.constantFrom(
  'HTTP/1.1',
  'HTTP/1.0',
  'HTTP/1.1',
  'HTTP/2.0',
  'HTTP/0.9',
  '',
  'HTTP/1.1 x',
  'http/1.1',
);
const header = fc.constantFrom(
  'Host: 127.0.0.1',
  'Expect: 100-continue',
  'Expect: nonsense',
  'Upgrade: websocket\r\nConnection: Upgrade',
  'Transfer-Encoding: chunked',
  'Content-Length: 5',
  'Content-Length: -1',
  'Content-Length: 1\r\nContent-Length: 2',
  'X-Long: ' + 'a'.repeat(20_000),
  'Bad Header',
  ': empty',
  'Referer: http://evil/',
  'Connection: keep-alive',
  'Transfer-Encoding: chunked\r\nContent-Length: 3',
  'Host: a\r\nHost: b',
  'X\0: y',
);
const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 40 });

interface RawCase {
  method: string;
  target: string;
  bytes: string;
}

const structured: fc.Arbitrary<RawCase> = fc
  .record({
    method,
    path,
    hasQuery: fc.boolean(),
    query,
    version,
    headers: fc.array(header, { maxLength: 3 }),
    body: fc.constantFrom('', 'hello', '0\r\n\r\n', 'oauth_token=TOKEN&oauth_verifier=abc'),
    noise: fc.option(latin1, { freq: 4 }),
    lineEnd: fc.constantFrom('\r\n', '\r\n', '\n'),
  })
  .map((r) => {
    const target = r.path + (r.hasQuery ? '?' + r.query : '') + (r.noise ?? '');
    const head = [`${r.method} ${target}${r.version ? ' ' + r.version : ''}`, ...r.headers].join(r.lineEnd);
    return { method: r.method, target, bytes: head + r.lineEnd + r.lineEnd + r.body };
  });

/** Arbitrary bytes, alone or after a plausible request line. */
const garbage: fc.Arbitrary<RawCase> = fc
  .oneof(
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    fc
      .tuple(
        fc.constantFrom('GET /callback?', 'GET ', 'GET /callback', 'POST /callback?oauth_token=TOKEN&'),
        latin1,
        fc.constantFrom('', ' HTTP/1.1\r\n\r\n', '\r\n\r\n'),
      )
      .map((p) => p.join('')),
  )
  .map((bytes) => ({ method: '', target: '', bytes }));

// ---- properties -------------------------------------------------------------------------------

describe('callback server under fuzzed requests', () => {
  it('raw sockets: nothing but a genuine callback settles it; HTTP refusals carry no-store and no-referrer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: structured, weight: 3 }, { arbitrary: garbage, weight: 1 }), async (c) => {
        fc.pre(!containsGenuine(c.bytes) && !genuine(c.method, c.target));
        sent++;
        const r = await rawExchange(server.port, Buffer.from(c.bytes, 'latin1'));
        checkRefusal(r, c.bytes);
      }),
      { ...runs(300), maxSkipsPerRun: 100 },
    );
  });

  it('node:http: well-formed requests with fuzzed paths, queries and methods never settle it', async () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x21, max: 0xff }).map((c) => String.fromCharCode(c)),
      maxLength: 20,
    });
    const target = fc
      .oneof(
        fc
          .tuple(
            path.filter((p) => /^[\x21-\xff]+$/.test(p)),
            fc.boolean(),
            query,
          )
          .map(([p, has, q]) => p + (has ? '?' + q : '')),
        printable.map((s) => '/callback?' + s),
        fc.webPath().map((p) => p || '/'),
        fc.tuple(fc.webPath(), fc.webQueryParameters()).map(([p, q]) => `${p || '/'}?${q}`),
      )
      .filter((t) => /^[\x21-\xff]+$/.test(t));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'GET', 'POST', 'HEAD', 'PUT', 'PATCH', 'OPTIONS', 'DELETE'),
        target,
        fc.dictionary(
          fc.constantFrom('x-a', 'referer', 'cookie', 'origin'),
          fc
            .string({ unit: 'binary-ascii', maxLength: 10 })
            .filter((v) => /^[\x20-\x7e]*$/.test(v.trim()) && v === v.trim()),
        ),
        async (m, t, h) => {
          fc.pre(!genuine(m, t));
          sent++;
          const r = await httpExchange(server.port, m, t, h);
          checkRefusal(r, `${m} ${t}`);
        },
      ),
      { ...runs(200), maxSkipsPerRun: 100 },
    );
  });

  it('near misses of the genuine callback (one thing wrong) are refused with a 4xx page', async () => {
    const enc = (v: string, how: number) =>
      how === 0
        ? v.replace(/[^\x21-\x7e]/g, encodeURIComponent)
        : how === 1
          ? refEncode(v)
          : [...v].map((c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
    const nearMiss = fc
      .record({
        verifier: validVerifier,
        defect: fc.constantFrom(
          'token',
          'verifier',
          'repeat-token',
          'repeat-verifier',
          'no-verifier',
          'no-token',
          'denied-wrong',
          'denied-repeat',
          'method',
          'path',
          'no-state',
          'wrong-state',
          'repeat-state',
          'denied-no-state',
        ),
        wrongToken: tokenLike.filter((t) => t !== TOKEN && decodeURIComponentSafe(t.replace(/\+/g, ' ')) !== TOKEN),
        badVerifier: invalidVerifier,
        how: fc.nat({ max: 2 }),
        order: fc.boolean(),
        extra: fc.constantFrom('', 'x=1', 'oauth_callback_confirmed=true', 'denied'),
      })
      .map((r) => {
        let p: [string, string][] = [
          ['oauth_token', TOKEN],
          ['oauth_verifier', r.verifier],
        ];
        if (r.defect === 'token') p[0] = ['oauth_token', r.wrongToken];
        if (r.defect === 'verifier') p[1] = ['oauth_verifier', r.badVerifier];
        if (r.defect === 'repeat-token') p.push(['oauth_token', r.order ? TOKEN : r.wrongToken]);
        if (r.defect === 'repeat-verifier') p.push(['oauth_verifier', r.verifier]);
        if (r.defect === 'no-verifier') p = [p[0]!];
        if (r.defect === 'no-token') p = [p[1]!];
        if (r.defect === 'denied-wrong') p = [['denied', r.wrongToken]];
        if (r.defect === 'denied-repeat')
          p = [
            ['denied', TOKEN],
            ['denied', TOKEN],
          ];
        // Everything so far carries the state; these lack it or get it wrong (a forged redirect).
        if (r.defect === 'denied-no-state') p = [['denied', TOKEN]];
        else if (r.defect === 'no-state') void 0;
        else if (r.defect === 'wrong-state') p.push(['twauth_state', STATE.slice(1) + 'x']);
        else if (r.defect === 'repeat-state') p.push(['twauth_state', STATE], ['twauth_state', STATE]);
        else p.push(['twauth_state', STATE]);
        if (r.order) p.reverse();
        const q = [
          ...p.map(([k, v]) => `${enc(k, r.how)}=${enc(v, r.how)}`),
          ...(r.extra && r.extra !== 'denied' ? [r.extra] : []),
        ].join('&');
        const method = r.defect === 'method' ? 'POST' : 'GET';
        const target = (r.defect === 'path' ? '/callback/' : '/callback') + '?' + q;
        return { method, target };
      });
    await fc.assert(
      fc.asyncProperty(nearMiss, async ({ method: m, target }) => {
        const bytes = `${m} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
        fc.pre(!genuine(m, target) && !containsGenuine(bytes));
        sent++;
        const r = await rawExchange(server.port, Buffer.from(bytes, 'latin1'));
        checkRefusal(r, `${m} ${target}`);
        expect(r.status, target).toBeGreaterThanOrEqual(400);
        expect(r.status, target).toBeLessThan(500);
      }),
      { ...runs(300), maxSkipsPerRun: 100 },
    );
  });

  it('survived: still listening, counted refusals, then the genuine callback settles it and closing refuses new connections', async () => {
    expect(settled).toBeUndefined();
    if (process.env.FUZZ_STATS)
      console.log(
        'callback-server answers by status:',
        Object.fromEntries(tally),
        'sent',
        sent,
        'refused()',
        server.refused(),
      );
    expect(sent).toBeGreaterThanOrEqual(800);
    expect(server.refused()).toBeGreaterThanOrEqual(httpResponses);

    const ok = await httpExchange(
      server.port,
      'GET',
      `/callback?twauth_state=${STATE}&oauth_token=TOKEN&oauth_verifier=v3r1f13r-_`,
      {},
    );
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    await expect(server.outcome).resolves.toEqual({ kind: 'verifier', verifier: 'v3r1f13r-_' });

    const again = await httpExchange(
      server.port,
      'GET',
      `/callback?twauth_state=${STATE}&oauth_token=TOKEN&oauth_verifier=other`,
      {},
    );
    expect(again.status).toBe(410);
    await expect(server.outcome).resolves.toEqual({ kind: 'verifier', verifier: 'v3r1f13r-_' });

    const port = server.port;
    await server.close();
    const refused = await new Promise<string>((resolve) => {
      const s = connect({ port, host: '127.0.0.1' });
      s.on('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
