import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePin, parseVerifierInput, type PastedVerifier } from '../../src/flows/verifier-input.js';
import { refEncode, anyString, attempt, delimiterSoup, runs, unicodeString } from './support.js';

const VERIFIER = /^[A-Za-z0-9_-]{1,128}$/;

function wellShaped(r: PastedVerifier): void {
  if ('error' in r) {
    expect(typeof r.error).toBe('string');
    expect(r.error).not.toBe('');
  } else {
    expect(r.verifier).toMatch(/^(?:[0-9]+|[A-Za-z0-9_-]{1,128})$/);
    if (r.token !== undefined) expect(typeof r.token).toBe('string');
  }
}

const SOUP = [
  'http://',
  'https://',
  'HTTP://',
  '?',
  '#',
  '&',
  '=',
  'oauth_verifier=',
  'oauth_token=',
  '%',
  '%zz',
  '%41',
  ' ',
  '-',
  '\t',
  '\n',
  '1',
  'a',
  '_',
  '١',
];
const hostile = fc.oneof(anyString(80), delimiterSoup(SOUP, 20));

/** Digits with spaces, tabs, dashes and line breaks around and between them, as people type PINs. */
const typedPin = (min: number, max: number) =>
  fc
    .tuple(
      fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`)),
      fc.infiniteStream(fc.constantFrom('', '', '', ' ', '-', '  ', ' - ', '\t', '\u00a0')),
    )
    .map(([digits, seps]) => {
      const it = seps[Symbol.iterator]();
      return { digits, typed: [...digits].map((d) => it.next().value + d).join('') + it.next().value };
    });

describe('parseVerifierInput / parsePin', () => {
  it('never throw, and always answer a verifier of the allowed shape or an error text', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const a = attempt(() => parseVerifierInput(s));
        const b = attempt(() => parsePin(s));
        expect(a.ok && b.ok).toBe(true);
        if (a.ok) wellShaped(a.value);
        if (b.ok) wellShaped(b.value);
      }),
      runs(2000),
    );
  });

  it('accept a PIN typed with spaces and dashes', () => {
    fc.assert(
      fc.property(typedPin(4, 16), ({ digits, typed }) => {
        expect(parsePin(typed)).toEqual({ verifier: digits });
        expect(parseVerifierInput(typed)).toEqual({ verifier: digits });
      }),
      runs(500),
    );
  });

  it('parsePin rejects any PIN with a character other than digits, whitespace and dashes', () => {
    const intruder = anyString(3).filter((c) => c !== '' && /[^0-9\s-]/.test(c));
    fc.assert(
      fc.property(typedPin(4, 16), intruder, fc.nat(), ({ typed }, bad, at) => {
        const i = at % (typed.length + 1);
        expect(parsePin(typed.slice(0, i) + bad + typed.slice(i))).toHaveProperty('error');
      }),
      runs(500),
    );
    for (const s of ['123', '1'.repeat(17), '١٢٣٤٥٦٧', '１２３４５６７', '12345x', ''])
      expect(parsePin(s), s).toHaveProperty('error');
  });

  it('a pasted callback URL yields its oauth_verifier (and oauth_token), whatever else it carries', () => {
    const verifier = fc.stringMatching(VERIFIER);
    const extra = fc.array(
      fc.tuple(
        fc.stringMatching(/^[a-z_]{1,8}$/).filter((k) => k !== 'oauth_verifier' && k !== 'oauth_token'),
        unicodeString(8),
      ),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          'http://127.0.0.1:8123/callback',
          'HTTPS://example.com/cb/',
          'http://localhost/callback',
          'https://[::1]:9/x',
        ),
        verifier,
        unicodeString(20),
        extra,
        fc.nat(),
        fc.constantFrom('', '#', '#frag&oauth_verifier=evil'),
        fc.constantFrom('', ' ', '\n', '\t '),
        (base, v, token, others, at, fragment, pad) => {
          const params: [string, string][] = [...others];
          params.splice(at % (params.length + 1), 0, ['oauth_verifier', v]);
          params.splice((at >> 3) % (params.length + 1), 0, ['oauth_token', token]);
          const url = `${base}?${params.map(([k, val]) => `${refEncode(k)}=${refEncode(val)}`).join('&')}${fragment}`;
          expect(parseVerifierInput(pad + url + pad)).toEqual({ verifier: v, token });
        },
      ),
      runs(500),
    );
  });

  it('a URL with a missing, empty, invalid or badly encoded verifier is an error, not an exception', () => {
    const bad = fc.oneof(
      fc.constant(''),
      fc.constant('a'.repeat(129)),
      anyString(10).filter((s) => !VERIFIER.test(s)),
    );
    fc.assert(
      fc.property(bad, fc.boolean(), (v, raw) => {
        const q = raw ? `oauth_verifier=${v}` : `oauth_verifier=${v.isWellFormed() ? refEncode(v) : '%E2%28'}`;
        const r = parseVerifierInput(`http://127.0.0.1:1/callback?oauth_token=t&${q}`);
        if ('verifier' in r) expect(r.verifier).toMatch(VERIFIER);
        else expect(r.error).toMatch(/oauth_verifier|percent-encoding/);
      }),
      runs(500),
    );
  });
});
