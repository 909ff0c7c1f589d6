// Issue 13 item 7: another local process against a real `twauth login` waiting for X's redirect.
// It reads the request token where any local user can (the browser's command line, /proc), then
// (a) forges X's cancel and a verifier, (b) holds every connection slot it can. The genuine
// redirect must still end the login, and nothing forged may end it.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TwauthProcess, TwauthResult } from '../helpers/cli.js';
import { processesMentioning } from '../helpers/proc-scan.js';
import { startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;
const started: number[] = [];

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
});
afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await sb?.stop();
});

async function finished(p: TwauthProcess): Promise<TwauthResult> {
  const e = await p.exit;
  return { code: e.code ?? -1, signal: e.signal, stdout: p.stdout(), stderr: p.stderr() };
}

function accounts(): unknown[] {
  try {
    return (JSON.parse(readFileSync(join(sb.configDir, 'config.json'), 'utf8')) as { accounts: unknown[] }).accounts;
  } catch {
    return [];
  }
}

/** What a hostile local user sees: the authorize URL on the "browser"'s command line. */
async function stealFromPs(): Promise<{ url: string; token: string; port: number; pid: number }> {
  const prefix = `${sb.emu.url}/oauth/authorize?oauth_token=`;
  for (let i = 0; i < 100; i++) {
    const [p] = await processesMentioning(prefix);
    const m = p && new RegExp(`(${prefix.replace(/[.?]/g, '\\$&')}([A-Za-z0-9_-]+))`).exec(p.cmdline);
    if (p && m) return { url: m[1]!, token: m[2]!, port: 0, pid: p.pid };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no process shows the authorize URL');
}

/** One raw request as a browser would send it (a top-level navigation, its usual headers). */
function forge(port: number, target: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    let data = '';
    s.on('data', (d: Buffer) => (data += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () =>
      resolve(/^HTTP\/1\.1 (\d{3})/.exec(data) ? Number(/^HTTP\/1\.1 (\d{3})/.exec(data)![1]) : undefined),
    );
    s.end(
      [
        `GET ${target} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'Sec-Fetch-Site: cross-site',
        'Sec-Fetch-Mode: navigate',
        'Sec-Fetch-User: ?1',
        'Sec-Fetch-Dest: document',
        'Upgrade-Insecure-Requests: 1',
        `Referer: ${sb.emu.url}/`,
        '',
        '',
      ].join('\r\n'),
    );
  });
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('a hostile local process against the loopback callback', () => {
  it('cannot end the login with a forged denied= or verifier, even with the request token from ps and browser headers', async () => {
    const port = await freePort();
    // The "browser" keeps the authorize URL on its command line for 30 s, as a real one does.
    const login = sb.spawn(['login', '--port', String(port), '--timeout', '60'], { env: { BROWSER: 'sleep 30; :' } });
    const stolen = await stealFromPs();
    started.push(stolen.pid);
    const forged = [
      `/callback?denied=${stolen.token}`,
      `/callback?oauth_token=${stolen.token}&oauth_verifier=forged123`,
      `/callback?denied=${stolen.token}&twauth_state=`,
      `/callback?denied=${stolen.token}&twauth_state=AAAAAAAAAAAAAAAAAAAAAAAA`,
    ];
    const statuses = [];
    for (const target of forged) statuses.push(await forge(port, target));
    expect(statuses).toEqual([403, 403, 403, 403]);
    await new Promise((r) => setTimeout(r, 300));
    expect(login.child.exitCode, login.stderr()).toBeNull();
    expect(login.stderr()).not.toMatch(/cancelled|^twauth:/m);

    // The person's real approval still logs in.
    const approve = await sb.tw(['sandbox', 'approve', stolen.url]);
    expect(approve.code, approve.stderr).toBe(0);
    const result = await finished(login);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)$/m);
    await sb.tw(['logout', '--all', '--local-only']);
  }, 60_000);

  it('and a cancel that X really sends still ends it (exit 3)', async () => {
    const r = await sb.tw(['login', '--port', '0'], {
      env: { BROWSER: `${process.execPath} ${join(process.cwd(), 'bin', 'twauth')} sandbox approve --cancel` },
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/authorization was cancelled in the browser/);
    expect(accounts()).toEqual([]);
  }, 30_000);

  it('cannot keep the genuine redirect out by holding every connection slot', async () => {
    const port = await freePort();
    const login = sb.spawn(['login', '--port', String(port), '--no-browser', '--timeout', '40']);
    await login.waitForStderr(/oauth\/authorize\?oauth_token=/, 15_000);
    const url = new RegExp(
      `^(${sb.emu.url.replace(/[.]/g, '\\.')}/oauth/authorize\\?oauth_token=[A-Za-z0-9_-]+)$`,
      'm',
    ).exec(login.stderr())![1]!;

    // The attacker: 200 connections that send nothing, each reopened at once when closed.
    const held = new Set<Socket>();
    let opened = 0;
    let stop = false;
    const open = () => {
      if (stop) return;
      const s = connect({ port, host: '127.0.0.1' });
      opened++;
      held.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        held.delete(s);
        setImmediate(open);
      });
    };
    for (let i = 0; i < 200; i++) open();
    await new Promise((r) => setTimeout(r, 3_000)); // past the idle deadline: the attacker keeps up

    const approvedAt = Date.now();
    const approve = await sb.tw(['sandbox', 'approve', url]);
    const result = await finished(login);
    const ms = Date.now() - approvedAt;
    stop = true;
    for (const s of held) s.destroy();
    console.log(`slot attack: ${opened} hostile connections opened; the login ended ${ms} ms after the approval`);
    expect(approve.code, approve.stderr).toBe(0);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^Logged in as @sandbox_alice/m);
    expect(ms).toBeLessThan(10_000);
    await sb.tw(['logout', '--all', '--local-only']);
  }, 90_000);
});
