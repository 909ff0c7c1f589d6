import type { SecretStore } from './secret-store.js';

/** Secrets in a Map: for tests and for library users who keep credentials themselves. */
export function memoryStore(
  initial: Record<string, string> = {},
): SecretStore & { readonly entries: Map<string, string> } {
  const entries = new Map(Object.entries(initial));
  return {
    kind: 'memory',
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => void entries.set(account, secret),
    delete: async (account) => entries.delete(account),
  };
}
