import type { AccountMeta } from '../store/index.js';

/**
 * A stored account as --json prints it (README "JSON output"): the field names of
 * `twauth accounts --json`, never a secret.
 */
export interface PublicAccount {
  readonly username: string;
  readonly id: string;
  readonly app: string;
  readonly api_base: string;
  readonly store: string;
  readonly default: boolean;
}

export function publicAccount(a: AccountMeta, isDefault: boolean): PublicAccount {
  return {
    username: a.screenName,
    id: a.userId,
    app: a.consumerKey,
    api_base: a.apiBase,
    store: a.store,
    default: isDefault,
  };
}
