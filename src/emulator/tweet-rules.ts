import { tweetLength } from '../text/index.js';

/** X's limit for accounts without a subscription. */
export const MAX_TWEET_LENGTH = 280;

export type TextVerdict = { ok: true; text: string } | { ok: false; problem: 'empty' | 'too-long'; length: number };

/**
 * X's length rule, as X counts (twitter-text v3 weighting: the text NFC-normalised, each link 23,
 * CJK and most symbols 2, a recommended emoji sequence 2): at most 280. A text of only whitespace
 * and invisible characters is empty, as on X. The counting is the same as twauth's (src/text), so
 * what twauth lets through the sandbox takes, and the other way round.
 */
export function checkTweetText(raw: string): TextVerdict {
  const r = tweetLength(raw);
  if (r.blank) return { ok: false, problem: 'empty', length: r.weightedLength };
  if (r.weightedLength > MAX_TWEET_LENGTH) return { ok: false, problem: 'too-long', length: r.weightedLength };
  return { ok: true, text: r.normalized };
}
