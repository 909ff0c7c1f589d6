import { defineCommand, type Values } from '../command-spec.js';
import type { Context } from '../context.js';
import { checkMedia, uploadOne } from '../media-attachments.js';
import { describePlannedUploads } from '../media-dry-run.js';
import { UsageError } from '../usage-error.js';
import { MAX_VIDEO_MB_OPTION, MEDIA_TIMEOUT_OPTION } from '../media-options.js';

export const spec = defineCommand({
  name: 'media upload',
  topic: 'post',
  description: 'upload a file (X API v2 chunked upload); prints the media id for tweet --media-id',
  args: {
    file: { required: true, description: 'a JPEG, PNG, WebP, GIF, MP4 or MOV file' },
  },
  options: {
    alt: { flags: '--alt <text>', type: 'string', description: 'alt text (at most 1000 characters)' },
    category: {
      flags: '--category <category>',
      type: 'choice',
      choices: ['tweet_image', 'tweet_gif', 'tweet_video'],
      description: 'upload category (default: from the content)',
    },
    mediaTimeout: MEDIA_TIMEOUT_OPTION,
    maxVideoMb: MAX_VIDEO_MB_OPTION,
    dryRun: {
      flags: '--dry-run',
      type: 'boolean',
      description: 'check the file and show what would be uploaded, without sending anything',
    },
  },
  help: 'Post it later with twauth tweet --media-id ID, within the time X gives in\nexpires_after_secs (--json).',
  examples: [
    'twauth media upload cat.jpg --alt "a cat"',
    'id=$(twauth media upload clip.mp4) && twauth tweet "later" --media-id "$id"',
    'twauth --json media upload anim.gif',
  ],
  json: 'X\'s data: {"id", "media_key", "size", "expires_after_secs", "processing_info"}',
});

/**
 * `twauth media upload FILE`: checks the file, uploads it (INITIALIZE, APPEND, FINALIZE, STATUS,
 * metadata) and prints the media id, so a script can post it later with `tweet --media-id`.
 */
export async function run(ctx: Context, opts: Values<typeof spec>): Promise<void> {
  if (opts.file === '') throw new UsageError('media upload needs a FILE');
  const media = await checkMedia({
    media: [opts.file],
    alt: opts.alt === undefined ? [] : [opts.alt],
    mediaTimeout: opts.mediaTimeout,
    maxVideoMb: opts.maxVideoMb,
    category: opts.category,
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
