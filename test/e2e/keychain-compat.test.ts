// Issue 15: keytar 7.9 → @github/keytar 7.10.6. Accounts people stored with keytar 7.9 must keep
// working: on Linux both write one Secret Service item per account through libsecret with the
// schema "org.freedesktop.Secret.Generic" (attributes service, account; libsecret adds
// xdg:schema), label "service/account", content type text/plain. Here an item written exactly
// that way (by secret-service-tool.py, not by any keytar) is read by @github/keytar and by twauth,
// and what @github/keytar and twauth write has exactly that layout.
import { describe, expect, afterAll, beforeAll, it } from 'vitest';
import { join } from 'node:path';
import { tempConfigDir, type EnvPatch } from '../helpers/cli.js';
import { keytarInChild } from '../helpers/keytar-child.js';
import { startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ keychain: 'real' });
});
afterAll(() => sb.stop());

const KEYTAR_79_SCHEMA = 'org.freedesktop.Secret.Generic';

function freshEnv(): EnvPatch {
  return { TWAUTH_CONFIG_DIR: join(tempConfigDir('twauth-e2e-compat-'), 'config') };
}

describe('keychain items: keytar 7.9 and @github/keytar', () => {
  it('an item stored the keytar 7.9 way is read by @github/keytar, byte for byte', async () => {
    const ss = sb.secretService!;
    const secret = 'tok-ä/€-𝕏 "quoted" \\ back';
    await ss.storeLikeKeytar79('twauth-compat', 'old-account', secret);
    const got = await keytarInChild(ss.env, {
      method: 'getPassword',
      service: 'twauth-compat',
      account: 'old-account',
    });
    expect(got).toMatchObject({ outcome: 'resolved', value: secret });
  });

  it('@github/keytar writes the keytar 7.9 layout: same attributes, label and content type', async () => {
    const ss = sb.secretService!;
    const set = await keytarInChild(ss.env, {
      method: 'setPassword',
      service: 'twauth-compat-new',
      account: 'acct',
      password: 's3cret',
    });
    expect(set.outcome).toBe('resolved');
    expect(await ss.raw('twauth-compat-new')).toEqual([
      {
        label: 'twauth-compat-new/acct',
        attributes: { service: 'twauth-compat-new', account: 'acct', 'xdg:schema': KEYTAR_79_SCHEMA },
        content_type: 'text/plain',
        secret: 's3cret',
      },
    ]);
  });

  it('a twauth account whose secret keytar 7.9 stored keeps working: whoami, token; logout removes it', async () => {
    const ss = sb.secretService!;
    const bob = sb.issue('sandbox_bob');
    const env = freshEnv();
    const input = JSON.stringify({
      consumer_key: 'sandbox-consumer-key',
      consumer_secret: 'sandbox-consumer-secret',
      access_token: bob.token,
      access_token_secret: bob.secret,
      api_base: sb.emu.url,
    });
    const login = await sb.tw(['login', '--with-token'], { env, input });
    expect(login.code, login.stderr).toBe(0);
    // What this twauth (with @github/keytar) stored: the keytar 7.9 layout.
    const [item, ...others] = (await ss.raw('twauth')).filter((i) => i.attributes.account?.startsWith('1000000002:'));
    expect(others).toEqual([]);
    const account = item!.attributes.account!;
    expect(item).toEqual({
      label: `twauth/${account}`,
      attributes: { service: 'twauth', account, 'xdg:schema': KEYTAR_79_SCHEMA },
      content_type: 'text/plain',
      secret: item!.secret,
    });

    // Replace it with the same secret written the keytar 7.9 way (a new item: new object path).
    const del = await keytarInChild(ss.env, { method: 'deletePassword', service: 'twauth', account });
    expect(del).toMatchObject({ outcome: 'resolved', value: true });
    expect((await ss.raw('twauth')).filter((i) => i.attributes.account === account)).toEqual([]);
    await ss.storeLikeKeytar79('twauth', account, item!.secret);

    const who = await sb.tw(['whoami', '--json'], { env });
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ username: 'sandbox_bob', credential_source: 'keychain' });
    const token = await sb.tw(['token', '--json'], { env });
    expect(token.code, token.stderr).toBe(0);
    expect(JSON.parse(token.stdout)).toMatchObject({ access_token: bob.token, access_token_secret: bob.secret });
    // Deleting goes through @github/keytar (a child process): it finds the old item.
    const logout = await sb.tw(['logout', '--local-only'], { env });
    expect(logout.code, logout.stderr).toBe(0);
    expect((await ss.raw('twauth')).filter((i) => i.attributes.account === account)).toEqual([]);
  });
});
