/**
 * The file formats X takes for posts (X API v2 "Media upload": JPEG, PNG, WebP and GIF images;
 * MP4 and MOV video) and the upload categories they go to.
 */
export type MediaFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'mp4' | 'mov';

export type MediaCategory = 'tweet_image' | 'tweet_gif' | 'tweet_video';

export const MEDIA_CATEGORIES: readonly MediaCategory[] = ['tweet_image', 'tweet_gif', 'tweet_video'];

export const MIME_TYPES: Readonly<Record<MediaFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
};

/** Which formats each category takes: a GIF may go up as a still image, never as video. */
export const CATEGORY_FORMATS: Readonly<Record<MediaCategory, readonly MediaFormat[]>> = {
  tweet_image: ['jpeg', 'png', 'webp', 'gif'],
  tweet_gif: ['gif'],
  tweet_video: ['mp4', 'mov'],
};

export function isMediaCategory(value: string): value is MediaCategory {
  return (MEDIA_CATEGORIES as readonly string[]).includes(value);
}
