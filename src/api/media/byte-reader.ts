import type { FileHandle } from 'node:fs/promises';

/**
 * Sequential reads from a file through one small buffer, for walking a file's structure (GIF
 * blocks) without holding the file in memory.
 */
export class ByteReader {
  readonly #buffer: Buffer;
  #start = 0;
  #end = 0;
  #filePos: number;

  constructor(
    private readonly handle: FileHandle,
    position = 0,
    bufferBytes = 64 * 1024,
  ) {
    this.#buffer = Buffer.alloc(bufferBytes);
    this.#filePos = position;
  }

  /** The next byte, or -1 at the end of the file. */
  async byte(): Promise<number> {
    if (this.#start === this.#end && !(await this.#fill())) return -1;
    return this.#buffer[this.#start++]!;
  }

  /** Skips n bytes; false when the file ends first. */
  async skip(n: number): Promise<boolean> {
    const buffered = this.#end - this.#start;
    if (n <= buffered) {
      this.#start += n;
      return true;
    }
    this.#filePos += n - buffered;
    this.#start = this.#end = 0;
    return (await this.#fill()) || n === buffered;
  }

  async #fill(): Promise<boolean> {
    const { bytesRead } = await this.handle.read(this.#buffer, 0, this.#buffer.length, this.#filePos);
    this.#filePos += bytesRead;
    this.#start = 0;
    this.#end = bytesRead;
    return bytesRead > 0;
  }
}
