import { processIo, type Io } from './io.js';
import { UsageError } from './usage-error.js';

/**
 * Reads all of standard input as UTF-8 (for piped text and credentials), at most `limitBytes`:
 * beyond that it stops reading and refuses (exit 2), saying the bound and `why` it is the bound.
 */
export function readStdin(io: Pick<Io, 'stdin'>, limitBytes: number, why: string): Promise<string>;
/** @deprecated Reads the process's stdin, not the command's Io: use readStdin(ctx.io, limit, why). */
export function readStdin(limitBytes: number, why: string): Promise<string>;
export function readStdin(...args: [Pick<Io, 'stdin'>, number, string] | [number, string]): Promise<string> {
  return args.length === 3 ? readAll(args[0].stdin, args[1], args[2]) : readAll(processIo().stdin, args[0], args[1]);
}

async function readAll(stdin: NodeJS.ReadableStream, limitBytes: number, why: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
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
