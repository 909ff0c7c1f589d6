/** X's limit for accounts without a subscription. */
export const MAX_TWEET_LENGTH = 280;

export type TextVerdict = { ok: true; text: string } | { ok: false; problem: 'empty' | 'too-long'; length: number };

/**
 * The emulator's own simple length rule: code points after NFC normalisation. Real X weighs
 * characters (twitter-text: URLs count 23, CJK counts 2); twauth only needs a consistent limit.
 * Whitespace-only text is empty, as on X.
 */
export function checkTweetText(raw: string): TextVerdict {
  const text = raw.normalize('NFC');
  const length = Array.from(text).length;
  if (text.trim() === '') return { ok: false, problem: 'empty', length };
  if (length > MAX_TWEET_LENGTH) return { ok: false, problem: 'too-long', length };
  return { ok: true, text };
}
