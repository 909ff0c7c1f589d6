import { postThread, ThreadStoppedError, type PostedPart } from '../../api/post-thread.js';
import { defineCommand, type Values } from '../command-spec.js';
import type { Context } from '../context.js';
import { checkMedia, uploadCheckedMedia, type CheckedMedia } from '../media-attachments.js';
import { describePlannedUploads, plannedMediaIds } from '../media-dry-run.js';
import { readStdin } from '../read-stdin.js';
import { readTextFile } from '../read-text-file.js';
import { checkThreadParts, MAX_THREAD_PARTS, splitThreadText } from '../thread-parts.js';
import { threadFailure, threadHint, type ThreadSource } from '../thread-report.js';
import { UsageError } from '../usage-error.js';
import { postUrl, profileUrl } from '../post-url.js';
import { ALT_OPTION, MAX_VIDEO_MB_OPTION, MEDIA_TIMEOUT_OPTION } from '../media-options.js';

/** A thread's input: MAX_THREAD_PARTS posts are far shorter; the bound keeps a wrong input from being read whole. */
const MAX_THREAD_INPUT_BYTES = 1 << 20;

export const spec = defineCommand({
  name: 'thread',
  topic: 'post',
  description: 'post a thread, each part a reply to the one before; prints ID URL per part',
  args: {
    parts: {
      required: false,
      variadic: true,
      description: 'the parts, in order (none: read them from stdin or --file)',
    },
  },
  options: {
    file: {
      flags: '--file <path>',
      type: 'string',
      description: 'read the parts from a file, separated by lines holding only ---',
    },
    replyTo: {
      flags: '--reply-to <id>',
      type: 'string',
      description: 'the first part replies to this post (to go on with a thread)',
    },
    skip: {
      flags: '--skip <n>',
      type: 'string',
      description: 'leave out the first N parts of the input (already posted)',
    },
    media: {
      flags: '--media <file>',
      type: 'list',
      description: 'attach an image, GIF or video to the first part; repeatable: up to 4 images, or 1 GIF, or 1 video',
    },
    alt: ALT_OPTION,
    mediaId: {
      flags: '--media-id <id>',
      type: 'list',
      description: 'attach media uploaded earlier (twauth media upload) to the first part; repeatable',
    },
    mediaTimeout: MEDIA_TIMEOUT_OPTION,
    maxVideoMb: MAX_VIDEO_MB_OPTION,
    dryRun: {
      flags: '--dry-run',
      type: 'boolean',
      description: 'check every part and media and show what would be sent, sending nothing',
    },
  },
  help:
    'Every part is checked before the first is sent. Parts are posted one after the\n' +
    'other, each printed as it is posted. On a failure twauth stops, says which\n' +
    'parts were posted and the command that goes on (--reply-to LAST_ID with the\n' +
    "parts left), and exits with that failure's code. A part is never sent twice.",
  examples: [
    'twauth thread "1/ first" "2/ second" "3/ third"',
    "printf 'first\\n---\\nsecond\\n' | twauth thread",
    'twauth thread --file thread.txt --media chart.png --alt "a rising chart"',
    'twauth thread --reply-to 1790000000000000000 --skip 2 --file thread.txt',
  ],
  json: 'one {"part", "id", "url", "in_reply_to", "text"} per posted part, one per line, as each is posted; with --dry-run one {"part", "weighted_length", "max_length", "method", "url", "body"} per part (and first {"uploads"} with media)',
});

async function readParts(ctx: Context, v: Values<typeof spec>): Promise<{ parts: string[]; source: ThreadSource }> {
  const args = [...v.parts];
  if (args.length > 0 && v.file !== undefined)
    throw new UsageError('give the parts as arguments or with --file, not both');
  const why = `a thread of ${MAX_THREAD_PARTS} parts is far shorter`;
  if (args.length === 1 && args[0] === '-')
    return { parts: splitThreadText(await readStdin(ctx.io, MAX_THREAD_INPUT_BYTES, why)), source: { kind: 'stdin' } };
  if (args.length > 0) return { parts: args, source: { kind: 'args', parts: args } };
  if (v.file !== undefined)
    return {
      parts: splitThreadText(await readTextFile(v.file, '--file', MAX_THREAD_INPUT_BYTES), false),
      source: { kind: 'file', path: v.file },
    };
  if (ctx.io.stdinIsTTY)
    throw new UsageError(
      'no parts: twauth thread "first" "second" …, or pipe them (separated by lines holding only ---), or --file PATH',
    );
  return { parts: splitThreadText(await readStdin(ctx.io, MAX_THREAD_INPUT_BYTES, why)), source: { kind: 'stdin' } };
}

function skipCount(raw: string | undefined, total: number): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) >= total)
    throw new UsageError(`--skip expects a number of parts below the ${total} given (got "${raw}"); nothing was sent`);
  return Number(raw);
}

export async function run(ctx: Context, v: Values<typeof spec>): Promise<void> {
  const { parts: all, source } = await readParts(ctx, v);
  const skipped = skipCount(v.skip, all.length);
  if (v.replyTo !== undefined && !/^\d{1,19}$/.test(v.replyTo))
    throw new UsageError(`--reply-to expects a post id (digits), got "${v.replyTo}"; nothing was sent`);
  // Everything is checked before anything is sent: the media files, then every part.
  const media = await checkMedia({
    media: v.media,
    alt: v.alt,
    mediaId: v.mediaId,
    mediaTimeout: v.mediaTimeout,
    maxVideoMb: v.maxVideoMb,
  });
  const parts = checkThreadParts(all.slice(skipped), media !== undefined, skipped + 1);

  if (v.dryRun)
    return dryRun(
      ctx,
      parts.map((p) => ({ text: p.text, weighted: p.length.weightedLength })),
      skipped,
      v.replyTo,
      media,
    );

  const creds = await ctx.credentials();
  const client = ctx.client(creds);
  const print = (p: PostedPart): void => {
    const url = postUrl(creds.apiBase, creds.screenName, p.id);
    const text = typeof p.data.text === 'string' ? p.data.text : null;
    ctx.io.out(
      ctx.settings.json
        ? JSON.stringify({ part: p.part, id: p.id, url, in_reply_to: p.inReplyTo ?? null, text })
        : `${p.id} ${url}`,
    );
  };
  try {
    await postThread(
      client,
      parts.map((p) => ({ text: p.text })),
      // The first part's media ids come from one call: every upload, then the --media-id ones.
      {
        replyTo: v.replyTo,
        firstNumber: skipped + 1,
        firstMedia: media ? () => uploadCheckedMedia(ctx, client, media) : undefined,
        onPosted: print,
      },
    );
  } catch (err) {
    if (!(err instanceof ThreadStoppedError)) throw err;
    throw threadFailure(err, threadHint(err, source, skipped, v.replyTo, profileUrl(creds.apiBase, creds.screenName)));
  }
}

/** What would be sent, part by part, with placeholders for the ids not yet known. */
async function dryRun(
  ctx: Context,
  parts: { text: string; weighted: number }[],
  skipped: number,
  replyTo: string | undefined,
  media: CheckedMedia | undefined,
): Promise<void> {
  const url = `${ctx.settings.explicitApiBase ?? 'https://api.x.com'}/2/tweets`;
  const total = skipped + parts.length;
  const mediaIds = media ? plannedMediaIds(media) : [];
  const lines: string[] = [];
  if (media) {
    const { SEGMENT_BYTES } = await import('../../api/media/upload-media.js');
    const uploads = describePlannedUploads(media, SEGMENT_BYTES);
    if (ctx.settings.json) lines.push(JSON.stringify({ uploads }));
    else lines.push(...uploads);
  }
  lines.push(
    ...parts.map((p, i) => {
      const n = skipped + i + 1;
      const previous = i === 0 ? replyTo : `(id of part ${n - 1})`;
      const body = {
        text: p.text,
        ...(previous !== undefined ? { reply: { in_reply_to_tweet_id: previous } } : {}),
        ...(i === 0 && mediaIds.length ? { media: { media_ids: mediaIds } } : {}),
      };
      return ctx.settings.json
        ? JSON.stringify({ part: n, weighted_length: p.weighted, max_length: 280, method: 'POST', url, body })
        : `part ${n}/${total} (${p.weighted}/280): POST ${url} ${JSON.stringify(body)}`;
    }),
  );
  if (!ctx.settings.json)
    lines.push(`${parts.length} part${parts.length === 1 ? '' : 's'} checked; nothing was sent (--dry-run)`);
  ctx.io.out(lines.join('\n'));
}
