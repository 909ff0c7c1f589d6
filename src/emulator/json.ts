/** An integer written into JSON as a bare number, even beyond 2^53 (v1.1's "id" fields). */
export class RawJsonInteger {
  constructor(readonly digits: string) {
    if (!/^-?\d+$/.test(digits)) throw new TypeError(`not an integer: ${digits}`);
  }
}

/**
 * JSON.stringify with one extension: RawJsonInteger values are written verbatim. X sends 64-bit
 * ids as JSON numbers in v1.1, which JSON.stringify cannot produce from a string or a bigint.
 */
export function toJson(value: unknown): string {
  if (value instanceof RawJsonInteger) return value.digits;
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
