export { MAX_TWEET_LENGTH, TRANSFORMED_URL_LENGTH, tweetLength } from './tweet-length.js';
export type { TweetLength } from './tweet-length.js';
