import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { authenticate } from './authenticate.js';
import type { RouteContext } from './context.js';
import { categoryLimit, CATEGORY_TYPES, isCategory, typeFromHead } from './media-formats.js';
import { jsonObjectBody } from './media-json.js';
import { MEDIA_LIFETIME_MS, type MediaRecord } from './media-store.js';
import { MultipartError, MultipartStream, multipartBoundary } from './multipart-stream.js';
import { ENDPOINT_LIMITS, rateLimitHeaders, type EndpointLimit } from './rate-limit.js';
import { resourceEndpoint, type Principal } from './resource-endpoint.js';
import { jsonResponse, withHeaders, type EmuResponse } from './responses.js';
import { invalidOrExpiredToken, invalidRequest, payloadTooLarge, readOnlyApp, tooManyRequestsFor } from './x-errors.js';

/** X takes appends of up to 8 MB of media each. */
export const MAX_SEGMENT_BYTES = 8 * 1024 * 1024;
/** The whole append body: the segment plus the multipart framing and the segment_index field. */
export const MAX_APPEND_BODY = MAX_SEGMENT_BYTES + 64 * 1024;
const MAX_SEGMENTS = 1000;
// Enough for the content type, and for a fast-start MP4's movie header (its length).
const HEAD_BYTES = 4096;

function mediaIdParameter(message: string, id: string): EmuResponse {
  return invalidRequest(message, { media_id: [id] });
}

/** The upload, if it exists and belongs to this person (others' ids look unknown, as on X). */
function ownUpload(ctx: RouteContext, who: Principal, id: string): MediaRecord | undefined {
  const record = ctx.services.media.find(id);
  return record && record.userId === who.user.id && record.consumerKey === who.app.consumerKey ? record : undefined;
}

function mediaData(ctx: RouteContext, record: MediaRecord): Record<string, unknown> {
  const info = ctx.services.media.processing(record);
  return {
    id: record.id,
    media_key: record.mediaKey,
    size: record.totalBytes,
    expires_after_secs: Math.max(0, Math.floor((record.expiresAtMs - ctx.services.clock.nowMs()) / 1000)),
    ...(info ? { processing_info: info } : {}),
  };
}

/** POST /2/media/upload/initialize: {media_type, total_bytes, media_category} → data.id. */
export const mediaInitialize = resourceEndpoint(ENDPOINT_LIMITS.mediaInitialize, (ctx, who) => {
  if (who.token.access === 'read') return readOnlyApp();
  const parsed = jsonObjectBody(ctx);
  if (!parsed.ok) return parsed.response;
  const { media_type, total_bytes, media_category } = parsed.body;
  const category = media_category ?? 'tweet_image';
  if (!isCategory(category))
    return invalidRequest('$.media_category: one of tweet_image, tweet_gif, tweet_video is required.', {
      media_category: [String(category)],
    });
  if (typeof media_type !== 'string' || !CATEGORY_TYPES[category].includes(media_type)) {
    return invalidRequest(`$.media_type: ${category} takes ${CATEGORY_TYPES[category].join(', ')}.`, {
      media_type: [String(media_type)],
    });
  }
  if (typeof total_bytes !== 'number' || !Number.isSafeInteger(total_bytes) || total_bytes <= 0) {
    return invalidRequest('$.total_bytes: a positive integer is required.', { total_bytes: [String(total_bytes)] });
  }
  const limit = categoryLimit(category, ctx.services.media.settings.maxVideoMb);
  if (total_bytes > limit)
    return invalidRequest(`$.total_bytes: ${total_bytes} exceeds the ${limit}-byte limit for ${category}.`, {
      total_bytes: [String(total_bytes)],
    });
  const record = ctx.services.media.create({
    userId: who.user.id,
    consumerKey: who.app.consumerKey,
    mediaType: media_type,
    category,
    totalBytes: total_bytes,
  });
  return jsonResponse(200, {
    data: { id: record.id, media_key: record.mediaKey, expires_after_secs: MEDIA_LIFETIME_MS / 1000 },
  });
});

/** POST /2/media/upload/{id}/finalize: every segment 0..n-1 present, total_bytes matched, content of the declared type. */
export const mediaFinalize = resourceEndpoint(ENDPOINT_LIMITS.mediaFinalize, (ctx, who) => {
  const id = mediaIdFromPath(ctx.path);
  const record = id === undefined ? undefined : ownUpload(ctx, who, id);
  if (!record) return mediaIdParameter('The media_id is unknown or not yours.', id ?? '');
  // FINALIZE again (a retry whose answer was lost) reports the same upload.
  if (record.finalizedAtMs !== undefined) return jsonResponse(200, { data: mediaData(ctx, record) });
  let received = 0;
  for (let i = 0; i < record.segments.size; i++) {
    const segment = record.segments.get(i);
    if (!segment)
      return mediaIdParameter(
        `Segment ${i} is missing (segments must be numbered 0 to ${record.segments.size - 1}).`,
        record.id,
      );
    received += segment.bytes;
  }
  if (received !== record.totalBytes)
    return mediaIdParameter(`${received} bytes were appended but total_bytes was ${record.totalBytes}.`, record.id);
  const sniffed = typeFromHead(record.head);
  if (sniffed !== record.mediaType)
    return mediaIdParameter(
      `The uploaded content is ${sniffed ?? 'not a supported media type'}, not ${record.mediaType}.`,
      record.id,
    );
  ctx.services.media.finalize(record);
  return jsonResponse(200, { data: mediaData(ctx, record) });
});

/** GET /2/media/upload?command=STATUS&media_id=ID (the query is signed). */
export const mediaStatus = resourceEndpoint(ENDPOINT_LIMITS.mediaStatus, (ctx, who) => {
  const get = (name: string) => ctx.query.find(([k]) => k === name)?.[1];
  if (get('command') !== 'STATUS')
    return invalidRequest('command: STATUS is the only command for GET.', { command: [get('command') ?? ''] });
  const id = get('media_id') ?? '';
  const record = ownUpload(ctx, who, id);
  if (!record) return mediaIdParameter('The media_id is unknown or not yours.', id);
  if (record.finalizedAtMs === undefined) return mediaIdParameter('The upload has not been finalized.', id);
  return jsonResponse(200, { data: mediaData(ctx, record) });
});

/** POST /2/media/metadata: {"id", "metadata": {"alt_text": {"text"}}}, alt text at most 1000 characters. */
export const mediaMetadata = resourceEndpoint(ENDPOINT_LIMITS.mediaMetadata, (ctx, who) => {
  if (who.token.access === 'read') return readOnlyApp();
  const parsed = jsonObjectBody(ctx);
  if (!parsed.ok) return parsed.response;
  const { id, metadata } = parsed.body;
  const record = typeof id === 'string' ? ownUpload(ctx, who, id) : undefined;
  if (!record) return invalidRequest('$.id: the media id is unknown or not yours.', { id: [String(id)] });
  const text = (metadata as { alt_text?: { text?: unknown } } | undefined)?.alt_text?.text;
  if (typeof text !== 'string') return invalidRequest('$.metadata.alt_text.text: a string is required.');
  if (Array.from(text).length > 1000) return invalidRequest('$.metadata.alt_text.text: at most 1000 characters.');
  record.altText = text;
  return jsonResponse(200, { data: { id: record.id, associated_metadata: { alt_text: { text } } } });
});

export function mediaIdFromPath(path: string): string | undefined {
  return /^\/2\/media\/upload\/(\d{1,19})\/(?:append|finalize)$/.exec(path)?.[1];
}

/** Reads and discards a body, up to a bound; false when it was larger. */
function drain(req: IncomingMessage, limit: number): Promise<boolean> {
  return new Promise((resolve) => {
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        resolve(false);
      }
    });
    req.on('end', () => resolve(true));
    req.on('close', () => resolve(size <= limit));
  });
}

/**
 * POST /2/media/upload/{id}/append: multipart `segment_index` and `media`, parsed while the body
 * arrives. The segment is hashed, never kept. Authentication uses the query and the header only
 * (multipart bodies are not signed), before the body is read.
 */
export async function mediaAppend(ctx: RouteContext, req: IncomingMessage): Promise<EmuResponse> {
  const early = (response: EmuResponse) => earlyAnswer(req, response);
  const auth = authenticate(ctx, 'access');
  if (!auth.ok) return early(auth.response);
  const user = ctx.services.state.findUserById(auth.token.userId);
  if (!user) return early(invalidOrExpiredToken());
  const limit: EndpointLimit = ENDPOINT_LIMITS.mediaAppend;
  const { allowed, window } = ctx.services.rateLimits.consume(`${auth.token.token}\u0000${limit.key}`, limit.limit);
  const headers = { ...rateLimitHeaders(window), 'x-access-level': auth.token.access };
  if (!allowed) return early(withHeaders(tooManyRequestsFor(ctx.path), headers));
  const who: Principal = { app: auth.app, user, token: auth.token };
  return withHeaders(await appendAs(ctx, who, req), headers);
}

async function earlyAnswer(req: IncomingMessage, response: EmuResponse): Promise<EmuResponse> {
  return (await drain(req, MAX_APPEND_BODY))
    ? response
    : withHeaders(payloadTooLarge(MAX_APPEND_BODY), { connection: 'close' });
}

async function appendAs(ctx: RouteContext, who: Principal, req: IncomingMessage): Promise<EmuResponse> {
  const early = (response: EmuResponse) => earlyAnswer(req, response);
  if (who.token.access === 'read') return early(readOnlyApp());
  const id = mediaIdFromPath(ctx.path) ?? '';
  const record = ownUpload(ctx, who, id);
  if (!record) return early(mediaIdParameter('The media_id is unknown or not yours.', id));
  if (record.finalizedAtMs !== undefined) return early(mediaIdParameter('The upload is already finalized.', id));
  const boundary = multipartBoundary(headerValue(ctx.headers['content-type']));
  if (!boundary) return early(invalidRequest('The Content-Type must be multipart/form-data with a boundary.'));
  const declared = Number(ctx.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_APPEND_BODY)
    return withHeaders(payloadTooLarge(MAX_APPEND_BODY), { connection: 'close' });

  const hash = createHash('sha256');
  let bytes = 0;
  let head = Buffer.alloc(0);
  const parser = new MultipartStream(boundary, 'media', { fieldBytes: 1024, headerBytes: 8192, parts: 8 }, (chunk) => {
    bytes += chunk.length;
    if (bytes > MAX_SEGMENT_BYTES) throw new MultipartError(`a segment is larger than ${MAX_SEGMENT_BYTES} bytes`);
    if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
    hash.update(chunk);
  });
  let total = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_APPEND_BODY) return withHeaders(payloadTooLarge(MAX_APPEND_BODY), { connection: 'close' });
      parser.push(chunk);
    }
    parser.end();
  } catch (err) {
    if (!(err instanceof MultipartError)) throw err;
    const rest = await drain(req, MAX_APPEND_BODY);
    return withHeaders(
      invalidRequest(`The multipart body is malformed: ${err.message}.`),
      rest ? {} : { connection: 'close' },
    );
  }

  const rawIndex = parser.fields.get('segment_index');
  if (!parser.fields.has('media')) return invalidRequest('media: the segment bytes are required.', { media: [] });
  if (rawIndex === undefined || !/^\d{1,3}$/.test(rawIndex.trim()))
    return invalidRequest('segment_index: an integer from 0 to 999 is required.', { segment_index: [rawIndex ?? ''] });
  const index = Number(rawIndex.trim());
  if (index >= MAX_SEGMENTS)
    return invalidRequest('segment_index: an integer from 0 to 999 is required.', { segment_index: [rawIndex] });
  if (bytes === 0) return invalidRequest('media: the segment is empty.', { media: [] });
  const segment = { bytes, sha256: hash.digest('hex') };
  const earlier = record.segments.get(index);
  if (earlier) {
    // The same segment again (a retry whose answer was lost) is harmless; different bytes under a used index are not.
    if (earlier.bytes === segment.bytes && earlier.sha256 === segment.sha256) return appendAccepted(ctx, record);
    return invalidRequest(`segment_index: segment ${index} was already appended with other content.`, {
      segment_index: [String(index)],
    });
  }
  let received = 0;
  for (const s of record.segments.values()) received += s.bytes;
  if (received + bytes > record.totalBytes) {
    return invalidRequest(
      `segment_index: segment ${index} would bring the upload to ${received + bytes} bytes, over total_bytes ${record.totalBytes}.`,
      { segment_index: [String(index)] },
    );
  }
  record.segments.set(index, segment);
  if (index === 0) record.head = head;
  return appendAccepted(ctx, record);
}

function appendAccepted(_ctx: RouteContext, record: MediaRecord): EmuResponse {
  return jsonResponse(200, { data: { expires_at: Math.floor(record.expiresAtMs / 1000) } });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
