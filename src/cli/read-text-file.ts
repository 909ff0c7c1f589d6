import { open } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/**
 * Reads a text given with --file: at most `limitBytes` (a post's text is far shorter; the bound
 * keeps a wrong path such as a video or /dev/zero from being read whole), valid UTF-8, exactly
 * one trailing newline dropped as editors add one.
 */
export async function readTextFile(path: string, flag = '--file', limitBytes = 1 << 20): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${flag} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'not readable (permission denied)' : `cannot be opened (${code ?? 'error'})`}; nothing was sent`,
    );
  }
  try {
    // A pipe (--file <(command)) or a device is read too, but never beyond the bound.
    if ((await handle.stat()).isDirectory())
      throw new UsageError(`${flag} ${path}: is a folder, not a file; nothing was sent`);
    const buffer = Buffer.alloc(limitBytes + 1);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, size, buffer.length - size, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > limitBytes)
        throw new UsageError(
          `${flag} ${path}: larger than ${limitBytes} bytes (X's longest post is 25,000 characters); nothing was sent`,
        );
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, size));
    } catch {
      throw new UsageError(`${flag} ${path}: not UTF-8 text; nothing was sent`);
    }
    return text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  } finally {
    await handle.close();
  }
}
