/**
 * Emoji sequences, which X counts as one unit of weight 2 however many code
 * points they hold (twitter-text v3, `emojiParsingEnabled`): ZWJ sequences
 * (👨‍👩‍👧‍👦), skin tones (👋🏽), flags (🇯🇵, 🏴 + tag sequences), keycaps (1️⃣)
 * and variation selectors (❤️).
 *
 * Built on Unicode properties (UTS #51 emoji sequence grammar) instead of a
 * list, so new emoji are covered as Node's Unicode data grows. Compiled on
 * first use.
 */

const ELEMENT = [
  // Flag: a pair of regional indicators.
  String.raw`\p{Regional_Indicator}\p{Regional_Indicator}`,
  // Keycap: # * 0-9, optional VS16, then U+20E3.
  String.raw`[#*0-9]\uFE0F?\u20E3`,
  // © and ® are ordinary text unless VS16 asks for the emoji form.
  String.raw`[\u00A9\u00AE]\uFE0F`,
  // A pictograph (not asking for text form with VS15), then a skin tone or a tag sequence.
  String.raw`(?![\u00A9\u00AE])\p{Extended_Pictographic}(?:\uFE0F|(?!\uFE0E))\p{Emoji_Modifier}?(?:[\u{E0020}-\u{E007E}]+\u{E007F})?`,
  // A skin-tone swatch on its own.
  String.raw`\p{Emoji_Modifier}`,
].join('|');

const SEQUENCE = `(?:${ELEMENT})(?:\\u200D(?:${ELEMENT}))*`;

let sticky: RegExp | undefined;

/**
 * Length in UTF-16 units of the emoji sequence starting at `index`, or 0.
 * `code` is `text.charCodeAt(index)`, passed in to skip the regex for the
 * characters that cannot begin an emoji (nearly all text).
 */
export function emojiLengthAt(text: string, index: number, code: number): number {
  const next = text.charCodeAt(index + 1);
  let possible: boolean;
  if (code >= 0xd800 && code <= 0xdbff) possible = true; // astral: flags, most emoji
  else if (code >= 0x203c && code <= 0x3299) possible = true; // BMP pictographs (‼ … ㊙)
  else if (code === 0xa9 || code === 0xae) possible = next === 0xfe0f;
  else if (code === 0x23 || code === 0x2a || (code >= 0x30 && code <= 0x39)) possible = next === 0xfe0f || next === 0x20e3;
  else possible = false;
  if (!possible) return 0;
  sticky ??= new RegExp(SEQUENCE, 'uy');
  sticky.lastIndex = index;
  const m = sticky.exec(text);
  return m ? m[0].length : 0;
}
