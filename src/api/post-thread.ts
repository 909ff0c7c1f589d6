import type { XClient } from './client.js';
import { NetworkError, XApiError } from './errors.js';

/** One post of a thread, checked beforehand. */
export interface ThreadPart {
  readonly text: string;
}

export interface PostedPart {
  /** 1-based, counted in the whole thread (after any --skip). */
  readonly part: number;
  readonly id: string;
  /** The post it replies to, if any. */
  readonly inReplyTo: string | undefined;
  /** X's `data` for the post. */
  readonly data: Record<string, unknown>;
}

export interface ThreadOptions {
  /** The first part replies to this post (resuming a thread, or answering a post). */
  readonly replyTo?: string | undefined;
  /** Media ids for the first part only (uploaded once, before the first part is sent). */
  readonly firstMedia?: (() => Promise<readonly string[]>) | undefined;
  /** Number of the first part, for messages (1, or more when resuming). */
  readonly firstNumber?: number | undefined;
  /** Told as each part is posted, before the next one is sent. */
  readonly onPosted?: ((p: PostedPart) => void) | undefined;
}

/**
 * The thread stopped at `failedPart`: `posted` were posted (in order), the rest were not sent.
 * `outcomeUnknown`: the failed part itself may have been posted (the request went out and no
 * answer proves otherwise), so it must be checked before going on.
 */
export class ThreadStoppedError extends Error {
  override readonly name = 'ThreadStoppedError';
  constructor(
    readonly posted: readonly PostedPart[],
    readonly failedPart: number,
    readonly totalParts: number,
    override readonly cause: unknown,
    readonly outcomeUnknown: boolean,
  ) {
    super(`the thread stopped at part ${failedPart} of ${totalParts}`);
  }
}

function unknownOutcome(err: unknown): boolean {
  return (err instanceof NetworkError || err instanceof XApiError) && err.mayHaveTakenEffect;
}

/**
 * Posts `parts` one after the other, each a reply to the one before (POST /2/tweets with
 * reply.in_reply_to_tweet_id). POST /2/tweets is never retried (XClient), so no part is posted
 * twice; on the first failure nothing more is sent and ThreadStoppedError says what was posted.
 */
export async function postThread(
  client: XClient,
  parts: readonly ThreadPart[],
  opts: ThreadOptions = {},
): Promise<PostedPart[]> {
  const first = opts.firstNumber ?? 1;
  const total = first - 1 + parts.length;
  const posted: PostedPart[] = [];
  let previous = opts.replyTo;
  for (const [i, part] of parts.entries()) {
    const number = first + i;
    try {
      const mediaIds = i === 0 && opts.firstMedia ? await opts.firstMedia() : [];
      const body = {
        text: part.text,
        ...(previous !== undefined ? { reply: { in_reply_to_tweet_id: previous } } : {}),
        ...(mediaIds.length ? { media: { media_ids: [...mediaIds] } } : {}),
      };
      const { data } = await client.json<{ data?: Record<string, unknown> }>({
        method: 'POST',
        path: '/2/tweets',
        json: JSON.stringify(body),
      });
      const id = data?.data?.id;
      if (typeof id !== 'string' || !/^\d{1,19}$/.test(id)) {
        // X said yes but gave no id: the part is most likely posted, but the next cannot reply to it.
        throw new ThreadStoppedError(
          posted,
          number,
          total,
          new Error('X accepted the post but its answer has no data.id'),
          true,
        );
      }
      const done: PostedPart = { part: number, id, inReplyTo: previous, data: data!.data! };
      posted.push(done);
      opts.onPosted?.(done);
      previous = id;
    } catch (err) {
      if (err instanceof ThreadStoppedError) throw err;
      throw new ThreadStoppedError(posted, number, total, err, unknownOutcome(err));
    }
  }
  return posted;
}
