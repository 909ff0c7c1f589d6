import { accountKey, normalizeApiBase, parseSecrets, type AccountMeta, type AccountSecrets } from './account.js';
import { ConfigError, readConfig, updateConfig, type Config } from './config-file.js';
import { UnsafePathError } from './private-path.js';
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
    /** Where the selector came from (--account, TWAUTH_ACCOUNT), named in the message. */
    readonly from?: string,
  ) {
    super(`no stored account matches "${selector}"${from ? ` (from ${from})` : ''}`);
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
  find(selector?: string, from?: string): AccountMeta | undefined {
    const config = this.config();
    if (selector === undefined || selector === '') {
      return (
        config.accounts.find((a) => a.key === config.defaultAccount) ??
        (config.accounts.length === 1 ? config.accounts[0] : undefined)
      );
    }
    const s = selector.replace(/^@/, '').toLowerCase();
    const matches = config.accounts.filter(
      (a) => a.key === selector || a.userId === s || a.screenName.toLowerCase() === s,
    );
    if (matches.length === 0) throw new UnknownAccountError(selector, config.accounts, from);
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
      if (err instanceof ConfigError || err instanceof UnsafePathError) throw err;
      throw new MissingSecretsError(account, err instanceof StoreError ? err : undefined);
    }
    const secrets = text === null ? undefined : parseSecrets(text);
    if (!secrets) throw new MissingSecretsError(account);
    return secrets;
  }

  /** Stores (or replaces) an account and makes it the default. */
  /**
   * `signal` (login: the person interrupted it): the keychain helper is killed, and no metadata is
   * written once it has fired; the caller then calls forgetUnsaved() for what may have been written.
   */
  async save(
    input: Omit<AccountMeta, 'key' | 'store' | 'addedAt'>,
    secrets: AccountSecrets,
    signal?: AbortSignal,
  ): Promise<SaveResult> {
    const apiBase = normalizeApiBase(input.apiBase);
    const key = accountKey(input.userId, input.consumerKey, apiBase);
    const { store, maybeInKeychain } = await this.putSecret(key, JSON.stringify(secrets), signal);
    signal?.throwIfAborted();
    const account: AccountMeta = {
      ...input,
      apiBase,
      key,
      store,
      addedAt: new Date().toISOString(),
      ...(maybeInKeychain ? { maybeInKeychain } : {}),
    };
    const previous = await updateConfig(this.deps.dir, (config) => {
      // Checked again under the lock: a signal while waiting for it stores nothing.
      signal?.throwIfAborted();
      const prior = config.accounts.find((a) => a.key === key);
      const accounts = prior
        ? config.accounts.map((a) => (a.key === key ? { ...account, addedAt: prior.addedAt } : a))
        : [...config.accounts, account];
      return { config: { ...config, accounts, defaultAccount: key }, result: prior };
    });
    // A re-login that moved the secret to the other store leaves no stale copy behind.
    if (previous && previous.store !== store)
      await this.storeFor(previous.store)
        .delete(key)
        .catch(() => false);
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
    await updateConfig(this.deps.dir, (config) => ({
      config: { ...config, defaultAccount: account.key },
      result: undefined,
    }));
  }

  /** Forgets an account: metadata first, then the secret. */
  async remove(account: AccountMeta): Promise<void> {
    await updateConfig(this.deps.dir, (config) => {
      const accounts = config.accounts.filter((a) => a.key !== account.key);
      if (accounts.length === config.accounts.length) return { config, result: undefined };
      const defaultAccount =
        config.defaultAccount === account.key ? accounts[accounts.length - 1]?.key : config.defaultAccount;
      return { config: { ...config, accounts, defaultAccount }, result: undefined };
    });
    // Nothing names the secret any more, so a failed delete would leave it behind for good: say so.
    if (account.maybeInKeychain) await this.deps.keychain.delete(account.key).catch(() => false);
    await this.storeFor(account.store)
      .delete(account.key)
      .catch((err: unknown) => {
        const why = err instanceof StoreError || err instanceof ConfigError ? err.message : 'unexpected error';
        this.deps.warn(
          `warning: @${account.screenName}'s credentials could not be deleted from the ${account.store} (${why}); delete its entry "${account.key}"${account.store === 'keychain' ? ' (service "twauth")' : ''} yourself`,
        );
        return false;
      });
  }

  async rememberClockOffset(apiBase: string, offsetMs: number): Promise<void> {
    const base = normalizeApiBase(apiBase);
    await updateConfig(this.deps.dir, (config) => ({
      config: { ...config, clockOffsets: { ...config.clockOffsets, [base]: offsetMs } },
      result: undefined,
    }));
  }

  clockOffset(apiBase: string): number {
    return this.config().clockOffsets[normalizeApiBase(apiBase)] ?? 0;
  }

  /** Keychain first; when it cannot store (absent, locked, hung) the file, with a warning. */
  /**
   * After a save() that failed or was interrupted: removes the secret it may have written, unless
   * the metadata names the key (a previous login of the same account keeps its entry). Returns
   * the places where a copy could not be ruled out, for the person to check.
   */
  async forgetUnsaved(input: { userId: string; consumerKey: string; apiBase: string }): Promise<string[]> {
    const key = accountKey(input.userId, input.consumerKey, input.apiBase);
    try {
      if (this.config().accounts.some((a) => a.key === key)) return [];
    } catch {
      // an unreadable config names nothing we could keep
    }
    const left: string[] = [];
    const stores: SecretStore[] = this.deps.prefer === 'file' ? [this.deps.file] : [this.deps.keychain, this.deps.file];
    for (const store of stores) {
      try {
        // Nothing there (the usual case when the write itself failed): nothing to delete. A file
        // that cannot be read now could not be read before the write either (it reads first).
        const there = await store.get(key).catch(() => (store === this.deps.file ? null : undefined));
        if (there === null) continue;
        await store.delete(key);
      } catch {
        left.push(store === this.deps.file ? this.deps.file.path : `the keychain (service "twauth", entry "${key}")`);
      }
    }
    return left;
  }

  private async putSecret(
    key: string,
    secret: string,
    signal?: AbortSignal,
  ): Promise<{ store: StoreKind; maybeInKeychain?: true }> {
    if (this.deps.prefer === 'file') {
      await this.deps.file.set(key, secret);
      return { store: 'file' };
    }
    try {
      await this.deps.keychain.set(key, secret, signal);
      return { store: 'keychain' };
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      // A write that timed out may still have landed (the helper is killed after it sent the
      // item): read it back before storing anywhere else, so the secret is never in two places
      // while the metadata names one.
      const landed = err.reason === 'timeout' ? await this.readBack(key, secret) : 'no';
      if (landed === 'yes') return { store: 'keychain' };
      if (this.deps.prefer === 'keychain') throw err;
      await this.deps.file.set(key, secret);
      this.deps.warn(`warning: ${err.message}; credentials saved to ${this.deps.file.path} (mode 0600) instead`);
      return landed === 'no' ? { store: 'file' } : { store: 'file', maybeInKeychain: true };
    }
  }

  private async readBack(key: string, secret: string): Promise<'yes' | 'no' | 'unknown'> {
    try {
      const found = await this.deps.keychain.get(key);
      return found === secret ? 'yes' : found === null ? 'no' : 'unknown';
    } catch {
      return 'unknown';
    }
  }
}
