import { ALIGN, parseSignature, WireError, type Type, type Variant } from './signature.js';

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
    if (types.length !== values.length)
      throw new WireError(`signature "${signature}" has ${types.length} types, got ${values.length} values`);
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
