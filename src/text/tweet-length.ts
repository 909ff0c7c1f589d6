/**
 * How long X considers a post to be, and whether X would take it: the v3
 * weighting (parse-tweet.ts), plus one rule twitter-text leaves out — a text
 * made only of whitespace and characters that render as nothing is refused,
 * as X refuses it (its composer does not post it and the API rejects it).
 *
 * "Render as nothing" is Unicode's Default_Ignorable_Code_Point property
 * (UAX #44: zero-width spaces and joiners, word joiner, directional marks,
 * variation selectors, Hangul fillers, soft hyphen, tags) and "whitespace"
 * its White_Space property. A visible blank such as U+2800 BRAILLE PATTERN
 * BLANK is text.
 */

import { parseTweet } from './parse-tweet.js';
import { TWEET_CONFIG_V3 } from './tweet-config.js';

export const MAX_TWEET_LENGTH = 280;
/** Length every link is counted as (a t.co link). */
export const TRANSFORMED_URL_LENGTH = 23;

export interface TweetLength {
  weightedLength: number;
  maxLength: 280;
  /** X would take it: not empty, not blank, no invalid character, at most 280 */
  valid: boolean;
  /** NFC-normalised text that would be sent */
  normalized: string;
  /** only whitespace and invisible characters (or empty) */
  blank: boolean;
  /** holds U+FFFE, U+FEFF or U+FFFF */
  invalidCharacters: boolean;
}

let blankPattern: RegExp | undefined;

/** True when `text` shows nothing: empty, or only White_Space and Default_Ignorable_Code_Point characters. */
export function isBlankText(text: string): boolean {
  blankPattern ??= /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]*$/u;
  return blankPattern.test(text);
}

export function tweetLength(text: string): TweetLength {
  const parsed = parseTweet(text, TWEET_CONFIG_V3);
  const blank = isBlankText(parsed.normalized);
  return {
    weightedLength: parsed.weightedLength,
    maxLength: MAX_TWEET_LENGTH,
    valid: parsed.valid && !blank,
    normalized: parsed.normalized,
    blank,
    invalidCharacters: parsed.invalidCharacters,
  };
}
