/**
 * Whether a whole string is one @username, one @username/list or one
 * #hashtag, by X's rules for them (as twitter-text's validators apply them):
 *
 * - a username: `@` (or the full-width `＠`) and 1–20 of A–Z a–z 0–9 _;
 * - a list: a username, `/`, then a letter and up to 24 more of A–Z a–z 0–9 _ -;
 * - a hashtag: `#` (or `＃`), then letters, marks, decimal digits, `_` and a
 *   few joiners and script punctuation X allows, with at least one letter or
 *   mark (all digits is no hashtag).
 *
 * Nothing before or after: a leading or trailing space makes it invalid.
 * Patterns compile on first use.
 */

const AT = '[@\\uFF20]';
const SCREEN_NAME = '[A-Za-z0-9_]{1,20}';
const LIST_SLUG = '[A-Za-z][A-Za-z0-9_-]{0,24}';
// Characters that join or punctuate words in some scripts and stay inside a hashtag.
const HASHTAG_SPECIAL =
  '_\\u200C\\u200D\\uA67E\\u05BE\\u05F3\\u05F4\\uFF5E\\u301C\\u309B\\u309C\\u30A0\\u30FB\\u3003\\u0F0B\\u0F0C\\u00B7';
const HASHTAG_ALPHA = '[\\p{L}\\p{M}]';
const HASHTAG_CHAR = `[\\p{L}\\p{M}\\p{Nd}${HASHTAG_SPECIAL}]`;

let patterns: { username: RegExp; list: RegExp; hashtag: RegExp } | undefined;

function get() {
  patterns ??= {
    username: new RegExp(`^${AT}${SCREEN_NAME}$`),
    list: new RegExp(`^${AT}${SCREEN_NAME}\\/${LIST_SLUG}$`),
    hashtag: new RegExp(`^[#\\uFF03]${HASHTAG_CHAR}*${HASHTAG_ALPHA}${HASHTAG_CHAR}*$`, 'u'),
  };
  return patterns;
}

export function isValidUsername(text: string): boolean {
  return get().username.test(text);
}

export function isValidList(text: string): boolean {
  return get().list.test(text);
}

export function isValidHashtag(text: string): boolean {
  return get().hashtag.test(text);
}
