import type { IncomingMessage } from 'node:http';
import type { RouteContext, RouteHandler } from './context.js';
import type { EmuResponse } from './responses.js';
import { accessToken, authorizePage, authorizeSubmit, invalidateToken, requestToken } from './routes-oauth.js';
import { homeTimeline, statusesUpdate, verifyCredentials } from './routes-v11.js';
import { mediaAppend, mediaFinalize, mediaInitialize, mediaMetadata, mediaStatus } from './routes-media.js';
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
  ['POST /2/media/upload/initialize', mediaInitialize],
  ['GET /2/media/upload', mediaStatus],
  ['POST /2/media/metadata', mediaMetadata],
]);

/** A handler that reads the request body itself, as it arrives (media appends: up to 8 MB each). */
export type StreamingHandler = (ctx: RouteContext, req: IncomingMessage) => Promise<EmuResponse>;

/** The streaming handler for a method and path, if the endpoint streams its body. */
export function streamingRoute(method: string, path: string): StreamingHandler | undefined {
  return method === 'POST' && /^\/2\/media\/upload\/\d{1,19}\/append$/.test(path) ? mediaAppend : undefined;
}

/** The handler for a method and path; anything unknown is v2's 404 problem. */
export function route(method: string, path: string): RouteHandler {
  if (method === 'POST' && /^\/2\/media\/upload\/\d{1,19}\/finalize$/.test(path)) return mediaFinalize;
  if (method === 'DELETE' && DELETE_TWEET_PATH.test(path)) return deleteTweet;
  return ROUTES.get(`${method} ${path}`) ?? (() => notFound());
}
