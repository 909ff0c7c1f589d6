import { inspectMediaFile, type MediaFile } from './inspect-file.js';
import { MAX_ALT_TEXT, MAX_IMAGES_PER_POST, type MediaLimits } from './limits.js';
import type { MediaCategory } from './media-kind.js';
import { MediaRuleError } from './media-rule-error.js';

/** One file to upload with its alt text (the n-th --alt belongs to the n-th --media). */
export interface PlannedUpload {
  readonly file: MediaFile;
  readonly alt?: string | undefined;
}

/** Everything a post will carry, checked: uploads first, then ids uploaded earlier. */
export interface MediaPlan {
  readonly uploads: readonly PlannedUpload[];
  readonly mediaIds: readonly string[];
}

export interface MediaRequest {
  readonly files: readonly string[];
  readonly alts?: readonly string[] | undefined;
  readonly mediaIds?: readonly string[] | undefined;
  readonly limits: MediaLimits;
  /** Forces the category of every file (media upload --category). */
  readonly category?: MediaCategory | undefined;
}

/** Alt text X would take: at most 1000 characters (code points), not blank. */
export function checkAltText(alt: string, file: string | undefined): void {
  const length = Array.from(alt).length;
  if (length > MAX_ALT_TEXT)
    throw new MediaRuleError(file, `the alt text is ${length} characters; X takes at most ${MAX_ALT_TEXT}`);
  if (alt.trim() === '') throw new MediaRuleError(file, 'the alt text is empty; leave out --alt instead');
}

/**
 * Checks every file and the attachment rule before anything is sent (X API v2 POST /2/tweets,
 * `media.media_ids`): a post carries 1–4 images, or exactly one GIF, or exactly one video. Ids
 * uploaded earlier count towards the four; their category is not known here, so X judges a mix.
 */
export async function planMedia(req: MediaRequest): Promise<MediaPlan> {
  const alts = req.alts ?? [];
  const mediaIds = req.mediaIds ?? [];
  if (alts.length > req.files.length) {
    throw new MediaRuleError(
      undefined,
      `${alts.length} --alt given for ${req.files.length} --media file(s): the n-th --alt describes the n-th --media`,
    );
  }
  for (const id of mediaIds)
    if (!/^\d{1,19}$/.test(id))
      throw new MediaRuleError(undefined, `--media-id expects a media id (digits), got "${id}"`);
  if (new Set(mediaIds).size !== mediaIds.length)
    throw new MediaRuleError(undefined, 'the same --media-id is given twice');
  const total = req.files.length + mediaIds.length;
  if (total > MAX_IMAGES_PER_POST)
    throw new MediaRuleError(
      undefined,
      `${total} media attached; a post takes at most ${MAX_IMAGES_PER_POST} images, or 1 GIF, or 1 video`,
    );

  const uploads: PlannedUpload[] = [];
  for (const [i, path] of req.files.entries()) {
    const file = await inspectMediaFile(path, req.limits, req.category);
    const alt = alts[i];
    if (alt !== undefined) checkAltText(alt, path);
    uploads.push({ file, alt });
  }
  const single = uploads.find((u) => u.file.category !== 'tweet_image');
  if (single && total > 1) {
    const what = single.file.category === 'tweet_gif' ? 'an animated GIF' : 'a video';
    throw new MediaRuleError(
      single.file.path,
      `${what} must be the only media of a post (X takes up to 4 images, or 1 GIF, or 1 video)`,
    );
  }
  return { uploads, mediaIds };
}
