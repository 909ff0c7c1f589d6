import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Accounts,
  ConfigError,
  fileStore,
  memoryStore,
  MissingSecretsError,
  StoreError,
  UnknownAccountError,
  type SecretStore,
} from '../../src/store/index.js';

const secrets = { consumerSecret: 'cs', accessToken: 'at', accessTokenSecret: 'ats' };

function make(keychain: SecretStore = memoryStore(), prefer: 'auto' | 'keychain' | 'file' = 'auto') {
  const dir = mkdtempSync(join(tmpdir(), 'twauth-accounts-'));
  const warnings: string[] = [];
  const accounts = new Accounts({ dir, keychain, file: fileStore(dir), prefer, warn: (l) => void warnings.push(l) });
  return { dir, accounts, warnings };
}

const alice = { userId: '1', screenName: 'alice', consumerKey: 'ck', apiBase: 'https://api.x.com/' };
const bob = { userId: '2', screenName: 'Bob', consumerKey: 'ck', apiBase: 'https://api.x.com' };

describe('Accounts', () => {
  it('keeps secrets out of the metadata, and the newest login is the default', async () => {
    const keychain = memoryStore();
    const { dir, accounts } = make(keychain);
    expect((await accounts.save(alice, secrets)).isNew).toBe(true);
    expect((await accounts.save(bob, { ...secrets, accessToken: 'bt' })).isNew).toBe(true);
    const text = readFileSync(join(dir, 'config.json'), 'utf8');
    expect(text).not.toMatch(/"cs"|"at"|"ats"|"bt"/);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(accounts.find()?.screenName).toBe('Bob');
    expect(accounts.find('@ALICE')?.userId).toBe('1');
    expect(accounts.find('2')?.screenName).toBe('Bob');
    expect(keychain.entries.size).toBe(2);
    expect(() => accounts.find('carol')).toThrow(UnknownAccountError);
  });

  it('re-login replaces tokens without adding an account', async () => {
    const { accounts } = make();
    await accounts.save(alice, secrets);
    const again = await accounts.save(alice, { ...secrets, accessToken: 'new' });
    expect(again.isNew).toBe(false);
    expect(accounts.list()).toHaveLength(1);
    expect((await accounts.secrets(accounts.find()!)).accessToken).toBe('new');
  });

  it('falls back to the 0600 file when the keychain fails, with a warning naming it', async () => {
    const broken: SecretStore = {
      kind: 'keychain',
      get: async () => null,
      set: async () => Promise.reject(new StoreError('no keychain service answers', 'keychain', 'unavailable')),
      delete: async () => false,
    };
    const { dir, accounts, warnings } = make(broken);
    const { account } = await accounts.save(alice, secrets);
    expect(account.store).toBe('file');
    expect(warnings[0]).toContain(join(dir, 'credentials.json'));
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect((await accounts.secrets(account)).accessTokenSecret).toBe('ats');
  });

  it('TWAUTH_STORE=keychain does not fall back', async () => {
    const broken: SecretStore = {
      kind: 'keychain',
      get: async () => null,
      set: () => Promise.reject(new StoreError('locked', 'keychain', 'locked')),
      delete: async () => false,
    };
    const { accounts, dir } = make(broken, 'keychain');
    await expect(accounts.save(alice, secrets)).rejects.toBeInstanceOf(StoreError);
    // Nothing half-stored: the metadata was never written.
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });

  it('a locked keychain (null for a known account) is reported, not "not logged in"', async () => {
    const keychain = memoryStore();
    const { accounts } = make(keychain);
    const { account } = await accounts.save(alice, secrets);
    keychain.entries.clear();
    await expect(accounts.secrets(account)).rejects.toBeInstanceOf(MissingSecretsError);
  });

  it('remove forgets metadata and secret, and picks another default', async () => {
    const keychain = memoryStore();
    const { accounts } = make(keychain);
    await accounts.save(alice, secrets);
    const { account } = await accounts.save(bob, secrets);
    await accounts.remove(account);
    expect(accounts.list().map((a) => a.screenName)).toEqual(['alice']);
    expect(accounts.find()?.screenName).toBe('alice');
    expect(keychain.entries.size).toBe(1);
  });

  it('a corrupt config is named and never overwritten; a backup is kept before rewrites', async () => {
    const { dir, accounts } = make();
    await accounts.save(alice, secrets);
    await accounts.save(bob, secrets);
    expect(JSON.parse(readFileSync(join(dir, 'config.json.bak'), 'utf8')).accounts).toHaveLength(1);
    writeFileSync(join(dir, 'config.json'), '{"version":1,"accounts":[{"key"');
    expect(() => accounts.list()).toThrow(ConfigError);
    expect(() => accounts.list()).toThrow(join(dir, 'config.json'));
    await expect(accounts.save(alice, secrets)).rejects.toBeInstanceOf(ConfigError);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"version":1,"accounts":[{"key"');
  });
});
