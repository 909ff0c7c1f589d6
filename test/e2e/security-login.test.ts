// Issue 13 item 4: a token X issued must never stay live, neither stored nor revoked. These tests
// run the built bin/twauth with a real gnome-keyring (test/helpers/secret-service.ts) and the
// sandbox emulator, and break the login at each step: a keychain write that times out but lands.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twauthEnv } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { startSandbox, TWAUTH, type Sandbox } from './support.js';

let kc: Sandbox;
beforeAll(async () => {
  kc = await startSandbox({ keychain: 'real' });
});
afterAll(async () => {
  await kc?.stop();
});

interface Meta {
  accounts: { key: string; screenName: string; store: string; maybeInKeychain?: boolean }[];
}
const meta = (): Meta => JSON.parse(readFileSync(join(kc.configDir, 'config.json'), 'utf8')) as Meta;
const fileSecrets = (): Record<string, string> => {
  const f = join(kc.configDir, 'credentials.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Record<string, string>) : {};
};

describe('a keychain write that times out but lands (issue 13 item 4b)', () => {
  it('is read back: the account is stored in the keychain only, and logout leaves no copy anywhere', async () => {
    const t = kc.issue('sandbox_alice');
    const app = kc.emu.apps[0]!;
    const input = JSON.stringify({ consumer_key: app.consumerKey, consumer_secret: app.consumerSecret, access_token: t.token, access_token_secret: t.secret });
    // The keytar helper stores the item, then its exit is held back 4 s (strace delays its
    // exit_group), past twauth's 1.5 s keychain deadline: a write that "did not answer" yet landed.
    const r = await run('strace', ['-f', '-qq', '--seccomp-bpf', '-o', '/dev/null', '-e', 'trace=exit_group', '-e', 'inject=exit_group:delay_enter=4000000', process.execPath, TWAUTH, 'login', '--with-token'], {
      env: twauthEnv({ ...kc.env, TWAUTH_KEYCHAIN_TIMEOUT: '1.5' }),
      input,
      timeoutMs: 30_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Logged in as @sandbox_alice');
    expect(r.stderr).not.toContain('credentials saved to');
    const items = await kc.secretService!.items('twauth');
    expect(items.map((i) => i.account)).toEqual([meta().accounts[0]!.key]);
    expect(meta().accounts).toMatchObject([{ screenName: 'sandbox_alice', store: 'keychain' }]);
    expect(fileSecrets()).toEqual({});
    const out = await kc.tw(['logout', '--account', 'sandbox_alice']);
    expect(out.code, out.stderr).toBe(0);
    expect(await kc.secretService!.items('twauth')).toEqual([]);
    expect(fileSecrets()).toEqual({});
  });
});
