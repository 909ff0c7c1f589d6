/**
 * The D-Bus wire format (D-Bus specification, "Message Protocol: Marshaling"), for the handful
 * of types the Secret Service read uses: y b u i s o g v, arrays, structs and dict entries (the
 * other fixed-size types are read too, for replies that carry them). Written little-endian; read
 * in either byte order, as the message's first byte says.
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
interface Type {
  readonly code: string;
  readonly children: readonly Type[];
}

const ALIGN: Record<string, number> = { y: 1, b: 4, n: 2, q: 2, i: 4, u: 4, x: 8, t: 8, d: 8, s: 4, o: 4, g: 1, a: 4, '(': 8, '{': 8, v: 1, h: 4 };

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
      if (children.length === 0 || (code === '{' && children.length !== 2)) throw new WireError(`bad "${code}" in signature "${signature}"`);
    } else if (!(code in ALIGN)) throw new WireError(`unsupported type "${code}" in signature "${signature}"`);
    return { code, children };
  };
  const types: Type[] = [];
  while (i < signature.length) types.push(one(0));
  return types;
}

/** Builds a message body or header, little-endian, aligned from the start of the message. */
export class WireWriter {
  private buf = Buffer.alloc(256);
  private pos = 0;

  get length(): number {
    return this.pos;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  align(n: number): void {
    const pad = (n - (this.pos % n)) % n;
    this.room(pad);
    this.buf.fill(0, this.pos, this.pos + pad);
    this.pos += pad;
  }

  byte(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v;
  }

  uint32(v: number): void {
    this.align(4);
    this.room(4);
    this.buf.writeUInt32LE(v, this.pos);
    this.pos += 4;
  }

  private text(v: string, lengthBytes: 1 | 4): void {
    const data = Buffer.from(v, 'utf8');
    if (data.includes(0)) throw new WireError('a D-Bus string cannot contain NUL');
    if (lengthBytes === 1) {
      if (data.length > 255) throw new WireError('signature too long');
      this.byte(data.length);
    } else this.uint32(data.length);
    this.room(data.length + 1);
    data.copy(this.buf, this.pos);
    this.pos += data.length;
    this.buf[this.pos++] = 0;
  }

  /** Writes values by signature. */
  write(signature: string, values: readonly unknown[]): void {
    const types = parseSignature(signature);
    if (types.length !== values.length) throw new WireError(`signature "${signature}" has ${types.length} types, got ${values.length} values`);
    types.forEach((t, k) => this.value(t, values[k]));
  }

  private value(t: Type, v: unknown): void {
    switch (t.code) {
      case 'y':
        return this.byte(v as number);
      case 'b':
        return this.uint32(v ? 1 : 0);
      case 'u':
        return this.uint32(v as number);
      case 'i':
        this.align(4);
        this.room(4);
        this.buf.writeInt32LE(v as number, this.pos);
        this.pos += 4;
        return;
      case 's':
      case 'o':
        return this.text(String(v), 4);
      case 'g':
        return this.text(String(v), 1);
      case 'v': {
        const variant = v as Variant;
        this.text(variant.signature, 1);
        const [inner, ...rest] = parseSignature(variant.signature);
        if (!inner || rest.length) throw new WireError(`a variant holds exactly one type, not "${variant.signature}"`);
        return this.value(inner, variant.value);
      }
      case 'a': {
        const elem = t.children[0]!;
        this.uint32(0);
        const lengthAt = this.pos - 4;
        this.align(ALIGN[elem.code]!);
        const start = this.pos;
        if (elem.code === 'y') {
          const data = Buffer.from(v as Uint8Array);
          this.room(data.length);
          data.copy(this.buf, this.pos);
          this.pos += data.length;
        } else for (const item of v as unknown[]) this.value(elem, item);
        this.buf.writeUInt32LE(this.pos - start, lengthAt);
        return;
      }
      case '(':
      case '{': {
        this.align(8);
        const items = v as unknown[];
        t.children.forEach((c, k) => this.value(c, items[k]));
        return;
      }
      default:
        throw new WireError(`cannot write type "${t.code}"`);
    }
  }
}

/** Reads values by signature from a whole message, in its byte order. */
export class WireReader {
  constructor(
    private readonly buf: Buffer,
    private pos: number,
    private readonly littleEndian: boolean,
  ) {}

  align(n: number): void {
    this.pos += (n - (this.pos % n)) % n;
    if (this.pos > this.buf.length) throw new WireError('message truncated');
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new WireError('message truncated');
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  uint32(): number {
    this.align(4);
    this.need(4);
    const v = this.littleEndian ? this.buf.readUInt32LE(this.pos) : this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  private text(length: number): string {
    this.need(length + 1);
    const s = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length + 1;
    return s;
  }

  read(signature: string): unknown[] {
    return parseSignature(signature).map((t) => this.value(t, 0));
  }

  private value(t: Type, depth: number): unknown {
    if (depth > 64) throw new WireError('value nested too deeply');
    switch (t.code) {
      case 'y':
        return this.byte();
      case 'b':
        return this.uint32() !== 0;
      case 'u':
      case 'h':
        return this.uint32();
      case 'i': {
        const u = this.uint32();
        return u | 0;
      }
      case 'n':
      case 'q': {
        this.align(2);
        this.need(2);
        const v = this.littleEndian ? this.buf.readUInt16LE(this.pos) : this.buf.readUInt16BE(this.pos);
        this.pos += 2;
        return t.code === 'n' ? (v << 16) >> 16 : v;
      }
      case 'x':
      case 't':
      case 'd': {
        this.align(8);
        this.need(8);
        const at = this.pos;
        this.pos += 8;
        if (t.code === 'd') return this.littleEndian ? this.buf.readDoubleLE(at) : this.buf.readDoubleBE(at);
        const big = this.littleEndian ? this.buf.readBigUInt64LE(at) : this.buf.readBigUInt64BE(at);
        return t.code === 'x' ? BigInt.asIntN(64, big) : big;
      }
      case 's':
      case 'o':
        return this.text(this.uint32());
      case 'g':
        return this.text(this.byte());
      case 'v': {
        const signature = this.text(this.byte());
        const [inner, ...rest] = parseSignature(signature);
        if (!inner || rest.length) throw new WireError(`a variant holds exactly one type, not "${signature}"`);
        return { signature, value: this.value(inner, depth + 1) } satisfies Variant;
      }
      case 'a': {
        const length = this.uint32();
        const elem = t.children[0]!;
        this.align(ALIGN[elem.code]!);
        const end = this.pos + length;
        this.need(length);
        if (elem.code === 'y') {
          const data = Buffer.from(this.buf.subarray(this.pos, end));
          this.pos = end;
          return data;
        }
        const items: unknown[] = [];
        while (this.pos < end) items.push(this.value(elem, depth + 1));
        if (this.pos !== end) throw new WireError('array length does not match its elements');
        return items;
      }
      case '(':
      case '{':
        this.align(8);
        return t.children.map((c) => this.value(c, depth + 1));
      default:
        throw new WireError(`cannot read type "${t.code}"`);
    }
  }
}
