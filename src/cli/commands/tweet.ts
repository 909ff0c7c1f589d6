import { MalformedAnswerError } from '../../api/errors.js';
import { redactHeader } from '../../api/redact.js';
import { tweetLength } from '../../text/index.js';
import { postUrl } from '../post-url.js';
import { textProblem } from '../text-problem.js';
import { defineCommand, type Values } from '../command-spec.js';
import type { Context } from '../context.js';
import { checkMedia, uploadCheckedMedia, type CheckedMedia } from '../media-attachments.js';
import { describePlannedUploads, plannedMediaIds } from '../media-dry-run.js';
import { dropTrailingNewline, readStdin } from '../read-stdin.js';
import { readTextFile } from '../read-text-file.js';
import { NotLoggedInError, UsageError } from '../usage-error.js';
import { ALT_OPTION, MAX_VIDEO_MB_OPTION, MEDIA_TIMEOUT_OPTION } from '../media-options.js';

/**
 * The most standard input a tweet reads: X's longest post (25,000 characters, for Premium
 * subscribers; X Help Center "About X Premium") at 4 bytes each in UTF-8. Anything longer cannot
 * be posted by anyone, so it is refused before it is all read (twauth's own check is 280).
 */
export const MAX_TWEET_INPUT_BYTES = 100_000;

export const spec = defineCommand({
  name: 'tweet',
  topic: 'post',
  description: 'post a tweet (POST /2/tweets), with images, a GIF or a video; prints its id and URL',
  args: {
    text: {
      required: false,
      description: 'the text; "-" or absent with piped stdin reads standard input; optional with media',
    },
  },
  options: {
    replyTo: { flags: '--reply-to <id>', type: 'string', description: 'post as a reply to this tweet' },
    file: { flags: '--file <path>', type: 'string', description: 'read the text from this file' },
    media: {
      flags: '--media <file>',
      type: 'list',
      description: 'attach an image, GIF or video (uploaded first); repeatable: up to 4 images, or 1 GIF, or 1 video',
    },
    alt: ALT_OPTION,
    mediaId: {
      flags: '--media-id <id>',
      type: 'list',
      description: 'attach media uploaded earlier (twauth media upload); repeatable',
    },
    mediaTimeout: MEDIA_TIMEOUT_OPTION,
    maxVideoMb: MAX_VIDEO_MB_OPTION,
    dryRun: {
      flags: '--dry-run',
      type: 'boolean',
      description: 'check and show the request without sending it (files checked, nothing uploaded)',
    },
  },
  help: 'Media is checked before anything is sent: type by content, size (images 5 MB,\nGIFs 15 MB, video 512 MB), 4 images or 1 GIF or 1 video, alt text length.',
  examples: [
    'twauth tweet "hello from my terminal"',
    'echo "built $(date)" | twauth tweet',
    'twauth tweet "look" --media cat.jpg --alt "a grey cat asleep on a keyboard"',
    'twauth tweet --file notes.txt --media clip.mp4',
    'twauth tweet --dry-run "will this fit?"',
  ],
  json: '{"id", "text"} (X\'s data); with --dry-run {"weighted_length", "max_length", "uploads" (with media), "method", "url", "headers", "body"}',
});

type TweetValues = Values<typeof spec>;

async function tweetText(ctx: Context, opts: TweetValues, withMedia: boolean): Promise<string> {
  if (opts.file !== undefined) {
    if (opts.text !== undefined) throw new UsageError('give the text as an argument or with --file, not both');
    return readTextFile(opts.file, '--file', MAX_TWEET_INPUT_BYTES);
  }
  if (opts.text !== undefined && opts.text !== '-') return opts.text;
  if (opts.text === undefined && ctx.io.stdinIsTTY) {
    // With media the text may be left out.
    if (withMedia) return '';
    throw new UsageError('no text: twauth tweet "TEXT", or pipe the text on standard input');
  }
  return dropTrailingNewline(await readStdin(ctx.io, MAX_TWEET_INPUT_BYTES, "X's longest post is 25,000 characters"));
}

export async function run(ctx: Context, opts: TweetValues): Promise<void> {
  const withMedia = opts.media.length > 0 || opts.mediaId.length > 0;
  const text = await tweetText(ctx, opts, withMedia);
  // Checked here so that nothing is sent that X would refuse (twitter-text v3 weighting).
  const length = tweetLength(text);
  const problem = textProblem(text, length, withMedia);
  if (problem !== undefined) throw new UsageError(`the text is ${problem}; nothing was sent`);
  if (opts.replyTo !== undefined && !/^\d{1,19}$/.test(opts.replyTo))
    throw new UsageError(`--reply-to expects a tweet id (digits), got "${opts.replyTo}"`);
  // Every file is checked before anything is sent.
  const media = await checkMedia(opts);
  const body = (mediaIds: string[] | undefined) =>
    JSON.stringify({
      // X takes a post of media alone without "text".
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
  const { data } = await client.json<{ data?: { id?: string; text?: string } }>({
    method: 'POST',
    path: '/2/tweets',
    json: body(mediaIds),
  });
  const id = data?.data?.id;
  // A 2xx without the new tweet's id (X: "Manage Posts", POST /2/tweets returns data.id) says
  // nothing about whether it was posted: the same unknown outcome as a timeout, in both modes.
  if (typeof id !== 'string' || !/^\d{1,19}$/.test(id))
    throw new MalformedAnswerError('POST /2/tweets', 'no data.id', true);
  if (ctx.settings.json) return ctx.io.out(JSON.stringify(data!.data));
  ctx.io.out(`${id} ${postUrl(creds.apiBase, creds.screenName, id)}`);
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
    ctx.io.out(
      JSON.stringify({
        weighted_length: weighted,
        max_length: 280,
        ...(media ? { uploads } : {}),
        method: 'POST',
        url,
        headers: redactAll(headers),
        body: JSON.parse(body),
      }),
    );
    return;
  }
  ctx.io.out(
    [
      ...uploads,
      ...(uploads.length ? [''] : []),
      `POST ${url}`,
      ...Object.entries(redactAll(headers)).map(([k, v]) => `${k}: ${v}`),
      '',
      body,
      '',
      `weighted length: ${weighted}/280`,
    ].join('\n'),
  );
}

function redactAll(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, redactHeader(k, v)]));
}
