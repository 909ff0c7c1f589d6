import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseYamlSubset,
  readTwurlrc,
  readXurl,
  stringifyYamlSubset,
  twurlrcWithout,
  xurlWithout,
  YamlSubsetError,
  type YamlValue,
} from '../../src/store/import/index.js';
import { parseSnapshot } from '../../src/emulator/snapshot.js';
import { anyString, attempt, delimiterSoup, expectOnly, runs } from './support.js';

const yamlSoup = delimiterSoup(
  [
    '\n',
    '  ',
    '- ',
    ': ',
    ':',
    '#',
    "'",
    '"',
    '\\',
    '---',
    '{}',
    '[]',
    '&a',
    '*a',
    '!tag',
    '|',
    'key',
    'profiles',
    '\t',
    '\r\n',
    '~',
  ],
  60,
);

/** A value the writer can express: maps, sequences of scalars or maps, strings. */
const yamlValue: fc.Arbitrary<YamlValue> = fc.letrec<{ v: YamlValue; map: Record<string, YamlValue> }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary', maxLength: 20 }),
    tie('map'),
    fc.array(fc.oneof(fc.string({ maxLength: 10 }), tie('map')), { maxLength: 3 }),
  ),
  map: fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), tie('v'), {
    maxKeys: 4,
    noNullPrototype: false,
  }),
})).v;

describe('parseYamlSubset', () => {
  it('any input: a value or a YamlSubsetError with a line number, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(yamlSoup, anyString(200)), (text) => {
        const r = attempt(() => parseYamlSubset(text));
        if (!r.ok) expectOnly(r.error, YamlSubsetError, (e) => expect(e.message).toMatch(/^line \d+: /));
      }),
      runs(2000),
    );
  });

  it('what stringifyYamlSubset writes, it reads back unchanged', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), yamlValue, { maxKeys: 4 }),
        (doc) => {
          const back = parseYamlSubset(stringifyYamlSubset(doc));
          // An empty document reads as null (YAML's empty document).
          expect(JSON.parse(JSON.stringify(back))).toEqual(
            Object.keys(doc).length === 0 ? null : JSON.parse(JSON.stringify(doc)),
          );
        },
      ),
      runs(1000),
    );
  });
});

describe('readTwurlrc / readXurl', () => {
  it('any input: a scan or a TypeError / YamlSubsetError; found entries are printable credentials', () => {
    for (const read of [readTwurlrc, readXurl]) {
      fc.assert(
        fc.property(
          fc.oneof(
            yamlSoup,
            anyString(200),
            yamlSoup.map((s) => `profiles:\n  ${s}`),
            yamlSoup.map((s) => `apps:\n  a:\n    ${s}`),
          ),
          (text) => {
            const r = attempt(() => read(text));
            if (!r.ok) {
              if (!(r.error instanceof YamlSubsetError)) expectOnly(r.error, TypeError);
              return;
            }
            for (const f of r.value.found)
              for (const v of [f.consumerKey, f.consumerSecret, f.accessToken, f.accessTokenSecret])
                expect(v).toMatch(/^[\x21-\x7e]{1,512}$/);
          },
        ),
        runs(1000),
      );
    }
  });

  it('removing what was found leaves a file with nothing left to find', () => {
    const cred = fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z0-9_]{1,15}$/), cred, cred, cred, cred), {
          minLength: 1,
          maxLength: 4,
        }),
        (profiles) => {
          const text = [
            '---',
            'profiles:',
            ...profiles.flatMap(([n, k, s, t, ts]) => [
              `  ${n}:`,
              `    ${k}:`,
              `      username: ${n}`,
              `      consumer_key: ${k}`,
              `      consumer_secret: ${s}`,
              `      token: ${t}`,
              `      secret: ${ts}`,
            ]),
            'configuration:',
            '  default_profile:',
            `  - ${profiles[0]![0]}`,
            `  - ${profiles[0]![1]}`,
            'aliases:',
            '  me: /2/users/me',
          ].join('\n');
          const r = attempt(() => readTwurlrc(text));
          if (!r.ok) {
            expectOnly(r.error, YamlSubsetError); // a duplicate key among the generated names
            return;
          }
          const left = twurlrcWithout(text, r.value.found);
          expect(readTwurlrc(left).found).toEqual([]);
          expect(left).toContain('me: "/2/users/me"');
          const x = `apps:\n${profiles.map(([n, k, s, t, ts], i) => `  app${i}:\n    client_id: c\n    oauth1_token:\n      type: oauth1\n      oauth1:\n        access_token: ${t}\n        token_secret: ${ts}\n        consumer_key: ${k}\n        consumer_secret: ${s}\n    bearer_token:\n      type: bearer\n      bearer: b${n}`).join('\n')}\ndefault_app: app0\n`;
          const xs = readXurl(x);
          expect(xs.found).toHaveLength(profiles.length);
          const xl = xurlWithout(x, xs.found);
          expect(readXurl(xl).found).toEqual([]);
          expect(xl).toContain(`bearer: "b${profiles[0]![0]}"`);
        },
      ),
      runs(300),
    );
  });
});

describe('parseSnapshot (twauth sandbox --state)', () => {
  it('any input: a snapshot or a TypeError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyString(200),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.jsonValue().map((v) => JSON.stringify({ version: 1, apps: [], users: [], tokens: v, tweets: [] })),
        ),
        (text) => {
          const r = attempt(() => parseSnapshot(text));
          if (!r.ok) expectOnly(r.error, TypeError);
        },
      ),
      runs(1000),
    );
  });
});
