/**
 * Emoji sequences that X counts as one unit of weight 2 however many code
 * points they hold (twitter-text v3 config, `emojiParsingEnabled`).
 *
 * Only sequences Unicode recommends count as one: those listed in
 * emoji-test.txt (UTS #51, the newest Emoji version; see rgi-emoji.ts), in any
 * of the forms it lists — 👨‍👩‍👧‍👦, 👋🏽, 🇯🇵, 🏴 + a subdivision tag
 * sequence, 1️⃣ and 1⃣, ❤️. Anything else — a pair of regional indicators
 * that is no flag, a tag sequence for no recommended subdivision, a ZWJ
 * between two arbitrary emoji, a skin tone after a character that takes
 * none — is not one emoji: each code point in it is counted on its own, as
 * twitter-text counts code points.
 *
 * A lone code point is never matched here: it weighs what its code point
 * weighs (the same 2 for every single-code-point emoji, except © and ®,
 * which twitter-text counts 1 unless VS16 asks for the emoji form).
 *
 * Compiled piecemeal on first use (see tailFor).
 */

import { RGI_EMOJI_TAILS } from './rgi-emoji.js';

/**
 * Per first code point, the compiled pattern for the rest of its sequences. Only the code points
 * a text holds are looked up and compiled: one regex for the whole table would cost milliseconds
 * to compile on every start of a command that counts a post. Only hits are kept (at most one per
 * line of the table), so a long-running sandbox's memory stays bounded whatever it is sent.
 */
const tails = new Map<number, RegExp>();

function tailFor(codePoint: number): RegExp | undefined {
  let re = tails.get(codePoint);
  if (re === undefined) {
    const key = `\n${codePoint.toString(16).toUpperCase()} `;
    const at = RGI_EMOJI_TAILS.indexOf(key);
    if (at === -1) return undefined;
    const start = at + key.length;
    re = new RegExp(RGI_EMOJI_TAILS.slice(start, RGI_EMOJI_TAILS.indexOf('\n', start)), 'uy');
    tails.set(codePoint, re);
  }
  return re;
}

/**
 * Length in UTF-16 units of the recommended emoji sequence (two code points
 * or more) starting at `index`, or 0. `code` is `text.charCodeAt(index)`,
 * passed in to skip the regex for the characters that cannot begin one.
 */
export function emojiLengthAt(text: string, index: number, code: number): number {
  let possible: boolean;
  if (code >= 0xd800 && code <= 0xdbff)
    possible = true; // astral: flags, most emoji
  else if (code >= 0x203c && code <= 0x3299)
    possible = true; // BMP pictographs (‼ … ㊙)
  else if (code === 0xa9 || code === 0xae) possible = text.charCodeAt(index + 1) === 0xfe0f;
  else if (code === 0x23 || code === 0x2a || (code >= 0x30 && code <= 0x39)) {
    const next = text.charCodeAt(index + 1);
    possible = next === 0xfe0f || next === 0x20e3;
  } else possible = false;
  if (!possible) return 0;
  const codePoint = text.codePointAt(index)!;
  const tail = tailFor(codePoint);
  if (tail === undefined) return 0;
  const lead = codePoint > 0xffff ? 2 : 1;
  tail.lastIndex = index + lead;
  const m = tail.exec(text);
  return m ? lead + m[0].length : 0;
}
