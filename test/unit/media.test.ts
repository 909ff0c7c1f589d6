import { mkdtempSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../../src/api/index.js';
import {
  DEFAULT_MEDIA_LIMITS,
  inspectMediaFile,
  mediaLimits,
  MediaRuleError,
  parseProcessingInfo,
  planMedia,
  sniffFormat,
  uploadMedia,
} from '../../src/api/media/index.js';
import { MultipartError, MultipartStream } from '../../src/emulator/multipart-stream.js';
import { fakeXClient } from '../helpers/fake-client.js';
import { gif, jpeg, mp4, png } from '../helpers/media-files.js';

const dir = mkdtempSync(join(tmpdir(), 'twauth-media-unit-'));
const file = (name: string, bytes: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const rule = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaRuleError);
  return (err as Error).message;
};

describe('sniffing', () => {
  it('reads the format from the content', () => {
    expect(sniffFormat(jpeg(10))).toBe('jpeg');
    expect(sniffFormat(png())).toBe('png');
    expect(sniffFormat(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(sniffFormat(gif())).toBe('gif');
    expect(sniffFormat(mp4())).toBe('mp4');
    expect(sniffFormat(mp4(64, 'qt  '))).toBe('mov');
    expect(sniffFormat(Buffer.from('%PDF-1.7 hello'))).toBeUndefined();
    expect(sniffFormat(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeUndefined();
  });

  it('a file named .jpg holding text is refused by content; a PNG named .jpg is a PNG', async () => {
    expect(await rule(inspectMediaFile(file('fake.jpg', 'not an image at all'), DEFAULT_MEDIA_LIMITS))).toMatch(
      /fake\.jpg: not a JPEG, PNG, WebP, GIF, MP4 or MOV file \(judged by its content/,
    );
    expect((await inspectMediaFile(file('real.jpg', png()), DEFAULT_MEDIA_LIMITS)).mimeType).toBe('image/png');
  });

  it('GIF: one frame is an image, two are tweet_gif, a truncated one is refused', async () => {
    expect((await inspectMediaFile(file('one.gif', gif(1, 4000)), DEFAULT_MEDIA_LIMITS)).category).toBe('tweet_image');
    expect((await inspectMediaFile(file('two.gif', gif(2, 4000)), DEFAULT_MEDIA_LIMITS)).category).toBe('tweet_gif');
    expect(await rule(inspectMediaFile(file('cut.gif', gif(1, 4000).subarray(0, 300)), DEFAULT_MEDIA_LIMITS))).toMatch(
      /cut\.gif: a GIF whose structure cannot be read/,
    );
  });
});

describe('limits and the attachment rule', () => {
  it('sizes per category; --max-video-mb raises the video limit only', async () => {
    const big = file('big.png', png(5 * 1024 * 1024 + 1));
    expect(await rule(inspectMediaFile(big, DEFAULT_MEDIA_LIMITS))).toMatch(
      /big\.png: 5\.0 MB \(5242881 bytes\) is over X's 5 MB limit for tweet_image/,
    );
    const video = file('v.mp4', mp4(2 * 1024 * 1024));
    expect(await rule(inspectMediaFile(video, mediaLimits(1)))).toMatch(
      /over X's 1 MB limit for tweet_video; if the account may post larger video, say so with --max-video-mb/,
    );
    expect((await inspectMediaFile(video, mediaLimits(3))).size).toBe(2 * 1024 * 1024);
  });

  it('missing, empty, directory', async () => {
    expect(await rule(inspectMediaFile(join(dir, 'nope.png'), DEFAULT_MEDIA_LIMITS))).toMatch(
      /nope\.png: no such file/,
    );
    expect(await rule(inspectMediaFile(file('empty.png', ''), DEFAULT_MEDIA_LIMITS))).toMatch(
      /empty\.png: the file is empty/,
    );
    expect(await rule(inspectMediaFile(dir, DEFAULT_MEDIA_LIMITS))).toMatch(/not a regular file/);
  });

  it('4 images, or 1 GIF, or 1 video; media ids count; alt texts match files', async () => {
    const img = file('i.png', png());
    const anim = file('a.gif', gif(2));
    const vid = file('v.mp4', mp4());
    expect((await planMedia({ files: [img, img, img, img], limits: DEFAULT_MEDIA_LIMITS })).uploads).toHaveLength(4);
    expect(await rule(planMedia({ files: [img, img, img, img, img], limits: DEFAULT_MEDIA_LIMITS }))).toMatch(
      /5 media attached; a post takes at most 4 images, or 1 GIF, or 1 video/,
    );
    expect(
      await rule(planMedia({ files: [img, img, img], mediaIds: ['1', '2'], limits: DEFAULT_MEDIA_LIMITS })),
    ).toMatch(/5 media attached/);
    expect(await rule(planMedia({ files: [img, anim], limits: DEFAULT_MEDIA_LIMITS }))).toMatch(
      /a\.gif: an animated GIF must be the only media of a post/,
    );
    expect(await rule(planMedia({ files: [vid], mediaIds: ['7'], limits: DEFAULT_MEDIA_LIMITS }))).toMatch(
      /v\.mp4: a video must be the only media/,
    );
    expect(await rule(planMedia({ files: [img], alts: ['a', 'b'], limits: DEFAULT_MEDIA_LIMITS }))).toMatch(
      /2 --alt given for 1 --media file/,
    );
    expect(await rule(planMedia({ files: [img], alts: ['x'.repeat(1001)], limits: DEFAULT_MEDIA_LIMITS }))).toMatch(
      /i\.png: the alt text is 1001 characters; X takes at most 1000/,
    );
    expect(
      (await planMedia({ files: [img], alts: ['😀'.repeat(1000)], limits: DEFAULT_MEDIA_LIMITS })).uploads[0]!.alt,
    ).toHaveLength(2000);
    expect(await rule(planMedia({ files: [], mediaIds: ['12a'], limits: DEFAULT_MEDIA_LIMITS }))).toMatch(
      /--media-id expects a media id \(digits\), got "12a"/,
    );
    expect(await rule(planMedia({ files: [vid], category: 'tweet_image', limits: DEFAULT_MEDIA_LIMITS }))).toMatch(
      /v\.mp4: MP4 content cannot be uploaded as tweet_image \(it takes JPEG, PNG, WEBP, GIF\)/,
    );
  });
});

describe('processing_info', () => {
  it('bounds check_after_secs and cleans the error', () => {
    expect(
      parseProcessingInfo({ processing_info: { state: 'in_progress', check_after_secs: 1e9, progress_percent: 42.4 } }),
    ).toEqual({ state: 'in_progress', checkAfterSecs: 60, progressPercent: 42, error: undefined });
    expect(
      parseProcessingInfo({
        processing_info: { state: 'failed', error: { name: 'Invalid\x1b[31m', message: 'bad\nvideo' } },
      }),
    ).toMatchObject({ state: 'failed', error: 'Invalid [31m: bad video' });
    expect(parseProcessingInfo({ processing_info: { state: 'exploded' } })).toBe('malformed');
    expect(parseProcessingInfo({ id: '1' })).toBeUndefined();
  });
});

describe('multipart parser (emulator)', () => {
  const body = (b: string) =>
    Buffer.concat([
      Buffer.from(
        `--${b}\r\nContent-Disposition: form-data; name="segment_index"\r\n\r\n7\r\n--${b}\r\nContent-Disposition: form-data; name="media"; filename="x"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(`ab\r\n--${b.slice(0, 3)}cd\r\n`), // looks like a boundary start, is data
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
  it('finds fields and file data whatever the chunking', () => {
    const whole = body('BOUNDARY123');
    for (const step of [1, 2, 3, 7, 13, whole.length]) {
      const data: Buffer[] = [];
      const p = new MultipartStream('BOUNDARY123', 'media', { fieldBytes: 10, headerBytes: 1000, parts: 4 }, (c) =>
        data.push(Buffer.from(c)),
      );
      for (let i = 0; i < whole.length; i += step) p.push(whole.subarray(i, i + step));
      p.end();
      expect(p.fields.get('segment_index')).toBe('7');
      expect(Buffer.concat(data).toString()).toBe('ab\r\n--BOUcd\r\n');
    }
  });
  it('refuses an oversized field, a truncated body, a repeated field', () => {
    const p = new MultipartStream('B', 'media', { fieldBytes: 1, headerBytes: 1000, parts: 4 }, () => {});
    expect(() => p.push(body('B'))).toThrow(MultipartError);
    const q = new MultipartStream('B', 'media', { fieldBytes: 10, headerBytes: 1000, parts: 4 }, () => {});
    q.push(body('B').subarray(0, 60));
    expect(() => q.end()).toThrow(/ends before its closing boundary/);
    const twice = Buffer.from(
      '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n2\r\n--B--',
    );
    expect(() =>
      new MultipartStream('B', 'media', { fieldBytes: 10, headerBytes: 1000, parts: 4 }, () => {}).push(twice),
    ).toThrow(/given twice/);
  });
});

describe('upload with an injected transport', () => {
  function fakeClient(answer: (req: HttpRequest, n: number) => HttpResponse | Error) {
    const seen: HttpRequest[] = [];
    const client = fakeXClient(
      async (req) => {
        seen.push({ ...req, body: req.body instanceof Uint8Array ? Buffer.from(req.body) : req.body });
        const a = answer(req, seen.length);
        if (a instanceof Error) throw a;
        return a;
      },
      { retry: { attempts: 3, baseMs: 1, capMs: 1 } },
    );
    return { client, seen };
  }
  const ok = (body: unknown): HttpResponse => ({ status: 200, headers: {}, body: JSON.stringify(body) });

  it('segments of the set size; a 5xx append is resent with the same segment_index; the body is not signed', async () => {
    const bytes = jpeg(2500);
    const f = await inspectMediaFile(file('u.jpg', bytes), DEFAULT_MEDIA_LIMITS);
    let appends = 0;
    const { client, seen } = fakeClient((req) => {
      if (req.url.endsWith('/initialize')) return ok({ data: { id: '42' } });
      if (req.url.endsWith('/append') && appends++ === 1) return { status: 503, headers: {}, body: '{}' };
      return ok({ data: { id: '42' } });
    });
    await uploadMedia(client, f, { segmentBytes: 1000 }, { sleep: async () => {}, nowMs: () => 0 });
    const indexes = seen
      .filter((r) => r.url.endsWith('/append'))
      .map((r) => /name="segment_index"\r\n\r\n(\d+)/.exec(Buffer.from(r.body as Uint8Array).toString('latin1'))![1]);
    expect(indexes).toEqual(['0', '1', '1', '2']);
    const sent = seen
      .filter((r) => r.url.endsWith('/append'))
      .map((r) => Buffer.from(r.body as Uint8Array).toString('latin1'));
    // The segments, in order, are the file.
    const segs = [sent[0], sent[2], sent[3]].map((s) =>
      Buffer.from(/application\/octet-stream\r\n\r\n([\s\S]*)\r\n--twauth-/.exec(s!)![1]!, 'latin1'),
    );
    expect(Buffer.concat(segs).equals(bytes)).toBe(true);
    // Same nonce and timestamp (injected): the body does not change the signature.
    const init = seen[0]!;
    expect(init.headers.authorization).toMatch(/oauth_signature="/);
    expect(seen[1]!.headers.authorization).toBe(seen[3]!.headers.authorization);
    expect(seen[1]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=twauth-[0-9a-f]{36}$/);
  });

  it('each segment is read (the first during INITIALIZE) and signed while the append before it is on the wire', async () => {
    const bytes = jpeg(2500);
    const f = await inspectMediaFile(file('order.jpg', bytes), DEFAULT_MEDIA_LIMITS);
    const events: string[] = [];
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
    const client = fakeXClient(
      async (req) => {
        const what = req.url.endsWith('/append')
          ? `append ${/name="segment_index"\r\n\r\n(\d+)/.exec(Buffer.from(req.body as Uint8Array).toString('latin1'))![1]}`
          : new URL(req.url).pathname.split('/').pop()!;
        events.push(`send ${what}`);
        // A server slow enough for the client to get the next segment ready (read and signed)
        // meanwhile, if it does so: the answer waits for that, or for 2000 event-loop turns.
        const k = Number(what.split(' ')[1]);
        const ready = () => {
          const read = events.indexOf(`read ${k + 1}`);
          return read !== -1 && events.indexOf('sign', read) !== -1;
        };
        for (let i = 0; i < 2000 && what.startsWith('append') && k < 2 && !ready(); i++) await turn();
        events.push(`answered ${what}`);
        return ok({ data: { id: '42' } });
      },
      {},
      {
        randomBytes: (n) => {
          events.push('sign');
          return new Uint8Array(n).fill(events.length % 256);
        },
      },
    );
    const openFile = async (p: string) => {
      const handle = await open(p, 'r');
      const read = handle.read.bind(handle) as (
        b: Buffer,
        o: number,
        l: number,
        p: number,
      ) => ReturnType<FileHandle['read']>;
      return Object.assign(handle, {
        read: (b: Buffer, o: number, l: number, position: number) => {
          events.push(`read ${position / 1000}`);
          return read(b, o, l, position);
        },
      }) as FileHandle;
    };
    await uploadMedia(client, f, { segmentBytes: 1000 }, { sleep: async () => {}, nowMs: () => 0, openFile });
    expect(events).toEqual([
      // Segment 0 is read while INITIALIZE is on the wire.
      'read 0',
      'sign',
      'send initialize',
      'answered initialize',
      'sign',
      'send append 0',
      // Segment 1 is read (into the other buffer) and signed only after append 0 was handed to
      // the transport, and before its answer: the answer is followed by the send at once.
      'read 1',
      'sign',
      'answered append 0',
      'send append 1',
      'read 2',
      'sign',
      'answered append 1',
      'send append 2',
      'answered append 2',
      'sign',
      'send finalize',
      'answered finalize',
    ]);
  });

  it('a failed append (4xx) stops the upload: no finalize', async () => {
    const f = await inspectMediaFile(file('s.png', png(100)), DEFAULT_MEDIA_LIMITS);
    const { client, seen } = fakeClient((req) =>
      req.url.endsWith('/append')
        ? { status: 400, headers: {}, body: '{"title":"Invalid Request"}' }
        : ok({ data: { id: '9' } }),
    );
    await expect(uploadMedia(client, f, {}, { sleep: async () => {}, nowMs: () => 0 })).rejects.toThrow(/HTTP 400/);
    expect(seen.map((r) => new URL(r.url).pathname)).toEqual([
      '/2/media/upload/initialize',
      '/2/media/upload/9/append',
    ]);
  });
});

describe('progress line', () => {
  it('bytes sent / total, percent and rate; redrawn at most every 100 ms; then processing; cleared at the end', async () => {
    const { uploadProgressLine } = await import('../../src/cli/upload-progress.js');
    const out: string[] = [];
    let now = 0;
    const line = uploadProgressLine(
      (s) => out.push(s),
      'clip.mp4',
      () => now,
    );
    now = 1000;
    line.update({ phase: 'upload', sent: 4 * 1024 * 1024, total: 10 * 1024 * 1024 });
    now = 1050;
    line.update({ phase: 'upload', sent: 5 * 1024 * 1024, total: 10 * 1024 * 1024 }); // too soon: not drawn
    now = 2000;
    line.update({ phase: 'upload', sent: 10 * 1024 * 1024, total: 10 * 1024 * 1024 });
    line.update({ phase: 'processing', percent: 40 });
    line.done();
    expect(out).toEqual([
      '\r\x1b[2Kclip.mp4  4.0 MB / 10.0 MB  40%  4.0 MB/s',
      '\r\x1b[2Kclip.mp4  10.0 MB / 10.0 MB  100%  5.0 MB/s',
      '\r\x1b[2Kclip.mp4  processing 40%',
      '\r\x1b[2K',
    ]);
  });
});
