import type { RouteContext } from './context.js';
import type { Principal } from './resource-endpoint.js';
import type { EmuResponse } from './responses.js';
import { invalidRequest } from './x-errors.js';

/**
 * POST /2/tweets' `media` object, checked as X checks it: `media_ids` holds 1–4 numeric strings,
 * not together with a poll or a quote; every id is an upload of this person's (through this app)
 * whose processing has succeeded; and a post carries up to 4 images, or one GIF, or one video.
 * Returns the ids, undefined when the post has no media, or X's 400.
 */
export function checkTweetMedia(
  ctx: RouteContext,
  who: Principal,
  body: Record<string, unknown>,
): string[] | undefined | EmuResponse {
  const media = body.media;
  if (media === undefined) return undefined;
  const ids = typeof media === 'object' && media !== null ? (media as { media_ids?: unknown }).media_ids : undefined;
  if (
    !Array.isArray(ids) ||
    ids.length < 1 ||
    ids.length > 4 ||
    !ids.every((id) => typeof id === 'string' && /^\d{1,19}$/.test(id))
  ) {
    return invalidRequest('$.media.media_ids: 1 to 4 media ids (numeric strings) are required.', {
      'media.media_ids': [JSON.stringify(ids ?? null)],
    });
  }
  if (body.poll !== undefined)
    return invalidRequest('$.media: a post cannot have both media and a poll.', { media: [], poll: [] });
  if (body.quote_tweet_id !== undefined)
    return invalidRequest('$.media: a post cannot have both media and a quote.', { media: [], quote_tweet_id: [] });
  if (new Set(ids).size !== ids.length)
    return invalidRequest('$.media.media_ids: an id is given twice.', { 'media.media_ids': ids as string[] });
  const store = ctx.services.media;
  const categories: string[] = [];
  for (const id of ids as string[]) {
    const record = store.find(id);
    // Someone else's upload is as unknown as a made-up id.
    if (!record || record.userId !== who.user.id || record.consumerKey !== who.app.consumerKey) {
      return invalidRequest(`$.media.media_ids: ${id} is not a valid media id for this account.`, {
        'media.media_ids': [id],
      });
    }
    const phase = store.phase(record);
    if (phase !== 'succeeded') {
      return invalidRequest(
        `$.media.media_ids: media ${id} is ${phase === 'failed' ? 'a failed upload' : phase === 'uploading' ? 'not finalized' : 'still processing'}.`,
        { 'media.media_ids': [id] },
      );
    }
    categories.push(record.category);
  }
  if (categories.length > 1 && categories.some((c) => c !== 'tweet_image')) {
    return invalidRequest('$.media.media_ids: a post takes up to 4 images, or 1 GIF, or 1 video.', {
      'media.media_ids': ids as string[],
    });
  }
  return ids as string[];
}
