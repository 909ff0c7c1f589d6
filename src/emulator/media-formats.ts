/**
 * The emulator's own reading of media: which MIME types each category takes, X's size limits,
 * and the content type judged from the first bytes (magic numbers), so a client that lies about
 * media_type is refused as X refuses it.
 */
export type EmuMediaCategory = 'tweet_image' | 'tweet_gif' | 'tweet_video';

const MB = 1024 * 1024;

export const CATEGORY_TYPES: Readonly<Record<EmuMediaCategory, readonly string[]>> = {
  tweet_image: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
  tweet_gif: ['image/gif'],
  tweet_video: ['video/mp4', 'video/quicktime'],
};

/** X's limits: images 5 MB, GIFs 15 MB, video 512 MB (more for some accounts: maxVideoMb). */
export function categoryLimit(category: EmuMediaCategory, maxVideoMb: number): number {
  return category === 'tweet_image' ? 5 * MB : category === 'tweet_gif' ? 15 * MB : maxVideoMb * MB;
}

export function isCategory(value: unknown): value is EmuMediaCategory {
  return value === 'tweet_image' || value === 'tweet_gif' || value === 'tweet_video';
}

/** The MIME type the first bytes show (JPEG SOI, PNG signature, RIFF/WEBP, GIF8xa, ISO BMFF ftyp). */
export function typeFromHead(head: Buffer): string | undefined {
  const at = (i: number, s: string) =>
    head.length >= i + s.length && head.subarray(i, i + s.length).toString('latin1') === s;
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (at(0, '\x89PNG\r\n\x1a\n')) return 'image/png';
  if (at(0, 'RIFF') && at(8, 'WEBP')) return 'image/webp';
  if (at(0, 'GIF87a') || at(0, 'GIF89a')) return 'image/gif';
  if (at(4, 'ftyp')) return at(8, 'qt  ') ? 'video/quicktime' : 'video/mp4';
  return undefined;
}
