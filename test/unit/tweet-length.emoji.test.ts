/**
 * The emoji rule: a sequence counts as one emoji (weight 2) only when
 * Unicode's emoji-test.txt lists it (UTS #51, newest Emoji version); any other
 * sequence counts its code points one by one, as twitter-text weighs them.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tweetLength } from '../../src/text/index.js';
import { RGI_EMOJI_SEQUENCE_COUNT, RGI_EMOJI_VERSION } from '../../src/text/rgi-emoji.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const len = (text: string): number => tweetLength(text).weightedLength;
const require = createRequire(import.meta.url);
const dist = join(dirname(require.resolve('emoji-test-regex-pattern/package.json')), 'dist');

/** Sequences (as strings) of one Emoji version's emoji-test.txt list, two code points or more. */
function sequences(version: string): string[] {
  const lines = readFileSync(join(dist, version, 'index.txt'), 'utf8')
    .trim()
    .split('\n');
  const out = new Set<string>();
  for (const line of lines) {
    const cps = line
      .split(' → ')[0]!
      .trim()
      .split(' ')
      .map((u) => parseInt(u.slice(2), 16));
    if (cps.length > 1) out.add(String.fromCodePoint(...cps));
  }
  return [...out];
}

describe('recommended emoji (emoji-test.txt, newest version)', () => {
  const latest = sequences('latest');

  it('the generated table is the newest data, and up to date with its generator', () => {
    expect(Number(RGI_EMOJI_VERSION)).toBeGreaterThanOrEqual(17);
    expect(RGI_EMOJI_SEQUENCE_COUNT).toBe(latest.length);
    expect(() =>
      execFileSync(process.execPath, [join(root, 'scripts', 'gen-rgi-emoji.mjs'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it(`every listed sequence counts 2, alone and between letters`, () => {
    const wrong = latest.filter((e) => len(e) !== 2 || len(`a${e}b`) !== 4);
    expect(wrong).toEqual([]);
    expect(latest.length).toBeGreaterThan(3800);
  });

  it('sequences added after twitter-text’s 2019 data count 2 (Emoji 13.1 … newest)', () => {
    const old = new Set(sequences('emoji-13.0'));
    const added = latest.filter((e) => !old.has(e));
    expect(added.length).toBeGreaterThan(400);
    expect(added.filter((e) => len(e) !== 2)).toEqual([]);
    expect(len('\u{1F426}\u200D\u{1F525}')).toBe(2); // phoenix, Emoji 15.1
    expect(len('\u{1F1E8}\u{1F1F6}')).toBe(2); // flag of Sark, Emoji 16.0
    expect(len('\u{1F9D1}\u{1F3FB}\u200D\u{1F91D}\u200D\u{1F9D1}\u{1F3FF}')).toBe(2); // people holding hands, two tones
  });

  it('forms listed without some VS16 count 2 as well (twitter-text counts 1⃣ as one emoji)', () => {
    expect(len('1\u20E3')).toBe(2);
    expect(len('1\uFE0F\u20E3')).toBe(2);
    expect(len('\u{1F441}\u200D\u{1F5E8}')).toBe(2); // eye in speech bubble, unqualified
    expect(len('\u2764\u200D\u{1F525}')).toBe(2); // heart on fire, unqualified
  });

  it('a run of sequences is counted one sequence at a time (longest first)', () => {
    expect(len('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}\u{1F468}\u200D\u{1F469}\u200D\u{1F467}')).toBe(
      4,
    );
    expect(len('\u{1F1EF}\u{1F1F5}\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}')).toBe(6);
  });
});

describe('sequences that are not recommended count their parts', () => {
  it('a pair of regional indicators that is no flag: 2 + 2', () => {
    expect(len('\u{1F1E6}\u{1F1E6}')).toBe(4); // AA
    expect(len('\u{1F1FD}\u{1F1FD}')).toBe(4); // XX
    expect(len('\u{1F1E6}')).toBe(2); // a lone indicator
  });

  it('a tag sequence for no recommended subdivision: the flag 2, then 2 per tag', () => {
    const tags = (s: string) => [...s].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
    const california = `\u{1F3F4}${tags('usca')}\u{E007F}`;
    expect(len(california)).toBe(2 + 5 * 2);
    const scotland = `\u{1F3F4}${tags('gbsct')}\u{E007F}`;
    expect(len(scotland)).toBe(2);
  });

  it('a ZWJ between two arbitrary emoji: 2 + 1 (ZWJ) + 2', () => {
    expect(len('\u{1F431}\u200D\u{1F355}')).toBe(5); // cat ZWJ pizza
    expect(len('\u{1F600}\u200D\u{1F600}')).toBe(5);
  });

  it('a skin tone after a character that takes none: each counted', () => {
    expect(len('\u2764\u{1F3FD}')).toBe(4); // heart + tone
    expect(len('\u{1F431}\u{1F3FD}')).toBe(4); // cat + tone
    expect(len('A\u{1F3FD}')).toBe(3);
    expect(len('\u{1F44B}\u{1F3FD}')).toBe(2); // waving hand takes a tone
  });

  it('© and ® alone are text (1); with VS16 they are emoji (2)', () => {
    expect(len('\u00A9')).toBe(1);
    expect(len('\u00AE')).toBe(1);
    expect(len('\u00A9\uFE0F')).toBe(2);
  });

  it('a VS16 after an emoji that is not listed with one counts on its own', () => {
    expect(len('\u{1F637}\uFE0F')).toBe(4);
  });
});

describe('blank texts', () => {
  it('only whitespace or invisible characters is refused (blank), whatever its length', () => {
    for (const blank of [
      '',
      ' ',
      '\n\t',
      '\u3000',
      '\u00A0 \u200B',
      '\u200D\u200C',
      '\u2060',
      '\u3164',
      '\u115F',
      '\uFE0F',
      '\u200E\u200F',
      '\u00AD',
    ]) {
      const r = tweetLength(blank);
      expect(r.blank, JSON.stringify(blank)).toBe(true);
      expect(r.valid).toBe(false);
    }
  });

  it('a visible blank (U+2800), a dot or an emoji is text', () => {
    for (const text of ['\u2800', ' . ', '\u{1F600}', '\u0301']) {
      const r = tweetLength(text);
      expect(r.blank, JSON.stringify(text)).toBe(false);
      expect(r.valid).toBe(true);
    }
  });
});
