/**
 * D-Bus type signatures (D-Bus specification, "Type System"), as the wire format's writer and
 * reader (./wire-writer.ts, ./wire-reader.ts) use them: the Secret Service read writes y b u i s
 * o g v, arrays, structs and dict entries, little-endian, and reads those and the other
 * fixed-size types in either byte order.
 *
 * Values: y n q u i h → number; x t → bigint; d → number; b → boolean; s o g → string;
 * ay → Buffer; other arrays → arrays (a dict `a{ss}` → [key, value] pairs); structs and dict
 * entries → arrays; v → Variant.
 */

export class WireError extends Error {
  override readonly name = 'WireError';
}

export interface Variant {
  readonly signature: string;
  readonly value: unknown;
}

/** One complete type of a signature and, for containers, its element types. */
export interface Type {
  readonly code: string;
  readonly children: readonly Type[];
}

export const ALIGN: Record<string, number> = {
  y: 1,
  b: 4,
  n: 2,
  q: 2,
  i: 4,
  u: 4,
  x: 8,
  t: 8,
  d: 8,
  s: 4,
  o: 4,
  g: 1,
  a: 4,
  '(': 8,
  '{': 8,
  v: 1,
  h: 4,
};

/** Splits a signature into complete types. */
export function parseSignature(signature: string): Type[] {
  let i = 0;
  const one = (depth: number): Type => {
    if (depth > 32) throw new WireError('signature nested too deeply');
    const code = signature[i++];
    if (code === undefined) throw new WireError(`incomplete signature "${signature}"`);
    const children: Type[] = [];
    if (code === 'a') children.push(one(depth + 1));
    else if (code === '(' || code === '{') {
      const close = code === '(' ? ')' : '}';
      while (signature[i] !== close) {
        if (i >= signature.length) throw new WireError(`unclosed "${code}" in signature "${signature}"`);
        children.push(one(depth + 1));
      }
      i++;
      if (children.length === 0 || (code === '{' && children.length !== 2))
        throw new WireError(`bad "${code}" in signature "${signature}"`);
    } else if (!(code in ALIGN)) throw new WireError(`unsupported type "${code}" in signature "${signature}"`);
    return { code, children };
  };
  const types: Type[] = [];
  while (i < signature.length) types.push(one(0));
  return types;
}
