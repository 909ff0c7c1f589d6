import { percentDecode, percentEncode } from './percent-encode.js';

/** One request parameter, decoded. Order and repeats matter (RFC 5849 §3.4.1.3.1), so no maps. */
export type Param = readonly [name: string, value: string];

/**
 * Parses a query string or an application/x-www-form-urlencoded body into decoded pairs:
 * "+" is a space, names and values are both percent-decoded, repeated names are all kept,
 * "a" and "a=" both mean an empty value. Empty segments ("a&&b") are skipped.
 */
export function parseUrlEncoded(text: string): Param[] {
  const source = text.startsWith('?') ? text.slice(1) : text;
  if (source === '') return [];
  const out: Param[] = [];
  for (const part of source.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    out.push([percentDecode(name, true), percentDecode(value, true)]);
  }
  return out;
}

/** Serialises pairs with RFC 5849 §3.6 encoding (spaces as %20), in the order given. */
export function formatUrlEncoded(params: readonly Param[]): string {
  return params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}
