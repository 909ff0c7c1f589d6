import { MalformedAnswerError } from '../../api/errors.js';
import { redactHeader } from '../../api/redact.js';
import { tweetLength } from '../../text/index.js';
import type { Context } from '../context.js';
import { dropTrailingNewline, readStdin } from '../read-stdin.js';
import { NotLoggedInError, UsageError } from '../usage-error.js';
import { defineCommand, type Values } from '../command-spec.js';

/**
 * The most standard input a tweet reads: X's longest post (25,000 characters, for Premium
 * subscribers; X Help Center "About X Premium") at 4 bytes each in UTF-8. Anything longer cannot
 * be posted by anyone, so it is refused before it is all read (twauth's own check is 280).
 */
export const MAX_TWEET_INPUT_BYTES = 100_000;

export const spec = defineCommand({
  name: 'tweet',
  description: 'post a tweet (POST /2/tweets); prints its id and URL',
  args: {
    text: { required: false, description: 'the text; "-" or absent with piped stdin reads standard input' },
  },
  options: {
    replyTo: { flags: '--reply-to <id>', type: 'string', description: 'post as a reply to this tweet' },
    dryRun: { flags: '--dry-run', type: 'boolean', description: 'check and show the request without sending it' },
  },
  examples: ['twauth tweet "hello from my terminal"', 'echo "built $(date)" | twauth tweet', 'twauth tweet --dry-run "will this fit?"'],
  json: '{"id", "text"} (X\'s data); with --dry-run {"weighted_length", "max_length", "method", "url", "headers", "body"}',
});

async function tweetText(ctx: Context, arg: string | undefined): Promise<string> {
  if (arg !== undefined && arg !== '-') return arg;
  if (arg === undefined && ctx.io.stdinIsTTY) throw new UsageError('no text: twauth tweet "TEXT", or pipe the text on standard input');
  return dropTrailingNewline(await readStdin(ctx.io, MAX_TWEET_INPUT_BYTES, "X's longest post is 25,000 characters"));
}

export async function run(ctx: Context, opts: Values<typeof spec>): Promise<void> {
  const text = await tweetText(ctx, opts.text);
  // Checked here so that nothing is sent that X would refuse (twitter-text v3 weighting).
  const length = tweetLength(text);
  if (text.trim() === '') throw new UsageError('the text is empty; nothing was sent');
  if (!length.valid) throw new UsageError(`the text is too long: ${length.weightedLength}/280 weighted characters (URLs count 23, most CJK and emoji 2); nothing was sent`);
  if (opts.replyTo !== undefined && !/^\d{1,19}$/.test(opts.replyTo)) throw new UsageError(`--reply-to expects a tweet id (digits), got "${opts.replyTo}"`);
  const body = JSON.stringify({ text, ...(opts.replyTo ? { reply: { in_reply_to_tweet_id: opts.replyTo } } : {}) });

  if (opts.dryRun) return dryRun(ctx, body, length.weightedLength);

  const creds = await ctx.credentials();
  const client = ctx.client(creds);
  const { data } = await client.json<{ data?: { id?: string; text?: string } }>({ method: 'POST', path: '/2/tweets', json: body });
  const id = data?.data?.id;
  // A 2xx without the new tweet's id (X: "Manage Posts", POST /2/tweets returns data.id) says
  // nothing about whether it was posted: the same unknown outcome as a timeout, in both modes.
  if (typeof id !== 'string' || !/^\d{1,19}$/.test(id)) throw new MalformedAnswerError('POST /2/tweets', 'no data.id', true);
  if (ctx.settings.json) return ctx.io.out(JSON.stringify(data!.data));
  ctx.io.out(`${id} https://x.com/${creds.screenName ?? 'i'}/status/${id}`);
}

/** The request that would be sent, signed, with every secret redacted. */
async function dryRun(ctx: Context, body: string, weighted: number): Promise<void> {
  let headers: Record<string, string>;
  let url: string;
  try {
    const creds = await ctx.credentials();
    const client = ctx.client(creds);
    const target = new URL(client.config.apiBase.replace(/\/+$/, '') + '/2/tweets');
    url = target.href;
    headers = client.headers('POST', target, { method: 'POST', path: '/2/tweets', json: body });
  } catch (err) {
    if (!(err instanceof NotLoggedInError)) throw err;
    url = `${ctx.settings.explicitApiBase ?? 'https://api.x.com'}/2/tweets`;
    headers = { authorization: '(not logged in: run twauth login)', 'content-type': 'application/json' };
  }
  if (ctx.settings.json) {
    ctx.io.out(JSON.stringify({ weighted_length: weighted, max_length: 280, method: 'POST', url, headers: redactAll(headers), body: JSON.parse(body) }));
    return;
  }
  ctx.io.out([`POST ${url}`, ...Object.entries(redactAll(headers)).map(([k, v]) => `${k}: ${v}`), '', body, '', `weighted length: ${weighted}/280`].join('\n'));
}

function redactAll(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, redactHeader(k, v)]));
}
