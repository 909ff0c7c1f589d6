import type { RouteHandler } from './context.js';
import { accessToken, authorizePage, authorizeSubmit, invalidateToken, requestToken } from './routes-oauth.js';
import { homeTimeline, statusesUpdate, verifyCredentials } from './routes-v11.js';
import { deleteTweet, DELETE_TWEET_PATH } from './routes-delete.js';
import { createTweet, usersMe } from './routes-v2.js';
import { notFound } from './x-errors.js';

const ROUTES: ReadonlyMap<string, RouteHandler> = new Map<string, RouteHandler>([
  ['POST /oauth/request_token', requestToken],
  ['GET /oauth/authorize', authorizePage],
  ['GET /oauth/authenticate', authorizePage],
  ['POST /oauth/authorize', authorizeSubmit],
  ['POST /oauth/access_token', accessToken],
  ['POST /1.1/oauth/invalidate_token', invalidateToken],
  ['GET /2/users/me', usersMe],
  ['POST /2/tweets', createTweet],
  ['GET /1.1/account/verify_credentials.json', verifyCredentials],
  ['POST /1.1/statuses/update.json', statusesUpdate],
  ['GET /1.1/statuses/home_timeline.json', homeTimeline],
]);

/** The handler for a method and path; anything unknown is v2's 404 problem. */
export function route(method: string, path: string): RouteHandler {
  if (method === 'DELETE' && DELETE_TWEET_PATH.test(path)) return deleteTweet;
  return ROUTES.get(`${method} ${path}`) ?? (() => notFound());
}
