import { randomBytes } from 'node:crypto';

/**
 * One reusable buffer for `multipart/form-data` append bodies (RFC 7578): a `segment_index`
 * field, then the `media` field holding one segment read straight from the file into place. The
 * buffer is allocated once per upload, so memory does not grow with the file's size. The
 * boundary is random (RFC 2046 §5.1.1: it must not occur in the content).
 */
export class MultipartSegment {
  readonly boundary = `twauth-${randomBytes(18).toString('hex')}`;
  readonly contentType = `multipart/form-data; boundary=${this.boundary}`;
  readonly #suffix = Buffer.from(`\r\n--${this.boundary}--\r\n`, 'latin1');
  readonly #buffer: Buffer;

  constructor(readonly segmentBytes: number) {
    this.#buffer = Buffer.alloc(this.#prefix(999).length + segmentBytes + this.#suffix.length);
  }

  #prefix(index: number): Buffer {
    return Buffer.from(
      `--${this.boundary}\r\nContent-Disposition: form-data; name="segment_index"\r\n\r\n${index}\r\n` +
        `--${this.boundary}\r\nContent-Disposition: form-data; name="media"; filename="segment-${index}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
      'latin1',
    );
  }

  /**
   * Fills the body for segment `index` of `length` bytes; `read` puts the segment's bytes into
   * the slice it is given. Returns a view of the shared buffer, valid until the next fill.
   */
  async fill(index: number, length: number, read: (into: Buffer) => Promise<void>): Promise<Uint8Array> {
    if (length > this.segmentBytes) throw new RangeError(`segment of ${length} bytes exceeds ${this.segmentBytes}`);
    const prefix = this.#prefix(index);
    prefix.copy(this.#buffer, 0);
    await read(this.#buffer.subarray(prefix.length, prefix.length + length));
    this.#suffix.copy(this.#buffer, prefix.length + length);
    return this.#buffer.subarray(0, prefix.length + length + this.#suffix.length);
  }
}
