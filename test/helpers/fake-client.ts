// An XClient for unit tests: a fixed app, token and clock, no sleeping and no randomness; `send`
// is the fake network. Each test overrides only what it looks at.
import { XClient, type ClientConfig, type ClientDeps } from '../../src/api/client.js';
import type { HttpSend } from '../../src/api/http-transport.js';
import { accessToken } from '../../src/oauth1/index.js';

export function fakeXClient(
  send: HttpSend,
  config: Partial<ClientConfig> = {},
  deps: Partial<ClientDeps> = {},
): XClient {
  return new XClient(
    {
      apiBase: 'https://api.x.com',
      consumer: { key: 'ck', secret: 'cs' },
      token: accessToken('at', 'ats'),
      timeoutMs: 1000,
      ...config,
    },
    {
      send,
      clock: { nowMs: () => 1_700_000_000_000, offsetMs: 0 },
      randomBytes: (n) => new Uint8Array(n),
      random: () => 0,
      sleep: async () => {},
      ...deps,
    },
  );
}
