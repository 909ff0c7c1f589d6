import { percentDecode } from './percent-encoding.js';

/** One decoded parameter. Order and repeats matter for signatures (RFC 5849 §3.4.1.3.1), so no maps. */
export type Param = readonly [name: string, value: string];

/**
 * Parses a query string or an application/x-www-form-urlencoded body: "+" is a space, names and
 * values are percent-decoded strictly (MalformedEncodingError), repeats are kept, "a" means "a=".
 */
export function parseUrlEncoded(raw: string): Param[] {
  const out: Param[] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    out.push([percentDecode(name, true), percentDecode(value, true)]);
  }
  return out;
}

/** The first value of a parameter, or undefined. */
export function firstValue(params: readonly Param[], name: string): string | undefined {
  for (const [n, v] of params) if (n === name) return v;
  return undefined;
}
