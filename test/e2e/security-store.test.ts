// Issue 13, second round of attacks on the stored state: a hostile Secret Service (item 2), a
// stale lock under parallel logins (5), a config folder or file another user controls and
// symlinks planted beside it (6), children's environments (8), crash leftovers (9), loose
// permissions (12). Each test runs the built bin/twauth.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileBus, type HostileBus, type HostileMode } from '../helpers/hostile-bus.js';
import { startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
});
afterAll(async () => {
  await sb?.stop();
});

/** Stores sandbox_alice in the file store through `login --with-token`. */
async function loginWithToken(username: string, env: Record<string, string | undefined> = {}): Promise<{ code: number; stderr: string }> {
  const t = await sb.tw(['token', '--env'], { env: sb.issue(username).env });
  expect(t.code, t.stderr).toBe(0);
  return sb.tw(['login', '--with-token'], { env, input: t.stdout });
}

describe('a hostile Secret Service (issue 13 item 2)', () => {
  const buses: HostileBus[] = [];
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.stop()));
  });

  for (const mode of ['truncated', 'wrong-type', 'silent'] as HostileMode[]) {
    it(`${mode} replies: tweet, token, whoami and status exit non-zero and say what the keychain did`, async () => {
      const r0 = await loginWithToken('sandbox_alice');
      expect(r0.code, r0.stderr).toBe(0);
      // The account now claims to live in the keychain, which the hostile bus answers for.
      const file = join(sb.configDir, 'config.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as { accounts: { store: string }[] };
      for (const a of config.accounts) a.store = 'keychain';
      writeFileSync(file, JSON.stringify(config));
      const bus = await startHostileBus(mode);
      buses.push(bus);
      const env = { ...bus.env, TWAUTH_STORE: undefined, TWAUTH_KEYCHAIN_TIMEOUT: '1' };
      const before = sb.emu.tweets().length;
      for (const args of [['tweet', 'must not be sent'], ['token'], ['whoami'], ['status']]) {
        const started = Date.now();
        const r = await sb.tw(args, { env });
        const label = `${mode}: twauth ${args.join(' ')}\n${r.stderr}`;
        expect(r.code, label).toBe(4);
        if (args[0] === 'status') expect(r.stdout, label).toContain('locked');
        else expect(r.stdout, label).toBe('');
        expect(r.stderr + r.stdout, label).toMatch(mode === 'silent' ? /did not answer within 1 s/ : /malformed reply|answered with type "s" where/);
        expect(Date.now() - started, label).toBeLessThan(6000);
      }
      expect(bus.calls()).toBeGreaterThanOrEqual(4);
      expect(sb.emu.tweets().length).toBe(before);
    });
  }
});
