import { open, type FileHandle } from 'node:fs/promises';
import { gifShape } from './gif-frames.js';
import { formatMb, type MediaLimits } from './limits.js';
import { CATEGORY_FORMATS, MIME_TYPES, type MediaCategory, type MediaFormat } from './media-kind.js';
import { MediaRuleError } from './media-rule-error.js';
import { sniffFormat, SNIFF_BYTES } from './sniff.js';

/** A local file checked against X's rules, ready to upload. */
export interface MediaFile {
  /** As the person gave it: used in messages. */
  readonly path: string;
  readonly size: number;
  readonly format: MediaFormat;
  readonly mimeType: string;
  readonly category: MediaCategory;
}

/**
 * Opens, sniffs and sizes one file: it must be a readable regular file, its content one of X's
 * formats, and its size within the category's limit. The category comes from the content (an
 * animated GIF is tweet_gif, a still one tweet_image) unless `category` names one the format fits.
 */
export async function inspectMediaFile(
  path: string,
  limits: MediaLimits,
  category?: MediaCategory,
): Promise<MediaFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MediaRuleError(
      path,
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'not readable (permission denied)'
          : `cannot be opened (${code ?? 'error'})`,
    );
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      throw new MediaRuleError(
        path,
        'not a regular file (media must be a file on disk, so its size is known before uploading)',
      );
    if (stat.size === 0) throw new MediaRuleError(path, 'the file is empty');
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    const format = sniffFormat(head.subarray(0, bytesRead));
    if (!format)
      throw new MediaRuleError(
        path,
        'not a JPEG, PNG, WebP, GIF, MP4 or MOV file (judged by its content, not its name)',
      );
    let natural: MediaCategory = format === 'mp4' || format === 'mov' ? 'tweet_video' : 'tweet_image';
    if (format === 'gif') {
      const shape = await gifShape(handle);
      if (shape === 'malformed')
        throw new MediaRuleError(path, 'a GIF whose structure cannot be read (truncated or damaged)');
      if (shape === 'animated') natural = 'tweet_gif';
    }
    const chosen = category ?? natural;
    if (!CATEGORY_FORMATS[chosen].includes(format)) {
      throw new MediaRuleError(
        path,
        `${format.toUpperCase()} content cannot be uploaded as ${chosen} (it takes ${CATEGORY_FORMATS[chosen].map((f) => f.toUpperCase()).join(', ')})`,
      );
    }
    const limit = limits[chosen];
    if (stat.size > limit) {
      const hint = chosen === 'tweet_video' ? '; if the account may post larger video, say so with --max-video-mb' : '';
      throw new MediaRuleError(
        path,
        `${formatMb(stat.size)} (${stat.size} bytes) is over X's ${formatMb(limit)} limit for ${chosen}${hint}`,
      );
    }
    return { path, size: stat.size, format, mimeType: MIME_TYPES[format], category: chosen };
  } finally {
    await handle.close();
  }
}
