import { describe, expect, it } from 'vitest';
import { TransportError, type HttpRequest, type HttpResponse } from '../../src/api/http-transport.js';
import { postThread, ThreadStoppedError } from '../../src/api/post-thread.js';
import { reportError } from '../../src/cli/report-error.js';
import { checkThreadParts, splitThreadText } from '../../src/cli/thread-parts.js';
import { textProblem } from '../../src/cli/text-problem.js';
import { tweetLength } from '../../src/text/index.js';
import { threadFailure, threadHint } from '../../src/cli/thread-report.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { fakeXClient } from '../helpers/fake-client.js';

type Step = HttpResponse | TransportError;

function fakeClient(steps: Step[]) {
  const sent: HttpRequest[] = [];
  const client = fakeXClient(
    async (req) => {
      sent.push(req);
      const step = steps.shift();
      if (!step) throw new Error('no more steps');
      if (step instanceof TransportError) throw step;
      return step;
    },
    {},
    { randomBytes: (n) => new Uint8Array(n).fill(7), random: () => 0.5 },
  );
  return { client, sent };
}
const created = (id: string): HttpResponse => ({
  status: 201,
  headers: {},
  body: JSON.stringify({ data: { id, text: 't' } }),
});
const bodyOf = (r: HttpRequest) => JSON.parse(String(r.body)) as Record<string, unknown>;

describe('splitThreadText', () => {
  it('splits at lines holding only ---, dropping the line breaks around them and one at the end', () => {
    expect(splitThreadText('one\n---\ntwo\nlines\n---\nthree\n')).toEqual(['one', 'two\nlines', 'three']);
    expect(splitThreadText('a\r\n---\r\nb\r\n')).toEqual(['a', 'b']);
    expect(splitThreadText('no separator')).toEqual(['no separator']);
  });
  it('keeps lines that merely contain --- and blank lines inside a part', () => {
    expect(splitThreadText('a --- b\n----\n\nc\n---\n d')).toEqual(['a --- b\n----\n\nc', ' d']);
  });
  it('a trailing separator makes an empty last part (refused by the check)', () => {
    expect(splitThreadText('a\n---\n')).toEqual(['a', '']);
  });
});

describe('checkThreadParts', () => {
  it('names every failing part at once, and sends nothing', () => {
    const err = (() => {
      try {
        checkThreadParts(['fine', 'x'.repeat(281), ' \u200B ', ''], false);
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(
      'part 2 is too long: 281/280 weighted characters (links count 23, most CJK and emoji 2) (“xxxxxxxxxxxxxxxxxxxxxxxxxxxxx…”); part 3 is only whitespace or invisible characters; part 4 is empty (a --- line at the end?); nothing was sent',
    );
  });
  it('an empty first part is allowed when it carries media; numbering follows --skip', () => {
    expect(checkThreadParts(['', 'two'], true)).toHaveLength(2);
    expect(() => checkThreadParts(['ok', ''], true, 3)).toThrow(/^part 4 is empty/);
    expect(() => checkThreadParts([], false)).toThrow(/no parts/);
    expect(() => checkThreadParts(Array(101).fill('p'), false)).toThrow(/at most 100/);
  });
});

describe('textProblem (the words for a text X would refuse)', () => {
  const problem = (text: string, media = false) => textProblem(text, tweetLength(text), media);
  it('blank, invisible-only, invalid characters, too long; empty is fine only with media', () => {
    expect(problem('ok')).toBeUndefined();
    expect(problem('')).toBe('empty');
    expect(problem('', true)).toBeUndefined();
    expect(problem(' ', true)).toBe('only whitespace or invisible characters');
    expect(problem('\u200B\u2060')).toBe('only whitespace or invisible characters');
    expect(problem('a\uFFFE')).toBe('holding U+FFFE, U+FEFF or U+FFFF, which X refuses');
    expect(problem('字'.repeat(141))).toBe(
      'too long: 282/280 weighted characters (links count 23, most CJK and emoji 2)',
    );
  });
});

describe('postThread', () => {
  it('posts each part as a reply to the one before, the first to --reply-to, media on the first only', async () => {
    const { client, sent } = fakeClient([created('11'), created('12'), created('13')]);
    const seen: string[] = [];
    const posted = await postThread(client, [{ text: 'a' }, { text: 'b' }, { text: 'c' }], {
      replyTo: '10',
      firstMedia: async () => ['900'],
      onPosted: (p) => seen.push(`${p.part}:${p.id}<${p.inReplyTo}`),
    });
    expect(posted.map((p) => p.id)).toEqual(['11', '12', '13']);
    expect(seen).toEqual(['1:11<10', '2:12<11', '3:13<12']);
    expect(sent.map(bodyOf)).toEqual([
      { text: 'a', reply: { in_reply_to_tweet_id: '10' }, media: { media_ids: ['900'] } },
      { text: 'b', reply: { in_reply_to_tweet_id: '11' } },
      { text: 'c', reply: { in_reply_to_tweet_id: '12' } },
    ]);
  });

  it('stops at the first refusal: what was posted, nothing more sent, never a retry', async () => {
    const { client, sent } = fakeClient([
      created('21'),
      {
        status: 403,
        headers: {},
        body: '{"detail":"You are not allowed to create a Tweet with duplicate content.","title":"Forbidden"}',
      },
    ]);
    const err = (await postThread(client, [{ text: 'a' }, { text: 'b' }, { text: 'c' }]).catch(
      (e: unknown) => e,
    )) as ThreadStoppedError;
    expect(err).toBeInstanceOf(ThreadStoppedError);
    expect(err.posted.map((p) => p.id)).toEqual(['21']);
    expect(err.failedPart).toBe(2);
    expect(err.outcomeUnknown).toBe(false);
    expect(sent).toHaveLength(2);
  });

  it('a reset after sending: outcome unknown, not retried', async () => {
    const { client, sent } = fakeClient([created('31'), new TransportError('socket hang up', 'after-send', false)]);
    const err = (await postThread(client, [{ text: 'a' }, { text: 'b' }]).catch(
      (e: unknown) => e,
    )) as ThreadStoppedError;
    expect(err.outcomeUnknown).toBe(true);
    expect(sent).toHaveLength(2);
  });

  it('a failed media upload posts nothing', async () => {
    const { client, sent } = fakeClient([]);
    const err = (await postThread(client, [{ text: 'a' }], {
      firstMedia: async () => Promise.reject(new Error('upload failed')),
    }).catch((e: unknown) => e)) as ThreadStoppedError;
    expect(err.posted).toEqual([]);
    expect(err.failedPart).toBe(1);
    expect(sent).toHaveLength(0);
  });
});

describe('the failure report', () => {
  const stopped = (
    posted: string[],
    failedPart: number,
    total: number,
    unknown = false,
    cause: unknown = new UsageError('boom'),
  ) =>
    new ThreadStoppedError(
      posted.map((id, i) => ({ part: i + 1, id, inReplyTo: undefined, data: {} })),
      failedPart,
      total,
      cause,
      unknown,
    );

  it('arguments: the exact command with the parts not posted, quoted for the shell', () => {
    const e = stopped(['41'], 2, 3);
    expect(threadHint(e, { kind: 'args', parts: ['one', "two's", 'three'] }, 0, undefined, 'https://x.com/a')).toEqual([
      'posted part 1 of 3 (last: 41); part 2 and after were not.',
      "To go on: twauth thread --reply-to 41 'two'\\''s' three",
    ]);
  });

  it('a file: --skip the parts already posted', () => {
    const e = stopped(['51', '52'], 3, 4);
    expect(threadHint(e, { kind: 'file', path: 'my thread.txt' }, 0, undefined, 'u')[1]).toBe(
      "To go on: twauth thread --reply-to 52 --skip 2 --file 'my thread.txt'",
    );
  });

  it('nothing posted: run it again', () => {
    expect(threadHint(stopped([], 1, 2), { kind: 'stdin' }, 0, undefined, 'u')).toEqual([
      'nothing was posted.',
      'Fix the problem and run the same command again.',
    ]);
  });

  it('outcome unknown: look first, then one of two commands', () => {
    const lines = threadHint(
      stopped(['61'], 2, 3, true),
      { kind: 'stdin' },
      0,
      undefined,
      'https://x.com/sandbox_alice',
    );
    expect(lines).toEqual([
      'posted part 1 of 3 (last: 61).',
      'Part 2 MAY have been posted: look at https://x.com/sandbox_alice before going on.',
      'If it was, go on from its id: twauth thread --reply-to ITS_ID --skip 2 < (the same input)',
      'If it was not: twauth thread --reply-to 61 --skip 1 < (the same input)',
    ]);
  });

  it("reportError: the cause's words and exit code, then the hint", () => {
    const r = reportError(
      threadFailure(stopped(['71'], 2, 2), [
        'posted part 1 of 2 (last: 71); part 2 and after were not.',
        'To go on: x',
      ]),
    );
    expect(r.code).toBe(2);
    expect(r.lines).toEqual([
      'twauth: part 2 of 2: boom',
      'twauth: posted part 1 of 2 (last: 71); part 2 and after were not.',
      'twauth: To go on: x',
    ]);
  });
});

describe('splitThreadText: properties', () => {
  it("parts joined with --- lines, plus an editor's final newline, split back into the same parts", async () => {
    const fc = (await import('fast-check')).default;
    const part = fc
      .string({ maxLength: 40 })
      .filter((p) => !p.split('\n').some((l) => l === '---' || l === '---\r') && !p.endsWith('\r'));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 6 }), (parts) => {
        expect(splitThreadText(`${parts.join('\n---\n')}\n`)).toEqual(parts);
      }),
      { numRuns: 300 },
    );
  });
});
