// Issue 4: whoami, tweet, api, sign against the emulator, with X's errors, rate limits, faults,
// clock skew, a proxy, and --verbose redaction. Credentials from the environment (the CI path).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './support.js';

// The emulator runs in this process: child processes must be awaited, never run synchronously.
const exec = promisify(execFile);

let sb: Sandbox;
let alice: ReturnType<Sandbox['issue']>;

beforeAll(async () => {
  sb = await startSandbox({
    keychain: 'none',
    emulator: {
      apps: [
        {
          consumerKey: 'sandbox-consumer-key',
          consumerSecret: 'sandbox-consumer-secret',
          callbacks: ['http://127.0.0.1:*/callback'],
          access: 'read-write',
        },
      ],
    },
  });
  alice = sb.issue('sandbox_alice');
});
afterAll(() => sb.stop());

const as = (env = alice.env) => ({ env });

describe('whoami', () => {
  it('prints the username only; --json adds the credential source', async () => {
    const r = await sb.tw(['whoami'], as());
    expect(r).toMatchObject({ code: 0, stdout: 'sandbox_alice\n', stderr: '' });
    const j = await sb.tw(['whoami', '--json'], as());
    expect(JSON.parse(j.stdout)).toEqual({
      id: '1000000001',
      name: 'Alice Sandbox',
      username: 'sandbox_alice',
      credential_source: 'environment',
    });
  });

  it('not logged in: exit 4 and says to run twauth login', async () => {
    const r = await sb.tw(['whoami']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not logged in: run twauth login/);
  });

  it('a revoked token: exit 4 with code 89 advice', async () => {
    const bob = sb.issue('sandbox_bob');
    sb.emu.revokeAccessToken(bob.token);
    const r = await sb.tw(['whoami'], as(bob.env));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/code 89.*twauth login/);
  });

  it('a wrong consumer secret: exit 4 with code 32 advice', async () => {
    const r = await sb.tw(['whoami'], as({ ...alice.env, TWAUTH_CONSUMER_SECRET: 'not-the-secret' }));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/code 32/);
  });
});

describe('tweet', () => {
  it('posts from the argument and prints id and URL', async () => {
    const r = await sb.tw(['tweet', 'hello from e2e'], as());
    expect(r.code, r.stderr).toBe(0);
    const [id, url] = r.stdout.trim().split(' ');
    expect(id).toMatch(/^\d+$/);
    expect(url).toBe(`${sb.emu.url}/i/status/${id}`); // the sandbox's own page (issue 16): x.com does not know it
    expect(sb.emu.tweets().filter((t) => t.text === 'hello from e2e')).toHaveLength(1);
  });

  it('reads standard input, dropping one trailing newline; --json prints X data', async () => {
    const r = await sb.tw(['tweet', '--json'], { ...as(), input: 'piped\ntext\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ text: 'piped\ntext' });
    const dash = await sb.tw(['tweet', '-'], { ...as(), input: 'dash input\n\n' });
    expect(dash.code).toBe(0);
    expect(sb.emu.tweets().some((t) => t.text === 'dash input\n')).toBe(true);
  });

  it('--reply-to sends the reply field', async () => {
    const parent = (await sb.tw(['tweet', 'a parent'], as())).stdout.split(' ')[0]!;
    const r = await sb.tw(['tweet', '--reply-to', parent, 'a reply'], as());
    expect(r.code, r.stderr).toBe(0);
    expect(sb.emu.tweets().find((t) => t.text === 'a reply')?.replyTo).toBe(parent);
  });

  it('checks length locally: too long or empty → exit 2, nothing sent', async () => {
    const before = sb.emu.requests().length;
    const long = await sb.tw(['tweet', 'x'.repeat(281)], as());
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/281\/280/);
    const cjk = await sb.tw(['tweet', '漢'.repeat(141)], as());
    expect(cjk.code).toBe(2);
    expect(cjk.stderr).toMatch(/282\/280/);
    const empty = await sb.tw(['tweet', ''], as());
    expect(empty.code).toBe(2);
    expect(sb.emu.requests().length).toBe(before);
  });

  it('a URL counts 23: a 300-character URL fits', async () => {
    const r = await sb.tw(['tweet', '--dry-run', `see https://example.com/${'a'.repeat(300)}`], as());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/weighted length: 27\/280/);
  });

  it('--dry-run shows the signed request with secrets redacted and sends nothing', async () => {
    const before = sb.emu.requests().length;
    const r = await sb.tw(['tweet', '--dry-run', 'dry run'], as());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/2\/tweets$/m);
    expect(r.stdout).toMatch(/oauth_token="\[redacted\]"/);
    expect(r.stdout).toContain('{"text":"dry run"}');
    expect(sb.emu.requests().length).toBe(before);
  });

  it('a duplicate: exit 6 and says so', async () => {
    await sb.tw(['tweet', 'only once'], as());
    const r = await sb.tw(['tweet', 'only once'], as());
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/duplicate/);
  });

  it('a read-only token: exit 6 with the permission advice', async () => {
    const ro = sb.issue('sandbox_carol', 'read');
    const r = await sb.tw(['tweet', 'cannot write'], as(ro.env));
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/permission/);
    const v11 = await sb.tw(['api', '-d', 'status=cannot write', '/1.1/statuses/update.json'], as(ro.env));
    expect(v11.stderr).toMatch(/code 261/);
    // X answers 403 (code 261), as it documents for an app without write access: exit 6.
    expect(v11.code).toBe(6);
  });
});

describe('api', () => {
  it('GET with signed query parameters prints the body', async () => {
    const r = await sb.tw(['api', '-q', 'user.fields=created_at', '-q', 'x=a b+c', '/2/users/me'], as());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).data.username).toBe('sandbox_alice');
  });

  it('form fields are signed (v1.1 statuses/update), JSON bodies are not', async () => {
    const form = await sb.tw(['api', '-d', 'status=form & signed ☃ +!*', '/1.1/statuses/update.json'], as());
    expect(form.code, form.stderr).toBe(0);
    expect(sb.emu.tweets().some((t) => t.text === 'form & signed ☃ +!*')).toBe(true);
    const json = await sb.tw(['api', '-X', 'POST', '--json-body', '{"text":"json body"}', '/2/tweets'], as());
    expect(json.code, json.stderr).toBe(0);
    const stdin = await sb.tw(['api', '--json-body', '-', '/2/tweets'], {
      ...as(),
      input: '{"text":"json from stdin"}',
    });
    expect(stdin.code, stdin.stderr).toBe(0);
    expect(sb.emu.tweets().some((t) => t.text === 'json from stdin')).toBe(true);
  });

  it('a full URL works; non-2xx prints X body and sets the exit code', async () => {
    const full = await sb.tw(['api', `${sb.emu.url}/1.1/account/verify_credentials.json`], as());
    expect(JSON.parse(full.stdout).screen_name).toBe('sandbox_alice');
    const r = await sb.tw(['api', '/1.1/statuses/home_timeline.json'], as());
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout).errors[0].code).toBe(453);
    expect(r.stderr).toMatch(/access level \(code 453\)/);
    const missing = await sb.tw(['api', '/2/nothing'], as());
    expect(missing.code).toBe(6);
  });

  it('bad arguments are usage errors: nothing sent', async () => {
    const before = sb.emu.requests().length;
    expect((await sb.tw(['api', '-d', 'novalue', '/x'], as())).code).toBe(2);
    expect((await sb.tw(['api', '-H', 'bad header', '/x'], as())).code).toBe(2);
    expect((await sb.tw(['api', '--json-body', '{nope', '/x'], as())).code).toBe(2);
    expect((await sb.tw(['api', '-H', 'X-A: b\r\nEvil: 1', '/x'], as())).code).toBe(2);
    expect(sb.emu.requests().length).toBe(before);
  });
});

describe('sign', () => {
  it('prints an Authorization header that curl can use, once', async () => {
    const url = `${sb.emu.url}/2/users/me?user.fields=id`;
    const r = await sb.tw(['sign', 'GET', url], as());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OAuth oauth_consumer_key="sandbox-consumer-key", /);
    const curl = await exec('curl', ['-sS', '-H', `Authorization: ${r.stdout.trim()}`, url]);
    expect(JSON.parse(curl.stdout).data.username).toBe('sandbox_alice');
    // The nonce is single use: the same header again is refused, as X does.
    const replay = await exec('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '-H',
      `Authorization: ${r.stdout.trim()}`,
      url,
    ]);
    expect(replay.stdout).toBe('401');
  });

  it('--curl prints a command line that works, form data included', async () => {
    const r = await sb.tw(
      ['sign', '--curl', 'POST', `${sb.emu.url}/1.1/statuses/update.json`, '-d', "status=it's signed & sent"],
      as(),
    );
    expect(r.code).toBe(0);
    await exec('sh', ['-c', r.stdout]);
    expect(sb.emu.tweets().some((t) => t.text === "it's signed & sent")).toBe(true);
  });
});

describe('under real conditions', () => {
  it('retries a GET through 503s', async () => {
    sb.emu.setFaults({ paths: ['/2/users/me'], status503: { next: 2 } });
    const r = await sb.tw(['whoami'], as());
    sb.emu.setFaults({});
    expect(r.code, r.stderr).toBe(0);
  });

  it('gives up after the retry budget: exit 7', async () => {
    sb.emu.setFaults({ paths: ['/2/users/me'], status503: { next: 20 } });
    const r = await sb.tw(['whoami'], as());
    sb.emu.setFaults({});
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/unavailable \(HTTP 503\)/);
  });

  it('429: exit 5 with the reset time; --wait sleeps it out', async () => {
    sb.emu.setFaults({ paths: ['/2/users/me'], rateLimit: { next: 1, resetInSeconds: 1 } });
    const r = await sb.tw(['whoami'], as());
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/rate limited.*resets at \d\d:\d\d:\d\d UTC/);
    sb.emu.setFaults({ paths: ['/2/users/me'], rateLimit: { next: 1, resetInSeconds: 1 } });
    const w = await sb.tw(['whoami', '--wait'], as());
    sb.emu.setFaults({});
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/waiting until/);
  });

  it('a tweet is never retried after a 503 and is reported as possibly posted', async () => {
    sb.emu.setFaults({ paths: ['/2/tweets'], status503After: { next: 1 } });
    const r = await sb.tw(['tweet', 'maybe posted'], as());
    sb.emu.setFaults({});
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/MAY have/);
    expect(sb.emu.tweets().filter((t) => t.text === 'maybe posted')).toHaveLength(1);
  });

  it('--timeout bounds a hung answer: exit 7', async () => {
    sb.emu.setFaults({ paths: ['/2/users/me'], hang: { next: 10 } });
    const started = Date.now();
    const r = await sb.tw(['whoami', '--timeout', '1'], as());
    sb.emu.setFaults({});
    expect(r.code).toBe(7);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('connection refused: exit 7 naming the network', async () => {
    const r = await sb.tw(['whoami', '--api-base', 'http://127.0.0.1:1'], as());
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/cannot reach X/);
  });

  it('repairs a skewed clock once and remembers the offset', async () => {
    sb.emu.setClockOffset(3600);
    try {
      const dir = { ...alice.env, TWAUTH_CONFIG_DIR: `${sb.configDir}-skew` };
      const r = await sb.tw(['whoami', '--verbose'], as(dir));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/clock is (3599|3600|3601) s behind/);
      const before = sb.emu.requests().filter((q) => q.status === 401).length;
      const again = await sb.tw(['whoami'], as(dir));
      expect(again.code).toBe(0);
      expect(again.stderr).toBe('');
      expect(sb.emu.requests().filter((q) => q.status === 401).length).toBe(before);
    } finally {
      sb.emu.setClockOffset(0);
    }
  });

  it('--verbose traces requests with every secret redacted', async () => {
    const r = await sb.tw(['whoami', '--verbose'], as());
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^> GET http:\/\/127\.0\.0\.1:\d+\/2\/users\/me$/m);
    expect(r.stderr).toMatch(/authorization: OAuth oauth_consumer_key="\[redacted\]"/);
    expect(r.stderr).toMatch(/^< 200/m);
  });

  it('goes through HTTPS_PROXY / HTTP_PROXY, and NO_PROXY bypasses it', async () => {
    const seen: string[] = [];
    const proxy: Server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const target = new URL(req.url!);
      const up = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: req.method,
          headers: req.headers,
        },
        (r) => {
          res.writeHead(r.statusCode!, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    });
    proxy.on('connect', (req, socket) => {
      seen.push(`CONNECT ${req.url}`);
      const [host, port] = req.url!.split(':');
      const up = connect(Number(port), host!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.pipe(socket).pipe(up);
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    try {
      const r = await sb.tw(['whoami'], as({ ...alice.env, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl }));
      expect(r.code, r.stderr).toBe(0);
      // undici tunnels through the proxy (CONNECT) for http and https targets alike.
      expect(seen.some((s) => s === `CONNECT 127.0.0.1:${sb.emu.port}` || s.includes('/2/users/me'))).toBe(true);
      const count = seen.length;
      const bypass = await sb.tw(['whoami'], as({ ...alice.env, HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' }));
      expect(bypass.code, bypass.stderr).toBe(0);
      expect(seen.length).toBe(count);
    } finally {
      proxy.close();
      proxy.closeAllConnections();
    }
  });
});
