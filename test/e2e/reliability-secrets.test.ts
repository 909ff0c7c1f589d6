// Issue 6, secrets never leak: --verbose runs of every command that talks to X, and their failures
// (401, 429, 503, a hang, connection refused, bad input), all through sb.tw, which fails the test
// if a consumer secret, token secret or access token appears in stdout or stderr (only `twauth
// token` may print them). The traces must really be there: a silent --verbose would prove nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TwauthResult } from '../helpers/cli.js';
import { startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;
let alice: ReturnType<Sandbox['issue']>;
let tokenEnvText: string;

const WRONG_SECRET = 'wrong-consumer-secret-0123456789';

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
  alice = sb.issue('sandbox_alice');
  sb.addSecret(WRONG_SECRET);
  const t = await sb.tw(['token', '--env'], { env: alice.env });
  expect(t.code, t.stderr).toBe(0);
  tokenEnvText = t.stdout;
});
afterAll(() => sb?.stop());

/** --verbose traced the exchange, with the Authorization header redacted. */
function traced(r: TwauthResult, method: string, path: string): void {
  expect(r.stderr).toMatch(new RegExp(`^> ${method} http://127\\.0\\.0\\.1:\\d+${path.replace(/[.]/g, '\\.')}`, 'm'));
  const auth = /^> authorization: (.*)$/m.exec(r.stderr)?.[1] ?? '';
  expect(auth).toMatch(/^OAuth /);
  for (const p of ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_token'])
    expect(auth).toContain(`${p}="[redacted]"`);
  // Every value is redacted but the three public ones.
  expect(auth.replace(/oauth_(signature_method|timestamp|version)="[^"]*"/g, '')).not.toMatch(/="(?!\[redacted\])/);
}

describe('--verbose never shows a secret', () => {
  it('whoami, tweet, api -d, api --json-body, tweet --dry-run: traced, redacted', async () => {
    const who = await sb.tw(['whoami', '--verbose'], { env: alice.env });
    expect(who.code, who.stderr).toBe(0);
    traced(who, 'GET', '/2/users/me');

    const tweet = await sb.tw(['tweet', '--verbose', 'secrets stay secret'], { env: alice.env });
    expect(tweet.code, tweet.stderr).toBe(0);
    traced(tweet, 'POST', '/2/tweets');

    const form = await sb.tw(['api', '--verbose', '-d', 'status=a form post', '/1.1/statuses/update.json'], {
      env: alice.env,
    });
    expect(form.code, form.stderr).toBe(0);
    traced(form, 'POST', '/1.1/statuses/update.json');

    const json = await sb.tw(['api', '--verbose', '-X', 'POST', '--json-body', '{"text":"a json post"}', '/2/tweets'], {
      env: alice.env,
    });
    expect(json.code, json.stderr).toBe(0);
    traced(json, 'POST', '/2/tweets');

    const dry = await sb.tw(['tweet', '--verbose', '--dry-run', 'not sent'], { env: alice.env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/oauth_signature="\[redacted\]"/);
  });

  it('login --with-token --verbose, then the stored account: nothing but metadata in config.json', async () => {
    const login = await sb.tw(['login', '--with-token', '--verbose'], { input: tokenEnvText });
    expect(login.code, login.stderr).toBe(0);
    traced(login, 'GET', '/2/users/me');
    expect(login.stderr).toMatch(/^Logged in as @sandbox_alice/m);
    const json = await sb.tw(['--json', 'login', '--with-token'], { input: tokenEnvText });
    expect(json.code, json.stderr).toBe(0);
    expect(Object.keys(JSON.parse(json.stdout) as object).sort()).toEqual([
      'api_base',
      'app',
      'default',
      'id',
      'store',
      'username',
    ]);

    for (const args of [
      ['whoami', '--verbose'],
      ['status', '--verbose'],
      ['accounts', '--json'],
      ['tweet', '--verbose', 'from the stored account'],
    ]) {
      const r = await sb.tw(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    }
    const config = readFileSync(join(sb.configDir, 'config.json'), 'utf8');
    for (const s of sb.secrets()) expect(config.includes(s), 'config.json holds a secret or token').toBe(false);
  });

  it('failures with --verbose: 401, 429, 503, a hang, a reset, connection refused, X failing after a post', async () => {
    const revoked = sb.issue('sandbox_bob');
    sb.emu.revokeAccessToken(revoked.token);
    const revokedInput = (await sb.tw(['token', '--env'], { env: revoked.env })).stdout;
    type Faults = Parameters<Sandbox['emu']['setFaults']>[0];
    const cases: Array<{
      what: string;
      args: string[];
      env?: Record<string, string | undefined>;
      input?: string;
      faults?: Faults;
      code: number;
      says: RegExp;
    }> = [
      {
        what: 'wrong consumer secret (401, code 32)',
        args: ['whoami', '--verbose'],
        env: { ...alice.env, TWAUTH_CONSUMER_SECRET: WRONG_SECRET },
        code: 4,
        says: /code 32/,
      },
      {
        what: 'revoked token (401, code 89)',
        args: ['whoami', '--verbose'],
        env: revoked.env,
        code: 4,
        says: /code 89/,
      },
      {
        what: 'revoked token on a tweet (401)',
        args: ['tweet', '--verbose', 'revoked tweet'],
        env: revoked.env,
        code: 4,
        says: /code 89/,
      },
      {
        what: '429',
        args: ['whoami', '--verbose'],
        faults: { paths: ['/2/users/me'], rateLimit: { next: 1, resetInSeconds: 30 } },
        code: 5,
        says: /rate limited/,
      },
      {
        what: '429 on a tweet',
        args: ['tweet', '--verbose', 'rate limited tweet'],
        faults: { paths: ['/2/tweets'], rateLimit: { next: 1 } },
        code: 5,
        says: /rate limited/,
      },
      {
        what: '503 until the retry budget is spent',
        args: ['whoami', '--verbose'],
        faults: { paths: ['/2/users/me'], status503: { next: 10 } },
        code: 7,
        says: /HTTP 503/,
      },
      {
        what: '503 after a post',
        args: ['tweet', '--verbose', 'maybe posted tweet'],
        faults: { paths: ['/2/tweets'], status503After: { next: 1 } },
        code: 7,
        says: /MAY/,
      },
      {
        what: 'a hang after a post',
        args: ['tweet', '--verbose', '--timeout', '1', 'hung tweet'],
        faults: { paths: ['/2/tweets'], hang: { next: 1, after: true } },
        code: 7,
        says: /MAY/,
      },
      {
        what: 'a reset after a form post',
        args: ['api', '--verbose', '-d', 'status=reset post', '/1.1/statuses/update.json'],
        faults: { paths: ['/1.1/statuses/update.json'], reset: { next: 1, after: true } },
        code: 7,
        says: /MAY/,
      },
      {
        what: 'connection refused',
        args: ['whoami', '--verbose', '--api-base', 'http://127.0.0.1:1'],
        code: 7,
        says: /cannot reach X/,
      },
      {
        what: 'connection refused on a tweet',
        args: ['tweet', '--verbose', '--api-base', 'http://127.0.0.1:1', 'never sent'],
        code: 7,
        says: /cannot reach X .* at http:\/\/127\.0\.0\.1:1 \(from --api-base\)/,
      },
      {
        what: 'login --with-token with a revoked token',
        args: ['login', '--with-token', '--verbose'],
        input: revokedInput,
        code: 4,
        says: /code 89/,
      },
      {
        what: 'login --with-token, X unavailable',
        args: ['login', '--with-token', '--verbose'],
        input: tokenEnvText,
        faults: { paths: ['/2/users/me'], status503: { next: 10 } },
        code: 7,
        says: /HTTP 503/,
      },
    ];
    for (const c of cases) {
      sb.emu.setFaults(c.faults ?? {});
      let r: TwauthResult;
      try {
        r = await sb.tw(c.args, c.input === undefined ? { env: c.env ?? alice.env } : { input: c.input });
      } finally {
        sb.emu.setFaults({});
      }
      expect(r.code, `${c.what}\n${r.stderr}`).toBe(c.code);
      expect(r.stderr, c.what).toMatch(c.says);
      expect(r.stderr, `${c.what}: no trace`).toMatch(/^> (GET|POST) /m);
    }
  });

  it('bad credential input is refused without echoing it', async () => {
    const withSecret = (s: string) => s.replace(/TWAUTH_CONSUMER_KEY=.*\n/, '');
    const inputs = [
      withSecret(tokenEnvText), // a field missing: names the field, never a value
      `{"access_token_secret": "${WRONG_SECRET}", `, // broken JSON
      `export TWAUTH_ACCESS_TOKEN_SECRET='${WRONG_SECRET}'\nexport TWAUTH_CONSUMER_SECRET=${WRONG_SECRET}\n`, // only secrets
    ];
    for (const input of inputs) {
      const r = await sb.tw(['login', '--with-token', '--verbose'], { input });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^twauth: /m);
    }
  });
});
