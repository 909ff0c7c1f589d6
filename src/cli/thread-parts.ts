import { clean } from '../api/error-body.js';
import { tweetLength, type TweetLength } from '../text/index.js';
import { UsageError } from './usage-error.js';

/** X has no limit on a thread's length; this bound keeps a wrong input from becoming 10 000 posts. */
export const MAX_THREAD_PARTS = 100;

/**
 * Splits a thread's text (stdin or --file) into parts at each line holding only `---` (a CR
 * before the line end is allowed, for files written on Windows). The line break before and after
 * a separator belongs to the separator; one trailing line break of the whole text is dropped, as
 * editors and `echo` add one.
 */
export function splitThreadText(text: string): string[] {
  const body = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  const parts: string[] = [];
  let current: string[] = [];
  for (const line of body.split('\n')) {
    if (line === '---' || line === '---\r') {
      parts.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  parts.push(current.join('\n'));
  // The CR of a CRLF line that ends a part belongs to its line break.
  return parts.map((p) => (p.endsWith('\r') ? p.slice(0, -1) : p));
}

export interface CheckedPart {
  readonly text: string;
  readonly length: TweetLength;
}

/**
 * Checks every part as X would (tweet-length rules), before anything is sent: all problems at
 * once, each naming its part, so one run fixes them all. `mediaOnFirst`: the first part carries
 * media, so its text may be empty (X takes a post with media and no text).
 */
export function checkThreadParts(parts: readonly string[], mediaOnFirst: boolean, firstNumber = 1): CheckedPart[] {
  if (parts.length === 0) throw new UsageError('no parts: twauth thread "first" "second" …, or parts separated by lines of --- on stdin or in --file');
  if (parts.length > MAX_THREAD_PARTS) throw new UsageError(`${parts.length} parts; twauth posts at most ${MAX_THREAD_PARTS} in one thread`);
  const problems: string[] = [];
  const checked = parts.map((text, i) => {
    const n = firstNumber + i;
    const length = tweetLength(text);
    if (length.blank) {
      if (!(i === 0 && mediaOnFirst && text === '')) {
        problems.push(`part ${n} is ${text === '' ? 'empty' : 'only whitespace or invisible characters'}${i === parts.length - 1 && text === '' ? ' (a --- line at the end?)' : ''}`);
      }
    } else if (length.invalidCharacters) {
      problems.push(`part ${n} holds U+FFFE, U+FEFF or U+FFFF, which X refuses`);
    } else if (!length.valid) {
      problems.push(`part ${n} is too long: ${length.weightedLength}/280 weighted characters (“${preview(text)}”)`);
    }
    return { text, length };
  });
  if (problems.length) throw new UsageError(`${problems.join('; ')}; nothing was sent`);
  return checked;
}

/** The start of a part, cleaned, for messages. */
export function preview(text: string, max = 30): string {
  const flat = clean(text);
  const chars = Array.from(flat);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}
