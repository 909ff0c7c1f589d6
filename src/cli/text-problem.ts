import type { TweetLength } from '../text/index.js';

/**
 * Why X would refuse a post's text, in words for the person (no prefix), or undefined when X
 * takes it: blank (only whitespace and invisible characters; allowed empty when media is
 * attached, as X takes a post with media and no text), a character X refuses, or too long.
 */
export function textProblem(text: string, length: TweetLength, mediaAttached: boolean): string | undefined {
  if (length.blank) {
    if (mediaAttached && text === '') return undefined;
    return text === '' ? 'empty' : 'only whitespace or invisible characters';
  }
  if (length.invalidCharacters) return 'holding U+FFFE, U+FEFF or U+FFFF, which X refuses';
  if (!length.valid)
    return `too long: ${length.weightedLength}/280 weighted characters (links count 23, most CJK and emoji 2)`;
  return undefined;
}
