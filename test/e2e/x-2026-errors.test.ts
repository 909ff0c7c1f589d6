// Issue 12: X's 2026 answers through the built bin/twauth against the sandbox (its account
// switches): each explained in one or two lines with what to do, with the documented exit code
// (402 and 403 → 6, 429 → 5), nothing posted, and --wait not sleeping on a usage cap.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runTwauth, spawnTwauth, tempConfigDir } from '../helpers/cli.js';
import { startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;
let alice: ReturnType<Sandbox['issue']>;

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'none' });
  alice = sb.issue('sandbox_alice');
});
afterAll(() => sb.stop());
afterEach(() =>
  sb.emu.setAccount({ creditsDepleted: false, usageCapped: false, notEnrolled: false, replyRestricted: false }),
);

const as = (env = alice.env) => ({ env });
const posts = (text: string) => sb.emu.tweets().filter((t) => t.text === text).length;
const twauthLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('twauth: '));

describe("X's 2026 answers", () => {
  it('402 CreditsDepleted: exit 6, buy credits, nothing posted', async () => {
    sb.emu.setAccount({ creditsDepleted: true });
    const r = await sb.tw(['tweet', 'paid post'], as());
    expect(r.code).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("the app's pay-per-use credits are used up (402 CreditsDepleted)");
    expect(r.stderr).toContain('Buy credits for this app in the X developer console');
    expect(twauthLines(r.stderr)).toHaveLength(1);
    expect(posts('paid post')).toBe(0);
  });

  it('429 UsageCapExceeded: exit 5, says the period; --wait does not sleep (one request, no wait line)', async () => {
    sb.emu.setAccount({ usageCapped: true });
    const before = sb.emu.requests().length;
    const started = Date.now();
    const r = await sb.tw(['--wait', 'whoami'], as());
    const elapsed = Date.now() - started;
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('the app reached its monthly usage cap (429 UsageCapExceeded, scope Product)');
    expect(r.stderr).toContain('--wait does not help: it lifts when the monthly period ends');
    expect(r.stderr).not.toContain('waiting until');
    const sent = sb.emu
      .requests()
      .slice(before)
      .filter((q) => q.path === '/2/users/me');
    expect(sent).toHaveLength(1);
    expect(elapsed).toBeLessThan(15_000);
  });

  it('an ordinary 429 still makes --wait wait (the cap rule does not swallow it)', async () => {
    sb.emu.setFaults({ paths: ['/2/users/me'], rateLimit: { next: 1, resetInSeconds: 1 } });
    const r = await sb.tw(['--wait', 'whoami'], as());
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('waiting until');
  });

  it('403 client-not-enrolled: exit 6, attach the app to a project', async () => {
    sb.emu.setAccount({ notEnrolled: true });
    const r = await sb.tw(['whoami'], as());
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('the app is not enrolled for the X API v2 (403 client-forbidden, client-not-enrolled)');
    expect(r.stderr).toContain('Attach the app to a project (package) in the X developer console');
  });

  it('403 oauth1-permissions (read-only token): exit 6, Read and write then log in again, nothing posted', async () => {
    const reader = sb.issue('sandbox_alice', 'read');
    const r = await sb.tw(['tweet', 'cannot write 2026'], as(reader.env));
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('the app may only read (403 oauth1-permissions)');
    expect(r.stderr).toContain('twauth login again');
    expect(posts('cannot write 2026')).toBe(0);
  });

  it("the reply rule: exit 6, post without --reply-to; replies to one's own posts still pass", async () => {
    const bob = sb.issue('sandbox_bob');
    const bobs = (await sb.tw(['tweet', 'bob wonders'], as(bob.env))).stdout.split(' ')[0]!;
    const own = (await sb.tw(['tweet', 'alice starts'], as())).stdout.split(' ')[0]!;
    sb.emu.setAccount({ replyRestricted: true });
    const r = await sb.tw(['tweet', '--reply-to', bobs, 'unasked answer'], as());
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(
      "X refused the reply: an API app may reply only when the post's author mentioned or quoted this account",
    );
    expect(posts('unasked answer')).toBe(0);
    const ok = await sb.tw(['tweet', '--reply-to', own, 'alice continues'], as());
    expect(ok.code).toBe(0);
  });
});

describe('twauth sandbox flags', () => {
  it('--credits-depleted and --usage-capped start the sandbox answering 402 / 429 UsageCapExceeded', async () => {
    for (const [flags, code, text] of [
      [['--credits-depleted'], 6, '(402 CreditsDepleted)'],
      [['--usage-capped', 'Daily'], 5, 'its daily usage cap (429 UsageCapExceeded, scope Product)'],
      [['--not-enrolled'], 6, 'client-not-enrolled'],
    ] as const) {
      const sandbox = spawnTwauth(['sandbox', '--port', '0', ...flags]);
      try {
        await sandbox.waitForStderr(/is listening on/);
        const env = Object.fromEntries(
          [...sandbox.stdout().matchAll(/^export (\w+)='?([^'\n]*)'?$/gm)].map((m) => [m[1]!, m[2]!]),
        );
        const base = { ...env, TWAUTH_CONFIG_DIR: tempConfigDir('twauth-sbflags-'), TWAUTH_STORE: 'file' };
        // A token straight from the sandbox's control endpoint, as a script would get one.
        const res = await fetch(`${env.TWAUTH_API_BASE}/_emulator/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: '1000000001', consumerKey: env.TWAUTH_CONSUMER_KEY }),
        });
        const t = (await res.json()) as { token: string; secret: string };
        const r = await runTwauth(['whoami'], {
          env: { ...base, TWAUTH_ACCESS_TOKEN: t.token, TWAUTH_ACCESS_TOKEN_SECRET: t.secret },
        });
        expect(r.code, flags.join(' ')).toBe(code);
        expect(r.stderr).toContain(text);
      } finally {
        sandbox.kill('SIGTERM');
        await sandbox.exit;
      }
    }
  });
});
