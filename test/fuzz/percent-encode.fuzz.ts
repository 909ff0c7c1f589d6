import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OAuthInputError } from '../../src/oauth1/errors.js';
import { percentDecode, percentEncode } from '../../src/oauth1/percent-encode.js';
import {
  ENCODED,
  anyString,
  attempt,
  delimiterSoup,
  expectOnly,
  refEncode,
  runs,
  unicodeString,
  utf16String,
} from './support.js';

const wellFormed = fc
  .oneof(
    utf16String(40).filter((s) => s.isWellFormed()),
    unicodeString(40),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    delimiterSoup(['%', '+', ' ', '!', "'", '(', ')', '*', '~', '&', '=', '☃', '😀', '\u0000']),
  )
  .filter((s) => s.isWellFormed());

describe('percentEncode / percentDecode (RFC 5849 §3.6)', () => {
  it('round-trips every well-formed string, with and without "+ is space"', () => {
    fc.assert(
      fc.property(wellFormed, (s) => {
        const e = percentEncode(s);
        expect(percentDecode(e)).toBe(s);
        expect(percentDecode(e, true)).toBe(s);
      }),
      runs(1000),
    );
  });

  it('emits only unreserved characters and upper-case %XX, exactly like an independent UTF-8 encoder', () => {
    fc.assert(
      fc.property(wellFormed, (s) => {
        const e = percentEncode(s);
        expect(e).toMatch(ENCODED);
        expect(e).toBe(refEncode(s));
      }),
      runs(1000),
    );
  });

  it('refuses any string with a lone surrogate with OAuthInputError "lone-surrogate"', () => {
    const lone = fc
      .tuple(utf16String(10), fc.integer({ min: 0xd800, max: 0xdfff }), utf16String(10))
      .map(([a, c, b]) => a + String.fromCharCode(c) + b)
      .filter((s) => !s.isWellFormed());
    for (const s of ['\uD800', 'a\uDC00b', '\uDBFF', 'x\uDC00\uD800y', '😀\uD83D']) {
      const r = attempt(() => percentEncode(s));
      expect(r.ok, JSON.stringify(s)).toBe(false);
      if (!r.ok) expectOnly(r.error, OAuthInputError, (e) => expect(e.problem).toBe('lone-surrogate'));
    }
    fc.assert(
      fc.property(lone, (s) => {
        const r = attempt(() => percentEncode(s));
        expect(r.ok).toBe(false);
        if (!r.ok) expectOnly(r.error, OAuthInputError, (e) => expect(e.problem).toBe('lone-surrogate'));
      }),
      runs(500),
    );
  });

  it('percentDecode of anything returns a string or throws OAuthInputError "bad-percent-encoding"', () => {
    const hostile = fc.oneof(
      anyString(60),
      delimiterSoup([
        '%',
        '%2',
        '%E2',
        '%98',
        '%83',
        '%ED%A0%80',
        '%C0%AF',
        '%F4%90%80%80',
        '%FF',
        '%zz',
        '+',
        '%25',
        '%00',
      ]),
    );
    fc.assert(
      fc.property(hostile, fc.boolean(), (s, plus) => {
        const r = attempt(() => percentDecode(s, plus));
        if (r.ok) expect(typeof r.value).toBe('string');
        else expectOnly(r.error, OAuthInputError, (e) => expect(e.problem).toBe('bad-percent-encoding'));
        // Without "%", decoding is the identity (apart from "+" when asked).
        if (!s.includes('%')) expect(r.ok && r.value).toBe(plus ? s.replace(/\+/g, ' ') : s);
      }),
      runs(1500),
    );
  });
});
