/**
 * twitter-text's `parseTweet` results, computed from its published rules:
 *
 * - The text is NFC-normalised first; that is what gets sent and counted.
 * - Each link counts `transformedURLLength` (23), however long (url-extract.ts).
 * - With emoji parsing, each recommended emoji sequence counts the default
 *   weight (2) however many code points it holds (emoji.ts).
 * - Any other code point weighs what its range says (config), else the
 *   default weight; a lone surrogate weighs the default too.
 * - U+FFFE, U+FEFF and U+FFFF make a post invalid.
 *
 * Ranges are UTF-16 offsets, as twitter-text reports them: the display range
 * covers the text as given; the valid range ends at the last character that
 * still fits (shifted by what normalisation removed, as twitter-text does).
 *
 * Pure: no I/O, and nothing is compiled until the first call.
 */

import { emojiLengthAt } from './emoji.js';
import { TWEET_CONFIG_V3, type TweetConfig } from './tweet-config.js';
import { extractUrlSpans } from './url-extract.js';

export interface ParsedTweet {
  weightedLength: number;
  valid: boolean;
  /** weightedLength per thousand of the maximum, rounded down */
  permillage: number;
  displayRangeStart: number;
  displayRangeEnd: number;
  validRangeStart: number;
  validRangeEnd: number;
  /** NFC-normalised text that would be sent */
  normalized: string;
  /** the text holds U+FFFE, U+FEFF or U+FFFF, which X refuses */
  invalidCharacters: boolean;
}

function isInvalidCharacter(code: number): boolean {
  return code === 0xfffe || code === 0xfeff || code === 0xffff;
}

function weightOf(codePoint: number, config: TweetConfig): number {
  for (const [first, last, weight] of config.ranges) if (codePoint >= first && codePoint <= last) return weight;
  return config.defaultWeight;
}

export function parseTweet(text: string, config: TweetConfig = TWEET_CONFIG_V3): ParsedTweet {
  const normalized = text.normalize('NFC');
  const urls = extractUrlSpans(normalized);
  const limit = config.maxWeightedTweetLength * config.scale;
  let units = 0;
  let validEnd = -1; // last UTF-16 index (normalised) that still fits
  let invalid = false;
  let next = 0; // next link in `urls`
  const n = normalized.length;
  for (let i = 0; i < n; ) {
    while (next < urls.length && urls[next]!.start < i) next++;
    const url = urls[next];
    const code = normalized.charCodeAt(i);
    let step: number;
    if (url !== undefined && url.start === i) {
      units += config.transformedURLLength * config.scale;
      step = Math.max(1, url.length);
      next++;
    } else {
      const emoji = config.emojiParsingEnabled ? emojiLengthAt(normalized, i, code) : 0;
      if (emoji > 0) {
        units += config.defaultWeight;
        step = emoji;
      } else {
        const codePoint = normalized.codePointAt(i)!;
        units += weightOf(codePoint, config);
        step = codePoint > 0xffff ? 2 : 1;
      }
    }
    if (!invalid && isInvalidCharacter(code)) invalid = true;
    if (!invalid && units <= limit) validEnd = i + step - 1;
    i += step;
  }
  const weightedLength = units / config.scale;
  const shift = text.length - normalized.length;
  return {
    weightedLength,
    valid: !invalid && n > 0 && units <= limit,
    permillage: Math.floor((units * 1000) / limit),
    displayRangeStart: 0,
    displayRangeEnd: Math.max(0, text.length - 1),
    validRangeStart: 0,
    validRangeEnd: Math.max(0, validEnd + shift),
    normalized,
    invalidCharacters: invalid,
  };
}
