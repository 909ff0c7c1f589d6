// Issue 16, "what gh users reach for": api --paginate / --slurp / -i / --input, and login
// --from-twurlrc / --from-xurl (on a pipe, and on a terminal where it offers to remove the
// plain-text copies), through the built bin/twauth against the sandbox.
import { readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';
import { startSandbox, TWAUTH, type Sandbox } from './support.js';

let sb: Sandbox;
const sessions: TmuxSession[] = [];
beforeAll(async () => {
  sb = await startSandbox({ keychain: 'real' });
  await sb.login('sandbox_alice');
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.kill()));
  await sb.stop();
});

describe('api --paginate', () => {
  it('follows meta.next_token: every page once, as a JSON stream; --slurp: one array', async () => {
    for (let i = 0; i < 12; i++) expect((await sb.tw(['tweet', `post number ${i}`])).code).toBe(0);
    const r = await sb.tw(['api', '--paginate', '-q', 'max_results=5', '/2/users/1000000001/tweets']);
    expect(r.code, r.stderr).toBe(0);
    const pages = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { data: { text: string }[]; meta: { next_token?: string } });
    expect(pages.map((p) => p.data.length)).toEqual([5, 5, 2]);
    expect(pages.flatMap((p) => p.data.map((d) => d.text))).toEqual(
      Array.from({ length: 12 }, (_, i) => `post number ${11 - i}`),
    );
    expect(pages.at(-1)!.meta.next_token).toBeUndefined();
    const paths = sb.emu.requests().filter((q) => q.path === '/2/users/1000000001/tweets');
    expect(paths.length).toBeGreaterThanOrEqual(3);

    const slurp = await sb.tw(['api', '--paginate', '--slurp', '-q', 'max_results=5', '/2/users/1000000001/tweets']);
    expect(slurp.code).toBe(0);
    const all = JSON.parse(slurp.stdout) as { data: unknown[] }[];
    expect(all).toHaveLength(3);
  });

  it('a rate limit ends the walk with exit 5 after the pages so far', async () => {
    sb.emu.setFaults({ paths: ['/2/users/1000000001/tweets'], rateLimit: { next: 1, resetInSeconds: 600 } });
    // The fault hits the first request: nothing printed, exit 5, the reset time in UTC.
    const r = await sb.tw(['api', '--paginate', '-q', 'max_results=5', '/2/users/1000000001/tweets']);
    sb.emu.setFaults({});
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/resets at \d\d:\d\d:\d\d UTC/);
  });

  it('refuses what would be wrong: --slurp alone, --paginate with a POST', async () => {
    expect((await sb.tw(['api', '--slurp', '/2/users/me'])).code).toBe(2);
    const post = await sb.tw(['api', '--paginate', '-X', 'POST', '/2/tweets']);
    expect(post.code).toBe(2);
    expect(post.stderr).toMatch(/--paginate is for GET/);
  });
});

describe('api -i and --input', () => {
  it('-i: the status line and headers, rate limits included, then the body', async () => {
    const r = await sb.tw(['api', '-i', '/2/users/me']);
    expect(r.code).toBe(0);
    const [head, body] = r.stdout.split('\n\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(head).toMatch(/^x-rate-limit-remaining: \d+$/m);
    expect(head).toMatch(/^x-rate-limit-reset: \d+$/m);
    expect(head).toMatch(/^x-access-level: read-write$/m);
    expect(JSON.parse(body!)).toMatchObject({ data: { username: 'sandbox_alice' } });
  });

  it('--input FILE: the body from a file; not JSON or too large: exit 2, nothing sent', async () => {
    const dir = tempConfigDir('twauth-input-');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'post.json');
    await writeFile(file, JSON.stringify({ text: 'from a file' }));
    const r = await sb.tw(['api', '-X', 'POST', '--input', file, '/2/tweets']);
    expect(r.code, r.stderr).toBe(0);
    expect(sb.emu.tweets().some((t) => t.text === 'from a file')).toBe(true);
    await writeFile(join(dir, 'bad.json'), 'text=hi');
    const before = sb.emu.requests().length;
    const bad = await sb.tw(['api', '-X', 'POST', '--input', join(dir, 'bad.json'), '/2/tweets']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not JSON/);
    await writeFile(join(dir, 'big.json'), `"${'x'.repeat(16 << 20)}"`);
    const big = await sb.tw(['api', '-X', 'POST', '--input', join(dir, 'big.json'), '/2/tweets']);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/--input: .*big\.json is larger than 16777216 bytes/);
    expect(sb.emu.requests().length).toBe(before);
  });
});

function twurlrc(entries: { name: string; key: string; secret: string; token: string; tokenSecret: string }[]): string {
  return [
    '---',
    'profiles:',
    ...entries.flatMap((e) => [
      `  ${e.name}:`,
      `    ${e.key}:`,
      `      username: ${e.name}`,
      `      consumer_key: ${e.key}`,
      `      consumer_secret: ${e.secret}`,
      `      token: ${e.token}`,
      `      secret: ${e.tokenSecret}`,
    ]),
    'configuration:',
    '  default_profile:',
    `  - ${entries[0]!.name}`,
    `  - ${entries[0]!.key}`,
    'aliases:',
    '  me: /2/users/me',
    '',
  ].join('\n');
}

describe('login --from-twurlrc / --from-xurl', () => {
  it('imports each working profile into the keychain (checked with X), reports a stale one, and on a pipe only says the file keeps them', async () => {
    const app = sb.emu.apps[0]!;
    const bob = sb.issue('sandbox_bob');
    const carol = sb.issue('sandbox_carol');
    sb.emu.revokeAccessToken(carol.token);
    const home = join(tempConfigDir('twauth-import-'), 'home');
    await mkdir(home, { recursive: true });
    const rc = join(home, '.twurlrc');
    const text = twurlrc([
      {
        name: 'sandbox_bob',
        key: app.consumerKey,
        secret: app.consumerSecret,
        token: bob.token,
        tokenSecret: bob.secret,
      },
      {
        name: 'sandbox_carol',
        key: `${app.consumerKey}`,
        secret: app.consumerSecret,
        token: carol.token,
        tokenSecret: carol.secret,
      },
    ]).replace(/ {2}sandbox_carol:\n {4}([^\n]+)/, '  sandbox_carol:\n    $1');
    await writeFile(rc, text, { mode: 0o600 });
    const cfg = join(home, 'config');
    const r = await sb.tw(['login', '--from-twurlrc'], { env: { HOME: home, TWAUTH_CONFIG_DIR: cfg } });
    expect(r.code).toBe(4); // carol's token is revoked: the worst outcome decides
    expect(r.stderr).toMatch(/^Imported @sandbox_bob \(id 1000000002\) from .*\.twurlrc$/m);
    expect(r.stderr).toMatch(
      /^not imported: @sandbox_carol \(app sandbox-consumer-key\): the access token is invalid, expired or revoked/m,
    );
    expect(r.stderr).toMatch(/still holds this token and its secret in plain text/);
    expect(r.stderr).toMatch(/run this again on a terminal to remove them/);
    expect(readFileSync(rc, 'utf8')).toBe(text); // never changed without asking
    const who = await sb.tw(['whoami', '--json'], { env: { HOME: home, TWAUTH_CONFIG_DIR: cfg } });
    expect(JSON.parse(who.stdout)).toMatchObject({ username: 'sandbox_bob', credential_source: 'keychain' });
  });

  it('xurl: its OAuth 1.0a entry, from a named file', async () => {
    const app = sb.emu.apps[0]!;
    const t = sb.issue('sandbox_alice');
    const dir = tempConfigDir('twauth-xurl-');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'xurl.yaml');
    await writeFile(
      file,
      `apps:\n  default:\n    client_id: cid\n    oauth1_token:\n      type: oauth1\n      oauth1:\n        access_token: ${t.token}\n        token_secret: ${t.secret}\n        consumer_key: ${app.consumerKey}\n        consumer_secret: ${app.consumerSecret}\ndefault_app: default\n`,
    );
    const r = await sb.tw(['login', '--from-xurl', file], { env: { TWAUTH_CONFIG_DIR: join(dir, 'config') } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Imported @sandbox_alice /m);
  });

  it('not a twurl file, or none: exit 2, nothing stored', async () => {
    const dir = tempConfigDir('twauth-notrc-');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'x'), 'profiles: [1, 2]\n');
    const r = await sb.tw(['login', '--from-twurlrc', join(dir, 'x')], {
      env: { TWAUTH_CONFIG_DIR: join(dir, 'config') },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a twurl file twauth can read/);
    const none = await sb.tw(['login', '--from-twurlrc', join(dir, 'missing')], {
      env: { TWAUTH_CONFIG_DIR: join(dir, 'config') },
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/cannot read .*missing \(ENOENT\)/);
  });

  it('on a terminal: asks before removing the imported profiles from the file; y removes them, keeps the rest', async () => {
    const app = sb.emu.apps[0]!;
    const bob = sb.issue('sandbox_bob');
    const home = join(tempConfigDir('twauth-import-tty-'), 'home');
    await mkdir(home, { recursive: true });
    const rc = join(home, '.twurlrc');
    await writeFile(
      rc,
      twurlrc([
        {
          name: 'sandbox_bob',
          key: app.consumerKey,
          secret: app.consumerSecret,
          token: bob.token,
          tokenSecret: bob.secret,
        },
      ]),
      { mode: 0o600 },
    );
    const tty = await startInTmux([process.execPath, TWAUTH, 'login', '--from-twurlrc'], {
      env: { PATH: process.env.PATH, LANG: 'C.UTF-8', ...sb.env, HOME: home, TWAUTH_CONFIG_DIR: join(home, 'config') },
      cwd: repoRoot,
      width: 160,
      height: 30,
    });
    sessions.push(tty);
    await tty.waitFor(/Remove the imported credentials from .*\.twurlrc\? .*\[y\/N\]/);
    expect(readFileSync(rc, 'utf8')).toContain(bob.secret); // not before the answer
    await tty.sendKeys('y', true);
    expect(await tty.exitCode()).toBe(0);
    expect(await tty.capture()).toMatch(/removed it from .*\.twurlrc/);
    const left = readFileSync(rc, 'utf8');
    expect(left).not.toContain(bob.secret);
    expect(left).not.toContain(bob.token);
    expect(left).toContain('me: "/2/users/me"');
    expect(statSync(rc).mode & 0o777).toBe(0o600);
  });
});
