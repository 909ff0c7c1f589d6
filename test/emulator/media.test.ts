// The emulator's media endpoints, driven by twauth's own upload code (src/api/media) over real
// HTTP, and by hand-made requests for what a correct client never sends.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock, undiciTransport, XApiError, XClient } from '../../src/api/index.js';
import {
  DEFAULT_MEDIA_LIMITS,
  inspectMediaFile,
  MediaProcessingError,
  MediaTimeoutError,
  MultipartSegment,
  planMedia,
  uploadMedia,
  type UploadProgress,
} from '../../src/api/media/index.js';
import { accessToken } from '../../src/oauth1/index.js';
import { gif, jpeg, mp4, png, writeVideo } from '../helpers/media-files.js';
import { ALICE, BOB, useEmulator } from './support/emulator.js';
import { SANDBOX_CONSUMER } from './support/oauth-client.js';

const emu = useEmulator({ media: { processingMs: 1200 } });
const dir = mkdtempSync(join(tmpdir(), 'twauth-media-'));
const file = (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};

function client(user = ALICE): XClient {
  const t = emu().issueAccessToken(user, SANDBOX_CONSUMER.key);
  return new XClient(
    {
      apiBase: emu().url,
      consumer: SANDBOX_CONSUMER,
      token: accessToken(t.token, t.secret),
      timeoutMs: 10_000,
      retry: { attempts: 4, baseMs: 1, capMs: 5 },
    },
    {
      send: undiciTransport({}),
      clock: systemClock(0),
      randomBytes: (n) => new Uint8Array(n).map(() => Math.floor(Math.random() * 256)),
      random: Math.random,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    },
  );
}
const deps = (progress: UploadProgress[] = []) => ({
  sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  nowMs: () => Date.now(),
  onProgress: (p: UploadProgress) => progress.push(p),
});
const post = (c: XClient, body: unknown) =>
  c.json<{ data: { id: string } }>({ method: 'POST', path: '/2/tweets', json: JSON.stringify(body) });
const status = async (p: Promise<unknown>) => {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof XApiError) return err.status;
    throw err;
  }
};
const digestOf = (bytes: Buffer, segment: number) => {
  const outer = createHash('sha256');
  for (let at = 0; at < bytes.length; at += segment)
    outer.update(
      createHash('sha256')
        .update(bytes.subarray(at, at + segment))
        .digest('hex'),
    );
  return outer.digest('hex');
};

describe('media upload through the emulator', () => {
  it('an image with alt text: initialize, one append, finalize, metadata; the post carries it', async () => {
    const c = client();
    const bytes = png(20_000);
    const plan = await planMedia({
      files: [file('cat.png', bytes)],
      alts: ['a gradient'],
      limits: DEFAULT_MEDIA_LIMITS,
    });
    const before = emu().requests().length;
    const progress: UploadProgress[] = [];
    const up = await uploadMedia(c, plan.uploads[0]!.file, { alt: 'a gradient' }, deps(progress));
    const paths = emu()
      .requests()
      .slice(before)
      .map((r) => `${r.method} ${r.path.replace(up.id, 'ID')} ${r.status}`);
    expect(paths).toEqual([
      'POST /2/media/upload/initialize 200',
      'POST /2/media/upload/ID/append 200',
      'POST /2/media/upload/ID/finalize 200',
      'POST /2/media/metadata 200',
    ]);
    expect(progress).toEqual([
      { phase: 'upload', sent: 0, total: bytes.length },
      { phase: 'upload', sent: bytes.length, total: bytes.length },
    ]);
    expect(
      emu()
        .media()
        .find((m) => m.id === up.id),
    ).toMatchObject({
      mediaType: 'image/png',
      category: 'tweet_image',
      totalBytes: bytes.length,
      segments: 1,
      phase: 'succeeded',
      altText: 'a gradient',
      digest: digestOf(bytes, 4 * 1024 * 1024),
    });
    const { data } = await post(c, { media: { media_ids: [up.id] } });
    expect(
      emu()
        .tweets()
        .find((t) => t.id === data.data.id),
    ).toMatchObject({ text: '', mediaIds: [up.id] });
  });

  it('a video of several segments goes through processing (STATUS polled, percent reported)', async () => {
    const c = client();
    const path = join(dir, 'clip.mp4');
    await writeVideo(path, 300_000);
    const f = await inspectMediaFile(path, DEFAULT_MEDIA_LIMITS);
    expect(f).toMatchObject({ format: 'mp4', category: 'tweet_video', mimeType: 'video/mp4', size: 300_000 });
    const before = emu().requests().length;
    const progress: UploadProgress[] = [];
    const up = await uploadMedia(c, f, { segmentBytes: 100_000 }, deps(progress));
    const log = emu().requests().slice(before);
    expect(log.filter((r) => r.path.endsWith('/append')).length).toBe(3);
    expect(log.filter((r) => r.method === 'GET' && r.path === '/2/media/upload').length).toBeGreaterThanOrEqual(1);
    expect(progress.filter((p) => p.phase === 'upload').map((p) => (p as { sent: number }).sent)).toEqual([
      0, 100_000, 200_000, 300_000,
    ]);
    expect(progress.at(-1)).toEqual({ phase: 'processing', percent: 100 });
    expect(up.data.processing_info).toMatchObject({ state: 'succeeded' });
    expect(
      emu()
        .media()
        .find((m) => m.id === up.id),
    ).toMatchObject({ segments: 3, phase: 'succeeded', category: 'tweet_video' });
    expect((await post(c, { text: 'a clip', media: { media_ids: [up.id] } })).data.data.id).toMatch(/^\d+$/);
  });

  it('an animated GIF is tweet_gif, a still one tweet_image', async () => {
    expect((await inspectMediaFile(file('still.gif', gif(1)), DEFAULT_MEDIA_LIMITS)).category).toBe('tweet_image');
    const anim = await inspectMediaFile(file('anim.gif', gif(3, 5000)), DEFAULT_MEDIA_LIMITS);
    expect(anim.category).toBe('tweet_gif');
    const up = await uploadMedia(client(), anim, {}, deps());
    expect(
      emu()
        .media()
        .find((m) => m.id === up.id),
    ).toMatchObject({ category: 'tweet_gif', phase: 'succeeded' });
  });

  it('retries: 503 and a reset during append, a reset and a 503 after finalize took effect: one upload, one post', async () => {
    const c = client();
    const bytes = jpeg(250_000);
    const f = await inspectMediaFile(file('retry.jpg', bytes), DEFAULT_MEDIA_LIMITS);
    const before = emu().requests().length;
    // Faults armed from the progress callback: right after initialize (for the first append) and
    // right after the last append (for finalize).
    const onProgress = (p: UploadProgress) => {
      if (p.phase !== 'upload') return;
      if (p.sent === 0)
        emu().setFaults({ paths: ['/2/media/upload/'], status503: { next: 1 }, reset: { next: 1, after: true } });
      if (p.sent === p.total)
        emu().setFaults({ paths: ['/2/media/upload/'], reset: { next: 1, after: true }, status503After: { next: 1 } });
    };
    try {
      const up = await uploadMedia(c, f, { segmentBytes: 100_000 }, { ...deps(), onProgress });
      expect(
        emu()
          .media()
          .find((x) => x.id === up.id),
      ).toMatchObject({ segments: 3, phase: 'succeeded', digest: digestOf(bytes, 100_000) });
      const log = emu()
        .requests()
        .slice(before)
        .map((r) => `${r.path.replace(up.id, 'ID')} ${r.status}`);
      expect(log).toEqual([
        '/2/media/upload/initialize 200',
        '/2/media/upload/ID/append 503',
        '/2/media/upload/ID/append 0',
        '/2/media/upload/ID/append 200',
        '/2/media/upload/ID/append 200',
        '/2/media/upload/ID/append 200',
        '/2/media/upload/ID/finalize 0',
        '/2/media/upload/ID/finalize 503',
        '/2/media/upload/ID/finalize 200',
      ]);
      const tweets = emu().tweets().length;
      await post(c, { text: 'after faults', media: { media_ids: [up.id] } });
      expect(emu().tweets().length).toBe(tweets + 1);
    } finally {
      emu().setFaults({});
    }
  });

  it('a failed processing is an error naming the file; the media cannot be posted', async () => {
    const c = client();
    emu().setMedia({ failProcessing: 1 });
    const f = await inspectMediaFile(file('bad.mp4', mp4(5000)), DEFAULT_MEDIA_LIMITS);
    const err = await uploadMedia(c, f, {}, deps()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaProcessingError);
    expect((err as Error).message).toMatch(
      /bad\.mp4: X could not process the upload \(media \d+\): InvalidMedia: Unsupported video format/,
    );
    const id = (err as MediaProcessingError).mediaId;
    expect(await status(post(c, { media: { media_ids: [id] } }))).toBe(400);
  });

  it('processing longer than --media-timeout is a timeout error', async () => {
    emu().setMedia({ processingMs: 60_000 });
    try {
      const f = await inspectMediaFile(file('slow.mp4', mp4(5000)), DEFAULT_MEDIA_LIMITS);
      const err = await uploadMedia(client(), f, { timeoutSeconds: 2 }, deps()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MediaTimeoutError);
      expect((err as Error).message).toMatch(/slow\.mp4: X was still processing media \d+ after 2 s/);
    } finally {
      emu().setMedia({ processingMs: 1200 });
    }
  });
});

describe('the emulator refuses what X refuses', () => {
  async function init(c: XClient, body: unknown): Promise<string> {
    return (
      await c.json<{ data: { id: string } }>({
        method: 'POST',
        path: '/2/media/upload/initialize',
        json: JSON.stringify(body),
      })
    ).data.data.id;
  }
  async function append(c: XClient, id: string, index: number | string, bytes: Buffer) {
    const m = new MultipartSegment(bytes.length);
    const data = await m.fill(Number(index), bytes.length, async (into) => void bytes.copy(into));
    const body =
      typeof index === 'string'
        ? Buffer.from(
            Buffer.from(data)
              .toString('latin1')
              .replace('\r\n\r\n' + Number(index) + '\r\n', `\r\n\r\n${index}\r\n`),
            'latin1',
          )
        : data;
    return c.request({
      method: 'POST',
      path: `/2/media/upload/${id}/append`,
      bytes: { contentType: m.contentType, data: body },
    });
  }
  const finalize = (c: XClient, id: string) => c.request({ method: 'POST', path: `/2/media/upload/${id}/finalize` });

  it('initialize: unknown category, a type the category does not take, over the size limit', async () => {
    const c = client();
    expect(await status(init(c, { media_type: 'image/png', total_bytes: 10, media_category: 'tweet_audio' }))).toBe(
      400,
    );
    expect(await status(init(c, { media_type: 'video/mp4', total_bytes: 10, media_category: 'tweet_image' }))).toBe(
      400,
    );
    expect(
      await status(
        init(c, { media_type: 'image/png', total_bytes: 5 * 1024 * 1024 + 1, media_category: 'tweet_image' }),
      ),
    ).toBe(400);
    expect(
      await status(init(c, { media_type: 'video/mp4', total_bytes: 513 * 1024 * 1024, media_category: 'tweet_video' })),
    ).toBe(400);
    emu().setMedia({ maxVideoMb: 1024 });
    expect(
      await status(init(c, { media_type: 'video/mp4', total_bytes: 513 * 1024 * 1024, media_category: 'tweet_video' })),
    ).toBe(200);
    emu().setMedia({ maxVideoMb: 512 });
  });

  it('segments: out of range, different bytes under a used index, too many bytes; the same segment again is fine', async () => {
    const c = client();
    const bytes = png(3000);
    const id = await init(c, { media_type: 'image/png', total_bytes: bytes.length, media_category: 'tweet_image' });
    expect(await status(append(c, id, 1000, bytes.subarray(0, 1000)))).toBe(400);
    expect(await status(append(c, id, '-1', bytes.subarray(0, 1000)))).toBe(400);
    expect(await status(append(c, id, 0, bytes.subarray(0, 1000)))).toBe(200);
    expect(await status(append(c, id, 0, bytes.subarray(0, 1000)))).toBe(200);
    expect(await status(append(c, id, 0, bytes.subarray(1000, 2000)))).toBe(400);
    expect(await status(append(c, id, 2, bytes.subarray(2000)))).toBe(200);
    // segment 1 is missing
    expect(await status(finalize(c, id))).toBe(400);
    expect(await status(append(c, id, 1, bytes.subarray(1000, 2001)))).toBe(400); // total_bytes exceeded
    expect(await status(append(c, id, 1, bytes.subarray(1000, 2000)))).toBe(200);
    expect(await status(finalize(c, id))).toBe(200);
    expect(await status(append(c, id, 3, bytes.subarray(0, 10)))).toBe(400); // finalized
  });

  it('finalize: fewer bytes than total_bytes; content that is not the declared type', async () => {
    const c = client();
    const short = await init(c, { media_type: 'image/png', total_bytes: 5000, media_category: 'tweet_image' });
    await append(c, short, 0, png(3000));
    expect(await status(finalize(c, short))).toBe(400);
    const jpg = jpeg(2000);
    const liar = await init(c, { media_type: 'image/png', total_bytes: jpg.length, media_category: 'tweet_image' });
    await append(c, liar, 0, jpg);
    const err = await finalize(c, liar).catch((e: unknown) => e as XApiError);
    expect((err as XApiError).status).toBe(400);
    expect((err as XApiError).rawBody).toContain('The uploaded content is image/jpeg, not image/png.');
  });

  it("media ids: someone else's, unfinished, with a poll, five, a video with an image", async () => {
    const alice = client();
    const bob = client(BOB);
    const up = async (c: XClient, name: string, bytes: Buffer) =>
      (await uploadMedia(c, await inspectMediaFile(file(name, bytes), DEFAULT_MEDIA_LIMITS), {}, deps())).id;
    const bobs = await up(bob, 'b.png', png(100));
    expect(await status(post(alice, { text: 'x', media: { media_ids: [bobs] } }))).toBe(400);
    expect(await status(post(bob, { text: 'mine', media: { media_ids: [bobs] } }))).toBe(200);
    const pending = await init(alice, { media_type: 'image/png', total_bytes: 100, media_category: 'tweet_image' });
    expect(await status(post(alice, { text: 'x', media: { media_ids: [pending] } }))).toBe(400);
    const img = await up(alice, 'a.png', png(200));
    expect(
      await status(
        post(alice, { text: 'x', media: { media_ids: [img] }, poll: { options: ['a', 'b'], duration_minutes: 60 } }),
      ),
    ).toBe(400);
    expect(await status(post(alice, { text: 'x', media: { media_ids: [img] }, quote_tweet_id: '1' }))).toBe(400);
    expect(await status(post(alice, { text: 'x', media: { media_ids: [img, img, img, img, img] } }))).toBe(400);
    expect(await status(post(alice, { text: 'x', media: { media_ids: [] } }))).toBe(400);
    const vid = await up(alice, 'v.mp4', mp4(3000));
    expect(await status(post(alice, { text: 'x', media: { media_ids: [vid, img] } }))).toBe(400);
    const imgs = [
      img,
      await up(alice, 'a2.png', png(300)),
      await up(alice, 'a3.png', png(400)),
      await up(alice, 'a4.png', png(500)),
    ];
    expect(await status(post(alice, { text: 'four', media: { media_ids: imgs } }))).toBe(200);
  });

  it('an append body over the bound is refused without buffering it', async () => {
    const c = client();
    const id = await init(c, { media_type: 'video/mp4', total_bytes: 20 * 1024 * 1024, media_category: 'tweet_video' });
    const big = Buffer.alloc(9 * 1024 * 1024, 1);
    expect(await status(append(c, id, 0, big))).toBe(413);
  });
});

describe('media switches on the control endpoint', () => {
  const control = (method: string, body?: unknown) =>
    fetch(`${emu().url}/_emulator/media`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('POST sets processing time, failures and the video limit; malformed values are refused; GET lists uploads', async () => {
    const set = await control('POST', { processingMs: 0, failProcessing: 2, maxVideoMb: 1024 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({
      settings: { processingMs: 0, failNext: 2, maxVideoMb: 1024, maxVideoSeconds: 140 },
    });
    for (const bad of [{ processingMs: -1 }, { failProcessing: 1.5 }, { maxVideoMb: 0 }, { bogus: 1 }])
      expect((await control('POST', bad)).status).toBe(400);
    const list = (await (await control('GET')).json()) as { uploads: { id: string; phase: string }[] };
    expect(list.uploads.length).toBe(emu().media().length);
    emu().setMedia({ processingMs: 1200, failProcessing: 0, maxVideoMb: 512 });
  });
});

describe('fault paths with * for one segment', () => {
  it('/2/media/upload/*/finalize matches FINALIZE of any upload, nothing else', async () => {
    const { FaultInjector } = await import('../../src/emulator/faults.js');
    const f = new FaultInjector(1);
    f.set({ paths: ['/2/media/upload/*/finalize'], status503: { rate: 1 } });
    expect(f.applies('/2/media/upload/123/finalize')).toBe(true);
    expect(f.applies('/2/media/upload/123/append')).toBe(false);
    expect(f.applies('/2/media/upload/initialize')).toBe(false);
    expect(f.applies('/2/media/upload/1/2/finalize')).toBe(false);
    f.set({ paths: ['/2/tweets'] });
    expect(f.applies('/2/tweets')).toBe(true);
  });
});
