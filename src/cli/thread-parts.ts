import { clean } from '../api/error-body.js';
import { tweetLength, type TweetLength } from '../text/index.js';
import { textProblem } from './text-problem.js';
import { UsageError } from './usage-error.js';

/** X has no limit on a thread's length; this bound keeps a wrong input from becoming 10 000 posts. */
export const MAX_THREAD_PARTS = 100;

/**
 * Splits a thread's text (stdin or --file) into parts at each line holding only `---` (a CR
 * before the line end is allowed, for files written on Windows). The line break before and after
 * a separator belongs to the separator; one trailing line break of the whole text is dropped, as
 * editors and `echo` add one (`dropFinalNewline` false: the reader already dropped it).
 */
export function splitThreadText(text: string, dropFinalNewline = true): string[] {
  const body = !dropFinalNewline
    ? text
    : text.endsWith('\r\n')
      ? text.slice(0, -2)
      : text.endsWith('\n')
        ? text.slice(0, -1)
        : text;
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
  if (parts.length === 0)
    throw new UsageError(
      'no parts: twauth thread "first" "second" …, or parts separated by lines of --- on stdin or in --file',
    );
  if (parts.length > MAX_THREAD_PARTS)
    throw new UsageError(`${parts.length} parts; twauth posts at most ${MAX_THREAD_PARTS} in one thread`);
  const problems: string[] = [];
  const checked = parts.map((text, i) => {
    const n = firstNumber + i;
    const length = tweetLength(text);
    const problem = textProblem(text, length, i === 0 && mediaOnFirst);
    if (problem !== undefined) {
      const where = problem.startsWith('too long')
        ? ` (“${preview(text)}”)`
        : i === parts.length - 1 && text === ''
          ? ' (a --- line at the end?)'
          : '';
      problems.push(`part ${n} is ${problem}${where}`);
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
