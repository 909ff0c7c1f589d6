import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OAuthInputError } from '../../src/oauth1/errors.js';
import { formatUrlEncoded, parseUrlEncoded, type Param } from '../../src/oauth1/params.js';
import { anyString, attempt, delimiterSoup, expectOnly, runs, unicodeString, utf16String } from './support.js';

const wellFormed = fc.oneof(
  unicodeString(12),
  utf16String(12).filter((s) => s.isWellFormed()),
  fc.constantFrom('', '?', '&', '=', '+', '%', ' ', '?a=b', 'a&b=c', '%20', 'oauth_token'),
);
/** Lists of pairs: any order, repeated names, empty names and values. */
const pairs = fc.array(
  fc.oneof(
    fc.tuple(wellFormed, wellFormed),
    fc.tuple(fc.constantFrom('a', 'b', ''), fc.constantFrom('', '1', ' ', '+')), // repeats and empties
  ),
  { maxLength: 8 },
) as fc.Arbitrary<Param[]>;

const SOUP = [
  '&',
  '=',
  '?',
  '+',
  '%',
  '%2',
  '%41',
  '%E2%98%83',
  '%ED%A0%80',
  '%zz',
  'a',
  'b',
  '',
  '&&',
  '==',
  '%3D',
  '%26',
];

describe('parseUrlEncoded / formatUrlEncoded', () => {
  it('parseUrlEncoded(formatUrlEncoded(pairs)) deep-equals pairs (order, repeats, empty names/values)', () => {
    fc.assert(
      fc.property(pairs, (p) => {
        expect(parseUrlEncoded(formatUrlEncoded(p))).toEqual(p);
        // A leading "?" (a URL's search) is accepted too.
        expect(parseUrlEncoded('?' + formatUrlEncoded(p))).toEqual(p);
      }),
      runs(1000),
    );
  });

  it('empty names: "=v" is the pair ["", "v"], like URLSearchParams, and survives the round trip', () => {
    expect(formatUrlEncoded([['', 'v']])).toBe('=v');
    expect(parseUrlEncoded('=v')).toEqual([['', 'v']]);
    expect(parseUrlEncoded('=')).toEqual([['', '']]);
    expect([...new URLSearchParams('=v')]).toEqual([['', 'v']]);
    expect(
      parseUrlEncoded(
        formatUrlEncoded([
          ['', ''],
          ['', 'x'],
          ['a', ''],
        ]),
      ),
    ).toEqual([
      ['', ''],
      ['', 'x'],
      ['a', ''],
    ]);
  });

  it('arbitrary text yields pairs or OAuthInputError "bad-percent-encoding", nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(anyString(80), delimiterSoup(SOUP, 30)), (text) => {
        const r = attempt(() => parseUrlEncoded(text));
        if (!r.ok)
          return void expectOnly(r.error, OAuthInputError, (e) => expect(e.problem).toBe('bad-percent-encoding'));
        for (const [k, v] of r.value) {
          expect(typeof k).toBe('string');
          expect(typeof v).toBe('string');
        }
      }),
      runs(1500),
    );
  });

  it('agrees with WHATWG URLSearchParams whenever it accepts well-formed text', () => {
    fc.assert(
      fc.property(
        fc.oneof(delimiterSoup(SOUP, 30), unicodeString(40)).filter((s) => s.isWellFormed()),
        (text) => {
          const r = attempt(() => parseUrlEncoded(text));
          if (r.ok) expect(r.value).toEqual([...new URLSearchParams(text)]);
        },
      ),
      runs(1500),
    );
  });

  it('formatUrlEncoded refuses a lone surrogate anywhere with OAuthInputError "lone-surrogate"', () => {
    fc.assert(
      fc.property(
        pairs,
        fc.nat(),
        fc.boolean(),
        fc.constantFrom('\uD800', '\uDFFF', 'a\uDC00b'),
        (p, i, inName, bad) => {
          const list: Param[] = [...p, ['x', 'y']];
          const at = i % list.length;
          const [k, v] = list[at]!;
          list[at] = inName ? [k + bad, v] : [k, v + bad];
          const r = attempt(() => formatUrlEncoded(list));
          expect(r.ok).toBe(false);
          if (!r.ok) expectOnly(r.error, OAuthInputError, (e) => expect(e.problem).toBe('lone-surrogate'));
        },
      ),
      runs(300),
    );
  });
});
