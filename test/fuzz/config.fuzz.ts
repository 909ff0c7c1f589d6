import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountMeta } from '../../src/store/account.js';
import { accountKey, parseSecrets } from '../../src/store/account.js';
import { ConfigError, parseConfig, type Config } from '../../src/store/config-file.js';
import { anyString, attempt, expectOnly, runs, unicodeString } from './support.js';

const file = fc.oneof(
  fc.constantFrom('/home/u/.config/twauth/config.json', 'C:\\Users\\u\\config.json', 'config.json'),
  unicodeString(30).map((s) => `/tmp/${s}/config.json`),
);

const account: fc.Arbitrary<AccountMeta> = fc
  .record(
    {
      key: unicodeString(20),
      userId: fc.stringMatching(/^[0-9]{1,19}$/),
      screenName: unicodeString(15),
      consumerKey: unicodeString(25),
      apiBase: fc.constantFrom('https://api.x.com', 'http://127.0.0.1:8787'),
      store: fc.constantFrom('keychain' as const, 'file' as const, 'memory' as const),
      access: fc.constantFrom('read' as const, 'read-write' as const),
      addedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    },
    { requiredKeys: ['key', 'userId', 'screenName', 'consumerKey', 'apiBase', 'store', 'addedAt'] },
    // A stored account's key names its user, app and API base (anything else is refused as edited).
  )
  .map((a) => ({ ...a, key: accountKey(a.userId, a.consumerKey, a.apiBase) }));

const validConfig: fc.Arbitrary<Config> = fc.record(
  {
    version: fc.constant(1 as const),
    defaultAccount: unicodeString(20),
    accounts: fc.array(account, { maxLength: 4 }),
    clockOffsets: fc.dictionary(
      unicodeString(20),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: ['version', 'accounts', 'clockOffsets'] },
);

/** A valid config with one spot replaced by any JSON value (null, arrays, wrong types, __proto__ keys). */
const pathInto = fc.constantFrom<(string | number)[]>(
  ['version'],
  ['accounts'],
  ['accounts', 0],
  ['accounts', 0, 'store'],
  ['accounts', 0, 'userId'],
  ['clockOffsets'],
  ['defaultAccount'],
  ['__proto__'],
  ['accounts', 0, '__proto__'],
  ['clockOffsets', '__proto__'],
);
const mutatedConfig = fc.tuple(validConfig, pathInto, fc.jsonValue({ maxDepth: 3 })).map(([c, path, v]) => {
  const o = JSON.parse(JSON.stringify(c)) as Record<string | number, unknown>;
  let at: Record<string | number, unknown> = o;
  for (const k of path.slice(0, -1)) {
    const next = at[k];
    if (typeof next !== 'object' || next === null) return JSON.stringify(o);
    at = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  // defineProperty: a "__proto__" key must become JSON text, not a prototype change here.
  Object.defineProperty(at, last, { value: v, enumerable: true, configurable: true, writable: true });
  return JSON.stringify(o);
});

const SPECIAL = [
  '{"version":1,"accounts":[null]}',
  '{"accounts":{}}',
  '{"version":1,"accounts":{}}',
  '{"version":"1","accounts":[]}',
  '{"version":1}',
  '{"version":1,"accounts":[],"clockOffsets":null}',
  '{"version":1,"accounts":[],"clockOffsets":[1,2]}',
  '{"version":1,"accounts":[],"clockOffsets":{"__proto__":5,"a":"x","b":1e999}}',
  '{"__proto__":{"version":1,"accounts":[]}}',
  '{"version":1,"accounts":[{"__proto__":{"key":"k"}}]}',
  '{"version":1,"accounts":[[]]}',
  'null',
  '[]',
  '1',
  '"x"',
  'true',
  '',
  ' ',
  '{',
  '\uFEFF{"version":1,"accounts":[]}',
  '{"version":1,"accounts":[],"defaultAccount":{}}',
  '['.repeat(100_000),
  '{"version":1,"accounts":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
];

function checkConfig(text: string, f: string): void {
  const r = attempt(() => parseConfig(text, f));
  if (!r.ok) {
    expectOnly(r.error, ConfigError, (e) => {
      expect(e.file).toBe(f);
      expect(e.message).toContain(f);
    });
    return;
  }
  const c = r.value;
  expect(c.version).toBe(1);
  expect(Array.isArray(c.accounts)).toBe(true);
  for (const a of c.accounts) {
    for (const k of ['key', 'userId', 'screenName', 'consumerKey', 'apiBase', 'addedAt'] as const)
      expect(typeof a[k]).toBe('string');
    expect(['keychain', 'file', 'memory']).toContain(a.store);
  }
  expect(c.defaultAccount === undefined || typeof c.defaultAccount === 'string').toBe(true);
  for (const v of Object.values(c.clockOffsets)) expect(Number.isFinite(v)).toBe(true);
  expect(Object.getPrototypeOf(c.clockOffsets)).toBe(Object.prototype);
}

describe('parseConfig(text, file)', () => {
  it('arbitrary text: a Config or a ConfigError naming the file', () => {
    fc.assert(fc.property(anyString(120), file, checkConfig), runs(1000));
  });

  it('arbitrary JSON values: a Config or a ConfigError naming the file', () => {
    fc.assert(
      fc.property(fc.jsonValue(), file, (v, f) => checkConfig(JSON.stringify(v), f)),
      runs(700),
    );
  });

  it('valid configs with one spot replaced by any JSON value', () => {
    fc.assert(fc.property(mutatedConfig, file, checkConfig), runs(700));
    for (const s of SPECIAL) checkConfig(s, '/tmp/c.json');
    expect(({} as Record<string, unknown>).version).toBeUndefined(); // no prototype pollution
  });

  it('valid configs round-trip through JSON', () => {
    fc.assert(
      fc.property(validConfig, (c) => {
        expect(parseConfig(JSON.stringify(c, null, 2), 'f')).toEqual({ ...c, defaultAccount: c.defaultAccount });
      }),
      runs(300),
    );
  });
});

describe('parseSecrets(text)', () => {
  const secrets = fc.record({
    consumerSecret: unicodeString(40),
    accessToken: unicodeString(40),
    accessTokenSecret: unicodeString(40),
  });
  it('arbitrary text and JSON: the three strings or undefined, never an exception', () => {
    const text = fc.oneof(
      anyString(80),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      secrets.chain((s) => fc.constantFrom(...Object.keys(s)).map((k) => JSON.stringify({ ...s, [k]: null }))),
      fc.constantFrom(
        ...SPECIAL,
        '{"consumerSecret":"a","accessToken":"b","accessTokenSecret":1}',
        '{"__proto__":{"consumerSecret":"a","accessToken":"b","accessTokenSecret":"c"}}',
      ),
    );
    fc.assert(
      fc.property(text, (t) => {
        const r = attempt(() => parseSecrets(t));
        if (!r.ok) throw new Error(`parseSecrets threw ${String(r.error)}`);
        if (r.value !== undefined) {
          expect(Object.keys(r.value).sort()).toEqual(['accessToken', 'accessTokenSecret', 'consumerSecret']);
          for (const v of Object.values(r.value)) expect(typeof v).toBe('string');
        }
      }),
      runs(1000),
    );
  });

  it('valid secrets round-trip, extra fields ignored', () => {
    fc.assert(
      fc.property(
        secrets,
        fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }),
        (s, extra) => {
          expect(parseSecrets(JSON.stringify({ ...extra, ...s }))).toEqual(s);
        },
      ),
      runs(300),
    );
  });
});
