// Issue 16 on a real terminal (tmux): what a person sees at the login prompts, the PIN retry,
// Ctrl-D, the bare `switch`, and the --wait countdown.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTwauth, tempConfigDir, type EnvPatch } from '../helpers/cli.js';
import type { TmuxSession } from '../helpers/tmux.js';
import { startSandbox, twauthOnTerminal, type Sandbox } from './support.js';

let sb: Sandbox;
const sessions: TmuxSession[] = [];

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.kill()));
  await sb.stop();
});

async function onTerminal(
  args: string[],
  env: EnvPatch = {},
  width = 220,
): Promise<{ tty: TmuxSession; configDir: string }> {
  const started = await twauthOnTerminal(sb, args, env, width);
  sessions.push(started.tty);
  return started;
}

function urlOnScreen(screen: string): string {
  const base = sb.emu.url.replace(/[.]/g, '\\.');
  const url = new RegExp(`^${base}/oauth/authorize\\?oauth_token=[A-Za-z0-9_-]+$`, 'm').exec(screen)?.[0];
  expect(url, screen).toBeDefined();
  return url!;
}

async function pinFor(url: string): Promise<string> {
  const r = await runTwauth(['sandbox', 'approve', url]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

function accounts(configDir: string): Array<{ screenName: string }> {
  const file = join(configDir, 'config.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { accounts: Array<{ screenName: string }> }).accounts
    : [];
}

describe('3. a PIN typo does not end the login', () => {
  it('letters are refused at the prompt; a wrong PIN is refused by X and asked again; the right one logs in', async () => {
    const { tty, configDir } = await onTerminal(['login', '--pin', '--no-browser']);
    const screen = await tty.waitFor(/PIN shown by X:/);
    const pin = await pinFor(urlOnScreen(screen));
    await tty.sendKeys('12a4', true);
    await tty.waitFor(/a PIN is digits only/);
    for (let i = 0; i < 4; i++) await tty.press('BSpace');
    const wrong = pin === '1234567' ? '7654321' : '1234567';
    await tty.sendKeys(wrong, true);
    await tty.waitFor(/X refused that PIN \(wrong digits\?\); type it again \(2 tries left\)/);
    await tty.waitFor(/PIN shown by X:\s*$/m);
    await tty.sendKeys(pin, true);
    expect(await tty.exitCode(15_000)).toBe(0);
    const end = await tty.capture();
    expect(end).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expect(end).not.toMatch(/check TWAUTH_\*/);
    expect(accounts(configDir)).toMatchObject([{ screenName: 'sandbox_alice' }]);
  });

  it('three refused PINs: says the PIN was wrong (exit 2), nothing stored', async () => {
    const { tty, configDir } = await onTerminal(['login', '--pin', '--no-browser']);
    const screen = await tty.waitFor(/PIN shown by X:/);
    const pin = await pinFor(urlOnScreen(screen));
    const wrong = pin === '1234567' ? '7654321' : '1234567';
    for (let i = 0; i < 3; i++) {
      await tty.waitFor(/PIN shown by X:\s*$/m);
      await tty.sendKeys(wrong, true);
      if (i < 2) await tty.waitFor(new RegExp(`\\(${2 - i} tr(y|ies) left\\)`));
    }
    expect(await tty.exitCode(15_000)).toBe(2);
    expect(await tty.capture()).toMatch(
      /twauth: X refused the PIN: it was mistyped, or belongs to another login attempt; run twauth login again/,
    );
    expect(accounts(configDir)).toEqual([]);
  });

  it('a browser that cannot start: its note is printed above the prompt, not inside its line', async () => {
    // A browser command that fails a moment after the prompt would have appeared (the old code
    // printed the note into the prompt's line then).
    const { tty } = await onTerminal(['login', '--pin'], { BROWSER: 'sleep 0.5; false' });
    await tty.waitFor(/PIN shown by X:/);
    await new Promise((r) => setTimeout(r, 1000)); // past the browser command's failure
    const screen = await tty.capture();
    const lines = screen.split('\n');
    const note = lines.findIndex((l) => l.startsWith('note: could not open a browser'));
    const prompt = lines.findIndex((l) => /PIN shown by X:/.test(l));
    expect(note, screen).toBeGreaterThan(-1);
    expect(note).toBeLessThan(prompt);
    expect(lines[prompt]).toMatch(/^\? PIN shown by X:\s*$/);
    await tty.press('C-c');
    expect(await tty.exitCode()).toBe(130);
  });

  it('Ctrl-D at the PIN prompt is no SIGINT: "no PIN given", exit 3', async () => {
    const { tty, configDir } = await onTerminal(['login', '--pin', '--no-browser']);
    await tty.waitFor(/PIN shown by X:/);
    await tty.press('C-d');
    expect(await tty.exitCode()).toBe(3);
    const end = await tty.capture();
    expect(end).toMatch(/twauth: no PIN given \(the input ended: Ctrl-D\); nothing was stored/);
    expect(end).not.toMatch(/SIGINT/);
    expect(accounts(configDir)).toEqual([]);
  });
});

describe('3. a mistyped paste on the loopback route (SSH) is asked for again', () => {
  it('a verifier X refuses: "still waiting"; the right address then logs in', async () => {
    const { scrapeForm } = await import('../../src/emulator/form-scraper.js');
    const { loopbackRequest } = await import('../../src/emulator/loopback-client.js');
    const { tty, configDir } = await onTerminal(['login', '--port', '0', '--no-browser']);
    const screen = await tty.waitFor(/Paste the URL it ends up on, or the PIN, here/);
    // The person authorizes in a browser elsewhere: the redirect to this machine is not followed.
    const pageUrl = new URL(urlOnScreen(screen));
    const page = await loopbackRequest(pageUrl);
    const form = scrapeForm(page.body)!;
    const button = form.buttons.find((b) => b.label === 'Authorize app')!;
    const fields = new URLSearchParams([
      ...form.hidden,
      [form.select!.name, 'sandbox_alice'],
      [button.name, button.value],
    ]);
    const answer = await loopbackRequest(new URL(form.action || pageUrl.href, pageUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    const landing = new URL(String(answer.headers.location), pageUrl).href;
    const typo = landing.replace(/oauth_verifier=([^&])/, (_m, c: string) => `oauth_verifier=${c === 'A' ? 'B' : 'A'}`);
    expect(typo).not.toBe(landing);
    await tty.sendKeys(typo, true);
    await tty.waitFor(
      /X refused that PIN or address \(mistyped\? from another attempt\?\): paste it again; still waiting/,
    );
    await tty.sendKeys(landing, true);
    expect(await tty.exitCode(15_000)).toBe(0);
    expect(await tty.capture()).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expect(accounts(configDir)).toMatchObject([{ screenName: 'sandbox_alice' }]);
  });
});

describe('2. first login without an app key', () => {
  it('says where the key comes from, the callback to register and the sandbox, before the prompt; lines fit 80 columns', async () => {
    const { tty } = await onTerminal(
      ['login', '--no-browser'],
      { TWAUTH_CONSUMER_KEY: undefined, TWAUTH_CONSUMER_SECRET: undefined },
      80,
    );
    const screen = await tty.waitFor(/consumer key \(API key\):/);
    const before = screen.slice(0, screen.indexOf('consumer key (API key):'));
    expect(before).toMatch(/developer\.x\.com → the app → Keys and tokens/);
    expect(before).toMatch(/http:\/\/127\.0\.0\.1:8736\/callback/);
    expect(before).toMatch(/twauth sandbox/);
    for (const line of before.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    await tty.press('C-d');
    expect(await tty.exitCode()).toBe(3);
    expect(await tty.capture()).toMatch(/twauth: no consumer key given/);
  });
});

describe('6. bare switch on a terminal', () => {
  it('two accounts: toggles; three: lists them and asks', async () => {
    const cfg = join(tempConfigDir('twauth-switch-'), 'config');
    await sb.login('sandbox_alice', [], { TWAUTH_CONFIG_DIR: cfg });
    await sb.login('sandbox_bob', [], { TWAUTH_CONFIG_DIR: cfg });
    const toggle = await onTerminal(['switch'], { TWAUTH_CONFIG_DIR: cfg });
    expect(await toggle.tty.exitCode()).toBe(0);
    expect(await toggle.tty.capture()).toMatch(/^default account is now @sandbox_alice /m);

    await sb.login('sandbox_carol', [], { TWAUTH_CONFIG_DIR: cfg });
    const list = await onTerminal(['switch'], { TWAUTH_CONFIG_DIR: cfg });
    const screen = await list.tty.waitFor(/Make which account the default\?/);
    expect(screen).toMatch(
      /^ {2}1\) @sandbox_alice .*\n {2}2\) @sandbox_bob .*\n {2}3\) @sandbox_carol .*\(default\)$/m,
    );
    await list.tty.sendKeys('2', true);
    expect(await list.tty.exitCode()).toBe(0);
    expect(await list.tty.capture()).toMatch(/^default account is now @sandbox_bob /m);
    // Off a terminal, with three accounts, a name is needed.
    const piped = await sb.tw(['switch'], { env: { TWAUTH_CONFIG_DIR: cfg } });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/name the account: twauth switch NAME/);
  });
});

describe('8. --wait on a terminal', () => {
  it('says the reset in UTC and counts down', async () => {
    const cfg = join(tempConfigDir('twauth-wait-'), 'config');
    await sb.login('sandbox_alice', [], { TWAUTH_CONFIG_DIR: cfg });
    sb.emu.setFaults({ paths: ['/2/users/me'], rateLimit: { next: 1, resetInSeconds: 4 } });
    const { tty } = await onTerminal(['whoami', '--wait'], { TWAUTH_CONFIG_DIR: cfg, TZ: 'America/New_York' });
    const first = await tty.waitFor(/^ {2}\d s left$/m);
    expect(first).toMatch(/^rate limited: waiting until \d\d:\d\d:\d\d UTC \(--wait; Ctrl-C stops\)$/m);
    const n = Number(/^ {2}(\d) s left$/m.exec(first)![1]);
    await tty.waitFor(new RegExp(`^ {2}${n - 1} s left$`, 'm'));
    expect(await tty.exitCode(15_000)).toBe(0);
    sb.emu.setFaults({});
    const end = await tty.capture();
    expect(end).toMatch(/^sandbox_alice$/m);
    expect(end).not.toMatch(/s left/);
  });
});
