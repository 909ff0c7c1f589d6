import { ENDPOINT_LIMITS } from './rate-limit.js';
import { resourceEndpoint } from './resource-endpoint.js';
import { jsonResponse } from './responses.js';
import { deleteNotAllowed, postNotFound, readOnlyApp } from './x-errors.js';

/** DELETE /2/tweets/:id — X's post ids are 1–19 digits. */
export const DELETE_TWEET_PATH = /^\/2\/tweets\/(\d{1,19})$/;

/**
 * DELETE /2/tweets/:id (X API v2 "Delete a Post"): only the author may delete a post, and only
 * with a token that may write. Answers {"data":{"deleted":true}}; someone else's post is a 403
 * problem, a post that does not exist (never did, or already deleted) a 404 problem.
 */
export const deleteTweet = resourceEndpoint(ENDPOINT_LIMITS.deleteTweet, (ctx, who) => {
  if (who.token.access === 'read') return readOnlyApp();
  const id = DELETE_TWEET_PATH.exec(ctx.path)![1]!;
  const tweet = ctx.services.state.findTweet(id);
  if (!tweet) return postNotFound(id);
  if (tweet.authorId !== who.user.id) return deleteNotAllowed();
  ctx.services.state.deleteTweet(id);
  return jsonResponse(200, { data: { deleted: true } });
});
