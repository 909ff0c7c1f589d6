/** The longest server- or bus-provided text shown in one message, in UTF-16 code units. */
export const PRINTABLE_MAX = 300;

// C0 and C1 controls (ESC starts every terminal escape sequence; CSI is U+009B), DEL, and the
// invisible Unicode formatting characters that reorder or hide text (zero-width, bidi embeddings
// and isolates: the "Trojan Source" characters of CVE-2021-42574).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * Makes text that came from a server (X, a fake X, the sandbox) or from the session bus safe to
 * print on a terminal: every control character becomes a space, so no escape sequence can move
 * the cursor, clear the screen, set the window title or forge a line of twauth's own output;
 * runs of white space collapse to one space; and the result is cut to `max` code units with "…"
 * (never in the middle of a surrogate pair: a lone surrogate is not text).
 */
export function printable(text: string, max: number = PRINTABLE_MAX): string {
  const flat = text.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1).replace(/[\uD800-\uDBFF]$/, '') + '…' : flat;
}

// The same set less tab and line feed, for text shown as a block of lines.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_BLOCK = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The same cleaning for a server's answer shown whole on a terminal (`twauth api`'s body when
 * stdout is one): lines and tabs are kept, nothing is cut; every other control character becomes
 * U+FFFD so that it shows instead of acting. Output to a pipe or file is never changed.
 */
export function printableBlock(text: string): string {
  return text.replace(UNSAFE_IN_BLOCK, '\uFFFD');
}

/** X's rule for usernames (X help: "Changing your username"): 1 to 15 of A–Z, a–z, 0–9 and underscore. */
export const USERNAME = /^[A-Za-z0-9_]{1,15}$/;

export function isUsername(value: unknown): value is string {
  return typeof value === 'string' && USERNAME.test(value);
}
