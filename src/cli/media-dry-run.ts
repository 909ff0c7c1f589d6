import { clean } from '../api/error-body.js';
import type { CheckedMedia } from './media-attachments.js';

/** The placeholder --dry-run puts in media_ids for the id an upload would get. */
export function plannedId(n: number): string {
  return `(id of upload ${n})`;
}

/** One line per file --dry-run would upload: type, category, size, segments, alt text. */
export function describePlannedUploads(media: CheckedMedia, segmentBytes: number): string[] {
  return media.plan.uploads.map(({ file, alt }) => {
    const segments = Math.ceil(file.size / segmentBytes);
    const altText = alt === undefined ? 'no alt text' : `alt text ${JSON.stringify(clean(alt))}`;
    return `would upload ${clean(file.path)}: ${file.mimeType} as ${file.category}, ${file.size} bytes in ${segments} segment${segments === 1 ? '' : 's'}, ${altText}`;
  });
}

/** media_ids as they would be sent: placeholders for uploads, then the given ids. */
export function plannedMediaIds(media: CheckedMedia): string[] {
  return [...media.plan.uploads.map((_, i) => plannedId(i + 1)), ...media.plan.mediaIds];
}
