import type { ThreadStoppedError } from '../api/post-thread.js';
import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';
import { toCliError } from './report-error.js';
import { shellQuote } from './shell-quote.js';

/** Where a thread's parts came from, to say how to go on after a failure. */
export type ThreadSource =
  | { readonly kind: 'args'; readonly parts: readonly string[] }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin' };

/** Longest resume command printed with the parts spelt out; beyond it, --skip is suggested. */
const MAX_SPELT_OUT = 2000;

/**
 * A thread that stopped, as the person is told it: the failure's own words and exit code, prefixed
 * by the part it struck, then (as the hint, one line each) what was posted and how to go on.
 */
export function threadFailure(err: ThreadStoppedError, hint: readonly string[]): CliError {
  const cause = toCliError(err.cause);
  const e = err.cause as Error | undefined;
  const message = cause ? cause.message : `unexpected error: ${e?.message ?? String(err.cause)}`;
  const lines = [...(cause?.hint ? [cause.hint] : []), ...hint];
  return new CliError(
    `part ${err.failedPart} of ${err.totalParts}: ${message}`,
    cause?.exitCode ?? EXIT.unexpected,
    lines.join('\n'),
  );
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
export function threadHint(
  err: ThreadStoppedError,
  source: ThreadSource,
  skipped: number,
  replyTo: string | undefined,
  profileUrl: string,
): string[] {
  const last = err.posted.at(-1);
  const posted = last
    ? `posted part${err.posted.length === 1 ? '' : 's'} ${err.posted[0]!.part}${err.posted.length > 1 ? `–${last.part}` : ''} of ${err.totalParts} (last: ${last.id}); part ${err.failedPart} and after were not.`
    : `nothing was posted.`;
  const nextIndex = skipped + err.posted.length; // input index of the failed part
  const from = last?.id ?? replyTo;
  if (!err.outcomeUnknown) {
    if (!last && replyTo === undefined && skipped === 0)
      return [posted, 'Fix the problem and run the same command again.'];
    return [
      last ? posted : `part ${err.failedPart} was not posted.`,
      `To go on: ${resumeCommand(from, source, nextIndex)}`,
    ];
  }
  return [
    last
      ? `posted part${err.posted.length === 1 ? '' : 's'} ${err.posted[0]!.part}${err.posted.length > 1 ? `–${last.part}` : ''} of ${err.totalParts} (last: ${last.id}).`
      : 'no part is known to be posted.',
    `Part ${err.failedPart} MAY have been posted: look at ${profileUrl} before going on.`,
    `If it was, go on from its id: ${resumeCommand('ITS_ID', source, nextIndex + 1)}`,
    `If it was not: ${resumeCommand(from, source, nextIndex)}`,
  ];
}
