// Issue 12, media: `twauth tweet --media/--alt/--media-id`, `twauth media upload`, run as the built
// bin/twauth against the sandbox. Every local refusal is proved to send nothing by the sandbox's
// request log; faults during append and finalize still end in exactly one post.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { gif, jpeg, mp4, mp4Lasting, png, writeVideo } from '../helpers/media-files.js';
import { repoRoot } from '../helpers/secret-service.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';
import { startSandbox, TWAUTH, type Sandbox } from './support.js';

let sb: Sandbox;
let env: Record<string, string>;
const dir = tempConfigDir('twauth-media-e2e-');
const sessions: TmuxSession[] = [];
const file = (name: string, bytes: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const MB = 1024 * 1024;

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file', emulator: { media: { processingMs: 1500 } } });
  env = sb.issue('sandbox_alice').env as Record<string, string>;
});
afterAll(async () => {
  for (const s of sessions) await s.kill();
  await sb?.stop();
});
beforeEach(() => {
  sb.emu.setFaults({});
  sb.emu.setMedia({ processingMs: 1500, failProcessing: 0 });
});

const tw = (args: string[], extra: Record<string, string> = {}) =>
  sb.tw(args, { env: { ...env, ...extra }, timeoutMs: 60_000 });
const posted = (stdout: string) => {
  // The sandbox's own page for the post (x.com does not know it).
  const m = new RegExp(`^(\\d+) ${sb.emu.url.replace(/[.]/g, '\\.')}/\\w+/status/(\\d+)$`).exec(stdout.trim());
  expect(m, stdout).not.toBeNull();
  return sb.emu.tweets().find((t) => t.id === m![1])!;
};
const requestsSince = (n: number) => sb.emu.requests().slice(n);

describe('tweet with media', () => {
  it('one image with alt text: uploaded, described, attached; no progress line in a pipe', async () => {
    const r = await tw([
      'tweet',
      'look at this',
      '--media',
      file('cat.png', png(40_000)),
      '--alt',
      'a colour gradient',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const t = posted(r.stdout);
    expect(t.text).toBe('look at this');
    expect(t.mediaIds).toHaveLength(1);
    expect(sb.emu.media().find((m) => m.id === t.mediaIds![0])).toMatchObject({
      altText: 'a colour gradient',
      category: 'tweet_image',
      mediaType: 'image/png',
      phase: 'succeeded',
    });
  });

  it('four images, no text; the n-th --alt describes the n-th --media', async () => {
    const files = [png(1000), jpeg(2000), png(3000), gif(1, 500)].map((b, i) =>
      file(`four-${i}.${i === 1 ? 'jpg' : i === 3 ? 'gif' : 'png'}`, b),
    );
    const r = await tw(['tweet', ...files.flatMap((f) => ['--media', f]), '--alt', 'first', '--alt', 'second']);
    expect(r.code, r.stderr).toBe(0);
    const t = posted(r.stdout);
    expect(t.text).toBe('');
    expect(t.mediaIds).toHaveLength(4);
    const media = t.mediaIds!.map((id) => sb.emu.media().find((m) => m.id === id)!);
    expect(media.map((m) => m.altText)).toEqual(['first', 'second', undefined, undefined]);
    expect(media.map((m) => m.mediaType)).toEqual(['image/png', 'image/jpeg', 'image/png', 'image/gif']);
  });

  it('an animated GIF goes up as tweet_gif and through processing', async () => {
    const before = sb.emu.requests().length;
    const r = await tw(['tweet', 'it moves', '--media', file('anim.gif', gif(4, 30_000))]);
    expect(r.code, r.stderr).toBe(0);
    const t = posted(r.stdout);
    expect(sb.emu.media().find((m) => m.id === t.mediaIds![0])).toMatchObject({
      category: 'tweet_gif',
      phase: 'succeeded',
    });
    expect(requestsSince(before).some((q) => q.method === 'GET' && q.path === '/2/media/upload')).toBe(true);
  });

  it('a video of three 4 MiB segments, processed (STATUS polled), then posted; --file gives the text', async () => {
    const video = join(dir, 'clip.mp4');
    await writeVideo(video, 9 * MB);
    const before = sb.emu.requests().length;
    const r = await tw(['tweet', '--file', file('text.txt', 'the clip\n'), '--media', video]);
    expect(r.code, r.stderr).toBe(0);
    const t = posted(r.stdout);
    expect(t.text).toBe('the clip');
    const log = requestsSince(before).map((q) => `${q.method} ${q.path.replace(/\d{10,}/, 'ID')} ${q.status}`);
    expect(log.filter((l) => l === 'POST /2/media/upload/ID/append 200')).toHaveLength(3);
    expect(log.filter((l) => l === 'GET /2/media/upload 200').length).toBeGreaterThanOrEqual(1);
    expect(log.at(-1)).toBe('POST /2/tweets 201');
    expect(sb.emu.media().find((m) => m.id === t.mediaIds![0])).toMatchObject({
      category: 'tweet_video',
      segments: 3,
      totalBytes: 9 * MB,
    });
  });

  it("media upload prints the id (--json: X's data); tweet --media-id attaches it", async () => {
    const up = await tw(['media', 'upload', file('later.jpg', jpeg(5000)), '--alt', 'for later']);
    expect(up.code, up.stderr).toBe(0);
    const id = up.stdout.trim();
    expect(id).toMatch(/^\d+$/);
    expect(sb.emu.media().find((m) => m.id === id)).toMatchObject({ altText: 'for later', phase: 'succeeded' });
    const r = await tw(['tweet', 'posted later', '--media-id', id]);
    expect(r.code, r.stderr).toBe(0);
    expect(posted(r.stdout).mediaIds).toEqual([id]);

    const json = await tw(['--json', 'media', 'upload', file('j.mp4', mp4(4000)), '--category', 'tweet_video']);
    expect(json.code, json.stderr).toBe(0);
    const data = JSON.parse(json.stdout);
    expect(data).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      media_key: expect.stringMatching(/^7_\d+$/),
      processing_info: { state: 'succeeded' },
    });
  });

  it('--verbose traces every upload request, secrets redacted, media bytes never', async () => {
    const marker = Buffer.alloc(3000, 'Q'.charCodeAt(0));
    const bytes = Buffer.concat([
      jpeg(100).subarray(0, -2),
      Buffer.from([0xff, 0xfe, 0x0b, 0xba]),
      marker,
      Buffer.from([0xff, 0xd9]),
    ]);
    const r = await tw(['--verbose', 'media', 'upload', file('traced.jpg', bytes)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/> POST http:\/\/127\.0\.0\.1:\d+\/2\/media\/upload\/initialize/);
    expect(r.stderr).toMatch(/> POST http:\/\/127\.0\.0\.1:\d+\/2\/media\/upload\/\d+\/append\n/);
    expect(r.stderr).toMatch(/> \(body: \d+ bytes, not shown\)/);
    expect(r.stderr).toMatch(/> POST http:\/\/127\.0\.0\.1:\d+\/2\/media\/upload\/\d+\/finalize/);
    expect(r.stderr).not.toContain('QQQQQQQQ');
  });

  it('--dry-run checks the files and shows what would be sent, sending nothing', async () => {
    const before = sb.emu.requests().length;
    const path = file('dry.png', png(1234));
    const r = await tw(['tweet', 'dry', '--media', path, '--alt', 'dry alt', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `would upload ${path}: image/png as tweet_image, 1234 bytes in 1 segment, alt text "dry alt"`,
    );
    expect(r.stdout).toContain('"media":{"media_ids":["(id of upload 1)"]}');
    const json = await tw(['--json', 'tweet', '--media', path, '--media-id', '77', '--dry-run']);
    expect(json.code, json.stderr).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.uploads).toEqual([
      `would upload ${path}: image/png as tweet_image, 1234 bytes in 1 segment, no alt text`,
    ]);
    expect(out.body).toEqual({ media: { media_ids: ['(id of upload 1)', '77'] } });
    const up = await tw(['media', 'upload', path, '--dry-run']);
    expect(up.stdout).toBe(`would upload ${path}: image/png as tweet_image, 1234 bytes in 1 segment, no alt text\n`);
    expect(sb.emu.requests().length).toBe(before);
  });
});

describe('refused locally, nothing sent (exit 2)', () => {
  const big = () => file('big.png', png(5 * MB + 10));
  const cases: [string, () => string[], RegExp][] = [
    [
      'a missing file',
      () => ['tweet', 'x', '--media', join(dir, 'nope.png')],
      /nope\.png: no such file; nothing was sent/,
    ],
    [
      'text named .jpg',
      () => ['tweet', 'x', '--media', file('fake.jpg', 'hello, not an image')],
      /fake\.jpg: not a JPEG, PNG, WebP, GIF, MP4 or MOV file \(judged by its content, not its name\)/,
    ],
    [
      'an image over 5 MB',
      () => ['tweet', 'x', '--media', big()],
      /big\.png: 5\.0 MB \(5242890 bytes\) is over X's 5 MB limit for tweet_image/,
    ],
    [
      'five images',
      () => [
        'tweet',
        'x',
        ...Array.from({ length: 5 }, (_, i) => ['--media', file(`five-${i}.png`, png(100 + i))]).flat(),
      ],
      /5 media attached; a post takes at most 4 images, or 1 GIF, or 1 video/,
    ],
    [
      'a GIF with an image',
      () => ['tweet', 'x', '--media', file('i.png', png(100)), '--media', file('g.gif', gif(2))],
      /g\.gif: an animated GIF must be the only media of a post/,
    ],
    [
      'a video with a media id',
      () => ['tweet', 'x', '--media', file('v.mp4', mp4(100)), '--media-id', '123'],
      /v\.mp4: a video must be the only media of a post/,
    ],
    [
      'alt text over 1000 characters',
      () => ['tweet', 'x', '--media', file('a.png', png(100)), '--alt', 'y'.repeat(1001)],
      /a\.png: the alt text is 1001 characters; X takes at most 1000/,
    ],
    [
      'more --alt than --media',
      () => ['tweet', 'x', '--media', file('b.png', png(100)), '--alt', 'one', '--alt', 'two'],
      /2 --alt given for 1 --media file/,
    ],
    ['--alt without --media', () => ['tweet', 'x', '--alt', 'lonely'], /--alt describes a --media file/],
    [
      'a malformed --media-id',
      () => ['tweet', 'x', '--media-id', '12ab'],
      /--media-id expects a media id \(digits\), got "12ab"/,
    ],
    [
      'a video over --max-video-mb',
      () => ['tweet', 'x', '--media', file('v2.mp4', mp4(2 * MB)), '--max-video-mb', '1'],
      /v2\.mp4: 2 MB \(2097152 bytes\) is over X's 1 MB limit for tweet_video; if the account may post larger video, say so with --max-video-mb/,
    ],
    [
      'media upload with a category the content does not fit',
      () => ['media', 'upload', file('c.png', png(100)), '--category', 'tweet_video'],
      /c\.png: PNG content cannot be uploaded as tweet_video/,
    ],
    [
      'no text and no media (stdin empty)',
      () => ['tweet', '--media-timeout', '5'],
      /the text is empty; nothing was sent/,
    ],
    [
      'a bad --media-timeout',
      () => ['tweet', 'x', '--media', file('t.png', png(100)), '--media-timeout', '0'],
      /--media-timeout expects a whole number from 1 to 86400 \(got "0"\)/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const a = args();
      const before = sb.emu.requests().length;
      const r = await tw(a);
      expect(r.stderr).toMatch(message);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(sb.emu.requests().length, 'nothing reached the sandbox').toBe(before);
    });
  }
});

/** Fault paths for one step of any upload (`*` is one path segment: the media id). */
const uploadPaths = (suffix: string) => ['/2/media/upload/*/' + suffix];

describe('faults: retried uploads, exactly one post', () => {
  it('503 and connection resets during append (one after the segment was stored)', async () => {
    const video = join(dir, 'fault-append.mp4');
    await writeVideo(video, 6 * MB);
    sb.emu.setFaults({ paths: uploadPaths('append'), status503: { next: 1 }, reset: { next: 2, after: true } });
    const before = sb.emu.requests().length;
    const tweets = sb.emu.tweets().length;
    const r = await tw(['tweet', 'survived append faults', '--media', video]);
    expect(r.code, r.stderr).toBe(0);
    const log = requestsSince(before)
      .filter((q) => q.path.endsWith('/append'))
      .map((q) => q.status);
    expect(log).toEqual([503, 0, 0, 200, 200]);
    expect(sb.emu.tweets().length).toBe(tweets + 1);
    expect(posted(r.stdout).text).toBe('survived append faults');
  });

  it('a reset and a 503 after FINALIZE took effect', async () => {
    sb.emu.setFaults({ paths: uploadPaths('finalize'), reset: { next: 1, after: true }, status503After: { next: 1 } });
    const before = sb.emu.requests().length;
    const tweets = sb.emu.tweets().length;
    const r = await tw(['tweet', 'survived finalize faults', '--media', file('ff.gif', gif(2, 2000))]);
    expect(r.code, r.stderr).toBe(0);
    expect(
      requestsSince(before)
        .filter((q) => q.path.endsWith('/finalize'))
        .map((q) => q.status),
    ).toEqual([0, 503, 200]);
    expect(sb.emu.tweets().length).toBe(tweets + 1);
  });

  it('an upload that keeps failing never posts (exit 7)', async () => {
    sb.emu.setFaults({ paths: uploadPaths('append'), status503: { next: 100 } });
    const before = sb.emu.requests().length;
    const r = await tw(['tweet', 'never posted', '--media', file('fail.png', png(100))]);
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toMatch(/X is unavailable \(HTTP 503\) on POST \/2\/media\/upload\/\d+\/append/);
    expect(requestsSince(before).some((q) => q.path === '/2/tweets')).toBe(false);
  });

  it('processing that fails is explained, exit 6, and nothing is posted', async () => {
    sb.emu.setMedia({ failProcessing: 1 });
    const before = sb.emu.requests().length;
    const r = await tw(['tweet', 'bad video', '--media', file('bad.mp4', mp4(3000))]);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(
      /bad\.mp4: X could not process the upload \(media \d+\): InvalidMedia: Unsupported video format/,
    );
    expect(r.stderr).toMatch(/nothing was posted/);
    expect(requestsSince(before).some((q) => q.path === '/2/tweets')).toBe(false);
  });

  it('a video longer than the account may post (140 s): explained with what to do, exit 6, nothing posted', async () => {
    const before = sb.emu.requests().length;
    const r = await tw(['tweet', 'long video', '--media', file('long.mp4', mp4Lasting(200))]);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/long\.mp4: the video is longer than this account may post \(X said: .*200 seconds/);
    expect(r.stderr).toMatch(/trim it/);
    expect(requestsSince(before).some((q) => q.path === '/2/tweets')).toBe(false);
    // One within the limit goes through.
    const ok = await tw(['tweet', 'short video', '--media', file('short.mp4', mp4Lasting(30))]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('processing longer than --media-timeout: exit 7, nothing posted', async () => {
    sb.emu.setMedia({ processingMs: 60_000 });
    const before = sb.emu.requests().length;
    const r = await tw(['tweet', 'slow video', '--media', file('slow.mp4', mp4(3000)), '--media-timeout', '2']);
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toMatch(/slow\.mp4: X was still processing media \d+ after 2 s/);
    expect(requestsSince(before).some((q) => q.path === '/2/tweets')).toBe(false);
  });
});

describe('progress line', () => {
  it('on a terminal: bytes sent / total, rate, then processing n%; cleared at the end', async () => {
    const video = join(dir, 'tty.mp4');
    await writeVideo(video, 9 * MB);
    sb.emu.setMedia({ processingMs: 4000 });
    sb.emu.setFaults({ paths: uploadPaths('append'), latencyMs: 400 });
    const termEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: tempConfigDir('twauth-tty-home-'),
      TERM: 'xterm-256color',
    };
    for (const [k, v] of Object.entries({ ...sb.env, ...env })) if (v !== undefined) termEnv[k] = v;
    const s = await startInTmux([process.execPath, TWAUTH, 'tweet', 'on a terminal', '--media', video], {
      env: termEnv,
      cwd: repoRoot,
      width: 150,
      height: 30,
    });
    sessions.push(s);
    const uploading = await s.waitFor(/tty\.mp4 {2}\d+\.\d MB \/ 9\.0 MB {2}\d+% {2}\d+\.\d MB\/s/, 20_000);
    expect(uploading).toMatch(/tty\.mp4 {2}(0\.0|4\.0|8\.0) MB \/ 9\.0 MB/);
    await s.waitFor(/tty\.mp4 {2}processing \d+%/, 20_000);
    expect(await s.exitCode(30_000)).toBe(0);
    const end = await s.capture();
    expect(end).toMatch(new RegExp(`^\\d+ ${sb.emu.url.replace(/[.]/g, '\\.')}/\\w+/status/\\d+$`, 'm'));
    expect(end).not.toMatch(/processing \d+%/);
    expect(end).not.toMatch(/MB\/s/);
  });

  it('absent with NO_COLOR on a terminal', async () => {
    const termEnv: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: tempConfigDir('twauth-tty-home-'),
      TERM: 'xterm-256color',
      NO_COLOR: '1',
    };
    for (const [k, v] of Object.entries({ ...sb.env, ...env })) if (v !== undefined) termEnv[k] = v;
    sb.emu.setMedia({ processingMs: 2500 });
    const s = await startInTmux(
      [process.execPath, TWAUTH, 'tweet', 'no colour', '--media', file('nc.gif', gif(2, 1000))],
      { env: termEnv, cwd: repoRoot, width: 150, height: 30 },
    );
    sessions.push(s);
    const screens: string[] = [];
    const started = Date.now();
    let code: number | undefined;
    while (Date.now() - started < 20_000) {
      screens.push(await s.capture());
      code = await s.exitCode(200).catch(() => undefined);
      if (code !== undefined) break;
    }
    expect(code).toBe(0);
    expect(screens.join('\n')).not.toMatch(/processing \d+%|MB\/s/);
  });
});

describe('tweet --file', () => {
  it('reads a pipe (process substitution) and refuses /dev/zero, a folder, bytes that are not UTF-8; nothing sent', async () => {
    const before = sb.emu.requests().length;
    const zero = await tw(['tweet', '--file', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(
      /--file \/dev\/zero: larger than 100000 bytes \(X's longest post is 25,000 characters\); nothing was sent/,
    );
    const folder = await tw(['tweet', '--file', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder, not a file; nothing was sent/);
    const latin1 = await tw(['tweet', '--file', file('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]))]);
    expect(latin1.code).toBe(2);
    expect(latin1.stderr).toMatch(/latin1\.txt: not UTF-8 text; nothing was sent/);
    const both = await tw(['tweet', 'text', '--file', file('both.txt', 'x')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give the text as an argument or with --file, not both/);
    expect(sb.emu.requests().length).toBe(before);

    // A named pipe, as --file <(command) gives.
    const fifo = join(dir, 'text.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('/bin/sh', ['-c', `printf 'text from a pipe\\n' > "$1"`, 'sh', fifo], { stdio: 'ignore' });
    const r = await tw(['tweet', '--file', fifo]);
    writer.kill();
    expect(r.code, r.stderr).toBe(0);
    expect(posted(r.stdout).text).toBe('text from a pipe');
  });
});
