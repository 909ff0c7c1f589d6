/**
 * A streaming multipart/form-data parser (RFC 7578, RFC 2046 §5.1.1) for media appends: file
 * content is handed on chunk by chunk and never collected, other fields are kept up to a small
 * bound, header blocks too. It looks for CRLF "--" boundary across chunk edges by keeping the last
 * few bytes of a chunk.
 */
export interface MultipartLimits {
  /** Per non-file field value. */
  readonly fieldBytes: number;
  /** Per part header block. */
  readonly headerBytes: number;
  readonly parts: number;
}

export interface PartHeaders {
  readonly name: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
}

export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

type State = 'preamble' | 'afterBoundary' | 'headers' | 'body' | 'done';

export class MultipartStream {
  readonly fields = new Map<string, string>();
  readonly #delimiter: Buffer;
  readonly #headerEnd = Buffer.from('\r\n\r\n');
  // The body's first boundary has no CRLF before it: start as if one had been seen.
  #pending: Buffer = Buffer.from('\r\n');
  #state: State = 'preamble';
  #part: PartHeaders | undefined;
  #field: Buffer[] = [];
  #fieldSize = 0;
  #parts = 0;

  /** `onFileData` receives the content of the part named `fileField` (the media bytes). */
  constructor(
    boundary: string,
    private readonly fileField: string,
    private readonly limits: MultipartLimits,
    private readonly onFileData: (chunk: Buffer) => void,
  ) {
    this.#delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    for (;;) if (!this.#step()) return;
  }

  /** Throws unless the closing boundary was seen. */
  end(): void {
    if (this.#state !== 'done') throw new MultipartError('the multipart body ends before its closing boundary');
  }

  /** One step of the state machine; false when more input is needed. */
  #step(): boolean {
    const buf = this.#pending;
    switch (this.#state) {
      case 'preamble': {
        const at = buf.indexOf(this.#delimiter);
        if (at === -1) {
          this.#pending = buf.subarray(Math.max(0, buf.length - this.#delimiter.length + 1));
          if (buf.length > 4096) throw new MultipartError('no boundary at the start of the multipart body');
          return false;
        }
        this.#pending = buf.subarray(at + this.#delimiter.length);
        this.#state = 'afterBoundary';
        return true;
      }
      case 'afterBoundary': {
        if (buf.length < 2) return false;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          this.#state = 'done';
          this.#pending = Buffer.alloc(0);
          return false;
        }
        // Transport padding (spaces, tabs) may follow a boundary before its CRLF.
        let i = 0;
        while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
        if (buf.length < i + 2) return false;
        if (buf[i] !== 0x0d || buf[i + 1] !== 0x0a) throw new MultipartError('a boundary is not followed by CRLF');
        this.#pending = buf.subarray(i + 2);
        this.#state = 'headers';
        return true;
      }
      case 'headers': {
        // A part without headers: the block is just the blank line.
        const at = buf.subarray(0, 2).equals(Buffer.from('\r\n')) ? -2 : buf.indexOf(this.#headerEnd);
        if (at === -1) {
          if (buf.length > this.limits.headerBytes) throw new MultipartError('a part header block is too large');
          return false;
        }
        const block = at === -2 ? '' : buf.subarray(0, at).toString('latin1');
        this.#pending = buf.subarray(at === -2 ? 2 : at + 4);
        if (++this.#parts > this.limits.parts) throw new MultipartError('too many parts');
        this.#part = parsePartHeaders(block);
        if (this.fields.has(this.#part.name)) throw new MultipartError(`the field "${this.#part.name}" is given twice`);
        this.#field = [];
        this.#fieldSize = 0;
        this.#state = 'body';
        return true;
      }
      case 'body': {
        const at = buf.indexOf(this.#delimiter);
        const upto = at === -1 ? Math.max(0, buf.length - this.#delimiter.length + 1) : at;
        if (upto > 0) this.#data(buf.subarray(0, upto));
        if (at === -1) {
          this.#pending = buf.subarray(upto);
          return false;
        }
        this.#endPart();
        this.#pending = buf.subarray(at + this.#delimiter.length);
        this.#state = 'afterBoundary';
        return true;
      }
      default:
        return false;
    }
  }

  #data(chunk: Buffer): void {
    const part = this.#part!;
    if (part.name === this.fileField) return this.onFileData(chunk);
    this.#fieldSize += chunk.length;
    if (this.#fieldSize > this.limits.fieldBytes) throw new MultipartError(`the field "${part.name}" is too large`);
    this.#field.push(Buffer.from(chunk));
  }

  #endPart(): void {
    const part = this.#part!;
    if (part.name !== this.fileField) this.fields.set(part.name, Buffer.concat(this.#field).toString('utf8'));
    else this.fields.set(part.name, '');
  }
}

function parsePartHeaders(block: string): PartHeaders {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) throw new MultipartError('a malformed part header');
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') contentType = value;
    if (key === 'content-disposition') {
      if (!/^form-data\b/i.test(value)) throw new MultipartError('a part is not form-data');
      name = /;\s*name="([^"]*)"/i.exec(value)?.[1] ?? /;\s*name=([^;\s]+)/i.exec(value)?.[1];
      filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1] ?? /;\s*filename=([^;\s]+)/i.exec(value)?.[1];
    }
  }
  if (name === undefined) throw new MultipartError('a part has no Content-Disposition name');
  return { name, filename, contentType };
}

/** The boundary parameter of a multipart/form-data Content-Type (RFC 2046 §5.1.1: 1–70 characters). */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}
