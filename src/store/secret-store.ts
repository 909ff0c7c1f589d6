/** Which backend holds an account's secrets. */
export type StoreKind = 'keychain' | 'file' | 'memory';

/**
 * The one narrow interface every credential backend implements: a secret string per account
 * key. Everything else (which accounts exist, which is the default) is metadata, kept apart.
 */
export interface SecretStore {
  readonly kind: StoreKind;
  /**
   * null: no entry. A keychain read through keytar also answers null for an entry in a locked
   * collection (libsecret cannot tell the two apart); the Secret Service read on Linux throws a
   * StoreError with reason 'locked' instead.
   */
  get(account: string): Promise<string | null>;
  /** `signal`: the person asked to stop; a write in a helper process is killed, and this rejects with the signal's reason. */
  set(account: string, secret: string, signal?: AbortSignal): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** A store could not do what was asked: unavailable, locked, or too slow. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    message: string,
    readonly kind: StoreKind,
    readonly reason: 'unavailable' | 'timeout' | 'locked' | 'failed',
  ) {
    super(message);
  }
}
