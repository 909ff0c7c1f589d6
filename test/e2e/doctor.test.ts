// `twauth doctor` (README "Commands", "Troubleshooting"): every check against a healthy sandbox with
// a real Secret Service and a logged-in account, then one broken thing at a time — a skewed clock,
// a busy callback port, no keychain, a read-only token.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './support.js';

const DEFAULT_CALLBACK_PORT = 8736;

interface Check {
  check: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}
interface Report {
  api_base: string;
  checks: Check[];
}

async function doctor(
  sb: Sandbox,
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await sb.tw(['doctor', '--json'], { env });
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`doctor --json printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  // The documented shape: {api_base, checks: [{check, status, detail}]}, nothing else.
  expect(Object.keys(report).sort()).toEqual(['api_base', 'checks']);
  for (const c of report.checks) {
    expect(Object.keys(c).sort()).toEqual(['check', 'detail', 'status']);
    expect(['ok', 'warn', 'fail']).toContain(c.status);
    expect(typeof c.detail).toBe('string');
  }
  return { code: r.code, report, stderr: r.stderr };
}

const find = (report: Report, name: string): Check => {
  const c = report.checks.find((x) => x.check === name);
  if (!c) throw new Error(`no "${name}" check in ${JSON.stringify(report)}`);
  return c;
};

/** Whether something (another test, another program) listens on 127.0.0.1:port right now. */
function portBusy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(true));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(false)));
  });
}

/**
 * Runs doctor until the callback-port check is not disturbed by someone else holding 8736 for a
 * moment (other test files log in on the default port); a real failure still shows.
 */
async function doctorWithFreePort(sb: Sandbox, env: Record<string, string | undefined> = {}) {
  for (let attempt = 0; ; attempt++) {
    const result = await doctor(sb, env);
    const port = find(result.report, 'callback-port');
    if (port.status === 'ok' || attempt >= 5 || !(await portBusy(DEFAULT_CALLBACK_PORT))) return result;
    console.warn(
      `doctor.test: 127.0.0.1:${DEFAULT_CALLBACK_PORT} is busy on this machine (attempt ${attempt + 1}); retrying`,
    );
    await new Promise((r) => setTimeout(r, 2000));
  }
}

describe('doctor with a real keychain and a logged-in account', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ keychain: 'real' });
    await sb.login('sandbox_alice');
  });
  afterAll(() => sb?.stop());

  it('healthy: every check is ok, exit 0, the documented --json shape', async () => {
    const { code, report } = await doctorWithFreePort(sb);
    expect(report.api_base).toBe(sb.emu.url);
    expect(report.checks.map((c) => c.check)).toEqual([
      'node',
      'files',
      'store',
      'callback-port',
      'clock',
      'token',
      'access',
    ]);
    for (const c of report.checks) expect(c, JSON.stringify(c)).toMatchObject({ status: 'ok' });
    expect(code).toBe(0);
    expect(find(report, 'node').detail).toContain(process.versions.node);
    expect(find(report, 'store').detail).toMatch(/keychain/i);
    expect(find(report, 'callback-port').detail).toContain(`127.0.0.1:${DEFAULT_CALLBACK_PORT}`);
    expect(find(report, 'clock').detail).toMatch(/agrees with X/);
    expect(find(report, 'token').detail).toContain('@sandbox_alice');
    // The emulator sends X's x-access-level header; a login with the sandbox app is read-write.
    expect(find(report, 'access').detail).toBe('access level: read-write');
  });

  it('healthy, as text: one line per check, status first', async () => {
    let r = await sb.tw(['doctor']);
    for (let i = 0; i < 5 && r.code !== 0 && (await portBusy(DEFAULT_CALLBACK_PORT)); i++) {
      await new Promise((res) => setTimeout(res, 2000));
      r = await sb.tw(['doctor']);
    }
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'ok node',
      'ok files',
      'ok store',
      'ok callback-port',
      'ok clock',
      'ok token',
      'ok access',
    ]);
    expect(r.stderr).toBe('');
  });

  it('a clock 900 s behind X: the clock check fails and says so; exit non-zero', async () => {
    sb.emu.setClockOffset(900);
    try {
      const { code, report } = await doctor(sb);
      const clock = find(report, 'clock');
      expect(clock.status).toBe('fail');
      const m = /this clock is (\d+) s behind X's/.exec(clock.detail);
      expect(m, clock.detail).not.toBeNull();
      expect(Math.abs(Number(m![1]) - 900)).toBeLessThanOrEqual(2);
      expect(clock.detail).toMatch(/±300 s/);
      expect(clock.detail).toMatch(/timedatectl set-ntp true/);
      // twauth still gets through (it corrects the skew once from X's Date header).
      expect(find(report, 'token').status).toBe('ok');
      expect(code).toBe(1);
    } finally {
      sb.emu.setClockOffset(0);
    }
  });

  it('a clock 900 s ahead of X: fails the other way round', async () => {
    sb.emu.setClockOffset(-900);
    try {
      const { code, report } = await doctor(sb);
      const clock = find(report, 'clock');
      expect(clock.status).toBe('fail');
      expect(clock.detail).toMatch(/this clock is (89[89]|90[012]) s ahead of X's/);
      expect(code).toBe(1); // a failed check: exit 1 (README "Commands")
    } finally {
      sb.emu.setClockOffset(0);
    }
  });

  it('the callback port busy: the check fails naming the port and the PIN fallback', async () => {
    const server: Server = createServer((s) => s.destroy());
    const held = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen({ port: DEFAULT_CALLBACK_PORT, host: '127.0.0.1', exclusive: true }, () => resolve(true));
    });
    if (!held)
      console.warn(
        `doctor.test: 127.0.0.1:${DEFAULT_CALLBACK_PORT} was already busy on this machine (not held by this test)`,
      );
    try {
      const { code, report } = await doctor(sb);
      const port = find(report, 'callback-port');
      expect(port.status).toBe('fail');
      expect(port.detail).toContain(`127.0.0.1:${DEFAULT_CALLBACK_PORT} is busy`);
      expect(port.detail).toMatch(/PIN flow/);
      expect(port.detail).toMatch(/--port/);
      expect(code).toBe(1); // a failed check: exit 1 (README "Commands")
      // Nothing else is blamed for it.
      for (const c of report.checks.filter((x) => x.check !== 'callback-port'))
        expect(c.status, JSON.stringify(c)).toBe('ok');
    } finally {
      if (held) await new Promise((r) => server.close(r));
    }
  });

  it('a read-only token: the access check warns and says what to do', async () => {
    const bob = sb.issue('sandbox_bob', 'read');
    const { code, report } = await doctorWithFreePort(sb, bob.env);
    // A warning is not a failure (README: exit 1 only if a check fails).
    expect(code, JSON.stringify(report)).toBe(0);
    expect(find(report, 'token')).toMatchObject({ status: 'ok' });
    expect(find(report, 'token').detail).toContain('@sandbox_bob');
    const access = find(report, 'access');
    expect(access.status).toBe('warn');
    expect(access.detail).toMatch(/^access level: read \(/);
    expect(access.detail).toMatch(/needs read-write/);
    expect(access.detail).toMatch(/log in again/);
  });

  it('a rejected token: the token check fails with the advice to log in', async () => {
    const carol = sb.issue('sandbox_carol');
    sb.emu.revokeAccessToken(carol.token);
    const { code, report } = await doctor(sb, carol.env);
    expect(find(report, 'token')).toMatchObject({ status: 'fail' });
    expect(find(report, 'token').detail).toMatch(/401.*twauth login/);
    expect(report.checks.some((c) => c.check === 'access')).toBe(false);
    expect(code).toBe(1); // a failed check: exit 1 (README "Commands")
  });
});

describe('doctor without a keychain', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ keychain: 'none' });
    await sb.login('sandbox_alice'); // falls back to the file store
  });
  afterAll(() => sb?.stop());

  it('no keychain answers, logins fall back to the file: a warning (issue 16), and doctor exits 0', async () => {
    const { code, report } = await doctor(sb);
    const store = find(report, 'store');
    expect(store.status).toBe('warn');
    expect(store.detail).toMatch(/no keychain (service )?answers/);
    expect(store.detail).toMatch(/fall back to .*file/);
    expect(store.detail).toContain(`${sb.configDir}/credentials.json`);
    // The account from the file store still works.
    expect(find(report, 'token')).toMatchObject({ status: 'ok' });
    expect(code).toBe(0);
  });

  it('TWAUTH_STORE=keychain forbids the fallback: then it is a failure', async () => {
    const { code, report } = await doctor(sb, { TWAUTH_STORE: 'keychain' });
    expect(find(report, 'store')).toMatchObject({ status: 'fail' });
    expect(find(report, 'store').detail).toMatch(/TWAUTH_STORE=keychain allows no file fallback/);
    expect(code).toBe(1); // a failed check: exit 1 (README "Commands")
  });

  it('TWAUTH_STORE=file: the file store is what was asked for, so the check is ok', async () => {
    const { report } = await doctor(sb, { TWAUTH_STORE: 'file' });
    expect(find(report, 'store')).toMatchObject({ status: 'ok' });
    expect(find(report, 'store').detail).toContain('credentials.json');
  });
});
