import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseErrorBody } from '../../src/api/error-body.js';
import { XApiError } from '../../src/api/errors.js';
import { parseRateLimit, retryAt, type Window } from '../../src/api/rate-limit.js';
import { explainXError } from '../../src/cli/explain-x-error.js';
import { anyString, attempt, runs } from './support.js';

const PREFIXES = ['x-rate-limit', 'x-user-limit-24hour', 'x-app-limit-24hour'];
const KEYS = PREFIXES.flatMap((p) => ['limit', 'remaining', 'reset'].map((s) => `${p}-${s}`));

const value = fc.oneof(
  anyString(20),
  fc.stringMatching(/^\s{0,2}[0-9]{1,14}\s{0,2}$/),
  fc.integer({ min: 0, max: 2 ** 31 }).map(String),
  fc.constantFrom(
    '0',
    '',
    ' ',
    '-1',
    '1.5',
    '1e3',
    '0x10',
    'Infinity',
    'NaN',
    '١٢',
    '１２',
    '9'.repeat(400),
    '99999999999999',
    '1700000000',
    ' 15 ',
    '15\n',
    '\u00a015',
    '+5',
    '5,6',
  ),
);
const headers = fc.dictionary(
  fc.oneof(fc.constantFrom(...KEYS, 'date', 'retry-after', '__proto__', 'constructor'), fc.string({ maxLength: 12 })),
  value,
  { maxKeys: 12 },
);

function windows(rl: ReturnType<typeof parseRateLimit>): Window[] {
  return [rl.window, rl.user24h, rl.app24h];
}

describe('parseRateLimit / retryAt', () => {
  it('never throw; numbers are plain non-negative integers, anything non-numeric is ignored', () => {
    fc.assert(
      fc.property(headers, (h) => {
        const r = attempt(() => parseRateLimit(h));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        PREFIXES.forEach((prefix, i) => {
          const w = windows(r.value)[i]!;
          for (const field of ['limit', 'remaining', 'reset'] as const) {
            const raw = Object.hasOwn(h, `${prefix}-${field}`) ? h[`${prefix}-${field}`] : undefined;
            const got = w[field];
            if (raw === undefined || !/^\s*[0-9]+\s*$/.test(raw)) expect(got).toBeUndefined();
            if (got !== undefined) {
              expect(Number.isSafeInteger(got) && got >= 0).toBe(true);
              expect(got).toBe(Number(raw));
            }
          }
        });
      }),
      runs(1000),
    );
  });

  it('retryAt is undefined or the right reset, and always a representable date', () => {
    fc.assert(
      fc.property(headers, (h) => {
        const rl = parseRateLimit(h);
        const at = attempt(() => retryAt(rl));
        expect(at.ok).toBe(true);
        if (!at.ok || at.value === undefined) return;
        const exhausted = windows(rl).filter((w) => w.remaining === 0 && w.reset !== undefined);
        expect(at.value).toBe(exhausted.length ? Math.max(...exhausted.map((w) => w.reset!)) : rl.window.reset);
        expect(() => new Date(at.value! * 1000).toISOString()).not.toThrow();
      }),
      runs(1000),
    );
  });

  it('a 429 with any headers and body is explained without throwing (the path that formats retryAt)', () => {
    fc.assert(
      fc.property(headers, anyString(80), fc.integer({ min: 0, max: 2 ** 40 }), (h, body, now) => {
        const e = new XApiError(429, parseErrorBody(body), parseRateLimit(h), 'GET /2/users/me', false, body);
        const r = attempt(() => explainXError(e, now));
        if (!r.ok) throw new Error(`explainXError threw ${String(r.error)}`);
        expect(r.value).toMatch(/^rate limited by X/);
      }),
      runs(500),
    );
    const huge = parseRateLimit({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '99999999999999' });
    expect(() => explainXError(new XApiError(429, {}, huge, 'GET /x', false, ''))).not.toThrow();
  });
});
