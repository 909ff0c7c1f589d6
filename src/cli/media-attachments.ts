import { clean } from '../api/error-body.js';
import type { XClient } from '../api/client.js';
import type { MediaPlan, PlannedUpload } from '../api/media/media-plan.js';
import type { UploadedMedia } from '../api/media/upload-media.js';
import type { MediaCategory } from '../api/media/media-kind.js';
import type { Context } from './context.js';
import { uploadProgressLine } from './upload-progress.js';
import { UsageError } from './usage-error.js';

/** The media flags of `tweet` and `thread` (and `media upload`), as commander hands them over. */
export interface MediaFlags {
  /** --media FILE, repeatable. */
  readonly media?: readonly string[] | undefined;
  /** --alt TEXT, repeatable: the n-th describes the n-th --media. */
  readonly alt?: readonly string[] | undefined;
  /** --media-id ID, repeatable: uploaded earlier (twauth media upload). */
  readonly mediaId?: readonly string[] | undefined;
  /** --media-timeout SEC: how long to wait for X's processing (default 600). */
  readonly mediaTimeout?: string | undefined;
  /** --max-video-mb MB: the account's video limit when it is above X's default 512. */
  readonly maxVideoMb?: string | undefined;
  /** --category (media upload only). */
  readonly category?: MediaCategory | undefined;
}

/** Media checked locally, ready to upload: everything X's rules say, before any byte is sent. */
export interface CheckedMedia {
  readonly plan: MediaPlan;
  readonly timeoutSeconds: number;
}

function positiveInt(raw: string | undefined, flag: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw new UsageError(`${flag} expects a whole number from 1 to ${max} (got "${raw}")`);
  return Number(raw);
}

/**
 * Checks the media flags and files: existence, type by content, size per category, the
 * 4-images-or-1-GIF-or-1-video rule, alt text length. Throws UsageError (exit 2, nothing sent)
 * naming the file and the rule. Undefined when no media was asked for.
 */
export async function checkMedia(flags: MediaFlags): Promise<CheckedMedia | undefined> {
  const files = flags.media ?? [];
  const ids = flags.mediaId ?? [];
  if (files.length === 0 && ids.length === 0) {
    if (flags.alt?.length) throw new UsageError('--alt describes a --media file: give the file with --media');
    return undefined;
  }
  const { planMedia, mediaLimits, MediaRuleError, DEFAULT_MEDIA_TIMEOUT_S } = await import('../api/media/index.js');
  const timeoutSeconds = positiveInt(flags.mediaTimeout, '--media-timeout', DEFAULT_MEDIA_TIMEOUT_S, 86_400);
  const limits = mediaLimits(positiveInt(flags.maxVideoMb, '--max-video-mb', 512, 4000));
  try {
    return {
      plan: await planMedia({ files, alts: flags.alt, mediaIds: ids, limits, category: flags.category }),
      timeoutSeconds,
    };
  } catch (err) {
    if (err instanceof MediaRuleError) throw new UsageError(`${err.message}; nothing was sent`);
    throw err;
  }
}

/**
 * Uploads the checked files one after the other (each through INITIALIZE, APPEND, FINALIZE,
 * STATUS, metadata) and returns the ids to put in `media.media_ids`: the uploads' in order, then
 * the --media-id ones. Shows a progress line on a terminal. Throws on the first failure, so the
 * caller never posts with a failed upload.
 */
export async function uploadCheckedMedia(ctx: Context, client: XClient, media: CheckedMedia): Promise<string[]> {
  const ids: string[] = [];
  for (const planned of media.plan.uploads) ids.push((await uploadOne(ctx, client, planned, media.timeoutSeconds)).id);
  return [...ids, ...media.plan.mediaIds];
}

/** Uploads one checked file with its alt text, drawing the progress line on a terminal. */
export async function uploadOne(
  ctx: Context,
  client: XClient,
  { file, alt }: PlannedUpload,
  timeoutSeconds: number,
): Promise<UploadedMedia> {
  const { uploadMedia } = await import('../api/media/upload-media.js');
  const line = ctx.io.fancy ? uploadProgressLine(ctx.io.errRaw, clean(file.path)) : undefined;
  try {
    return await uploadMedia(
      client,
      file,
      { alt, timeoutSeconds },
      {
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        nowMs: () => Date.now(),
        onProgress: line ? (p) => line.update(p) : undefined,
      },
    );
  } finally {
    line?.done();
  }
}
