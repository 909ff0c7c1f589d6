import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseErrorBody, type ErrorBody } from '../../src/api/error-body.js';
import { CONTROL, anyString, attempt, runs, unicodeString, utf16String } from './support.js';

// eslint-disable-next-line no-control-regex
const PRINTABLE = /[^\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

/** Never throws; every text field short and printable; code an integer. */
function check(body: string): ErrorBody {
  const r = attempt(() => parseErrorBody(body));
  if (!r.ok) throw new Error(`parseErrorBody threw ${String(r.error)}`);
  const e = r.value;
  expect(typeof e).toBe('object');
  for (const k of ['message', 'title', 'detail', 'type'] as const) {
    const v = e[k];
    if (v === undefined) continue;
    expect(typeof v).toBe('string');
    expect(v.length).toBeLessThanOrEqual(300);
    expect(v).not.toMatch(CONTROL);
    expect(v).not.toBe('');
    expect(v).toBe(v.trim());
    // Our own truncation must not cut a surrogate pair in half (a JSON \ud800 escape may still decode to one).
    expect(v).not.toMatch(/[\uD800-\uDBFF]…$/);
    if (body.isWellFormed() && !body.includes('\\')) expect(v.isWellFormed(), JSON.stringify(v.slice(-3))).toBe(true);
  }
  if (e.code !== undefined) expect(Number.isInteger(e.code)).toBe(true);
  return e;
}

const message = fc.oneof(
  unicodeString(60),
  anyString(60),
  fc.constantFrom(
    'Invalid or expired token.',
    'Could not authenticate you.',
    '\u0007\u001b[31mred\u001b[0m',
    'a\u202eb',
    '\r\nX-Injected: 1',
  ),
);
const longText = fc
  .tuple(
    fc.constantFrom('é', '😀', 'a', ' ', '\u0000', '\n', '\u200b'),
    fc.integer({ min: 250, max: 2000 }),
    unicodeString(5),
  )
  .map(([c, n, tail]) => c.repeat(n) + tail);

/** The shapes X really sends. */
const xBody = fc.oneof(
  fc
    .record({ code: fc.integer({ min: 0, max: 999 }), message: fc.oneof(message, longText) })
    .map((e) => JSON.stringify({ errors: [e] })),
  fc
    .record({
      title: message,
      detail: fc.oneof(message, longText),
      type: fc.constant('https://api.twitter.com/2/problems/usage-capped'),
      status: fc.constant(429),
    })
    .map((p) => JSON.stringify(p)),
  fc
    .record({ title: message, detail: message, errors: fc.array(fc.record({ message }), { maxLength: 2 }) })
    .map((p) => JSON.stringify(p, null, 2)),
  fc
    .tuple(fc.integer({ min: 0, max: 999999 }), message)
    .map(
      ([c, m]) =>
        `<?xml version="1.0" encoding="UTF-8"?>\n<hash>\n  <error code="${c}">${m.replace(/[<>]/g, '')}</error>\n</hash>`,
    ),
  fc.record({ error: message }).map((p) => JSON.stringify(p)),
);

/** JSON of the wrong shape: arrays, numbers, nulls where objects are expected, huge values. */
const wrongJson = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify({ errors: v, title: v, detail: v, code: v, message: v, error: v, type: v })),
  fc.jsonValue().map((v) => JSON.stringify({ errors: [v, v] })),
  fc.constantFrom(
    '{"errors":[null]}',
    '{"errors":null}',
    '{"errors":[]}',
    '{"errors":{}}',
    '{"errors":[[]]}',
    '{"errors":[{"code":null,"message":null}]}',
    '{"errors":[{"code":1e400,"message":1}]}',
    '{"errors":[{"code":"12345678","message":["x"]}]}',
    '{"code":-1.5}',
    '{"title":{}}',
    '{"__proto__":{"message":"x"}}',
    '{"errors":[{"__proto__":null,"message":"m"}]}',
    '[{"message":"x"}]',
    '42',
    'null',
    '{}',
    '{"a":',
  ),
  fc
    .integer({ min: 1000, max: 200_000 })
    .map((n) => JSON.stringify({ errors: [{ code: 89, message: 'x'.repeat(n) }], title: '\n'.repeat(n) })),
);

describe('parseErrorBody', () => {
  it('never throws on arbitrary text; messages are ≤ 300 chars without control characters', () => {
    fc.assert(
      fc.property(fc.oneof(anyString(200), utf16String(400), longText), (s) => void check(s)),
      runs(1500),
    );
  });

  it('reads the real X shapes', () => {
    fc.assert(
      fc.property(xBody, (body) => {
        const e = check(body);
        const j = body.startsWith('{') ? (JSON.parse(body) as Record<string, unknown>) : undefined;
        const first = (j?.errors as { code?: number; message?: string }[] | undefined)?.[0];
        if (first?.code !== undefined) expect(e.code).toBe(first.code);
        if (body.startsWith('<?xml')) expect(e.code).toBe(Number(/code="(\d+)"/.exec(body)![1]));
        if (j && typeof j.detail === 'string' && PRINTABLE.test(j.detail)) expect(e.detail).toBeDefined();
      }),
      runs(700),
    );
  });

  it('valid X bodies cut at every position never throw', () => {
    fc.assert(
      fc.property(xBody, (body) => {
        // Every position of short bodies; a few hundred evenly spread positions of long ones.
        const step = Math.max(1, Math.floor(body.length / 300));
        for (let i = 0; i <= body.length; i += step) check(body.slice(0, i));
        check(body.slice(0, -1));
      }),
      runs(120),
    );
  });

  it('JSON of the wrong shape never throws', () => {
    fc.assert(
      fc.property(wrongJson, (s) => void check(s)),
      runs(700),
    );
  });

  it('XML and HTML, well-formed or not', () => {
    const markup = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            '<error',
            ' code="',
            '415',
            '">',
            '</error>',
            '<html>',
            '<body>',
            '<',
            '>',
            '"',
            '<error>',
            '</ERROR>',
            '\n',
          ),
          anyString(8),
        ),
        { maxLength: 25 },
      )
      .map((a) => '<' + a.join(''));
    fc.assert(
      fc.property(markup, (s) => void check(s)),
      runs(1000),
    );
    expect(check('<html><body>502 Bad Gateway</body></html>')).toEqual({ message: undefined });
    expect(check('<error code="415">Callback URL not approved</error>')).toEqual({
      code: 415,
      message: 'Callback URL not approved',
    });
  });

  it('stays fast on hostile markup (no quadratic regex backtracking)', () => {
    for (const body of [
      '<error'.repeat(50_000),
      '<' + '<error code="1"'.repeat(20_000),
      '<error ' + ' '.repeat(300_000),
      '{' + '['.repeat(100_000),
    ]) {
      const t = performance.now();
      check(body);
      expect(performance.now() - t, body.slice(0, 20)).toBeLessThan(500);
    }
  });
});
