import type { StoreKind } from './secret-store.js';

/**
 * An account's public description, kept in the metadata file. Accounts are keyed by user id
 * (screen names change), app (consumer key) and API base, so one person logged in through two
 * apps, or against the sandbox and X, are distinct accounts.
 */
export interface AccountMeta {
  readonly key: string;
  readonly userId: string;
  readonly screenName: string;
  readonly consumerKey: string;
  readonly apiBase: string;
  /** Where the secrets live. */
  readonly store: StoreKind;
  readonly access?: 'read' | 'read-write' | undefined;
  readonly addedAt: string;
  /**
   * Set when the secrets went to the file after a keychain write that timed out and whose landing
   * could not be ruled out (the keychain did not answer the read-back either): logout then deletes
   * the keychain entry too, so no copy outlives the account.
   */
  readonly maybeInKeychain?: true | undefined;
}

/** What is kept secret for an account: never in the metadata file while a keychain works. */
export interface AccountSecrets {
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
}

export function accountKey(userId: string, consumerKey: string, apiBase: string): string {
  return `${userId}:${consumerKey}@${normalizeApiBase(apiBase)}`;
}

/** One spelling per API base, so that "https://api.x.com/" and "https://API.x.com" are one key. */
export function normalizeApiBase(apiBase: string): string {
  const u = new URL(apiBase);
  return (u.origin + u.pathname).replace(/\/+$/, '');
}

export function parseSecrets(text: string): AccountSecrets | undefined {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (
      typeof o.consumerSecret === 'string' &&
      typeof o.accessToken === 'string' &&
      typeof o.accessTokenSecret === 'string'
    ) {
      return { consumerSecret: o.consumerSecret, accessToken: o.accessToken, accessTokenSecret: o.accessTokenSecret };
    }
  } catch {
    // fall through: not ours
  }
  return undefined;
}
