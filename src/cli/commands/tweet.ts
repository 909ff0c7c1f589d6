import { redactHeader } from '../../api/redact.js';
import { tweetLength } from '../../text/index.js';
import type { Context } from '../context.js';
import { checkMedia, uploadCheckedMedia, type CheckedMedia } from '../media-attachments.js';
import { describePlannedUploads, plannedMediaIds } from '../media-dry-run.js';
import { dropTrailingNewline, readStdin } from '../read-stdin.js';
import { readTextFile } from '../read-text-file.js';
import { NotLoggedInError, UsageError } from '../usage-error.js';

interface TweetOptions {
  replyTo?: string;
  dryRun?: boolean;
  file?: string;
  media?: string[];
  alt?: string[];
  mediaId?: string[];
  mediaTimeout?: string;
  maxVideoMb?: string;
}

async function tweetText(ctx: Context, arg: string | undefined, opts: TweetOptions, withMedia: boolean): Promise<string> {
  if (opts.file !== undefined) {
    if (arg !== undefined) throw new UsageError('give the text as an argument or with --file, not both');
    return readTextFile(opts.file);
  }
  if (arg !== undefined && arg !== '-') return arg;
  if (arg === undefined && ctx.io.stdinIsTTY) {
    // With media the text may be left out.
    if (withMedia) return '';
    throw new UsageError('no text: twauth tweet "TEXT", or pipe the text on standard input');
  }
  return dropTrailingNewline(await readStdin());
}

export async function run(ctx: Context, [arg]: unknown[], opts: TweetOptions): Promise<void> {
  const withMedia = Boolean(opts.media?.length || opts.mediaId?.length);
  const text = await tweetText(ctx, arg as string | undefined, opts, withMedia);
  // Checked here so that nothing is sent that X would refuse (twitter-text v3 weighting).
  const length = tweetLength(text);
  if (text.trim() === '' && !withMedia) throw new UsageError('the text is empty; nothing was sent');
  if (!length.valid && !(withMedia && text === '')) throw new UsageError(`the text is too long: ${length.weightedLength}/280 weighted characters (URLs count 23, most CJK and emoji 2); nothing was sent`);
  if (opts.replyTo !== undefined && !/^\d{1,19}$/.test(opts.replyTo)) throw new UsageError(`--reply-to expects a tweet id (digits), got "${opts.replyTo}"`);
  // Every file is checked before anything is sent.
  const media = await checkMedia(opts);
  const body = (mediaIds: string[] | undefined) =>
    JSON.stringify({
      ...(text !== '' || !mediaIds ? { text } : {}),
      ...(opts.replyTo ? { reply: { in_reply_to_tweet_id: opts.replyTo } } : {}),
      ...(mediaIds ? { media: { media_ids: mediaIds } } : {}),
    });

  if (opts.dryRun) return dryRun(ctx, body(media ? plannedMediaIds(media) : undefined), length.weightedLength, media);

  const creds = await ctx.credentials();
  const client = ctx.client(creds);
  let mediaIds: string[] | undefined;
  if (media) {
    try {
      mediaIds = await uploadCheckedMedia(ctx, client, media);
    } catch (err) {
      // An upload that failed never leads to a post.
      ctx.io.err('twauth: an upload failed; nothing was posted');
      throw err;
    }
  }
  const { data } = await client.json<{ data?: { id?: string; text?: string } }>({ method: 'POST', path: '/2/tweets', json: body(mediaIds) });
  const id = data?.data?.id;
  if (ctx.settings.json) return ctx.io.out(JSON.stringify(data?.data ?? null));
  if (!id) throw new Error('X accepted the tweet but its answer has no data.id');
  ctx.io.out(`${id} https://x.com/${creds.screenName ?? 'i'}/status/${id}`);
}

/** The request that would be sent, signed, with every secret redacted; uploads described first. */
async function dryRun(ctx: Context, body: string, weighted: number, media: CheckedMedia | undefined): Promise<void> {
  let uploads: string[] = [];
  if (media) {
    const { SEGMENT_BYTES } = await import('../../api/media/upload-media.js');
    uploads = describePlannedUploads(media, SEGMENT_BYTES);
  }
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
    ctx.io.out(JSON.stringify({ weighted_length: weighted, max_length: 280, ...(media ? { uploads } : {}), method: 'POST', url, headers: redactAll(headers), body: JSON.parse(body) }));
    return;
  }
  ctx.io.out([...uploads, ...(uploads.length ? [''] : []), `POST ${url}`, ...Object.entries(redactAll(headers)).map(([k, v]) => `${k}: ${v}`), '', body, '', `weighted length: ${weighted}/280`].join('\n'));
}

function redactAll(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, redactHeader(k, v)]));
}
