import { open } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/**
 * Reads a thread's --file: a regular file of at most `limitBytes` (a wrong path such as a video is
 * refused before it is read whole), valid UTF-8. Errors name the flag, the path and what is wrong.
 */
export async function readThreadFile(path: string, limitBytes: number): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable (permission denied)' : `cannot be opened (${code ?? 'error'})`;
    throw new UsageError(`--file ${path}: ${why}; nothing was sent`);
  }
  try {
    if (!(await handle.stat()).isFile()) throw new UsageError(`--file ${path}: not a regular file; nothing was sent`);
    const buffer = Buffer.alloc(limitBytes + 1);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, size, buffer.length - size, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > limitBytes) throw new UsageError(`--file ${path}: larger than ${limitBytes} bytes; is it the right file? nothing was sent`);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, size));
    } catch {
      throw new UsageError(`--file ${path}: not UTF-8 text; nothing was sent`);
    }
  } finally {
    await handle.close();
  }
}
