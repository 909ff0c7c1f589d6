/**
 * How long X considers a post to be (twitter-text v3 `parseTweet`, config
 * v3: scale 100, default weight 200, transformed URL length 23, max 280,
 * emoji parsing on).
 *
 * - The text is NFC-normalised first; that is what gets sent.
 * - Each link counts 23, however long (see url-extract.ts).
 * - Each emoji sequence counts 2 (see emoji.ts).
 * - Any other code point counts 1 if in U+0000–U+10FF, U+2000–U+200D,
 *   U+2010–U+201F or U+2032–U+2037, else 2 (so CJK counts 2). Lone
 *   surrogates count 2.
 *
 * Pure: no I/O, and nothing is compiled until the first call.
 */

import { emojiLengthAt } from './emoji.js';
import { extractUrlSpans } from './url-extract.js';

export const MAX_TWEET_LENGTH = 280;
/** Length every link is counted as (a t.co link). */
export const TRANSFORMED_URL_LENGTH = 23;

const SCALE = 100;
const DEFAULT_WEIGHT = 200;
/** [first, last, weight] code point ranges from twitter-text's v3 config. */
const RANGES: ReadonlyArray<readonly [number, number, number]> = [
  [0, 4351, 100],
  [8192, 8205, 100],
  [8208, 8223, 100],
  [8242, 8247, 100],
];

export interface TweetLength {
  weightedLength: number;
  maxLength: 280;
  valid: boolean;
  /** NFC-normalised text that would be sent */
  normalized: string;
}

function weightOf(code: number): number {
  for (const [first, last, weight] of RANGES) if (code >= first && code <= last) return weight;
  return DEFAULT_WEIGHT;
}

// Characters X rejects outright (twitter-text `hasInvalidCharacters`).
const INVALID_CHARACTERS = /[\uFFFE\uFEFF\uFFFF]/;
// Nothing but blanks: JS whitespace plus the other invisible spaces twitter-text knows.
const BLANK = /^[\s\u0085\u180E\u200B]*$/;

export function tweetLength(text: string): TweetLength {
  const normalized = text.normalize('NFC');
  const urls = extractUrlSpans(normalized);
  let units = 0;
  let next = 0; // next link in `urls`
  const n = normalized.length;
  for (let i = 0; i < n; ) {
    while (next < urls.length && urls[next]!.start < i) next++;
    const url = urls[next];
    if (url !== undefined && url.start === i) {
      units += TRANSFORMED_URL_LENGTH * SCALE;
      i += Math.max(1, url.length);
      next++;
      continue;
    }
    const code = normalized.charCodeAt(i);
    const emoji = emojiLengthAt(normalized, i, code);
    if (emoji > 0) {
      units += DEFAULT_WEIGHT;
      i += emoji;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const low = normalized.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        // Astral code points are all outside the weight-1 ranges.
        units += DEFAULT_WEIGHT;
        i += 2;
        continue;
      }
    }
    units += weightOf(code); // a lone surrogate falls through here and weighs 2
    i++;
  }
  const weightedLength = units / SCALE;
  const valid =
    weightedLength > 0 &&
    weightedLength <= MAX_TWEET_LENGTH &&
    !INVALID_CHARACTERS.test(normalized) &&
    !BLANK.test(normalized);
  return { weightedLength, maxLength: MAX_TWEET_LENGTH, valid, normalized };
}
