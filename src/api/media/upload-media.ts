import { open, type FileHandle } from 'node:fs/promises';
import type { PreparedRequest, XClient } from '../client.js';
import type { MediaFile } from './inspect-file.js';
import { MediaRuleError } from './media-rule-error.js';
import { MultipartSegment } from './multipart-segment.js';
import { parseProcessingInfo, type ProcessingInfo } from './processing-info.js';
import { MediaProcessingError, MediaProtocolError, MediaTimeoutError } from './upload-errors.js';

/** 4 MiB: under X's 5 MB advice and 8 MB maximum per append (X API v2 "Media upload"). */
export const SEGMENT_BYTES = 4 * 1024 * 1024;
/** segment_index runs 0–999. */
export const MAX_SEGMENTS = 1000;
export const DEFAULT_MEDIA_TIMEOUT_S = 600;

export type UploadProgress =
  | { readonly phase: 'upload'; readonly sent: number; readonly total: number }
  | { readonly phase: 'processing'; readonly percent: number | undefined };

export interface UploadDeps {
  readonly sleep: (ms: number) => Promise<void>;
  readonly nowMs: () => number;
  readonly onProgress?: ((p: UploadProgress) => void) | undefined;
  /** Opens the file (fs.promises.open by default). */
  readonly openFile?: ((path: string) => Promise<FileHandle>) | undefined;
}

export interface UploadOptions {
  readonly alt?: string | undefined;
  /** Bound on waiting for processing (--media-timeout), in seconds. */
  readonly timeoutSeconds?: number | undefined;
  readonly segmentBytes?: number | undefined;
}

export interface UploadedMedia {
  readonly id: string;
  /** X's `data` from the last answer about the upload (FINALIZE or STATUS). */
  readonly data: Record<string, unknown>;
}

/** Resolves after the current turn of the event loop (after I/O callbacks already queued). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function segmentSize(file: MediaFile, wanted: number): number {
  // A file too large for 1000 segments of the usual size gets larger ones (still within 8 MB).
  return Math.max(wanted, Math.ceil(file.size / MAX_SEGMENTS));
}

/**
 * Uploads one checked file through X's v2 chunked upload: INITIALIZE (JSON), APPEND segments
 * (multipart, read one at a time from the file), FINALIZE, STATUS until processed, then the alt
 * text (POST /2/media/metadata). Every step can be repeated without harm, so each is retried on
 * network errors and 5xx like a GET; an append retry resends the same segment_index. Any failure
 * throws, so no post is made with a half-finished upload.
 */
export async function uploadMedia(
  client: XClient,
  file: MediaFile,
  opts: UploadOptions,
  deps: UploadDeps,
): Promise<UploadedMedia> {
  const handle = await (deps.openFile ?? ((p: string) => open(p, 'r')))(file.path);
  let id: string;
  let data: Record<string, unknown>;
  try {
    // The file was checked earlier; it must still be the same size, or the upload would lie about total_bytes.
    if ((await handle.stat()).size !== file.size)
      throw new MediaRuleError(file.path, 'the file changed size since it was checked; nothing was posted');
    const bytes = segmentSize(file, opts.segmentBytes ?? SEGMENT_BYTES);
    // Two buffers: the next segment is read from disk while the current one is on the wire.
    const buffers = [new MultipartSegment(bytes), new MultipartSegment(bytes)] as const;
    const count = Math.ceil(file.size / bytes);
    const fill = (index: number): Promise<Uint8Array> => {
      const position = index * bytes;
      const length = Math.min(bytes, file.size - position);
      return buffers[index % 2]!.fill(index, length, async (into) => {
        const { bytesRead } = await handle.read(into, 0, length, position);
        if (bytesRead !== length)
          throw new MediaRuleError(file.path, 'the file became shorter while it was read; nothing was posted');
      });
    };
    // The first segment is read while INITIALIZE is on the wire.
    const first = fill(0);
    first.catch(() => undefined); // awaited after INITIALIZE, which may fail first
    const mediaId = await initialize(client, file);
    id = mediaId;
    // A segment's append, signed: ready to go out the moment the append before it is answered,
    // so that between the two the server waits for nothing but the wire.
    const append = (index: number, body: Uint8Array): PreparedRequest =>
      client.prepare({
        method: 'POST',
        path: `/2/media/upload/${mediaId}/append`,
        bytes: { contentType: buffers[index % 2]!.contentType, data: body },
        idempotent: true,
      });
    let sent = 0;
    deps.onProgress?.({ phase: 'upload', sent, total: file.size });
    let next = first.then((body) => append(0, body));
    for (let index = 0; index < count; index++) {
      const appended = client.request(await next);
      if (index + 1 < count) {
        // The next segment goes into the other buffer (the previous append, now answered, was
        // sent from it) while this one is on the wire. It is read one event-loop turn later,
        // once the transport has written this append to the socket (undici writes a request at
        // once, or from an immediate queued before this one when the connection was just freed):
        // on a fast link client and server share the CPUs, and a 4 MiB read made alongside that
        // write delayed the server (bench/README.md, "Where an upload's time goes").
        next = nextTurn()
          .then(() => fill(index + 1))
          .then((body) => append(index + 1, body));
        // Awaited in the next iteration; a failure there must not be reported as unhandled meanwhile.
        next.catch(() => undefined);
      }
      await appended;
      sent += Math.min(bytes, file.size - index * bytes);
      deps.onProgress?.({ phase: 'upload', sent, total: file.size });
    }
  } finally {
    await handle.close();
  }
  data = await finalize(client, id);
  data = await awaitProcessing(client, file, id, data, (opts.timeoutSeconds ?? DEFAULT_MEDIA_TIMEOUT_S) * 1000, deps);
  if (opts.alt !== undefined) {
    await client.request({
      method: 'POST',
      path: '/2/media/metadata',
      json: JSON.stringify({ id, metadata: { alt_text: { text: opts.alt } } }),
      idempotent: true,
    });
  }
  return { id, data };
}

async function initialize(client: XClient, file: MediaFile): Promise<string> {
  const { data } = await client.json<{ data?: { id?: unknown } }>({
    method: 'POST',
    path: '/2/media/upload/initialize',
    json: JSON.stringify({ media_type: file.mimeType, total_bytes: file.size, media_category: file.category }),
    idempotent: true,
  });
  const id = data?.data?.id;
  if (typeof id !== 'string' || !/^\d{1,19}$/.test(id))
    throw new MediaProtocolError('X accepted the upload but its answer has no media id (data.id)');
  return id;
}

async function finalize(client: XClient, id: string): Promise<Record<string, unknown>> {
  const { data } = await client.json<{ data?: Record<string, unknown> }>({
    method: 'POST',
    path: `/2/media/upload/${id}/finalize`,
    idempotent: true,
  });
  return data?.data ?? {};
}

/** Polls STATUS, waiting check_after_secs between polls, until succeeded, failed or the deadline. */
async function awaitProcessing(
  client: XClient,
  file: MediaFile,
  id: string,
  first: Record<string, unknown>,
  timeoutMs: number,
  deps: UploadDeps,
): Promise<Record<string, unknown>> {
  const deadline = deps.nowMs() + timeoutMs;
  let data = first;
  for (;;) {
    const info: ProcessingInfo | undefined | 'malformed' = parseProcessingInfo(data);
    if (info === 'malformed')
      throw new MediaProtocolError(`X's answer about media ${id} has a processing_info twauth cannot read`);
    if (info === undefined || info.state === 'succeeded') {
      if (info) deps.onProgress?.({ phase: 'processing', percent: 100 });
      return data;
    }
    if (info.state === 'failed') throw new MediaProcessingError(file.path, id, info.error);
    deps.onProgress?.({ phase: 'processing', percent: info.progressPercent });
    const wait = info.checkAfterSecs * 1000;
    if (deps.nowMs() + wait > deadline) throw new MediaTimeoutError(file.path, id, Math.round(timeoutMs / 1000));
    await deps.sleep(wait);
    const answer = await client.json<{ data?: Record<string, unknown> }>({
      method: 'GET',
      path: '/2/media/upload',
      query: [
        ['command', 'STATUS'],
        ['media_id', id],
      ],
    });
    data = answer.data?.data ?? {};
  }
}
