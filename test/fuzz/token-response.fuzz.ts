import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OAuthInputError } from '../../src/oauth1/errors.js';
import { formatUrlEncoded, type Param } from '../../src/oauth1/params.js';
import { parseAccessTokenResponse, parseRequestTokenResponse } from '../../src/oauth1/token-response.js';
import { anyString, attempt, delimiterSoup, expectOnly, runs, unicodeString } from './support.js';

const parsers = { request: parseRequestTokenResponse, access: parseAccessTokenResponse } as const;

function onlyTyped(body: string): void {
  for (const parse of Object.values(parsers)) {
    const r = attempt(() => parse(body));
    if (!r.ok) expectOnly(r.error, OAuthInputError, (e) => expect(e.problem).toBe('bad-token-response'));
  }
}

const secret = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,50}$/),
  unicodeString(30).filter((s) => s !== ''),
);
const digits = fc.stringMatching(/^[0-9]{1,19}$/);
/** X usernames: 1-15 of A-Z a-z 0-9 _ (anything else is refused before it is stored or printed). */
const username = fc.stringMatching(/^[A-Za-z0-9_]{1,15}$/);

interface Valid {
  token: string;
  secret: string;
  userId: string;
  screenName: string;
  confirmed: boolean;
  pairs: Param[];
}

/** A body X could send: the required fields plus unknown extras, in any order, maybe with a trailing newline. */
const validBody: fc.Arbitrary<Valid & { body: string }> = fc
  .record({
    token: secret,
    secret,
    userId: digits,
    screenName: username,
    confirmed: fc.boolean(),
    extras: fc.uniqueArray(fc.tuple(fc.stringMatching(/^x_[a-z]{1,8}$/), unicodeString(10)), {
      selector: ([k]) => k,
      maxLength: 3,
    }),
    order: fc.infiniteStream(fc.nat()),
    trail: fc.constantFrom('', '\n', '\r\n', '  '),
  })
  .map(({ extras, order, trail, ...v }) => {
    const fields: Param[] = [
      ['oauth_token', v.token],
      ['oauth_token_secret', v.secret],
      ['oauth_callback_confirmed', v.confirmed ? 'true' : 'false'],
      ['user_id', v.userId],
      ['screen_name', v.screenName],
      ...extras,
    ];
    const it = order[Symbol.iterator]();
    const shuffled = fields
      .map((f) => [it.next().value as number, f] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, f]) => f);
    return { ...v, pairs: shuffled, body: formatUrlEncoded(shuffled) + trail };
  });

/** Small edits of a valid body: delete, insert, replace a slice, duplicate a field, cut. */
const mutatedBody = fc
  .tuple(
    validBody,
    fc.array(fc.tuple(fc.constantFrom('del', 'ins', 'rep', 'dup', 'cut'), fc.nat(), fc.nat({ max: 8 }), anyString(6)), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([v, edits]) => {
    let b = v.body;
    for (const [op, at, len, text] of edits) {
      const i = b.length === 0 ? 0 : at % (b.length + 1);
      if (op === 'del') b = b.slice(0, i) + b.slice(i + len);
      else if (op === 'ins') b = b.slice(0, i) + text + b.slice(i);
      else if (op === 'rep') b = b.slice(0, i) + text + b.slice(i + len);
      else if (op === 'dup') b = b + '&' + (v.pairs[at % v.pairs.length]![0] + '=' + text);
      else b = b.slice(0, i);
    }
    return b;
  });

describe('token endpoint responses (RFC 5849 §2.1, §2.3)', () => {
  it('parse valid bodies to the right fields', () => {
    fc.assert(
      fc.property(validBody, (v) => {
        const rq = parseRequestTokenResponse(v.body);
        expect(rq.token).toEqual({ token: v.token, secret: v.secret });
        expect(rq.callbackConfirmed).toBe(v.confirmed);
        const ac = parseAccessTokenResponse(v.body);
        expect(ac.token).toEqual({ token: v.token, secret: v.secret });
        expect(ac.userId).toBe(v.userId);
        expect(ac.screenName).toBe(v.screenName);
      }),
      runs(500),
    );
  });

  it('arbitrary strings: a value or OAuthInputError "bad-token-response"', () => {
    const soup = delimiterSoup([
      'oauth_token=',
      'oauth_token_secret=',
      'user_id=',
      'screen_name=',
      '&',
      '=',
      '%',
      '%zz',
      '1',
      'a',
      '+',
      '\n',
    ]);
    fc.assert(fc.property(fc.oneof(anyString(100), soup), onlyTyped), runs(1500));
  });

  it('mutated valid bodies: a value (with all required fields, numeric user_id) or OAuthInputError', () => {
    fc.assert(
      fc.property(mutatedBody, (body) => {
        onlyTyped(body);
        const rq = attempt(() => parseRequestTokenResponse(body));
        if (rq.ok) expect(rq.value.token.token !== '' && rq.value.token.secret !== '').toBe(true);
        const ac = attempt(() => parseAccessTokenResponse(body));
        if (ac.ok) {
          expect(ac.value.userId).toMatch(/^[0-9]+$/);
          expect(ac.value.screenName).not.toBe('');
        }
      }),
      runs(1000),
    );
  });

  it('refuses a screen_name that is not an X username (escape sequences, 16+ characters, empty)', () => {
    const notUsername = fc
      .oneof(
        anyString(20),
        fc.constantFrom('v\x1b[2J', 'a\r\nLogged in as @admin', 'x'.repeat(16), 'é', 'a b', '@alice'),
      )
      .filter((s) => !/^[A-Za-z0-9_]{1,15}$/.test(s) && s.isWellFormed());
    fc.assert(
      fc.property(validBody, notUsername, (v, bad) => {
        const body = formatUrlEncoded(v.pairs.map(([k, val]) => [k, k === 'screen_name' ? bad : val] as const));
        const r = attempt(() => parseAccessTokenResponse(body));
        expect(r.ok).toBe(false);
        if (!r.ok) expectOnly(r.error, OAuthInputError, (e) => expect(e.problem).toBe('bad-token-response'));
      }),
      runs(300),
    );
  });

  it('refuses a user_id that is not ASCII digits, and repeated fields', () => {
    const notDigits = anyString(12).filter((s) => s !== '' && !/^[0-9]+$/.test(s) && s.isWellFormed());
    fc.assert(
      fc.property(validBody, notDigits, (v, bad) => {
        const body = formatUrlEncoded(v.pairs.map(([k, val]) => [k, k === 'user_id' ? bad : val] as const));
        const r = attempt(() => parseAccessTokenResponse(body));
        expect(r.ok).toBe(false);
        if (!r.ok) expectOnly(r.error, OAuthInputError, (e) => expect(e.problem).toBe('bad-token-response'));
        const dup = attempt(() =>
          parseRequestTokenResponse(`${v.body.trim()}&oauth_token=${encodeURIComponent(v.token)}`),
        );
        expect(dup.ok).toBe(false);
        if (!dup.ok) expectOnly(dup.error, OAuthInputError, (e) => expect(e.message).toMatch(/repeats "oauth_token"/));
      }),
      runs(300),
    );
    for (const id of ['١٢٣', '12a', '-1', '1.0', ' 12', '１２']) {
      const r = attempt(() =>
        parseAccessTokenResponse(`oauth_token=t&oauth_token_secret=s&screen_name=n&user_id=${encodeURIComponent(id)}`),
      );
      expect(r.ok, id).toBe(false);
    }
  });
});
