// Issue 13 item 11: exit codes and messages that told the wrong story. Each case states what was
// (not) sent, and the exit code follows README "Exit codes".
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTwauth, tempConfigDir } from '../helpers/cli.js';
import { startSandbox, TWAUTH, type Sandbox } from './support.js';

let sb: Sandbox;

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
  await sb.login('sandbox_alice');
});
afterAll(() => sb?.stop());

const tweetsPosted = () => sb.emu.requests().filter((r) => r.method === 'POST' && r.path === '/2/tweets').length;

describe('nothing was sent: exit 2', () => {
  it('a header value HTTP cannot carry (-H "X-Note: a→b") is refused before sending, not "MAY have been posted"', async () => {
    const before = tweetsPosted();
    const r = await sb.tw([
      'api',
      '-H',
      'X-Note: a→b',
      '-X',
      'POST',
      '--json-body',
      '{"text":"header test"}',
      '/2/tweets',
    ]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('-H X-Note: the value has a character that cannot be sent in an HTTP header (U+2192)');
    expect(r.stderr).not.toMatch(/MAY have/);
    expect(tweetsPosted()).toBe(before);
    // Latin-1 is what HTTP allows beyond ASCII: still sent.
    const ok = await sb.tw(['api', '-H', 'X-Note: café', '/2/users/me']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('--timeout below a millisecond is refused; 0.0015 s is a real (tiny) deadline, not a crash', async () => {
    const tiny = await sb.tw(['--timeout', '0.0004', 'whoami']);
    expect(tiny.code, tiny.stderr).toBe(2);
    expect(tiny.stderr).toContain('--timeout must be at least 0.001');
    sb.emu.setFaults({ latencyMs: 300, paths: ['/2/users/me'] });
    try {
      const r = await sb.tw(['--timeout', '0.0015', 'whoami']);
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toContain('no answer from X in time for GET /2/users/me');
    } finally {
      sb.emu.setFaults({});
    }
  });

  it('TWAUTH_CONFIG_DIR=/proc/nope fails at once (no mkdir loop), naming the variable', async () => {
    const t = sb.issue('sandbox_bob');
    const input = JSON.stringify({
      consumer_key: sb.emu.apps[0]!.consumerKey,
      consumer_secret: sb.emu.apps[0]!.consumerSecret,
      access_token: t.token,
      access_token_secret: t.secret,
    });
    const started = Date.now();
    const r = await sb.tw(['login', '--with-token'], {
      env: { TWAUTH_CONFIG_DIR: '/proc/nope' },
      input,
      timeoutMs: 20_000,
    });
    const ms = Date.now() - started;
    console.log(`TWAUTH_CONFIG_DIR=/proc/nope: exit ${r.code} after ${ms} ms`);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('cannot create the config folder /proc/nope');
    expect(r.stderr).toContain('TWAUTH_CONFIG_DIR');
    expect(ms).toBeLessThan(5_000);
  }, 30_000);

  it('--json-body @/dev/zero and a body on stdin from /dev/zero stop at the bound: exit 2, not bad_alloc', async () => {
    const before = tweetsPosted();
    const started = Date.now();
    const r = await sb.tw(['api', '--json-body', '@/dev/zero', '/2/tweets'], { timeoutMs: 20_000 });
    console.log(`--json-body @/dev/zero: exit ${r.code} after ${Date.now() - started} ms`);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--json-body: /dev/zero is larger than 16777216 bytes');
    for (const args of [['api', '--json-body', '-', '/2/tweets'], ['tweet']]) {
      const p = spawnSync('/bin/sh', ['-c', `exec "$0" "$@" < /dev/zero`, process.execPath, TWAUTH, ...args], {
        env: { ...process.env, ...sb.env } as NodeJS.ProcessEnv,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(p.status, `${args.join(' ')}: ${p.stderr}`).toBe(2);
      expect(p.stderr).toMatch(/standard input is larger than \d+ bytes/);
    }
    expect(tweetsPosted()).toBe(before);
  }, 60_000);
});

describe('a tweet X answers 2xx without data.id: the outcome is unknown (exit 7), in both output modes', () => {
  let fake: Server;
  let base = '';
  beforeAll(async () => {
    fake = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = 201;
        res.setHeader('content-type', 'application/json');
        res.end('{"data":{"text":"hi"}}');
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(fake.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => fake?.close(r)));

  it.each([[[]], [['--json']]])('tweet %j', async (flags) => {
    const r = await runTwauth([...flags, 'tweet', 'hi'], {
      env: {
        TWAUTH_API_BASE: base,
        TWAUTH_CONSUMER_KEY: 'ck',
        TWAUTH_CONSUMER_SECRET: 'cs',
        TWAUTH_ACCESS_TOKEN: 'at',
        TWAUTH_ACCESS_TOKEN_SECRET: 'ats',
        TWAUTH_CONFIG_DIR: join(tempConfigDir('twauth-noid-'), 'c'),
      },
    });
    expect(r.code, r.stderr).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("X's answer to POST /2/tweets is malformed (no data.id)");
    expect(r.stderr).toContain('the tweet MAY have been posted');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('logout with a read-only config folder', () => {
  it('revokes nothing, keeps the account, says why (exit 2); works once the folder is writable', async () => {
    const mnt = join(tempConfigDir('twauth-ro-'), 'mnt');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mnt]);
    try {
      const env = { TWAUTH_CONFIG_DIR: join(mnt, 'twauth') };
      const { token } = await sb.login('sandbox_carol', [], env);
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      const revokes = () => sb.emu.requests().filter((q) => q.path === '/1.1/oauth/invalidate_token').length;
      const before = revokes();
      const r = await sb.tw(['logout'], { env });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`the config folder ${join(mnt, 'twauth')} is not writable (EROFS)`);
      expect(r.stderr).toContain('nothing was revoked');
      // The token still works and the account is still there.
      expect(revokes()).toBe(before);
      const who = await sb.tw(['whoami'], { env });
      expect(who.code, who.stderr).toBe(0);
      expect(who.stdout.trim()).toBe('sandbox_carol');
      execFileSync('mount', ['-o', 'remount,rw', mnt]);
      const again = await sb.tw(['logout'], { env });
      expect(again.code, again.stderr).toBe(0);
      expect(sb.emu.revokeAccessToken(token)).toBe(false); // already revoked by logout
    } finally {
      spawnSync('umount', [mnt]);
    }
  }, 60_000);
});
