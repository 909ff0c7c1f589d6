import type { RouteContext } from './context.js';
import { RawJsonInteger } from './json.js';
import { ENDPOINT_LIMITS } from './rate-limit.js';
import { resourceEndpoint, type Principal } from './resource-endpoint.js';
import { jsonResponse, type EmuResponse } from './responses.js';
import type { EmulatorUser, PostedTweet } from './types.js';
import { checkTweetText } from './tweet-rules.js';
import { firstValue } from './url-encoded.js';
import {
  cannotWrite,
  limitedV1Access,
  replyTargetMissingV1,
  statusDuplicate,
  statusMissing,
  statusTooLong,
} from './x-errors.js';

/** v1.1 writes 64-bit ids as JSON numbers, plus an *_str twin for JavaScript. */
function v1User(user: EmulatorUser): Record<string, unknown> {
  return {
    id: new RawJsonInteger(user.id),
    id_str: user.id,
    name: user.name,
    screen_name: user.username,
    protected: false,
    verified: false,
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** v1.1's created_at: "Wed Oct 10 20:19:24 +0000 2018". */
function v1Date(iso: string): string {
  const d = new Date(iso);
  const time = d.toISOString().slice(11, 19);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, '0')} ${time} +0000 ${d.getUTCFullYear()}`;
}

function v1Tweet(ctx: RouteContext, tweet: PostedTweet, author: EmulatorUser): Record<string, unknown> {
  const parent = tweet.replyTo !== undefined ? ctx.services.state.findTweet(tweet.replyTo) : undefined;
  const parentAuthor = parent ? ctx.services.state.findUserById(parent.authorId) : undefined;
  return {
    created_at: v1Date(tweet.createdAt),
    id: new RawJsonInteger(tweet.id),
    id_str: tweet.id,
    text: tweet.text,
    truncated: false,
    in_reply_to_status_id: parent ? new RawJsonInteger(parent.id) : null,
    in_reply_to_status_id_str: parent ? parent.id : null,
    in_reply_to_user_id: parentAuthor ? new RawJsonInteger(parentAuthor.id) : null,
    in_reply_to_user_id_str: parentAuthor ? parentAuthor.id : null,
    in_reply_to_screen_name: parentAuthor ? parentAuthor.username : null,
    user: v1User(author),
  };
}

/** GET /1.1/account/verify_credentials.json */
export const verifyCredentials = resourceEndpoint(ENDPOINT_LIMITS.verifyCredentials, (_ctx, { user }) =>
  jsonResponse(200, v1User(user)),
);

function updateStatusAs(ctx: RouteContext, who: Principal): EmuResponse {
  if (who.token.access === 'read') return cannotWrite();
  // v1.1 takes parameters from the form body or the query; both are signed.
  const param = (name: string): string | undefined => firstValue(ctx.form, name) ?? firstValue(ctx.query, name);
  const status = param('status');
  if (status === undefined) return statusMissing();
  const verdict = checkTweetText(status);
  if (!verdict.ok) return verdict.problem === 'empty' ? statusMissing() : statusTooLong();
  const { state } = ctx.services;
  if (state.isDuplicate(who.user.id, verdict.text)) return statusDuplicate();
  const replyTo = param('in_reply_to_status_id');
  if (replyTo !== undefined && !state.findTweet(replyTo)) return replyTargetMissingV1();
  const tweet = state.createTweet(who.user.id, verdict.text, replyTo);
  return jsonResponse(200, v1Tweet(ctx, tweet, who.user));
}

/** POST /1.1/statuses/update.json (same posts as POST /2/tweets). */
export const statusesUpdate = resourceEndpoint(ENDPOINT_LIMITS.statusesUpdate, updateStatusAs);

/** GET /1.1/statuses/home_timeline.json: not available on X's current access levels. */
export const homeTimeline = resourceEndpoint(ENDPOINT_LIMITS.homeTimeline, () => limitedV1Access());
