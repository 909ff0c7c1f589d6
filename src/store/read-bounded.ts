import { closeSync, openSync, readSync } from 'node:fs';

/** A file (or device, or pipe) held more than the reader's limit: it was not read to its end. */
export class InputTooLargeError extends Error {
  override readonly name = 'InputTooLargeError';
  constructor(
    readonly source: string,
    readonly limitBytes: number,
  ) {
    super(`${source} is larger than ${limitBytes} bytes`);
  }
}

/**
 * Reads a whole file as UTF-8, but never more than `limitBytes`: a path may name /dev/zero, a
 * FIFO or a file that grows, and readFileSync would read until memory runs out (measured:
 * `--json-body @/dev/zero` died with bad_alloc, exit 134). Errors from open/read are thrown as
 * they are (ENOENT, EACCES, EISDIR…).
 */
export function readFileBounded(path: string, limitBytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, limitBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limitBytes) throw new InputTooLargeError(path, limitBytes);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
