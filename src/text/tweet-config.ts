/**
 * How X weighs a post's text: twitter-text's published configurations
 * (config/v1.json, v2.json, v3.json in its repository). X counts with v3.
 *
 * Weights are in 1/scale units: with scale 100, a weight of 200 counts 2.
 */

/** [first, last, weight] code point range. */
export type WeightRange = readonly [first: number, last: number, weight: number];

export interface TweetConfig {
  readonly version: 1 | 2 | 3;
  readonly maxWeightedTweetLength: number;
  readonly scale: number;
  readonly defaultWeight: number;
  readonly transformedURLLength: number;
  /** Recommended emoji sequences count as one default-weight unit (emoji.ts). */
  readonly emojiParsingEnabled: boolean;
  readonly ranges: readonly WeightRange[];
}

/** The 2017 ranges that weigh 1: Latin … Georgian (U+0000–U+10FF) and some general punctuation. */
const LIGHT_RANGES: readonly WeightRange[] = [
  [0x0000, 0x10ff, 100],
  [0x2000, 0x200d, 100],
  [0x2010, 0x201f, 100],
  [0x2032, 0x2037, 100],
];

/** 140 code points, every one weighing 1 (before 2017). */
export const TWEET_CONFIG_V1: TweetConfig = {
  version: 1,
  maxWeightedTweetLength: 140,
  scale: 1,
  defaultWeight: 1,
  transformedURLLength: 23,
  emojiParsingEnabled: false,
  ranges: [],
};

/** 280, CJK and most symbols weighing 2 (November 2017). */
export const TWEET_CONFIG_V2: TweetConfig = {
  version: 2,
  maxWeightedTweetLength: 280,
  scale: 100,
  defaultWeight: 200,
  transformedURLLength: 23,
  emojiParsingEnabled: false,
  ranges: LIGHT_RANGES,
};

/** v2, plus an emoji sequence counting 2 however many code points it holds (2018; what X uses). */
export const TWEET_CONFIG_V3: TweetConfig = { ...TWEET_CONFIG_V2, version: 3, emojiParsingEnabled: true };
