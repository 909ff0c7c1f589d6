import type { MediaCategory } from '../../api/media/media-kind.js';
import type { Context } from '../context.js';
import { checkMedia, uploadOne } from '../media-attachments.js';
import { describePlannedUploads } from '../media-dry-run.js';
import { UsageError } from '../usage-error.js';

interface MediaUploadOptions {
  alt?: string;
  category?: string;
  mediaTimeout?: string;
  maxVideoMb?: string;
  dryRun?: boolean;
}

const CATEGORIES = ['tweet_image', 'tweet_gif', 'tweet_video'];

/**
 * `twauth media upload FILE`: checks the file, uploads it (INITIALIZE, APPEND, FINALIZE, STATUS,
 * metadata) and prints the media id, so a script can post it later with `tweet --media-id`.
 */
export async function run(ctx: Context, [path]: unknown[], opts: MediaUploadOptions): Promise<void> {
  if (typeof path !== 'string' || path === '') throw new UsageError('media upload needs a FILE');
  if (opts.category !== undefined && !CATEGORIES.includes(opts.category)) throw new UsageError(`--category expects tweet_image, tweet_gif or tweet_video (got "${opts.category}")`);
  const media = await checkMedia({
    media: [path],
    alt: opts.alt === undefined ? [] : [opts.alt],
    mediaTimeout: opts.mediaTimeout,
    maxVideoMb: opts.maxVideoMb,
    category: opts.category as MediaCategory | undefined,
  });
  if (!media) throw new UsageError('media upload needs a FILE');
  if (opts.dryRun) {
    const { SEGMENT_BYTES } = await import('../../api/media/upload-media.js');
    for (const line of describePlannedUploads(media, SEGMENT_BYTES)) ctx.io.out(line);
    return;
  }
  const client = ctx.client(await ctx.credentials());
  const up = await uploadOne(ctx, client, media.plan.uploads[0]!, media.timeoutSeconds);
  ctx.io.out(ctx.settings.json ? JSON.stringify(up.data) : up.id);
}
