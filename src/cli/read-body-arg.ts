import { InputTooLargeError, readFileBounded } from '../store/read-bounded.js';
import { processIo, type Io } from './io.js';
import { readStdin } from './read-stdin.js';
import { UsageError } from './usage-error.js';

/**
 * The largest request body twauth sends from a file or stdin: X's largest request is a media
 * upload segment (8 MB, POST /2/media/upload/{id}/append), which is about 10.7 MB once
 * base64-encoded into JSON.
 */
export const BODY_LIMIT_BYTES = 16 << 20;
const WHY = "X's largest request, an 8 MB media segment, is about 10.7 MB in JSON";

/**
 * A body argument: the text itself, `@FILE`, or `-` for standard input (the command's Io; the
 * process's when none is given); bounded either way.
 */
export async function readBodyArg(
  spec: string,
  flag: string,
  limitBytes = BODY_LIMIT_BYTES,
  io: Pick<Io, 'stdin'> = processIo(),
): Promise<string> {
  if (spec === '-') return readStdin(io, limitBytes, WHY);
  if (!spec.startsWith('@')) return spec;
  const path = spec.slice(1);
  try {
    return readFileBounded(path, limitBytes);
  } catch (err) {
    if (err instanceof InputTooLargeError)
      throw new UsageError(`${flag}: ${path} is larger than ${limitBytes} bytes (${WHY}); nothing was sent`);
    throw new UsageError(
      `${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing was sent`,
    );
  }
}
