// Issue 12: twauth thread and twauth delete through the built bin/twauth against the sandbox:
// a thread of three parts; a thread that fails at part 2 and is resumed with the command twauth
// printed; an unknown outcome; local refusals with nothing sent (the request log proves it);
// delete of one's own post, someone else's and one already deleted.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { png } from '../helpers/media-files.js';
import { startSandbox, twauthBinDir, type Sandbox } from './support.js';

const exec = promisify(execFile);

let sb: Sandbox;
let alice: ReturnType<Sandbox['issue']>;
let bob: ReturnType<Sandbox['issue']>;
let binDir: string;

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'none' });
  alice = sb.issue('sandbox_alice');
  bob = sb.issue('sandbox_bob');
  binDir = await twauthBinDir();
});
afterAll(() => sb.stop());
afterEach(() => sb.emu.setFaults({}));

const as = (env = alice.env) => ({ env });
const byId = (id: string) => sb.emu.tweets().find((t) => t.id === id);
const posts = () => sb.emu.requests().filter((r) => r.method === 'POST' && r.path === '/2/tweets').length;
const ids = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[0]!);

/** Runs a command line twauth printed, as a person would paste it into sh. */
async function paste(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec('/bin/sh', ['-c', line], {
      env: { ...process.env, ...sb.env, ...alice.env, PATH: `${binDir}:${process.env.PATH}` },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('thread', () => {
  it('posts three parts, each a reply to the one before, one ID URL line each', async () => {
    const r = await sb.tw(['thread', 'e2e 1/3 the start', 'e2e 2/3 the middle', 'e2e 3/3 the end'], as());
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines)
      expect(line).toMatch(new RegExp(`^\\d{15,19} ${sb.emu.url.replace(/[.]/g, '\\.')}/\\S+/status/\\d{15,19}$`));
    const [a, b, c] = ids(r.stdout) as [string, string, string];
    expect(byId(a)).toMatchObject({ text: 'e2e 1/3 the start' });
    expect(byId(a)?.replyTo).toBeUndefined();
    expect(byId(b)).toMatchObject({ text: 'e2e 2/3 the middle', replyTo: a });
    expect(byId(c)).toMatchObject({ text: 'e2e 3/3 the end', replyTo: b });
  });

  it('reads parts from stdin separated by --- lines; --json streams one object per part', async () => {
    const r = await sb.tw(['--json', 'thread'], {
      ...as(),
      input: 'stdin one\n---\nstdin two\nhas two lines\n---\nstdin three\n',
    });
    expect(r.code, r.stderr).toBe(0);
    const objs = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { part: number; id: string; url: string; in_reply_to: string | null; text: string });
    expect(objs.map((o) => o.part)).toEqual([1, 2, 3]);
    expect(objs[1]).toMatchObject({ in_reply_to: objs[0]!.id, text: 'stdin two\nhas two lines' });
    expect(objs[0]!.in_reply_to).toBeNull();
  });

  it('reads --file (CRLF line ends too) and --reply-to makes the first part a reply', async () => {
    const parent = ids((await sb.tw(['tweet', 'file thread parent'], as())).stdout)[0]!;
    const file = join(tempConfigDir('twauth-thread-'), 'thread.txt');
    await writeFile(file, 'file one\r\n---\r\nfile two\r\n');
    const r = await sb.tw(['thread', '--reply-to', parent, '--file', file], as());
    expect(r.code, r.stderr).toBe(0);
    const [a, b] = ids(r.stdout) as [string, string];
    expect(byId(a)).toMatchObject({ text: 'file one', replyTo: parent });
    expect(byId(b)).toMatchObject({ text: 'file two', replyTo: a });
  });

  it('fails at part 2 (X refuses it), says what was posted, and the printed command resumes it', async () => {
    // Part 2 repeats a post of Alice's: X refuses a duplicate.
    const earlier = ids((await sb.tw(['tweet', 'resume part two'], as())).stdout)[0]!;
    const before = posts();
    const r = await sb.tw(['thread', 'resume part one', 'resume part two', 'resume part three'], as());
    expect(r.code).toBe(6);
    expect(ids(r.stdout)).toHaveLength(1);
    const first = ids(r.stdout)[0]!;
    expect(posts() - before).toBe(2); // part 1, and part 2 refused; part 3 never sent
    expect(r.stderr).toContain('twauth: part 2 of 3: X refused a duplicate post');
    expect(r.stderr).toContain(`twauth: posted part 1 of 3 (last: ${first}); part 2 and after were not.`);
    const resume = /^twauth: To go on: (.*)$/m.exec(r.stderr)?.[1];
    expect(resume).toBe(`twauth thread --reply-to ${first} 'resume part two' 'resume part three'`);

    // Take the duplicate away (twauth delete), then paste the command twauth printed.
    expect((await sb.tw(['delete', earlier], as())).code).toBe(0);
    const again = await paste(resume!);
    expect(again.code, again.stderr).toBe(0);
    const [b, c] = ids(again.stdout) as [string, string];
    expect(byId(b)).toMatchObject({ text: 'resume part two', replyTo: first });
    expect(byId(c)).toMatchObject({ text: 'resume part three', replyTo: b });
  });

  it('an answer lost at part 2 (503 after sending): it MAY have been posted, never sent twice', async () => {
    sb.emu.setFaults({ paths: ['/2/tweets'], status503: { skip: 1, next: 1 } });
    const before = posts();
    const r = await sb.tw(['thread', 'lost one', 'lost two', 'lost three'], as());
    expect(r.code).toBe(7);
    expect(posts() - before).toBe(2);
    const first = ids(r.stdout)[0]!;
    expect(r.stderr).toContain(`Part 2 MAY have been posted: look at ${sb.emu.url}/i before going on.`);
    expect(r.stderr).toContain("If it was, go on from its id: twauth thread --reply-to ITS_ID 'lost three'");
    const notPosted = /^twauth: If it was not: (.*)$/m.exec(r.stderr)?.[1];
    expect(notPosted).toBe(`twauth thread --reply-to ${first} 'lost two' 'lost three'`);
    // The sandbox answered 503 before posting: part 2 is not there, so the second command is right.
    expect(sb.emu.tweets().some((t) => t.text === 'lost two')).toBe(false);
    const again = await paste(notPosted!);
    expect(again.code, again.stderr).toBe(0);
  });

  it('refuses locally, with nothing sent, every part problem at once', async () => {
    const before = sb.emu.requests().length;
    const r = await sb.tw(['thread', 'fine', 'x'.repeat(281), '  '], as());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('part 2 is too long: 281/280 weighted characters');
    expect(r.stderr).toContain('part 3 is only whitespace or invisible characters');
    expect(r.stderr).toContain('nothing was sent');
    for (const args of [
      ['thread', '--reply-to', 'abc', 'x'],
      ['thread', '--media-id', 'x1', 'a'],
      ['thread', '--media-id', '1', '--media-id', '1', 'a'],
      ['thread', '--skip', '5', 'a', 'b'],
      ['thread', '--file', '/nonexistent/thread.txt'],
      ['thread', 'a', '--file', '/etc/hostname'],
    ]) {
      expect((await sb.tw(args, as())).code, args.join(' ')).toBe(2);
    }
    const empty = await sb.tw(['thread'], { ...as(), input: 'one\n---\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('part 2 is empty (a --- line at the end?)');
    expect(sb.emu.requests().length).toBe(before);
  });

  it('--dry-run checks everything and sends nothing', async () => {
    const before = sb.emu.requests().length;
    const r = await sb.tw(['thread', '--dry-run', '--reply-to', '123', '--media-id', '777', 'dry 1', 'dry 2'], as());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('part 1/2 (5/280): POST ');
    expect(r.stdout).toContain('{"text":"dry 1","reply":{"in_reply_to_tweet_id":"123"},"media":{"media_ids":["777"]}}');
    expect(r.stdout).toContain('{"text":"dry 2","reply":{"in_reply_to_tweet_id":"(id of part 1)"}}');
    expect(r.stdout).toContain('nothing was sent');
    expect(sb.emu.requests().length).toBe(before);
  });
});

describe('delete', () => {
  it("deletes own posts (printing each id); someone else's and a deleted one are explained, exit 6", async () => {
    const mine = ids((await sb.tw(['thread', 'delete me 1', 'delete me 2'], as())).stdout);
    const bobs = ids((await sb.tw(['tweet', 'bob keeps this post'], as(bob.env))).stdout)[0]!;

    const r = await sb.tw(['delete', ...mine], as());
    expect(r).toMatchObject({ code: 0, stdout: `${mine.join('\n')}\n`, stderr: '' });
    expect(mine.some((id) => byId(id))).toBe(false);

    const again = await sb.tw(['delete', mine[0]!], as());
    expect(again.code).toBe(6);
    expect(again.stderr).toContain(
      `X has no post ${mine[0]} to delete (404): it was already deleted, or the id is wrong`,
    );

    const other = await sb.tw(['--json', 'delete', bobs], as());
    expect(other.code).toBe(6);
    expect(other.stdout).toBe('');
    expect(other.stderr).toContain(`X refused to delete ${bobs}: it is not a post of this account (403)`);
    expect(byId(bobs)).toBeDefined();
  });

  it('goes on after a refused id; --json prints one object per deleted post', async () => {
    const mine = ids((await sb.tw(['tweet', 'mixed delete'], as())).stdout)[0]!;
    const bobs = ids((await sb.tw(['tweet', 'bob mixed'], as(bob.env))).stdout)[0]!;
    const r = await sb.tw(['--json', 'delete', bobs, mine], as());
    expect(r.code).toBe(6);
    expect(JSON.parse(r.stdout)).toEqual({ id: mine, deleted: true });
  });

  it('refuses ids that are not ids, with nothing sent', async () => {
    const before = sb.emu.requests().length;
    const r = await sb.tw(['delete', '123', 'https://x.com/a/status/1'], as());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a post id (digits): "https://x.com/a/status/1"');
    expect((await sb.tw(['delete', '5', '5'], as())).code).toBe(2);
    expect(sb.emu.requests().length).toBe(before);
  });
});

describe('thread with media', () => {
  it('uploads once, attaches to the first part only (with its alt text), and checks files before sending anything', async () => {
    const dir = tempConfigDir('twauth-thread-media-');
    const img = join(dir, 'chart.png');
    await writeFile(img, png());
    const r = await sb.tw(
      ['thread', '--media', img, '--alt', 'a rising chart', 'with a picture', 'and text only'],
      as(),
    );
    expect(r.code, r.stderr).toBe(0);
    const [a, b] = ids(r.stdout) as [string, string];
    const attached = byId(a)?.mediaIds ?? [];
    expect(attached).toHaveLength(1);
    expect(byId(b)?.mediaIds).toBeUndefined();
    expect(sb.emu.media().find((m) => m.id === attached[0])).toMatchObject({
      altText: 'a rising chart',
      category: 'tweet_image',
    });

    const before = sb.emu.requests().length;
    const bad = await sb.tw(['thread', '--media', join(dir, 'missing.png'), 'one', 'two'], as());
    expect(bad.code).toBe(2);
    expect(sb.emu.requests().length).toBe(before);
  });
});
