// The wait during `twauth login`, on a real terminal (a tmux pane): a one-line spinner with the time
// left while twauth waits for the browser — and none at all when stderr is not the terminal (a file)
// or NO_COLOR is set (README "In pipelines": no colour, spinner or prompt unless a terminal is there,
// and never with NO_COLOR).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTwauth, tempConfigDir } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';
import { startInTmux, shQuote, type TmuxSession } from '../helpers/tmux.js';
import { startSandbox, TWAUTH, type Sandbox } from './support.js';

const FRAMES = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const SPINNER_LINE = /^([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) Waiting for authorization… (\d+):(\d\d) left$/gm;
const AUTHORIZE_URL = /(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?oauth_token=[A-Za-z0-9_-]+)/;

let sb: Sandbox;
const sessions: TmuxSession[] = [];

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
});
afterAll(async () => {
  for (const s of sessions) await s.kill();
  await sb?.stop();
});

function terminalEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: tempConfigDir('twauth-tty-home-'),
    TERM: 'xterm-256color',
  };
  for (const [k, v] of Object.entries(sb.env)) if (v !== undefined) env[k] = v;
  return { ...env, ...extra };
}

async function tmux(command: string[], env: Record<string, string>): Promise<TmuxSession> {
  const s = await startInTmux(command, { env, cwd: repoRoot, width: 200, height: 40 });
  sessions.push(s);
  return s;
}

/** Presses "Authorize app" for the person, as `twauth sandbox approve URL` does. */
async function approve(url: string, user: string): Promise<void> {
  const r = await runTwauth(['sandbox', 'approve', '--user', user, url]);
  expect(r.code, r.stderr).toBe(0);
}

const seconds = (m: RegExpMatchArray) => Number(m[2]) * 60 + Number(m[3]);

describe('login waiting on a terminal', () => {
  it('shows a one-line spinner with the time left, which counts down and is cleared at the end', async () => {
    const s = await tmux([process.execPath, TWAUTH, 'login', '--port', '0', '--no-browser'], terminalEnv());
    const first = await s.waitFor(/Waiting for authorization… \d+:\d\d left/, 20_000);
    const url = AUTHORIZE_URL.exec(first)![1]!;
    const lines = [...first.matchAll(SPINNER_LINE)];
    expect(lines, `exactly one spinner line on the screen:\n${first}`).toHaveLength(1);
    const start = seconds(lines[0]!);
    // Default --timeout is 300 s: "5:00 left" or a little less ("4:59 left").
    expect(start).toBeLessThanOrEqual(300);
    expect(start).toBeGreaterThan(280);
    expect(first).toMatch(/\b(5:00|4:[0-5]\d) left/);
    // It turns and counts down, on the same line.
    await new Promise((r) => setTimeout(r, 2200));
    const later = await s.capture();
    const again = [...later.matchAll(SPINNER_LINE)];
    expect(again, later).toHaveLength(1);
    expect(seconds(again[0]!)).toBeLessThan(start);
    expect(later.split('\n').length).toBe(first.split('\n').length);

    await approve(url, 'sandbox_alice');
    const done = await s.waitFor(/Logged in as @sandbox_alice/, 20_000);
    expect(await s.exitCode(20_000)).toBe(0);
    const end = await s.capture();
    expect(end, 'the spinner line is cleared').not.toMatch(FRAMES);
    expect(end).not.toMatch(/ left$/m);
    expect(done).toContain('Open this URL to authorize twauth:');
  });

  it('what the person types while it turns stays on the screen, long pasted addresses and notes included', async () => {
    // A small terminal with some history above, so that the text scrolls and a paste wraps.
    const script = `seq 1 12; exec ${shQuote(process.execPath)} ${shQuote(TWAUTH)} login --port 0 --no-browser`;
    const s = await startInTmux(['/bin/sh', '-c', script], {
      env: terminalEnv(),
      cwd: repoRoot,
      width: 80,
      height: 16,
    });
    sessions.push(s);
    await s.waitFor(SPINNER_LINE, 20_000);
    // Not an address of this login: refused with a note, the login keeps waiting.
    const typed = `http://127.0.0.1:1/callback?oauth_token=${'a'.repeat(90)}&oauth_verifier=zz`;
    await s.sendKeys(typed);
    await new Promise((r) => setTimeout(r, 700)); // several frames
    const screen = await s.capture();
    expect(screen.replace(/\n/g, ''), `the typed text is still visible:\n${screen}`).toContain(typed);
    expect([...screen.matchAll(SPINNER_LINE)]).toHaveLength(1);
    await s.press('Enter');
    const noted = await s.waitFor(/belongs to another login attempt; still waiting/, 10_000);
    await new Promise((r) => setTimeout(r, 400));
    const after = await s.capture();
    expect(after.replace(/\n/g, '')).toContain(typed);
    expect(after.replace(/\n/g, '')).toContain('that URL belongs to another login attempt; still waiting');
    // Still exactly one spinner line, on a line of its own.
    expect([...after.matchAll(SPINNER_LINE)], after).toHaveLength(1);
    expect(noted).toMatch(SPINNER_LINE);
    await s.press('C-c');
    expect(await s.exitCode(10_000)).toBe(130);
    const end = await s.capture();
    expect(end).not.toMatch(FRAMES);
    expect(end).toMatch(/login interrupted \(SIGINT\); nothing was stored/);
  });

  it('stderr redirected to a file (2>file inside the terminal): no spinner frames and no ANSI codes', async () => {
    const dir = tempConfigDir('twauth-tty-');
    const file = join(dir, 'stderr.txt');
    const script = `exec ${shQuote(process.execPath)} ${shQuote(TWAUTH)} login --port 0 --no-browser 2>${shQuote(file)}`;
    const s = await tmux(['/bin/sh', '-c', script], terminalEnv());
    let text = '';
    for (let i = 0; i < 200 && !AUTHORIZE_URL.test(text); i++) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // not created yet
      }
    }
    const url = AUTHORIZE_URL.exec(text)?.[1];
    expect(url, `no authorize URL in ${file}:\n${text}`).toBeDefined();
    // Give a spinner (if there were one) time to draw several frames.
    await new Promise((r) => setTimeout(r, 1000));
    await approve(url!, 'sandbox_bob');
    expect(await s.exitCode(20_000)).toBe(0);
    const all = readFileSync(file, 'utf8');
    expect(all).toContain('Logged in as @sandbox_bob');
    expect(all).not.toMatch(FRAMES);
    expect(all).not.toContain('\x1b');
    expect(all).not.toContain('\r');
    expect(all).not.toMatch(/ left\b/);
    // Nothing of it leaks onto the terminal either (stdout stays empty without --json).
    expect(await s.capture()).not.toMatch(FRAMES);
  });

  it('NO_COLOR=1 on a terminal: no spinner', async () => {
    const s = await tmux(
      [process.execPath, TWAUTH, 'login', '--port', '0', '--no-browser'],
      terminalEnv({ NO_COLOR: '1' }),
    );
    const screen = await s.waitFor(AUTHORIZE_URL, 20_000);
    const url = AUTHORIZE_URL.exec(screen)![1]!;
    await new Promise((r) => setTimeout(r, 1200));
    const waiting = await s.capture();
    expect(waiting).not.toMatch(FRAMES);
    expect(waiting).not.toMatch(/ left$/m);
    // Still says it is waiting, in words (the paste hint on a terminal).
    expect(waiting).toMatch(/Waiting for the browser/);
    await approve(url, 'sandbox_carol');
    await s.waitFor(/Logged in as @sandbox_carol/, 20_000);
    expect(await s.exitCode(20_000)).toBe(0);
    expect(await s.capture()).not.toMatch(FRAMES);
  });
});
