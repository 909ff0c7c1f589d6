import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHeader, parseKeyValue } from '../../src/cli/kv-args.js';
import { parseTokenInput } from '../../src/cli/parse-token-input.js';
import { shellQuote } from '../../src/cli/shell-quote.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { anyString, attempt, delimiterSoup, expectOnly, runs, unicodeString } from './support.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

describe('parseKeyValue (-d / -q key=value)', () => {
  it('splits at the first "=" with a non-empty key, else UsageError', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString(60), delimiterSoup(['=', '==', 'a', '', ' '], 10)),
        fc.constantFrom('-d', '-q'),
        (arg, flag) => {
          const r = attempt(() => parseKeyValue(arg, flag));
          if (!r.ok) {
            expectOnly(r.error, UsageError, (e) =>
              expect(e.message.startsWith(`${flag} expects key=value`)).toBe(true),
            );
            expect(arg.indexOf('=')).toBeLessThanOrEqual(0);
            return;
          }
          const [k, v] = r.value;
          expect(k).not.toBe('');
          expect(k).not.toContain('=');
          expect(`${k}=${v}`).toBe(arg);
        },
      ),
      runs(1000),
    );
  });
});

describe('parseHeader (-H name:value)', () => {
  it('a valid field name, a value without CR/LF/NUL, never Authorization; otherwise UsageError', () => {
    const arg = fc.oneof(
      anyString(60),
      fc
        .tuple(
          fc.oneof(
            fc.stringMatching(TOKEN),
            fc.constantFrom('Authorization', 'AUTHORIZATION', ' X-A ', 'X A', '', 'x-ä'),
          ),
          fc.constantFrom(':', ': ', ' : '),
          anyString(30),
        )
        .map((p) => p.join('')),
      fc
        .tuple(fc.stringMatching(TOKEN), fc.constantFrom('a\r\nX-Injected: 1', 'a\nb', 'a\0b', '\r\n', 'ok\r'))
        .map(([n, v]) => `${n}: ${v}`),
    );
    fc.assert(
      fc.property(arg, (a) => {
        const r = attempt(() => parseHeader(a));
        if (!r.ok) return void expectOnly(r.error, UsageError, (e) => expect(e.message).toMatch(/^-H /));
        const [name, value] = r.value;
        expect(name).toMatch(TOKEN);
        expect(name.toLowerCase()).not.toBe('authorization');
        expect(value).not.toMatch(/[\r\n\0]/);
        expect(value).toBe(value.trim());
        expect(a.trim().startsWith(name)).toBe(true);
      }),
      runs(1000),
    );
  });
});

/** Secrets long enough not to occur by chance in the fixed message texts. */
const MESSAGES =
  'standard input looks like JSON but does not parse; expected the output of twauth token --json expected a JSON object from twauth token --json standard input lacks consumer_key, consumer_secret, access_token, access_token_secret; pipe in the output of twauth token --json or --env';
const secret = fc
  .oneof(fc.stringMatching(/^[A-Za-z0-9_-]{12,50}$/), unicodeString(30))
  .filter((s) => s.trim().length >= 8 && !MESSAGES.includes(s));
const creds = fc.record({
  consumer_key: secret,
  consumer_secret: secret,
  access_token: secret,
  access_token_secret: secret,
});
type Creds = { consumer_key: string; consumer_secret: string; access_token: string; access_token_secret: string };

const asJson = (c: Partial<Creds> & Record<string, unknown>) => JSON.stringify(c, null, 2);
const asEnv = (c: Partial<Creds> & Record<string, unknown>) =>
  Object.entries(c)
    .map(([k, v]) => `export TWAUTH_${k.toUpperCase()}=${shellQuote(String(v))}`)
    .join('\n');

/** Broken variants of the real formats: fields dropped, emptied, retyped; text cut, edited, CRLF. */
const brokenInput = fc
  .tuple(
    creds,
    fc.constantFrom(asJson, asEnv),
    fc.subarray(['consumer_key', 'consumer_secret', 'access_token', 'access_token_secret'] as const),
    fc.constantFrom<unknown>(undefined, '', null, 0, [], {}),
    fc.nat(),
    fc.constantFrom('none', 'cut', 'crlf', 'junk', 'lower'),
    anyString(10),
  )
  .map(([c, fmt, drop, replacement, at, edit, junk]) => {
    const o: Record<string, unknown> = { ...c, api_base: 'https://api.x.com' };
    for (const k of drop)
      if (replacement === undefined) delete o[k];
      else o[k] = replacement;
    let text = fmt(o as Creds);
    if (edit === 'cut') text = text.slice(0, at % (text.length + 1));
    else if (edit === 'crlf') text = text.replace(/\n/g, '\r\n');
    else if (edit === 'junk') text = text.slice(0, at % (text.length + 1)) + junk + text.slice(at % (text.length + 1));
    else if (edit === 'lower') text = text.replace(/TWAUTH_[A-Z_]+/, (m) => m.toLowerCase());
    return { creds: c, text };
  });

describe('parseTokenInput (login --with-token)', () => {
  it('arbitrary text: a TokenInput or UsageError', () => {
    const soup = delimiterSoup(
      [
        '{',
        '}',
        '"',
        ':',
        ',',
        'export ',
        'TWAUTH_',
        'CONSUMER_KEY',
        'ACCESS_TOKEN_SECRET',
        '=',
        "'",
        "\\'",
        '\n',
        '\r\n',
        '__PROTO__',
      ],
      25,
    );
    fc.assert(
      fc.property(
        fc.oneof(
          anyString(120),
          soup,
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const r = attempt(() => parseTokenInput(text));
          if (!r.ok) return void expectOnly(r.error, UsageError);
          for (const k of ['consumerKey', 'consumerSecret', 'accessToken', 'accessTokenSecret'] as const) {
            expect(typeof r.value[k]).toBe('string');
            expect(r.value[k]).not.toBe('');
          }
        },
      ),
      runs(1000),
    );
    expect(({} as Record<string, unknown>).consumer_key).toBeUndefined();
  });

  it('never echoes a secret of the input in its error message', () => {
    let errors = 0;
    fc.assert(
      fc.property(brokenInput, ({ creds: c, text }) => {
        const r = attempt(() => parseTokenInput(text));
        if (r.ok) return;
        errors++;
        const e = expectOnly(r.error, UsageError);
        for (const s of Object.values(c))
          expect(e.message.includes(s), `message leaks ${JSON.stringify(s)}: ${e.message}`).toBe(false);
      }),
      runs(1000),
    );
    expect(errors).toBeGreaterThan(300); // the property is not vacuous: most broken inputs are refused
  });

  it('reads back what twauth token --json / --env print', () => {
    const noLineBreaks = creds.filter((c) => Object.values(c).every((v) => !/[\n\r\u2028\u2029]/.test(v)));
    fc.assert(
      fc.property(
        noLineBreaks,
        fc.constantFrom(asJson, asEnv),
        fc.option(fc.constantFrom('https://api.x.com', 'http://127.0.0.1:8787')),
        (c, fmt, apiBase) => {
          const input = fmt({ ...c, user_id: '12', screen_name: 'n', ...(apiBase ? { api_base: apiBase } : {}) });
          expect(parseTokenInput(input)).toEqual({
            consumerKey: c.consumer_key,
            consumerSecret: c.consumer_secret,
            accessToken: c.access_token,
            accessTokenSecret: c.access_token_secret,
            apiBase: apiBase ?? undefined,
          });
        },
      ),
      runs(500),
    );
  });
});
