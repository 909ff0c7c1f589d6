import { accountKey, normalizeApiBase, parseSecrets, type AccountMeta, type AccountSecrets } from './account.js';
import { ConfigError, readConfig, updateConfig, type Config } from './config-file.js';
import { StoreError, type SecretStore, type StoreKind } from './secret-store.js';
import { assertWritableDir } from './writable-dir.js';

export type StorePreference = 'auto' | 'keychain' | 'file';

export interface AccountsDeps {
  readonly dir: string;
  readonly keychain: SecretStore;
  readonly file: SecretStore & { readonly path: string };
  readonly prefer: StorePreference;
  /** One-line notices for stderr (the file fallback). */
  readonly warn: (line: string) => void;
}

/** `--account` / TWAUTH_ACCOUNT named no stored account. */
export class UnknownAccountError extends Error {
  override readonly name = 'UnknownAccountError';
  constructor(
    readonly selector: string,
    readonly known: readonly AccountMeta[],
  ) {
    super(`no stored account matches "${selector}"`);
  }
}

/** The metadata says an account exists, but its secrets cannot be read. */
export class MissingSecretsError extends Error {
  override readonly name = 'MissingSecretsError';
  constructor(
    readonly account: AccountMeta,
    readonly storeError?: StoreError,
  ) {
    super(
      storeError
        ? `cannot read @${account.screenName}'s credentials: ${storeError.message}`
        : `@${account.screenName}'s credentials are missing from the ${account.store} (keyring locked, or the entry was removed)`,
    );
  }
}

export interface SaveResult {
  readonly account: AccountMeta;
  readonly isNew: boolean;
}

/**
 * Accounts: metadata in config.json, secrets in the keychain (or the file fallback). The order of
 * writes keeps the two consistent: a secret is stored before the metadata names it, and the
 * metadata forgets an account before its secret is deleted, so no account is ever half-stored.
 */
export class Accounts {
  constructor(private readonly deps: AccountsDeps) {}

  config(): Config {
    return readConfig(this.deps.dir);
  }

  list(): readonly AccountMeta[] {
    return this.config().accounts;
  }

  /** By screen name (with or without @, any case), user id, or key; else the default account. */
  find(selector?: string): AccountMeta | undefined {
    const config = this.config();
    if (selector === undefined || selector === '') {
      return config.accounts.find((a) => a.key === config.defaultAccount) ?? (config.accounts.length === 1 ? config.accounts[0] : undefined);
    }
    const s = selector.replace(/^@/, '').toLowerCase();
    const matches = config.accounts.filter((a) => a.key === selector || a.userId === s || a.screenName.toLowerCase() === s);
    if (matches.length === 0) throw new UnknownAccountError(selector, config.accounts);
    // The same person through several apps: prefer the default, then the most recent.
    return matches.find((a) => a.key === config.defaultAccount) ?? matches[matches.length - 1];
  }

  storeFor(kind: StoreKind): SecretStore {
    return kind === 'file' ? this.deps.file : this.deps.keychain;
  }

  async secrets(account: AccountMeta): Promise<AccountSecrets> {
    let text: string | null;
    try {
      text = await this.storeFor(account.store).get(account.key);
    } catch (err) {
      // A corrupt credentials.json is named as such, not passed off as a locked keyring.
      if (err instanceof ConfigError) throw err;
      throw new MissingSecretsError(account, err instanceof StoreError ? err : undefined);
    }
    const secrets = text === null ? undefined : parseSecrets(text);
    if (!secrets) throw new MissingSecretsError(account);
    return secrets;
  }

  /** Stores (or replaces) an account and makes it the default. */
  async save(input: Omit<AccountMeta, 'key' | 'store' | 'addedAt'>, secrets: AccountSecrets): Promise<SaveResult> {
    const apiBase = normalizeApiBase(input.apiBase);
    const key = accountKey(input.userId, input.consumerKey, apiBase);
    const store = await this.putSecret(key, JSON.stringify(secrets));
    const account: AccountMeta = { ...input, apiBase, key, store, addedAt: new Date().toISOString() };
    const previous = await updateConfig(this.deps.dir, (config) => {
      const prior = config.accounts.find((a) => a.key === key);
      const accounts = prior ? config.accounts.map((a) => (a.key === key ? { ...account, addedAt: prior.addedAt } : a)) : [...config.accounts, account];
      return { config: { ...config, accounts, defaultAccount: key }, result: prior };
    });
    // A re-login that moved the secret to the other store leaves no stale copy behind.
    if (previous && previous.store !== store) await this.storeFor(previous.store).delete(key).catch(() => false);
    return { account, isNew: !previous };
  }

  /**
   * Throws ConfigNotWritableError unless remove() can write the metadata (and the file store):
   * logout checks it before revoking, so a token is never revoked for an account that then
   * cannot be forgotten.
   */
  assertWritable(): void {
    assertWritableDir(this.deps.dir);
  }

  async setDefault(account: AccountMeta): Promise<void> {
    await updateConfig(this.deps.dir, (config) => ({ config: { ...config, defaultAccount: account.key }, result: undefined }));
  }

  /** Forgets an account: metadata first, then the secret. */
  async remove(account: AccountMeta): Promise<void> {
    await updateConfig(this.deps.dir, (config) => {
      const accounts = config.accounts.filter((a) => a.key !== account.key);
      if (accounts.length === config.accounts.length) return { config, result: undefined };
      const defaultAccount = config.defaultAccount === account.key ? accounts[accounts.length - 1]?.key : config.defaultAccount;
      return { config: { ...config, accounts, defaultAccount }, result: undefined };
    });
    // Nothing names the secret any more, so a failed delete would leave it behind for good: say so.
    await this.storeFor(account.store).delete(account.key).catch((err: unknown) => {
      const why = err instanceof StoreError || err instanceof ConfigError ? err.message : 'unexpected error';
      this.deps.warn(`warning: @${account.screenName}'s credentials could not be deleted from the ${account.store} (${why}); delete its entry "${account.key}"${account.store === 'keychain' ? ' (service "twauth")' : ''} yourself`);
      return false;
    });
  }

  async rememberClockOffset(apiBase: string, offsetMs: number): Promise<void> {
    const base = normalizeApiBase(apiBase);
    await updateConfig(this.deps.dir, (config) => ({ config: { ...config, clockOffsets: { ...config.clockOffsets, [base]: offsetMs } }, result: undefined }));
  }

  clockOffset(apiBase: string): number {
    return this.config().clockOffsets[normalizeApiBase(apiBase)] ?? 0;
  }

  /** Keychain first; when it cannot store (absent, locked, hung) the file, with a warning. */
  private async putSecret(key: string, secret: string): Promise<StoreKind> {
    if (this.deps.prefer === 'file') {
      await this.deps.file.set(key, secret);
      return 'file';
    }
    try {
      await this.deps.keychain.set(key, secret);
      return 'keychain';
    } catch (err) {
      if (this.deps.prefer === 'keychain' || !(err instanceof StoreError)) throw err;
      await this.deps.file.set(key, secret);
      this.deps.warn(`warning: ${err.message}; credentials saved to ${this.deps.file.path} (mode 0600) instead`);
      return 'file';
    }
  }
}
