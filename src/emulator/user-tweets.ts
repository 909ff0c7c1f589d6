import type { RouteContext } from './context.js';
import { ENDPOINT_LIMITS } from './rate-limit.js';
import { resourceEndpoint } from './resource-endpoint.js';
import { jsonResponse } from './responses.js';
import { invalidRequest, notFound } from './x-errors.js';

export const USER_TWEETS_PATH = /^\/2\/users\/(\d{1,19})\/tweets$/;

/**
 * GET /2/users/:id/tweets (X docs "User Posts timeline"): newest first, max_results 5-100
 * (default 10), paginated with meta.next_token / pagination_token. The token is opaque to
 * clients; here it names the id of the first post of the next page.
 */
export const userTweets = resourceEndpoint(ENDPOINT_LIMITS.userTweets, (ctx: RouteContext) => {
  const id = USER_TWEETS_PATH.exec(ctx.path)![1]!;
  const { state } = ctx.services;
  if (!state.findUserById(id)) return notFound();
  const param = (name: string) => ctx.query.find(([k]) => k === name)?.[1];
  const maxText = param('max_results') ?? '10';
  const max = Number(maxText);
  if (!/^\d{1,3}$/.test(maxText) || max < 5 || max > 100)
    return invalidRequest(
      `The \`max_results\` query parameter value [${maxText.slice(0, 20)}] is not between 5 and 100`,
      { max_results: [maxText.slice(0, 20)] },
    );
  const posts = state
    .tweets()
    .filter((t) => t.authorId === id)
    .reverse();
  let start = 0;
  const token = param('pagination_token');
  if (token !== undefined) {
    const from = /^p([0-9a-f]{1,16})$/.exec(token)?.[1];
    start = from === undefined ? -1 : posts.findIndex((t) => t.id === BigInt(`0x${from}`).toString());
    if (start === -1)
      return invalidRequest(`The \`pagination_token\` query parameter value [${token.slice(0, 40)}] is not valid`, {
        pagination_token: [token.slice(0, 40)],
      });
  }
  const page = posts.slice(start, start + max);
  const next = posts[start + max];
  if (page.length === 0) return jsonResponse(200, { meta: { result_count: 0 } });
  return jsonResponse(200, {
    data: page.map((t) => ({ id: t.id, text: t.text, edit_history_tweet_ids: [t.id] })),
    meta: {
      result_count: page.length,
      newest_id: page[0]!.id,
      oldest_id: page.at(-1)!.id,
      ...(next ? { next_token: `p${BigInt(next.id).toString(16)}` } : {}),
    },
  });
});
