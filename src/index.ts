// twauth as a library (README "Library API"): the same pieces the CLI is built from.
export * from './oauth1/index.js';
export * from './flows/index.js';
export * from './store/index.js';
export * from './api/index.js';
export { tweetLength, type TweetLength } from './text/index.js';
