import type { MediaCategory } from './media-kind.js';

const MB = 1024 * 1024;

/** Upload size limits per category, in bytes. */
export type MediaLimits = Readonly<Record<MediaCategory, number>>;

/**
 * X's limits (X API v2 "Media best practices"): images 5 MB, GIFs 15 MB, video 512 MB. Accounts
 * with a subscription may upload longer, larger video; videoMb raises that one limit.
 */
export function mediaLimits(videoMb = 512): MediaLimits {
  return { tweet_image: 5 * MB, tweet_gif: 15 * MB, tweet_video: videoMb * MB };
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = mediaLimits();

/** At most this many characters of alt text per image (POST /2/media/metadata). */
export const MAX_ALT_TEXT = 1000;

/** A post carries up to 4 images, or 1 GIF, or 1 video. */
export const MAX_IMAGES_PER_POST = 4;

export function formatMb(bytes: number): string {
  const mb = bytes / MB;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
