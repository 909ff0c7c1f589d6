import type { RouteContext } from './context.js';
import { escapeHtml, htmlPage } from './html.js';
import { htmlResponse } from './responses.js';

/** x.com/<username>/status/<id>: the address X gives a post. The sandbox serves its own. */
export const TWEET_PAGE_PATH = /^\/([A-Za-z0-9_]{1,15})\/status\/(\d{1,19})$/;

/** GET /<username>/status/<id>: a post made in this sandbox, as a page (x.com would not know it). */
export function tweetPage(ctx: RouteContext): ReturnType<typeof htmlResponse> {
  const m = TWEET_PAGE_PATH.exec(ctx.path)!;
  const { state } = ctx.services;
  const tweet = state.findTweet(m[2]!);
  const author = tweet ? state.findUserById(tweet.authorId) : undefined;
  // Like x.com, the id decides; a wrong username in the address still finds the post.
  if (!tweet || !author)
    return htmlResponse(
      404,
      htmlPage('Post not found', '<main><h1>This post does not exist in this sandbox</h1></main>'),
    );
  const body = `<main><h1>${escapeHtml(author.name)} <span class="note">@${escapeHtml(author.username)}</span></h1>
<p id="text">${escapeHtml(tweet.text)}</p>
<p class="note"><time datetime="${escapeHtml(tweet.createdAt)}">${escapeHtml(tweet.createdAt)}</time> · twauth sandbox</p></main>`;
  return htmlResponse(200, htmlPage(`@${author.username} on the twauth sandbox`, body));
}
