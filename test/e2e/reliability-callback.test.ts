// Issue 6, reliability of the loopback login: a real `twauth login --no-browser` process whose
// callback port is attacked by ~3000 hostile requests (and slowloris clients) while it waits, then
// approved for real; and SIGINT / SIGTERM while it waits. Seeded: the seed is printed on failure.
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { seededRandom } from '../../src/emulator/prng.js';
import type { TwauthProcess, TwauthResult } from '../helpers/cli.js';
import { assertNoSecrets, startSandbox, type Sandbox, pool } from './support.js';

const SEED = Number(process.env.TWAUTH_RELIABILITY_SEED ?? 20240611);
const ATTACK_REQUESTS = 3000;
const CONCURRENCY = 50;
const SLOWLORIS = 20;

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
});
afterAll(() => sb?.stop());

/** A port that was free a moment ago (bound to 0, read, released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resolves with the connect outcome: 'connected' or the error code (ECONNREFUSED …). */
function probe(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

function authorizeUrl(stderr: string): { url: string; token: string } | undefined {
  const base = sb.emu.url.replace(/[.]/g, '\\.');
  const m = new RegExp(`^(${base}/oauth/authorize\\?oauth_token=([A-Za-z0-9_-]+))$`, 'm').exec(stderr);
  return m ? { url: m[1]!, token: m[2]! } : undefined;
}

function configAccounts(): unknown[] {
  try {
    return (JSON.parse(readFileSync(join(sb.configDir, 'config.json'), 'utf8')) as { accounts: unknown[] }).accounts;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The collected output of a spawned twauth, in the shape assertNoSecrets checks. */
async function finished(p: TwauthProcess): Promise<TwauthResult> {
  const e = await p.exit;
  return { code: e.code ?? -1, signal: e.signal, stdout: p.stdout(), stderr: p.stderr() };
}

function rssKb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the process is gone
  }
}

interface Exchange {
  kind: string;
  status?: number;
  headers: Record<string, string>;
  body: string;
  /** Bytes received; 0 = closed or reset without an HTTP answer. */
  received: number;
  timedOut: boolean;
}

/** Sends raw bytes, then collects whatever comes back until the server closes (or 10 s pass). */
function rawExchange(port: number, kind: string, bytes: Buffer): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let timedOut = false;
    const s = connect({ port, host: '127.0.0.1' });
    s.on('data', (c: Buffer) => chunks.push(c));
    s.on('error', () => {}); // a reset is a fine answer to garbage
    s.setTimeout(10_000, () => {
      timedOut = true;
      s.destroy();
    });
    s.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const out: Exchange = { kind, headers: {}, body: '', received: text.length, timedOut };
      if (text.startsWith('HTTP/1.')) {
        const end = text.indexOf('\r\n\r\n');
        const head = end === -1 ? text : text.slice(0, end);
        const [statusLine, ...lines] = head.split('\r\n');
        out.status = Number(statusLine!.split(' ')[1]);
        for (const l of lines) {
          const c = l.indexOf(':');
          if (c > 0) out.headers[l.slice(0, c).trim().toLowerCase()] = l.slice(c + 1).trim();
        }
        out.body = end === -1 ? '' : text.slice(end + 4);
      }
      resolve(out);
    });
    // Never half-close: a hostile client keeps its side open; the server must end the exchange.
    s.write(bytes);
  });
}

/** Hostile requests for a login that waits for request token `real`. None of them is genuine. */
function hostileRequests(real: string, rand: () => number): Array<{ kind: string; bytes: Buffer }> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const randomToken = () =>
    Array.from({ length: 8 + Math.floor(rand() * 40) }, () =>
      pick([...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-']),
    ).join('');
  const xss = '<script>alert(document.cookie)</script>';
  const xssEnc = encodeURIComponent(xss);
  const req = (method: string, target: string, headers: string[] = ['Host: 127.0.0.1'], body = '') =>
    Buffer.from(`${method} ${target} HTTP/1.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`, 'latin1');
  // Raw spaces are not near misses: llhttp tolerates extra spaces before HTTP/1.1, so
  // `denied=REAL  HTTP/1.1` is the genuine cancel. Encoded ones (%20, +) decode to a different token.
  const nearMisses = [
    `${real}x`,
    real.slice(0, -1),
    `x${real}`,
    `%20${real}`,
    `${real}%20`,
    `${real}+`,
    `${real}%00`,
    real.toLowerCase() === real ? real.toUpperCase() : real.toLowerCase(),
  ].filter((t) => t !== real);

  const kinds: Array<[string, number, () => Buffer]> = [
    [
      'method-path',
      4,
      () =>
        req(
          pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'get', 'G\0T']),
          pick([
            '/',
            '/callback/',
            '/CALLBACK',
            '/Callback',
            '//callback',
            '/callback/../callback',
            '/favicon.ico',
            '/callback%00',
            '*',
            `/${randomToken()}`,
            `/callback;${randomToken()}`,
            '/%63allback',
          ]) + (rand() < 0.5 ? `?oauth_token=${real}&oauth_verifier=abc` : ''),
        ),
    ],
    [
      'huge-header',
      2,
      () =>
        req('GET', `/callback?oauth_token=${randomToken()}&oauth_verifier=abc`, [
          'Host: 127.0.0.1',
          `X-Big: ${'a'.repeat(17_000 + Math.floor(rand() * 20_000))}`,
        ]),
    ],
    [
      'many-headers',
      1,
      () => req('GET', '/callback', ['Host: 127.0.0.1', ...Array.from({ length: 2500 }, (_, i) => `X-H${i}: ${i}`)]),
    ],
    [
      'huge-query',
      2,
      () => req('GET', `/callback?oauth_token=${real}&oauth_verifier=abc&pad=${'q'.repeat(100 * 1024)}`),
    ],
    [
      'bad-percent',
      3,
      () =>
        req(
          'GET',
          `/callback?oauth_token=${pick(['%ZZ', '%', '%E0%A4%A', '%C0%AF', '%FF%FE', `${real.slice(0, 4)}%G1`, '%%%'])}&oauth_verifier=${pick(['%zz', 'ok', '%E2%28%A1'])}`,
        ),
    ],
    [
      'repeated-params',
      3,
      () =>
        req(
          'GET',
          pick([
            `/callback?oauth_token=${real}&oauth_token=${real}&oauth_verifier=abc`,
            `/callback?oauth_token=${real}&oauth_verifier=abc&oauth_verifier=def`,
            `/callback?denied=${real}&denied=${real}`,
            `/callback?oauth_token=${real}&oauth_verifier=abc&oauth_token=${randomToken()}`,
          ]),
        ),
    ],
    // (`${real}&oauth_token=` makes the token repeat: refused.)
    [
      'wrong-token',
      4,
      () =>
        req(
          'GET',
          `/callback?oauth_token=${pick([randomToken(), ...nearMisses, `${real}&oauth_token=`])}&oauth_verifier=${randomToken()}`,
        ),
    ],
    ['denied-wrong-token', 2, () => req('GET', `/callback?denied=${pick([randomToken(), ...nearMisses, ''])}`)],
    [
      'real-token-bad-verifier',
      2,
      () =>
        req(
          'GET',
          `/callback?oauth_token=${real}&oauth_verifier=${pick(['', xssEnc, 'a'.repeat(129), 'a.b', 'a+b', '%20'])}`,
        ),
    ],
    [
      'real-token-wrong-method',
      2,
      () =>
        req(
          pick(['POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']),
          `/callback?oauth_token=${real}&oauth_verifier=abc`,
          ['Host: 127.0.0.1', 'Content-Length: 3'],
          'x=1',
        ),
    ],
    [
      'xss-echo',
      3,
      () =>
        req(
          'GET',
          pick([
            `/callback?oauth_token=${xssEnc}&oauth_verifier=${xssEnc}`,
            `/${xss}`,
            `/callback?${xss}`,
            `/callback?denied=${xssEnc}`,
            `/callback?oauth_token=${xss}`,
          ]),
          ['Host: 127.0.0.1', `Referer: ${xss}`],
        ),
    ],
    [
      'odd-headers',
      1,
      () =>
        req(
          'GET',
          `/callback?oauth_token=${randomToken()}&oauth_verifier=abc`,
          pick([
            ['Expect: 42-evil'],
            [],
            ['Transfer-Encoding: chunked', 'Content-Length: 3'],
            ['Host: a', 'Host: b'],
            ['Upgrade: websocket', 'Connection: Upgrade'],
          ]),
          '',
        ),
    ],
    ['big-body', 1, () => req('POST', '/callback', ['Host: 127.0.0.1', 'Content-Length: 300000'], 'b'.repeat(300_000))],
    [
      'pipelined',
      1,
      () =>
        Buffer.concat([
          req('GET', '/callback?oauth_token=nope&oauth_verifier=abc'),
          req('GET', `/callback?oauth_token=${randomToken()}&oauth_verifier=abc`),
        ]),
    ],
    [
      'garbage',
      3,
      () => Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 3000) }, () => Math.floor(rand() * 256))),
    ],
  ];
  const total = kinds.reduce((n, [, w]) => n + w, 0);
  return Array.from({ length: ATTACK_REQUESTS }, () => {
    let r = rand() * total;
    for (const [kind, w, make] of kinds) {
      if ((r -= w) < 0) return { kind, bytes: make() };
    }
    return { kind: 'garbage', bytes: Buffer.from('\0\0\0') };
  });
}

interface Slowloris {
  socket: Socket;
  openedAt: number;
  closedAt?: number;
  /** What the server sent before closing, if anything. */
  answer?: string;
  /** Whether the server ended it (FIN/RST from its side); the test never closes one itself. */
  endedByServer: boolean;
}

/**
 * A slowloris client: `idle` sends part of a request line and then nothing; `trickle` sends a
 * request line and then one more header line every second, forever (never idle, never done).
 */
function slowloris(port: number, style: 'idle' | 'trickle'): Promise<Slowloris> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const s: Slowloris = { socket, openedAt: Date.now(), endedByServer: false };
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (d: Buffer) => (s.answer = (s.answer ?? '') + d.toString('latin1')));
    socket.on('error', () => (s.endedByServer = true));
    socket.on('end', () => (s.endedByServer = true));
    socket.on('close', () => {
      clearInterval(timer);
      s.closedAt = Date.now();
      s.endedByServer = true;
    });
    socket.once('connect', () => {
      if (style === 'idle') {
        socket.write('GET /callback?oauth_token='); // a request line that never ends
      } else {
        socket.write('GET /callback?oauth_token=x HTTP/1.1\r\n');
        let n = 0;
        timer = setInterval(() => socket.writable && socket.write(`X-${n++}: y\r\n`), 1000);
      }
      resolve(s);
    });
    socket.once('error', reject);
  });
}

describe('the callback server of a real login under attack', () => {
  it(`~${ATTACK_REQUESTS} hostile requests and ${SLOWLORIS} slowloris clients: bounded memory, only the genuine callback is accepted`, async () => {
    onTestFailed(() => console.error(`reliability-callback: SEED=${SEED} (set TWAUTH_RELIABILITY_SEED to replay)`));
    const port = await freePort();
    const login = sb.spawn(['login', '--port', String(port), '--no-browser']);
    await login.waitForStderr(/oauth\/authorize\?oauth_token=/, 15_000);
    const auth = authorizeUrl(login.stderr());
    expect(auth, login.stderr()).toBeDefined();
    const pid = login.child.pid!;

    // RSS sampling, every 50 ms, for the whole attack.
    const samples: Array<{ t: number; kb: number }> = [];
    const started = Date.now();
    const baseline = rssKb(pid)!;
    const sampler = setInterval(() => {
      const kb = rssKb(pid);
      if (kb !== undefined) samples.push({ t: Date.now() - started, kb });
    }, 50);

    const loris = await Promise.all(
      Array.from({ length: SLOWLORIS }, (_, i) => slowloris(port, i % 4 === 0 ? 'trickle' : 'idle')),
    );
    const requests = hostileRequests(auth!.token, seededRandom(SEED));
    const results = await pool(requests, CONCURRENCY, (r) => rawExchange(port, r.kind, r.bytes));
    clearInterval(sampler);
    const attackMs = Date.now() - started;

    // Every hostile request was refused: no success page, no-store + no-referrer on every answer,
    // no raw <script> anywhere.
    const byKind = new Map<string, { sent: number; answered: number; dropped: number; statuses: Set<number> }>();
    for (const r of results) {
      const k = byKind.get(r.kind) ?? { sent: 0, answered: 0, dropped: 0, statuses: new Set<number>() };
      byKind.set(r.kind, k);
      k.sent++;
      expect(r.timedOut, `${r.kind}: the server never ended the exchange`).toBe(false);
      if (r.status === undefined) {
        k.dropped++;
        continue;
      }
      k.answered++;
      k.statuses.add(r.status);
      expect(r.status, `${r.kind} was answered ${r.status}`).toBeGreaterThanOrEqual(400);
      expect(r.headers['cache-control'], `${r.kind}: cache-control`).toBe('no-store');
      expect(r.headers['referrer-policy'], `${r.kind}: referrer-policy`).toBe('no-referrer');
      expect(r.body.toLowerCase().includes('<script'), `${r.kind}: raw <script> in the page`).toBe(false);
      expect(r.body).not.toMatch(/logged in to twauth|Login cancelled/);
    }
    const answered = results.filter((r) => r.status !== undefined).length;
    console.log(
      `callback attack (seed ${SEED}): ${results.length} requests in ${attackMs} ms, ${answered} answered, ${results.length - answered} closed without an answer\n` +
        [...byKind]
          .map(
            ([k, v]) =>
              `  ${k.padEnd(24)} sent ${String(v.sent).padStart(4)}  answered ${String(v.answered).padStart(4)}  statuses ${[...v.statuses].sort().join(',')}`,
          )
          .join('\n'),
    );
    // Structured requests that fit the limits must get an HTTP answer (not just a dropped socket),
    // except the few that found all of maxConnections busy.
    expect(answered / results.length).toBeGreaterThan(0.9);

    // Memory stays bounded: under 200 MB, and not still climbing at the end of the attack.
    const kbs = samples.map((s) => s.kb);
    const peak = Math.max(baseline, ...kbs);
    const half = Math.floor(samples.length / 2);
    const firstHalfPeak = Math.max(baseline, ...kbs.slice(0, half));
    const secondHalfPeak = Math.max(...kbs.slice(half));
    console.log(
      `login RSS: ${Math.round(baseline / 1024)} MB before, peak ${Math.round(peak / 1024)} MB, first half peak ${Math.round(firstHalfPeak / 1024)} MB, second half peak ${Math.round(secondHalfPeak / 1024)} MB (${samples.length} samples)`,
    );
    expect(samples.length).toBeGreaterThan(10);
    expect(peak).toBeLessThan(200 * 1024);
    expect(secondHalfPeak - firstHalfPeak).toBeLessThan(40 * 1024);

    // The login is still waiting, unaffected.
    expect(login.child.exitCode).toBeNull();
    expect(login.stderr()).not.toMatch(/Logged in|^twauth:/m);

    // The slow clients are cut off by the server within its header deadline (5 s, checked every
    // second), long before the login ends: they cannot hold connections (of at most 64) for long.
    const deadline = Date.now() + 12_000;
    while (loris.some((l) => l.closedAt === undefined) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const lorisMs = loris.map((l) => (l.closedAt === undefined ? Infinity : l.closedAt - l.openedAt));
    console.log(
      `slowloris (idle and trickling): closed by the server after ${lorisMs.sort((a, b) => a - b).join(',')} ms`,
    );
    expect(loris.every((l) => l.endedByServer)).toBe(true);
    for (const l of loris)
      if (l.answer)
        expect(l.answer).toMatch(
          /^HTTP\/1\.1 4\d\d [\s\S]*\r\ncache-control: no-store\r\nreferrer-policy: no-referrer\r\n/,
        );
    expect(Math.max(...lorisMs), 'a slowloris client was not cut off within 8 s').toBeLessThan(8_000);
    expect(login.child.exitCode).toBeNull();

    // The genuine approval, with one more slow client connected: it must not delay the end.
    const late = await slowloris(port, 'trickle');
    const approvedAt = Date.now();
    const approve = await sb.tw(['sandbox', 'approve', auth!.url]);
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stderr).toMatch(/sandbox: authorized; the callback answered HTTP 200/);
    const result = await finished(login);
    const exitMs = Date.now() - approvedAt;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expect(configAccounts()).toMatchObject([{ userId: '1000000001', store: 'file' }]);
    assertNoSecrets(result, sb.secrets(), 'login under attack');
    expect(exitMs).toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(late.closedAt, 'the late slow client is still connected').toBeDefined();

    // The port is closed for good.
    expect(await probe(port)).toBe('ECONNREFUSED');

    // The tokens the login stored never appear in its output.
    const t = await sb.tw(['token', '--json']);
    const creds = JSON.parse(t.stdout) as { access_token: string; access_token_secret: string };
    sb.addSecret(creds.access_token, creds.access_token_secret);
    assertNoSecrets(result, sb.secrets(), 'login under attack');
    await sb.tw(['logout', '--all', '--local-only']);
  }, 120_000);
});

describe('signals while login waits', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal}: exit ${code}, nothing stored, the port closed`, async () => {
      const port = await freePort();
      const login = sb.spawn(['login', '--port', String(port), '--no-browser']);
      await login.waitForStderr(/oauth\/authorize\?oauth_token=/, 15_000);
      expect(await probe(port)).toBe('connected');
      // A slow client must not delay the exit.
      const loris = await slowloris(port, 'trickle');
      const sentAt = Date.now();
      login.kill(signal);
      const r = await finished(login);
      const ms = Date.now() - sentAt;
      expect(r.code, r.stderr).toBe(code);
      expect(r.signal).toBeNull(); // twauth handled it and chose the code
      expect(r.stderr).toMatch(/twauth: .*(interrupt|terminat|cancel)/i);
      expect(r.stderr).not.toMatch(/Logged in/);
      expect(ms).toBeLessThan(3_000);
      expect(configAccounts()).toEqual([]);
      expect(await probe(port)).toBe('ECONNREFUSED');
      await new Promise((res) => setTimeout(res, 100));
      expect(loris.closedAt).toBeDefined();
      assertNoSecrets(r, sb.secrets(), `login + ${signal}`);
    });
  }

  it('SIGINT during the access-token exchange (after the callback): exit 130, nothing stored, the token revoked', async () => {
    const port = await freePort();
    sb.emu.setFaults({ paths: ['/oauth/access_token'], latencyMs: 2_000 });
    try {
      const login = sb.spawn(['login', '--port', String(port), '--no-browser']);
      await login.waitForStderr(/oauth\/authorize\?oauth_token=/, 15_000);
      const auth = authorizeUrl(login.stderr())!;
      const approve = await sb.tw(['sandbox', 'approve', auth.url]);
      expect(approve.code, approve.stderr).toBe(0);
      // The callback was accepted; twauth now waits 2 s for X's access token.
      login.kill('SIGINT');
      const r = await finished(login);
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).not.toMatch(/Logged in/);
      expect(configAccounts()).toEqual([]);
      expect(await probe(port)).toBe('ECONNREFUSED');
      // The token X issued meanwhile is revoked, not left working with nobody holding it.
      expect(sb.emu.requests().some((q) => q.path === '/1.1/oauth/invalidate_token' && q.status === 200)).toBe(true);
      assertNoSecrets(r, sb.secrets(), 'login + SIGINT during the exchange');
    } finally {
      sb.emu.setFaults({});
    }
  });
});
