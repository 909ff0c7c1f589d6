import type { ThreadStoppedError } from '../api/post-thread.js';
import { shellQuote } from './shell-quote.js';

/** Where a thread's parts came from, to say how to go on after a failure. */
export type ThreadSource =
  | { readonly kind: 'args'; readonly parts: readonly string[] }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' };

/** Longest resume command printed with the parts spelt out; beyond it, --skip is suggested. */
const MAX_SPELT_OUT = 2000;

/** A thread that stopped, with what to tell the person (report-error.ts turns it into lines and the cause's exit code). */
export class ThreadReportError extends Error {
  override readonly name = 'ThreadReportError';
  constructor(
    readonly stopped: ThreadStoppedError,
    /** What was posted and how to go on, one line each. */
    readonly hint: readonly string[],
  ) {
    super(stopped.message);
  }
}

/**
 * The resume command: `twauth thread --reply-to LAST …` with the parts not yet posted. `inputIndex`
 * is the index, in the input, of the first part to send again.
 */
function resumeCommand(replyTo: string | undefined, source: ThreadSource, inputIndex: number): string {
  const reply = replyTo !== undefined ? ` --reply-to ${replyTo}` : '';
  if (source.kind === 'args') {
    const rest = source.parts.slice(inputIndex).map(shellQuote).join(' ');
    if (rest.length <= MAX_SPELT_OUT) return `twauth thread${reply} ${rest}`;
  }
  const skip = inputIndex > 0 ? ` --skip ${inputIndex}` : '';
  if (source.kind === 'file') return `twauth thread${reply}${skip} --file ${shellQuote(source.path)}`;
  return `twauth thread${reply}${skip} < (the same input)`;
}

/**
 * What was posted and how to go on. `skipped`: parts of the input left out by --skip;
 * `replyTo`: the --reply-to the thread started from.
 */
export function threadHint(err: ThreadStoppedError, source: ThreadSource, skipped: number, replyTo: string | undefined, profileUrl: string): string[] {
  const last = err.posted.at(-1);
  const posted = last
    ? `posted part${err.posted.length === 1 ? '' : 's'} ${err.posted[0]!.part}${err.posted.length > 1 ? `–${last.part}` : ''} of ${err.totalParts} (last: ${last.id}); part ${err.failedPart} and after were not.`
    : `nothing was posted.`;
  const nextIndex = skipped + err.posted.length; // input index of the failed part
  const from = last?.id ?? replyTo;
  if (!err.outcomeUnknown) {
    if (!last && replyTo === undefined && skipped === 0) return [posted, 'Fix the problem and run the same command again.'];
    return [last ? posted : `part ${err.failedPart} was not posted.`, `To go on: ${resumeCommand(from, source, nextIndex)}`];
  }
  return [
    last ? `posted part${err.posted.length === 1 ? '' : 's'} ${err.posted[0]!.part}${err.posted.length > 1 ? `–${last.part}` : ''} of ${err.totalParts} (last: ${last.id}).` : 'no part is known to be posted.',
    `Part ${err.failedPart} MAY have been posted: look at ${profileUrl} before going on.`,
    `If it was, go on from its id: ${resumeCommand('ITS_ID', source, nextIndex + 1)}`,
    `If it was not: ${resumeCommand(from, source, nextIndex)}`,
  ];
}
