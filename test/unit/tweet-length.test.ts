import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TWEET_LENGTH, tweetLength } from '../../src/text/index.js';

const len = (text: string): number => tweetLength(text).weightedLength;

describe('tweetLength: plain text', () => {
  it('counts ASCII one each: 280 is valid, 281 is not', () => {
    const ok = tweetLength('a'.repeat(280));
    expect(ok).toEqual({
      weightedLength: 280,
      maxLength: 280,
      valid: true,
      normalized: 'a'.repeat(280),
      blank: false,
      invalidCharacters: false,
    });
    const over = tweetLength('a'.repeat(281));
    expect(over.weightedLength).toBe(281);
    expect(over.valid).toBe(false);
    expect(MAX_TWEET_LENGTH).toBe(280);
  });

  it('counts CJK two each: 140 is valid (280), 141 is not (282)', () => {
    expect(tweetLength('字'.repeat(140))).toMatchObject({ weightedLength: 280, valid: true });
    expect(tweetLength('字'.repeat(141))).toMatchObject({ weightedLength: 282, valid: false });
    expect(len('こんにちは')).toBe(10);
    expect(len('안녕')).toBe(4);
  });

  it('counts Latin, Greek, Cyrillic, Hebrew, Arabic, Devanagari (all below U+1100) one each', () => {
    expect(len('élan Ωμέγα Привет שלום مرحبا नमस्ते')).toBe('élan Ωμέγα Привет שלום مرحبا नमस्ते'.length);
  });

  it('counts the general punctuation ranges one each and other symbols two', () => {
    expect(len('\u2014\u2019\u201C\u201D\u2032')).toBe(5); // — ’ “ ” ′
    expect(len('\u2026')).toBe(2); // … U+2026 is outside the ranges
    expect(len('\u20AC')).toBe(2); // € U+20AC
  });

  it('counts astral non-emoji characters two each', () => {
    expect(len('\u{10000}\u{10FFFF}')).toBe(4);
    expect(len('𝗼𝘁𝘁𝗲𝗿')).toBe(10); // mathematical bold letters
  });
});

describe('tweetLength: links count 23', () => {
  it('a long https URL counts 23', () => {
    const url = `https://example.com/${'a'.repeat(200)}?q=1&r=2#frag`;
    expect(len(url)).toBe(23);
    expect(len(`read ${url} now`)).toBe(5 + 23 + 4);
  });

  it('a short URL counts 23 too (longer than written)', () => {
    expect(len('http://t.co')).toBe(23);
    expect(len('x.com')).toBe(23);
  });

  it('two URLs count 23 each', () => {
    expect(len('https://example.com/one and http://example.org/two')).toBe(23 + 5 + 23);
  });

  it('bare domains with a real TLD count as links', () => {
    expect(len('example.com/path')).toBe(23);
    expect(len('go to x.com')).toBe(6 + 23);
    expect(len('www.example.co.uk/a?b=c')).toBe(23);
    expect(len('bit.ly/abc')).toBe(23);
  });

  it('a URL followed by punctuation stops before it', () => {
    expect(len('see https://example.com/a.')).toBe(4 + 23 + 1);
    expect(len('(https://example.com/a)')).toBe(1 + 23 + 1);
  });

  it('email addresses, file names and unknown TLDs are not links', () => {
    expect(len('mail me at someone@example.com')).toBe('mail me at someone@example.com'.length);
    expect(len('file.txt')).toBe(8);
    expect(len('open index.html or app.exe')).toBe('open index.html or app.exe'.length);
    expect(len('v1.2.3 and 3.14')).toBe('v1.2.3 and 3.14'.length);
    expect(len('@user.com #tag.com $cash.com')).toBe('@user.com #tag.com $cash.com'.length);
    expect(len('http://localhost:3000')).toBe('http://localhost:3000'.length);
  });

  it('a host label longer than 63 characters is not a link', () => {
    expect(len(`${'a'.repeat(64)}.com`)).toBe(68);
    expect(len(`${'a'.repeat(63)}.com`)).toBe(23);
  });

  it('internationalised domains count with a protocol', () => {
    expect(len('http://例え.テスト')).toBe(7 + 4 + 1 + 6); // テスト is not a TLD: counted as text
    expect(len('http://☃.net/')).toBe(23);
    expect(len('http://пример.рф')).toBe(23);
  });
});

describe('tweetLength: emoji count 2 per sequence', () => {
  const cases: Array<[string, string]> = [
    ['single', '😀'],
    ['BMP emoji', '☕'],
    ['heart with VS16', '❤\uFE0F'],
    ['ZWJ family', '👨\u200D👩\u200D👧\u200D👦'],
    ['ZWJ with VS16 (rainbow flag)', '🏳\uFE0F\u200D🌈'],
    ['flag', '🇯🇵'],
    ['skin tone', '👋🏽'],
    ['skin tone + ZWJ + gender', '🏃🏽\u200D♀\uFE0F'],
    ['couple with two skin tones', '🧑🏻\u200D🤝\u200D🧑🏿'],
    ['keycap', '1\uFE0F\u20E3'],
    ['keycap without VS16', '#\u20E3'],
    ['tag sequence (England)', '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}'],
    ['© as emoji', '\u00A9\uFE0F'],
  ];
  it.each(cases)('%s', (_name, emoji) => {
    expect(len(emoji)).toBe(2);
    expect(len(`a${emoji}b`)).toBe(4);
  });

  it('counts a run of emoji one sequence at a time', () => {
    expect(len('👍🏽👍🏽👍🏽')).toBe(6);
    expect(len('🇺🇸🇫🇷')).toBe(4);
    expect(len('👨\u200D👩\u200D👧\u200D👦'.repeat(140))).toBe(280);
    expect(tweetLength('👨\u200D👩\u200D👧\u200D👦'.repeat(141)).valid).toBe(false);
  });

  it('keeps text-style symbols and bare digits as text', () => {
    expect(len('\u00A9 2024')).toBe(6); // bare © is U+00A9, weight 1
    expect(len('123')).toBe(3);
    expect(len('\u263A\uFE0E')).toBe(4); // ☺ asking for text style: 2 + 2
  });
});

describe('tweetLength: normalisation and validity', () => {
  it('NFC-normalises before counting and returns what would be sent', () => {
    const r = tweetLength('e\u0301');
    expect(r.weightedLength).toBe(1);
    expect(r.normalized).toBe('\u00E9');
    expect(tweetLength('Cafe\u0301 '.repeat(56)).weightedLength).toBe(280);
  });

  it('counts a mix of everything', () => {
    // "Hi " 3 + 日本 4 + " " 1 + link 23 + " " 1 + family 2 + " " 1 + flag 2 + " " 1 + é 1
    expect(len('Hi 日本 https://example.com/some/long/path 👨\u200D👩\u200D👧 🇫🇷 e\u0301')).toBe(39);
  });

  it('empty text is invalid', () => {
    expect(tweetLength('')).toEqual({
      weightedLength: 0,
      maxLength: 280,
      valid: false,
      normalized: '',
      blank: true,
      invalidCharacters: false,
    });
  });

  it('whitespace-only text is invalid', () => {
    for (const blank of [' ', '   ', '\n\t', '\u3000', '\u00A0 \u200B']) {
      const r = tweetLength(blank);
      expect(r.weightedLength).toBeGreaterThan(0);
      expect(r.valid).toBe(false);
    }
    expect(tweetLength(' a ').valid).toBe(true);
  });

  it('text with U+FFFE, U+FEFF or U+FFFF is invalid', () => {
    expect(tweetLength('abc\uFFFE').valid).toBe(false);
    expect(tweetLength('abc\uFEFF').valid).toBe(false);
    expect(tweetLength('abc\uFFFF').valid).toBe(false);
  });

  it('lone surrogates do not throw and count 2', () => {
    expect(() => tweetLength('\uD83D')).not.toThrow();
    expect(len('\uD83D')).toBe(2);
    expect(len('a\uDE00b')).toBe(4);
    expect(len('\uD83D\uD83D\uDE00')).toBe(4); // lone high surrogate, then 😀
    expect(len('http://example.com/\uD800')).toBe(25);
  });
});

describe('tweetLength: properties', () => {
  it('never throws, returns the NFC text and a whole, non-negative length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const r = tweetLength(text);
        expect(r.normalized).toBe(text.normalize('NFC'));
        expect(Number.isInteger(r.weightedLength)).toBe(true);
        expect(r.weightedLength).toBeGreaterThanOrEqual(0);
        expect(r.maxLength).toBe(280);
        if (r.valid) expect(r.weightedLength).toBeLessThanOrEqual(280);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on link-like and emoji-like text', () => {
    const unit = fc.constantFrom(
      ...'ab.co/m:h-t_ps@x#n\u00E9字 '.split(''),
      '.com',
      'https://',
      'xn--',
      '😀',
      '🏽',
      '\u200D',
      '\uFE0F',
      '\uD800',
      '\u20E3',
      '🇫',
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), (text) => {
        const r = tweetLength(text);
        expect(Number.isInteger(r.weightedLength)).toBe(true);
        expect(r.weightedLength).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('counts ASCII text without dots or emoji one per character', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9 ,!?'"@#:;()-]{0,300}$/), (text) => {
        expect(tweetLength(text).weightedLength).toBe(text.length);
      }),
      { numRuns: 300 },
    );
  });

  it('stays fast on a long post full of links and emoji', () => {
    const text = `${'word '.repeat(20)}see https://example.com/path?q=1 and foo.co.uk. 👍🏽 日本語 `.repeat(150);
    const start = performance.now();
    expect(tweetLength(text).weightedLength).toBe(25050);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});
