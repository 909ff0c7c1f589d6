import { UsageError } from './usage-error.js';

/**
 * What twauth reads from standard input is bounded by X's own limits: a post is at most 25,000
 * characters (long posts; 280 otherwise), at most 100 KB of UTF-8; credentials are a few hundred
 * bytes. 1 MiB is far above both, and no pipe (`< /dev/zero`) can exhaust memory.
 */
export const STDIN_LIMIT_BYTES = 1 << 20;

/** Reads all of standard input as UTF-8 (for piped text and credentials), at most `limitBytes`. */
export async function readStdin(limitBytes = STDIN_LIMIT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      process.stdin.destroy();
      throw new UsageError(`standard input is larger than ${limitBytes} bytes, more than X accepts; nothing was sent`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Drops exactly one trailing newline, as `echo … |` adds one. */
export function dropTrailingNewline(text: string): string {
  return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
}
