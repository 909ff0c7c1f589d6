import type { RouteContext } from './context.js';
import { DAILY_TWEET_LIMITS, DAY, dailyLimitHeaders, ENDPOINT_LIMITS } from './rate-limit.js';
import { resourceEndpoint, type Principal } from './resource-endpoint.js';
import { jsonResponse, withHeaders, type EmuResponse } from './responses.js';
import { checkTweetMedia } from './tweet-media.js';
import { replyAllowed } from './reply-rule.js';
import { checkTweetText, MAX_TWEET_LENGTH } from './tweet-rules.js';
import { userObject } from './user-fields.js';
import {
  duplicateContent,
  forbiddenProblem,
  invalidRequest,
  readOnlyApp,
  replyNotAllowed,
  tooManyRequests,
} from './x-errors.js';

/** GET /2/users/me */
export const usersMe = resourceEndpoint(ENDPOINT_LIMITS.usersMe, (ctx, { user }) => {
  const answer = userObject(user, ctx.query);
  return 'error' in answer ? answer.error : jsonResponse(200, { data: answer.data });
});

interface TweetRequest {
  text: string;
  replyTo: string | undefined;
  body: Record<string, unknown>;
}

/** Parses POST /2/tweets' JSON body. The body is never part of the OAuth signature. */
function parseTweetRequest(ctx: RouteContext): TweetRequest | EmuResponse {
  if (ctx.contentType !== 'application/json') return invalidRequest('The Content-Type must be application/json.');
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(ctx.body));
  } catch {
    return invalidRequest('Request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return invalidRequest('Request body must be a JSON object.');
  const { text: given, reply, media } = body as { text?: unknown; reply?: unknown; media?: unknown };
  // With media the text may be left out (X API v2 POST /2/tweets).
  const text = given === undefined && media !== undefined ? '' : given;
  if (typeof text !== 'string') return invalidRequest('$.text: a string is required unless the post has media.');
  const object = body as Record<string, unknown>;
  if (reply === undefined) return { text, replyTo: undefined, body: object };
  const target =
    typeof reply === 'object' && reply !== null
      ? (reply as { in_reply_to_tweet_id?: unknown }).in_reply_to_tweet_id
      : undefined;
  if (typeof target !== 'string' || !/^\d{1,19}$/.test(target)) {
    return invalidRequest('$.reply.in_reply_to_tweet_id: a numeric string is required.');
  }
  return { text, replyTo: target, body: object };
}

function createTweetAs(ctx: RouteContext, who: Principal): EmuResponse {
  const { state, rateLimits } = ctx.services;
  if (who.token.access === 'read') return readOnlyApp();

  // The 24-hour caps count created posts, per person (within the app) and per app.
  const userKey = `daily-user\u0000${who.app.consumerKey}\u0000${who.user.id}`;
  const appKey = `daily-app\u0000${who.app.consumerKey}`;
  const peek = (): Record<string, string> =>
    dailyLimitHeaders(
      rateLimits.peek(userKey, DAILY_TWEET_LIMITS.user, DAY),
      rateLimits.peek(appKey, DAILY_TWEET_LIMITS.app, DAY),
    );
  const answer = (response: EmuResponse): EmuResponse => withHeaders(response, peek());

  const request = parseTweetRequest(ctx);
  if (!('text' in request)) return answer(request);
  const mediaIds = checkTweetMedia(ctx, who, request.body);
  if (mediaIds !== undefined && !Array.isArray(mediaIds)) return answer(mediaIds);
  const verdict =
    mediaIds && request.text.trim() === ''
      ? ({ ok: true, text: request.text.normalize('NFC') } as const)
      : checkTweetText(request.text);
  if (!verdict.ok) {
    return answer(
      forbiddenProblem(
        verdict.problem === 'empty'
          ? `Your Tweet text is empty (length ${verdict.length}); it must contain at least one visible character.`
          : `Your Tweet text is too long (length ${verdict.length}); the limit is ${MAX_TWEET_LENGTH} characters.`,
      ),
    );
  }
  if (verdict.text !== '' && state.isDuplicate(who.user.id, verdict.text)) return answer(duplicateContent());
  if (request.replyTo !== undefined && !state.findTweet(request.replyTo)) {
    return answer(forbiddenProblem('You attempted to reply to a Tweet that is deleted or not visible to you.'));
  }
  if (
    request.replyTo !== undefined &&
    ctx.services.account.replyRestricted &&
    !replyAllowed(state.findTweet(request.replyTo)!, who.user)
  ) {
    return answer(replyNotAllowed());
  }
  const userDaily = rateLimits.peek(userKey, DAILY_TWEET_LIMITS.user, DAY);
  const appDaily = rateLimits.peek(appKey, DAILY_TWEET_LIMITS.app, DAY);
  if (userDaily.remaining === 0 || appDaily.remaining === 0) return answer(tooManyRequests());
  rateLimits.consume(userKey, DAILY_TWEET_LIMITS.user, DAY);
  rateLimits.consume(appKey, DAILY_TWEET_LIMITS.app, DAY);

  const tweet = state.createTweet(who.user.id, verdict.text, request.replyTo, mediaIds);
  return answer(jsonResponse(201, { data: { id: tweet.id, text: tweet.text, edit_history_tweet_ids: [tweet.id] } }));
}

/** POST /2/tweets */
export const createTweet = resourceEndpoint(ENDPOINT_LIMITS.createTweet, createTweetAs);
