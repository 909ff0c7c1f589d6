// Issue 3, login at a real terminal (a tmux pane): the PIN typed at the prompt; the SSH case where
// the browser cannot reach this machine and the person pastes the address it ended up on; the
// spinner with the time left (only on a terminal); Ctrl-C; the masked consumer-secret prompt.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scrapeForm } from '../../src/emulator/form-scraper.js';
import { loopbackRequest } from '../../src/emulator/loopback-client.js';
import { SANDBOX_APP } from '../../src/emulator/index.js';
import { runTwauth, type EnvPatch } from '../helpers/cli.js';
import type { TmuxSession } from '../helpers/tmux.js';
import { SANDBOX_BROWSER, startSandbox, twauthOnTerminal, type Sandbox } from './support.js';

const SPINNER_LINE = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for authorization… \d+:\d\d left/;

let sb: Sandbox;
const sessions: TmuxSession[] = [];

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'real' });
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.kill()));
  await sb.stop();
});

/** twauth ARGS on a terminal, with the sandbox's environment (+ `env`) and a config dir of its own. */
async function onTerminal(args: string[], env: EnvPatch = {}): Promise<{ tty: TmuxSession; configDir: string }> {
  const started = await twauthOnTerminal(sb, args, env);
  sessions.push(started.tty);
  return started;
}

function urlOnScreen(screen: string): string {
  const base = sb.emu.url.replace(/[.]/g, '\\.');
  const url = new RegExp(`^${base}/oauth/authorize\\?oauth_token=[A-Za-z0-9_-]+$`, 'm').exec(screen)?.[0];
  expect(url, screen).toBeDefined();
  return url!;
}

function accounts(configDir: string): Array<{ screenName: string; store: string }> {
  const file = join(configDir, 'config.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { accounts: Array<{ screenName: string; store: string }> }).accounts
    : [];
}

/**
 * The person presses "Authorize app" in a browser on ANOTHER machine: the consent form is posted,
 * and X's redirect (to this machine's 127.0.0.1, which that browser cannot reach) is NOT followed.
 * Returns the address the browser ends up showing.
 */
async function authorizeElsewhere(authorizeUrl: string): Promise<string> {
  const pageUrl = new URL(authorizeUrl);
  const page = await loopbackRequest(pageUrl);
  expect(page.status).toBe(200);
  const form = scrapeForm(page.body)!;
  const button = form.buttons.find((b) => b.label === 'Authorize app')!;
  const user = form.select!;
  const fields = new URLSearchParams([...form.hidden, [user.name, 'sandbox_alice'], [button.name, button.value]]);
  const answer = await loopbackRequest(new URL(form.action || pageUrl.href, pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  expect(answer.status).toBe(302);
  return new URL(String(answer.headers.location), pageUrl).href;
}

async function pinFor(url: string): Promise<string> {
  const r = await runTwauth(['sandbox', 'approve', url]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe('login on a terminal', () => {
  it('PIN typed at the prompt: exit 0, then whoami works', async () => {
    const { tty, configDir } = await onTerminal(['login', '--pin', '--no-browser']);
    const screen = await tty.waitFor(/PIN shown by X:/);
    const url = urlOnScreen(screen);
    expect(screen).toMatch(/^Open this URL to authorize twauth:$/m);
    const pin = await pinFor(url);
    expect(pin).toMatch(/^\d{7}$/);
    await tty.sendKeys(pin, true);
    expect(await tty.exitCode(15_000)).toBe(0);
    expect(await tty.capture()).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expect(accounts(configDir)).toMatchObject([{ screenName: 'sandbox_alice', store: 'keychain' }]);
    const who = await sb.tw(['whoami'], { env: { TWAUTH_CONFIG_DIR: configDir } });
    expect(who).toMatchObject({ code: 0, stdout: 'sandbox_alice\n' });
  });

  it('loopback route over SSH: shows the spinner with the time left; the pasted callback address completes the login', async () => {
    const { tty, configDir } = await onTerminal(['login', '--port', '0', '--no-browser']);
    const screen = await tty.waitFor(SPINNER_LINE);
    expect(screen).toMatch(/Paste the URL it ends up on, or the PIN, here/);
    expect(screen).toMatch(/Waiting for authorization… [45]:\d\d left/); // default --timeout 300
    const url = urlOnScreen(screen);
    const landing = await authorizeElsewhere(url);
    expect(landing).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/callback\?twauth_state=[A-Za-z0-9_-]{24}&oauth_token=[^&]+&oauth_verifier=[^&]+$/,
    );

    // An address from another attempt is refused, and the login keeps waiting.
    const other = landing.replace(/oauth_token=[^&]+/, 'oauth_token=another-attempt');
    await tty.sendKeys(other, true);
    await tty.waitFor(/that URL belongs to another login attempt; still waiting/);
    await tty.sendKeys(landing, true);
    expect(await tty.exitCode(15_000)).toBe(0);
    const end = await tty.capture();
    expect(end).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expect(accounts(configDir)).toMatchObject([{ screenName: 'sandbox_alice' }]);
  });

  it('Ctrl-C while waiting for the browser: exit 130, nothing stored', async () => {
    const { tty, configDir } = await onTerminal(['login', '--port', '0', '--no-browser']);
    await tty.waitFor(SPINNER_LINE);
    await tty.press('C-c');
    expect(await tty.exitCode()).toBe(130);
    expect(await tty.capture()).toMatch(/twauth: login interrupted \(SIGINT\); nothing was stored/);
    expect(accounts(configDir)).toEqual([]);
  });

  it('NO_COLOR on a terminal: no spinner', async () => {
    const { tty } = await onTerminal(['login', '--port', '0', '--no-browser'], { NO_COLOR: '1' });
    await tty.waitFor(/Paste the URL it ends up on, or the PIN, here/);
    await new Promise((r) => setTimeout(r, 500)); // the spinner would have drawn several frames
    const screen = await tty.capture();
    expect(screen).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|Waiting for authorization…/);
    await tty.press('C-c');
    expect(await tty.exitCode()).toBe(130);
  });

  it('Ctrl-C at the PIN prompt: exit 130, nothing stored', async () => {
    const { tty, configDir } = await onTerminal(['login', '--pin', '--no-browser']);
    await tty.waitFor(/PIN shown by X:/);
    await tty.sendKeys('12');
    await tty.press('C-c');
    expect(await tty.exitCode()).toBe(130);
    expect(await tty.capture()).toMatch(/twauth: login interrupted \(SIGINT\); nothing was stored/);
    expect(accounts(configDir)).toEqual([]);
  });

  it('no consumer credentials: asks for them, the secret masked; login proceeds', async () => {
    const { tty, configDir } = await onTerminal(['login', '--port', '0'], {
      TWAUTH_CONSUMER_KEY: undefined,
      TWAUTH_CONSUMER_SECRET: undefined,
      BROWSER: SANDBOX_BROWSER,
    });
    await tty.waitFor(/consumer key \(API key\):/);
    await tty.sendKeys(SANDBOX_APP.consumerKey, true);
    await tty.waitFor(/consumer secret \(API key secret\):/);
    await tty.sendKeys(SANDBOX_APP.consumerSecret);
    const typed = await tty.waitFor(
      new RegExp(`consumer secret \\(API key secret\\): \\*{${SANDBOX_APP.consumerSecret.length}}$`, 'm'),
    );
    expect(typed).not.toContain(SANDBOX_APP.consumerSecret);
    await tty.press('Enter');
    expect(await tty.exitCode(20_000)).toBe(0);
    const end = await tty.capture();
    expect(end).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    expect(end).not.toContain(SANDBOX_APP.consumerSecret);
    expect(accounts(configDir)).toMatchObject([{ screenName: 'sandbox_alice' }]);
  });

  it('Ctrl-C at the consumer-secret prompt: exit 130, nothing sent to X', async () => {
    const before = sb.emu.requests().length;
    const { tty, configDir } = await onTerminal(['login', '--port', '0', '--no-browser'], {
      TWAUTH_CONSUMER_KEY: undefined,
      TWAUTH_CONSUMER_SECRET: undefined,
    });
    await tty.waitFor(/consumer key \(API key\):/);
    await tty.sendKeys(SANDBOX_APP.consumerKey, true);
    await tty.waitFor(/consumer secret \(API key secret\):/);
    await tty.sendKeys('abc');
    await tty.press('C-c');
    expect(await tty.exitCode()).toBe(130);
    expect(await tty.capture()).toMatch(/twauth: login interrupted \(SIGINT\); nothing was stored/);
    expect(accounts(configDir)).toEqual([]);
    expect(sb.emu.requests().length).toBe(before);
  });
});
