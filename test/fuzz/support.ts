import fc from 'fast-check';

/**
 * Shared pieces of the property-based ("fuzz") tests. Every property runs with a fixed seed so a
 * failure reproduces; fast-check prints the seed, the path and the shrunk counterexample.
 */
export const SEED = 424242;

export function runs(numRuns = 500): { seed: number; numRuns: number } {
  return { seed: SEED, numRuns };
}

/** Arbitrary UTF-16 code units: includes lone surrogates, NUL, C0/C1 controls. */
export const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
export const utf16String = (maxLength = 40) => fc.string({ unit: codeUnit, maxLength });
/** Well-formed strings over all of Unicode (astral planes included, no lone surrogates). */
export const unicodeString = (maxLength = 40) => fc.string({ unit: 'binary', maxLength });
/** Everything a hostile source could send: ASCII-heavy, full Unicode, and raw code units. */
export const anyString = (maxLength = 60) =>
  fc.oneof(
    fc.string({ unit: 'binary-ascii', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    unicodeString(maxLength),
    utf16String(maxLength),
  );

/** Strings that mix the delimiters parsers care about with anything else. */
export const delimiterSoup = (alphabet: readonly string[], maxLength = 40) =>
  fc
    .array(fc.oneof(fc.constantFrom(...alphabet), fc.string({ unit: codeUnit, maxLength: 2 })), { maxLength })
    .map((a) => a.join(''));

/** RFC 3986 unreserved set, or %XX with upper-case hex. */
export const ENCODED = /^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/;

/** An independent RFC 5849 §3.6 encoder: UTF-8 bytes, unreserved kept, everything else %XX. */
export function refEncode(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Runs f and reports what happened, so a property can say which outcomes are allowed. */
export function attempt<T>(f: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Rethrows anything that is not an instance of `type`, with its class name, so fast-check shows it. */
export function expectOnly<E extends Error>(
  error: unknown,
  type: new (...args: never[]) => E,
  check?: (e: E) => void,
): E {
  if (!(error instanceof type)) {
    const name = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
    throw new Error(`expected only ${type.name}, got ${name}`);
  }
  if (error.message.trim() === '') throw new Error(`${type.name} with an empty message`);
  check?.(error);
  return error;
}

/** C0, DEL, C1 controls plus the zero-width and bidi formatting characters a terminal must not see. */
// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
