import type { Io } from './io.js';
import { UsageError } from './usage-error.js';

/**
 * Reads all of standard input as UTF-8 (for piped text and credentials), at most `limitBytes`:
 * beyond that it stops reading and refuses (exit 2), saying the bound and `why` it is the bound.
 */
export async function readStdin(io: Pick<Io, 'stdin'>, limitBytes: number, why: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limitBytes)
      throw new UsageError(`standard input is larger than ${limitBytes} bytes (${why}); nothing was sent`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Drops exactly one trailing newline, as `echo … |` adds one. */
export function dropTrailingNewline(text: string): string {
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}
