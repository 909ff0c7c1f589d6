import { ALIGN, parseSignature, WireError, type Type, type Variant } from './signature.js';

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
