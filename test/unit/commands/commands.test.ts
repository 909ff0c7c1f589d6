// Commands run in-process with a fake Io and injected services (test/helpers/fake-io.ts): the
// parser, dispatch, the command and report-error as bin/twauth runs them, in milliseconds, with
// no terminal, no keychain and no network. The end-to-end tests (test/e2e/) run the binary.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TWEET_INPUT_BYTES } from '../../../src/cli/commands/tweet.js';
import { EXIT, EXIT_CODE_MEANINGS, EXIT_CODES_HELP } from '../../../src/cli/exit-codes.js';
import { Accounts, fileStore, memoryStore } from '../../../src/store/index.js';
import { fakeIo, fakeX, runInProcess } from '../../helpers/fake-io.js';

const API = 'https://api.example.test';
const ENV_CREDS = {
  TWAUTH_API_BASE: API,
  TWAUTH_CONSUMER_KEY: 'ck-unit',
  TWAUTH_CONSUMER_SECRET: 'cs-unit-secret',
  TWAUTH_ACCESS_TOKEN: '42-at-unit',
  TWAUTH_ACCESS_TOKEN_SECRET: 'ats-unit-secret',
};
const configDir = () => mkdtempSync(join(tmpdir(), 'twauth-unit-'));
const env = (extra: NodeJS.ProcessEnv = {}) => ({ TWAUTH_CONFIG_DIR: configDir(), ...extra });

const me = fakeX({
  'GET /2/users/me': () => ({ json: { data: { id: '42', username: 'unit_alice', name: 'Alice' } } }),
});

describe('whoami', () => {
  it('prints the username from X, with --json the credential source; sends one signed GET', async () => {
    const send = fakeX({
      'GET /2/users/me': () => ({ json: { data: { id: '42', username: 'unit_alice', name: 'Alice' } } }),
    });
    const r = await runInProcess(['whoami'], fakeIo({ env: env(ENV_CREDS) }), { send });
    expect(r).toEqual({ code: 0, stdout: 'unit_alice\n', stderr: '' });
    expect(send.requests).toHaveLength(1);
    expect(send.requests[0]!.headers.authorization).toMatch(/^OAuth .*oauth_token="42-at-unit"/);
    const j = await runInProcess(['whoami', '--json'], fakeIo({ env: env(ENV_CREDS) }), { send: me });
    expect(JSON.parse(j.stdout)).toEqual({
      id: '42',
      username: 'unit_alice',
      name: 'Alice',
      credential_source: 'environment',
    });
  });

  it('--wait on a terminal: the countdown is drawn through the Io, then cleared', async () => {
    let calls = 0;
    const send = fakeX({
      'GET /2/users/me': () =>
        ++calls === 1
          ? { status: 429, headers: { 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000)) }, json: {} }
          : { json: { data: { id: '42', username: 'unit_alice', name: 'Alice' } } },
    });
    const r = await runInProcess(['whoami', '--wait'], fakeIo({ env: env(ENV_CREDS), tty: true }), { send });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('unit_alice\n');
    expect(r.stderr).toMatch(
      /^rate limited: waiting until \d\d:\d\d:\d\d UTC \(--wait; Ctrl-C stops\)\n\r\x1b\[2K {2}.+ left/,
    );
    expect(r.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(send.requests).toHaveLength(2);
  });

  it('not logged in: exit 4, nothing sent; --json: one error object', async () => {
    const send = fakeX({});
    const r = await runInProcess(['whoami'], fakeIo({ env: env() }), { send, keychain: memoryStore() });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^twauth: not logged in: run twauth login/);
    expect(send.requests).toHaveLength(0);
    const j = await runInProcess(['whoami', '--json'], fakeIo({ env: env() }), { send, keychain: memoryStore() });
    expect(j.code).toBe(4);
    expect(JSON.parse(j.stderr).error).toMatchObject({ exit_code: 4, hint: null });
  });

  it('X says 401 code 89: exit 4, and under --json "x" says what X said', async () => {
    const send = fakeX({
      'GET /2/users/me': () => ({
        status: 401,
        json: { errors: [{ code: 89, message: 'Invalid or expired token.' }] },
      }),
    });
    const r = await runInProcess(['whoami', '--json'], fakeIo({ env: env(ENV_CREDS) }), { send });
    expect(r.code).toBe(4);
    expect(JSON.parse(r.stderr).error.x).toEqual({
      status: 401,
      code: 89,
      title: null,
      detail: 'Invalid or expired token.',
      type: null,
    });
  });
});

describe('tweet', () => {
  it('--dry-run sends nothing and redacts every secret', async () => {
    const send = fakeX({});
    const r = await runInProcess(['tweet', '--dry-run', '--json', 'hello'], fakeIo({ env: env(ENV_CREDS) }), { send });
    expect(r.code, r.stderr).toBe(0);
    expect(send.requests).toHaveLength(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      weighted_length: 5,
      max_length: 280,
      method: 'POST',
      url: `${API}/2/tweets`,
      body: { text: 'hello' },
    });
    for (const secret of ['cs-unit-secret', 'ats-unit-secret', '42-at-unit']) expect(r.stdout).not.toContain(secret);
  });

  it('reads the text from stdin (one trailing newline dropped) and posts it', async () => {
    const send = fakeX({
      'POST /2/tweets': (req) => ({
        status: 201,
        json: { data: { id: '7', text: JSON.parse(String(req.body)).text } },
      }),
    });
    const r = await runInProcess(['tweet'], fakeIo({ env: env(ENV_CREDS), stdin: 'from stdin\n' }), { send });
    expect(r).toEqual({ code: 0, stdout: '7 https://api.example.test/i/status/7\n', stderr: '' });
    expect(JSON.parse(String(send.requests[0]!.body))).toEqual({ text: 'from stdin' });
  });

  it('stdin beyond its bound: exit 2, nothing sent', async () => {
    const send = fakeX({});
    const r = await runInProcess(
      ['tweet', '-'],
      fakeIo({ env: env(ENV_CREDS), stdin: Buffer.alloc(MAX_TWEET_INPUT_BYTES + 1, 'a') }),
      { send },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/standard input is larger than 100000 bytes/);
    expect(send.requests).toHaveLength(0);
  });

  it('no text on a terminal: exit 2', async () => {
    const r = await runInProcess(['tweet'], fakeIo({ env: env(ENV_CREDS), tty: true }), { send: fakeX({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no text/);
  });
});

describe('X refuses a tweet (v2 problem)', () => {
  it('exit 6; under --json "x" has the problem\'s title, detail and type', async () => {
    const problem = {
      title: 'Forbidden',
      detail: 'You are not allowed to create a Tweet with duplicate content.',
      type: 'about:blank',
      status: 403,
    };
    const send = fakeX({ 'POST /2/tweets': () => ({ status: 403, json: problem }) });
    const plain = await runInProcess(['tweet', 'again'], fakeIo({ env: env(ENV_CREDS) }), { send });
    const r = await runInProcess(['tweet', '--json', 'again'], fakeIo({ env: env(ENV_CREDS) }), { send });
    expect([plain.code, r.code]).toEqual([6, 6]);
    const e = JSON.parse(r.stderr).error;
    expect(e.x).toEqual({ status: 403, code: null, title: 'Forbidden', detail: problem.detail, type: 'about:blank' });
    expect(plain.stderr).toContain(e.message);
  });
});

describe('sign', () => {
  it('--json: the header, the method upper-cased, the URL', async () => {
    const r = await runInProcess(
      ['sign', '--json', 'post', `${API}/1.1/statuses/update.json`, '-d', 'status=hi'],
      fakeIo({ env: env(ENV_CREDS) }),
      { send: fakeX({}) },
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['authorization', 'method', 'url']);
    expect(j.method).toBe('POST');
    expect(j.authorization).toMatch(/^OAuth oauth_consumer_key="ck-unit"/);
    expect(r.stdout).not.toContain('secret');
  });

  it('a method that is not one: exit 2', async () => {
    const r = await runInProcess(['sign', 'G T', `${API}/x`], fakeIo({ env: env(ENV_CREDS) }));
    expect(r.code).toBe(2);
  });
});

describe('accounts and switch, with an in-memory keychain', () => {
  async function twoAccounts() {
    const dir = configDir();
    const keychain = memoryStore();
    const accounts = new Accounts({ dir, keychain, file: fileStore(dir), prefer: 'auto', warn: () => {} });
    const secrets = { consumerSecret: 'cs', accessToken: 'at', accessTokenSecret: 'ats' };
    await accounts.save({ userId: '1', screenName: 'unit_alice', consumerKey: 'ck', apiBase: API }, secrets);
    await accounts.save({ userId: '2', screenName: 'unit_bob', consumerKey: 'ck', apiBase: API }, secrets);
    return { env: { TWAUTH_CONFIG_DIR: dir }, services: { keychain } };
  }

  it('accounts --json lists them, the last login the default; [] when none', async () => {
    const { env: e, services } = await twoAccounts();
    const r = await runInProcess(['accounts', '--json'], fakeIo({ env: e }), services);
    expect(
      JSON.parse(r.stdout).map((a: { username: string; default: boolean; store: string }) => [
        a.username,
        a.default,
        a.store,
      ]),
    ).toEqual([
      ['unit_alice', false, 'keychain'],
      ['unit_bob', true, 'keychain'],
    ]);
    const none = await runInProcess(['accounts', '--json'], fakeIo({ env: env() }), { keychain: memoryStore() });
    expect([none.code, none.stdout]).toEqual([0, '[]\n']);
  });

  it('switch NAME --json: the account now the default; an unknown or empty one exits 2', async () => {
    const { env: e, services } = await twoAccounts();
    const r = await runInProcess(['switch', 'unit_alice', '--json'], fakeIo({ env: e }), services);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      username: 'unit_alice',
      id: '1',
      app: 'ck',
      api_base: API,
      store: 'keychain',
      default: true,
    });
    expect(r.stderr).toMatch(/default account is now @unit_alice/);
    expect((await runInProcess(['switch', 'nobody'], fakeIo({ env: e }), services)).code).toBe(2);
    const empty = await runInProcess(['switch', '', '--json'], fakeIo({ env: e }), services);
    expect(empty.code).toBe(2);
    expect(JSON.parse(empty.stderr).error.message).toMatch(/empty/);
  });
});

describe('exit-codes', () => {
  it('--json lists every code; the text says the same codes', async () => {
    const r = await runInProcess(['exit-codes', '--json'], fakeIo());
    expect(JSON.parse(r.stdout)).toEqual(EXIT_CODE_MEANINGS);
    expect(EXIT_CODE_MEANINGS.map((m) => m.code)).toEqual(Object.values(EXIT));
    for (const { code } of EXIT_CODE_MEANINGS) expect(EXIT_CODES_HELP).toMatch(new RegExp(`\\b${code}\\b`));
  });
});

describe('signals reach commands through the Io', () => {
  it('sandbox run stops on SIGHUP from the fake Io, and stops listening', async () => {
    const io = fakeIo();
    const running = runInProcess(['sandbox', '--json', '--port', '0'], io);
    while (io.listeners() === 0) await new Promise((r) => setTimeout(r, 10));
    expect(Object.keys(JSON.parse(io.stdout()))).toEqual(['api_base', 'consumer_key', 'consumer_secret']);
    io.signal('SIGHUP');
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/twauth sandbox: stopped/);
    expect(io.listeners()).toBe(0);
  });
});

describe('login hears Ctrl-C through the Io', () => {
  it('SIGINT while waiting for the browser: exit 130, nothing stored, no listener left', async () => {
    const send = fakeX({
      'POST /oauth/request_token': () => ({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'oauth_token=rt-unit&oauth_token_secret=rts-unit&oauth_callback_confirmed=true',
      }),
    });
    const keychain = memoryStore();
    const io = fakeIo({
      env: env({ TWAUTH_API_BASE: API, TWAUTH_CONSUMER_KEY: 'ck-unit', TWAUTH_CONSUMER_SECRET: 'cs-unit-secret' }),
    });
    const running = runInProcess(['login', '--no-browser', '--port', '0'], io, { send, keychain });
    while (!io.stderr().includes('oauth_token=rt-unit')) await new Promise((r) => setTimeout(r, 10));
    expect(io.listeners()).toBe(3); // SIGINT, SIGTERM, SIGHUP, one each;
    io.signal('SIGINT');
    const r = await running;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/login interrupted \(SIGINT\); nothing was stored/);
    expect(keychain.entries.size).toBe(0);
    expect(io.listeners()).toBe(0);
  });
});
