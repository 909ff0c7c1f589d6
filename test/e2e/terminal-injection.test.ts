// Issue 13 item 10: what a hostile server (a fake X) or a hostile session bus says must reach the
// terminal cleaned (no control character, bounded), and usernames must be X usernames before they
// are stored or printed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, frameLength } from '../../src/store/secret-service/message.js';
import { WireWriter } from '../../src/store/secret-service/wire-writer.js';
import { runTwauth, tempConfigDir } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';
import { startInTmux } from '../helpers/tmux.js';
import { TWAUTH } from './support.js';
import { accountKey } from '../../src/store/account.js';

/** What the attacker wants printed: clear the screen, set the title, forge a line of ours. */
const HOSTILE = 'v\x1b[2J\x1b]0;pwn\x07\r\nLogged in as @admin';
const LONG = ('\x1b[31mA' + '\u202e'.repeat(2) + 'x'.repeat(40)).repeat(120); // ~5,000 characters

function assertClean(text: string, label: string): void {
  // eslint-disable-next-line no-control-regex
  expect(
    /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/.test(text),
    `${label}: a control character reached the terminal: ${JSON.stringify(text)}`,
  ).toBe(false);
  expect(text).not.toMatch(/^Logged in as @admin/m);
  for (const line of text.split('\n'))
    expect(line.length, `${label}: a line of ${line.length} characters`).toBeLessThan(700);
}

// ---- a fake X -------------------------------------------------------------------------------

let fake: Server;
let base = '';
const invalidated: string[] = [];

beforeAll(async () => {
  fake = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/oauth/request_token')
        return res.end('oauth_token=RT&oauth_token_secret=RTSECRET&oauth_callback_confirmed=true');
      if (path === '/oauth/access_token') {
        return res.end(
          `oauth_token=ISSUED-TOKEN&oauth_token_secret=ISSUED-SECRET&user_id=42&screen_name=${encodeURIComponent(HOSTILE)}`,
        );
      }
      if (path === '/1.1/oauth/invalidate_token') {
        invalidated.push(/oauth_token="([^"]+)"/.exec(req.headers.authorization ?? '')?.[1] ?? '');
        res.setHeader('content-type', 'application/json');
        return res.end('{"access_token":"ISSUED-TOKEN"}');
      }
      if (path === '/2/hostile-body') {
        res.setHeader('content-type', 'application/json');
        return res.end('{"note":"\x1b]0;pwned\x07\x1b[2Jstill here"}');
      }
      if (path === '/2/users/me') {
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify({ data: { id: '42', name: 'x', username: HOSTILE } }));
      }
      res.statusCode = 404;
      res.end();
    });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => fake?.close(r));
});

function env(configDir: string): Record<string, string> {
  return {
    TWAUTH_API_BASE: base,
    TWAUTH_CONSUMER_KEY: 'ck',
    TWAUTH_CONSUMER_SECRET: 'consumer-secret-x',
    TWAUTH_CONFIG_DIR: configDir,
    TWAUTH_STORE: 'file',
  };
}

function storedAccounts(configDir: string): unknown[] {
  try {
    return (JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as { accounts: unknown[] }).accounts;
  } catch {
    return [];
  }
}

describe('a hostile server', () => {
  it('login: a screen_name with escape sequences in the token response is refused, never printed or stored, and the token is revoked', async () => {
    const dir = join(tempConfigDir('twauth-inject-'), 'config');
    const r = await runTwauth(['login', '--pin', '--no-browser'], { env: env(dir), input: '1234567\n' });
    assertClean(r.stderr + r.stdout, 'login');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /X's answer to POST \/oauth\/access_token is malformed \(the token response has a screen_name that is not an X username/,
    );
    expect(r.stderr).toMatch(/the token in it was revoked at X; nothing was stored/);
    expect(r.stderr).not.toMatch(/nothing was sent/);
    expect(invalidated).toContain('ISSUED-TOKEN');
    expect(storedAccounts(dir)).toEqual([]);
  });

  it('whoami: a username with escape sequences from GET /2/users/me is refused, cleaned, exit 7', async () => {
    const dir = join(tempConfigDir('twauth-inject-'), 'config');
    const r = await runTwauth(['whoami'], {
      env: { ...env(dir), TWAUTH_ACCESS_TOKEN: 'at', TWAUTH_ACCESS_TOKEN_SECRET: 'ats' },
    });
    assertClean(r.stderr + r.stdout, 'whoami');
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/X's answer to GET \/2\/users\/me is malformed/);
    expect(r.code, r.stderr).toBe(7);
  });

  it('login --with-token: the hostile username is not stored', async () => {
    const dir = join(tempConfigDir('twauth-inject-'), 'config');
    const input = JSON.stringify({
      consumer_key: 'ck',
      consumer_secret: 'consumer-secret-x',
      access_token: 'at',
      access_token_secret: 'ats',
    });
    const r = await runTwauth(['login', '--with-token'], { env: env(dir), input });
    assertClean(r.stderr + r.stdout, 'login --with-token');
    expect(r.code, r.stderr).toBe(7);
    expect(storedAccounts(dir)).toEqual([]);
  });
});

describe('twauth api on a terminal', () => {
  it("shows the control characters of X's answer instead of obeying them (a pipe still gets the bytes as sent)", async () => {
    const configDir = join(tempConfigDir('twauth-inject-tty-'), 'config');
    const environment = {
      ...env(configDir),
      TWAUTH_ACCESS_TOKEN: 'at',
      TWAUTH_ACCESS_TOKEN_SECRET: 'ats',
      PATH: process.env.PATH,
      LANG: 'C.UTF-8',
      HOME: tempConfigDir('twauth-inject-home-'),
    };
    const tty = await startInTmux([process.execPath, TWAUTH, 'api', '/2/hostile-body'], {
      env: environment,
      cwd: repoRoot,
      width: 120,
      height: 20,
    });
    try {
      expect(await tty.exitCode(15_000)).toBe(0);
      const screen = await tty.capture();
      // ESC and BEL became U+FFFD: the "clear screen" and "set title" sequences are visible text.
      expect(screen).toContain('{"note":"\uFFFD]0;pwned\uFFFD\uFFFD[2Jstill here"}');
    } finally {
      await tty.kill();
    }
    const piped = await runTwauth(['api', '/2/hostile-body'], { env: environment });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe('{"note":"\x1b]0;pwned\x07\x1b[2Jstill here"}\n');
  }, 30_000);
});

// ---- a hostile session bus ------------------------------------------------------------------

/** A D-Bus "bus" that authenticates anyone, then answers every call with a hostile error. */
function hostileBus(path: string): Promise<NetServer> {
  const FIELD = { errorName: 4, replySerial: 5, signature: 8 };
  const errorFrame = (replySerial: number, serial: number): Buffer => {
    const body = new WireWriter();
    body.write('s', [`${HOSTILE} ${LONG}`]);
    const head = new WireWriter();
    const fields: [number, { signature: string; value: unknown }][] = [
      [FIELD.errorName, { signature: 's', value: 'org.freedesktop.DBus.Error.Failed' }],
      [FIELD.replySerial, { signature: 'u', value: replySerial }],
      [FIELD.signature, { signature: 'g', value: 's' }],
    ];
    head.write('yyyyuua(yv)', ['l'.charCodeAt(0), 3, 0, 1, body.length, serial, fields]);
    head.align(8);
    return Buffer.concat([head.bytes(), body.bytes()]);
  };
  const server = createNetServer((socket: Socket) => {
    let authed = false;
    let buf = Buffer.alloc(0);
    let serial = 1000;
    socket.on('error', () => {});
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!authed) {
        const text = buf.toString('latin1');
        const begin = text.indexOf('BEGIN\r\n');
        if (text.includes('AUTH') && !text.includes('OK-sent')) {
          if (!(socket as Socket & { ok?: boolean }).ok) {
            (socket as Socket & { ok?: boolean }).ok = true;
            socket.write('OK 0123456789abcdef0123456789abcdef\r\n');
          }
        }
        if (begin < 0) return;
        authed = true;
        buf = buf.subarray(Buffer.byteLength(text.slice(0, begin + 7), 'latin1'));
      }
      for (;;) {
        const n = frameLength(buf);
        if (n === undefined || buf.length < n) return;
        const message = decodeMessage(buf.subarray(0, n));
        buf = buf.subarray(n);
        socket.write(errorFrame(message.serial, ++serial));
      }
    });
  });
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}

describe('a hostile session bus', () => {
  let bus: NetServer;
  let dir: string;
  beforeAll(async () => {
    dir = tempConfigDir('twauth-inject-bus-');
    bus = await hostileBus(join(dir, 'bus'));
  });
  afterAll(async () => {
    await new Promise((r) => bus?.close(r));
  });

  it('an error text of ~5,000 characters with escape sequences is cleaned and bounded before it is printed', async () => {
    const configDir = join(dir, 'config');
    mkdirSync(configDir, { mode: 0o700 });
    const key = accountKey('42', 'ck', base); // what a real login stores (an edited key is refused)
    const account = {
      key,
      userId: '42',
      screenName: 'alice',
      consumerKey: 'ck',
      apiBase: base,
      store: 'keychain',
      addedAt: new Date().toISOString(),
    };
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({ version: 1, defaultAccount: key, accounts: [account], clockOffsets: {} }),
      { mode: 0o600 },
    );
    const r = await runTwauth(['whoami'], {
      env: { TWAUTH_CONFIG_DIR: configDir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'bus')}` },
    });
    assertClean(r.stderr + r.stdout, 'whoami with a hostile bus');
    expect(r.stderr).toMatch(/cannot read @alice's credentials/);
    expect(r.stderr).toMatch(/org\.freedesktop\.DBus\.Error\.Failed: v /);
    expect(r.code, r.stderr).toBe(4);
  });
});
