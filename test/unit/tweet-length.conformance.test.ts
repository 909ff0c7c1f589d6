/**
 * Cases from twitter-text's public conformance suite, repository
 * twitter/twitter-text, commit 3b8031c80efe49f16fd282a55e28eb23aef2ad85:
 *
 * - conformance/tests/validate.yml, section WeightedTweetsWithDiscountedEmojiCounterTest
 *   (the v3 config, emoji parsing on; its non-emoji cases are the same as
 *   WeightedTweetsCounterTest's), plus UnicodeDirectionalMarkerCounterTest and `lengths`.
 * - conformance/tests/extract.yml, section `urls`: which substrings are links. Turned into
 *   lengths here: every character of these texts weighs 1, so the expected length is
 *   text length − link lengths + 23 per link.
 *
 * Texts are copied with invisible characters (ZWJ, combining marks, tags) written as escapes.
 * The very long texts are rebuilt with repeat(); the repeat counts follow from the suite's
 * displayRangeEnd (text length − 1).
 */
import { describe, expect, it } from 'vitest';
import { tweetLength } from '../../src/text/index.js';

const FAMILY = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
const POEM =
  '故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。朱雀桥边野草花，乌衣巷口夕阳斜。旧时王谢堂前燕，飞入寻常百姓家。' +
  '朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。泪湿罗巾梦不成，夜深前殿按歌声。红颜未老恩先断，斜倚薰笼坐到明。' +
  '独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。';
const KANA = 'あいうえおかきくけこ';
const LONG_URL = `https://${'somesuperlongurl'.repeat(249)}.com/foo`;

// [description, text, weightedLength, valid, displayRangeEnd]
const weighted: Array<[string, string, number, boolean, number]> = [
  ['Regular Tweet with url', 'Hi http://test.co', 26, true, 16],
  ['Just url', 'http://test.co', 23, true, 13],
  ['Long tweet, overflow at char index 280', `285 chars-${'xxxxxxxxxx-'.repeat(25)}`, 285, false, 284],
  [
    'Long tweet with url in the middle, overflow at char index 284',
    `285 chars- http://www.twitter.com/jack ${'xxxxxxxxxx-'.repeat(24)}`,
    299,
    false,
    302,
  ],
  [
    'Long tweet with url at the end, overflow at char index 265',
    `${'xxxxxxxxxx-'.repeat(24)} http://www.twitter.com/jack `,
    289,
    false,
    292,
  ],
  ['10 url string, no overflow', 'https://www.twitter.com/aloha '.repeat(10), 240, true, 299],
  ['160 CJK char, overflow at char index 140', POEM, 320, false, 159],
  ['160 emoji char, overflow at char index 140', '\u{1F637}'.repeat(160), 320, false, 319],
  ['3 latin char + 160 CJK char, overflow at char index 141', `the${POEM}`, 323, false, 162],
  ["'Á' is normalized into 1 char", 'A\u0301B', 2, true, 2],
  ['שּׁ is normalized into 3 chars', 'A\uFB2C', 4, true, 1],
  [
    '282 chars with a normalized character within valid range but outside 280',
    `282 chars-${'xxxxxxxxxx-'.repeat(24)}xxxxxA\u0301x`,
    281,
    false,
    281,
  ],
  [
    'Count a mix of single byte single word, and double word unicode characters',
    `H\u{1F431}\u263A${FAMILY}`,
    7,
    true,
    14,
  ],
  [
    'Count unicode emoji chars inside the basic multilingual plane',
    '\u{1F637}\u{1F47E}\u{1F621}\u{1F525}\u{1F4A9}',
    10,
    true,
    9,
  ],
  [
    'Count unicode emoji chars outside the basic multilingual plane with skin tone modifiers',
    '\u{1F64B}\u{1F3FD}\u{1F468}\u200D\u{1F3A4}',
    4,
    true,
    8,
  ],
  [
    'Handle General Punctuation Characters with visible spaces(u2000-200A), no ZWJ/ZWNJ',
    'This is a tweet with general punctuation characters: \u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u200B' +
      ' \u2010 \u2011 \u2012 \u2013 \u2014 \u2015 \u2016  \u2017 \u2018 \u2019 \u201A \u201B \u201C \u201D \u201E \u201F \u2032 \u2033 \u2034 \u2035 \u2036 \u2037',
    110,
    true,
    109,
  ],
  [
    'Handle long url with invalid domain labels and short url',
    `Long url with invalid domain labels and a short url: ${LONG_URL} ${LONG_URL} ${LONG_URL} https://validurl.com`,
    12079,
    false,
    12075,
  ],
  ['Handle a 64 character domain without protocol', `${'randomurl'.repeat(7)}s.com`, 68, true, 67],
  [
    'Do not allow > 140 CJK characters by virtue of CJK chars greater than 63 punycode encoded chars in the host',
    `${KANA.repeat(12)} http://${KANA.repeat(5)}あいう.com`,
    358,
    false,
    184,
  ],
  [
    'Allow > 140 CJK characters by virtue of CJK chars less than 63 punycode encoded chars in the host',
    `${KANA.repeat(12)} http://${KANA.repeat(5)}あい.com`,
    264,
    true,
    183,
  ],
  ['140 family emoji', FAMILY.repeat(140), 280, true, 1539],
  [
    'Unicode 10.0 emoji',
    'Unicode 10.0 emoji: \u{1F92A}; \u{1F9D5}; \u{1F9D5}\u{1F3FE}; \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
    34,
    true,
    47,
  ],
  ['Unicode 9.0 emoji', 'Unicode 9.0 emoji: \u{1F920}; \u{1F483}; \u{1F483}\u{1F3FE}', 29, true, 30],
  // UnicodeDirectionalMarkerCounterTest
  ['Handle invalid characters', 'ABC\u202A\uFFFFABC\uFFFE', 12, false, 8],
  [
    'Tweet text containing directional characters should be considered valid',
    '\u2066\u202Ahttp://foobar.\u067E\u0627\u06A9\u0633\u062A\u0627\u0646/\u202C\u2069',
    31,
    true,
    25,
  ],
];

describe('twitter-text conformance: validate.yml weighted counts (v3)', () => {
  it.each(weighted)('%s', (_description, text, weightedLength, valid, displayRangeEnd) => {
    expect(text.length - 1).toBe(displayRangeEnd); // the text was rebuilt faithfully
    const r = tweetLength(text);
    expect(r.weightedLength).toBe(weightedLength);
    expect(r.valid).toBe(valid);
  });
});

describe('twitter-text conformance: validate.yml lengths', () => {
  it.each<[string, number]>([
    ['This is a test.', 15],
    ['http://test.com', 23],
    ['https://test.com', 23],
    ['test.com', 23],
    ['Test https://test.com test https://test.com test.com test', 86],
    ['\u{10000}\u{10FFFF}', 4], // v1 counted these 2 (one each); v3 weighs astral characters 2 each
    ['저찀쯿쿿', 8], // likewise: Hangul syllables are outside U+0000–U+10FF
  ])('%s', (text, expected) => {
    expect(tweetLength(text).weightedLength).toBe(expected);
  });

  it('tweets section: valid and invalid texts', () => {
    expect(tweetLength('I am a Tweet').valid).toBe(true);
    expect(tweetLength('の'.repeat(140)).valid).toBe(true);
    expect(tweetLength('\u{1F431}'.repeat(140)).valid).toBe(true);
    expect(tweetLength('').valid).toBe(false);
  });
});

// [text, links X finds in it] — extract.yml `urls`
const links: Array<[string, string[]]> = [
  ['text http://google.com', ['http://google.com']],
  ['text http://somehost.com:3000', ['http://somehost.com:3000']],
  ['text http://xo.com/~matthew+%ff-,.;x', ['http://xo.com/~matthew+%ff-,.;x']],
  ['text http://en.wikipedia.org/wiki/Primer_(film)', ['http://en.wikipedia.org/wiki/Primer_(film)']],
  ['text http://x.com/oneletterdomain', ['http://x.com/oneletterdomain']],
  ['text http://domain-dash_2314352345_dfasd.foo-cow_4352.com', []],
  ['text http://no-tld', []],
  ['text http://tld-too-short.x', []],
  ['(http://twitter.com', ['http://twitter.com']],
  ['text http://foo.com?#foo text', ['http://foo.com?#foo']],
  ['foo.com foo.net foo.org foo.edu foo.gov', ['foo.com', 'foo.net', 'foo.org', 'foo.edu', 'foo.gov']],
  [
    'foo.baz foo.co.jp www.xxxxxxx.baz www.foo.co.uk wwwww.xxxxxxx foo.comm foo.somecom foo.govedu foo.jp',
    ['foo.co.jp', 'www.foo.co.uk', 'foo.jp'],
  ],
  ['t.co/abcde bit.ly/abcde', ['t.co/abcde', 'bit.ly/abcde']],
  ['Go to http://example.com/a+ or http://example.com/a-', ['http://example.com/a+', 'http://example.com/a-']],
  [
    'Go to https://en.m.wikipedia.org/wiki/Hatfield\u2013McCoy_feud please',
    ['https://en.m.wikipedia.org/wiki/Hatfield\u2013McCoy_feud'],
  ],
  ['@user Try http:// example.com/path', ['example.com/path']],
  ['MLB.tv vine.co twitch.tv t.co', ['MLB.tv', 'vine.co', 'twitch.tv', 't.co']],
  ['test http://sub_domain-dash.twitter.com', ['http://sub_domain-dash.twitter.com']],
  ['test http://a.b.cd', ['http://a.b.cd']],
  ['test http://-leadingdash.twitter.com', []],
  ['test http://trailingunderscore.twitter_.com', []],
  ['test http://twitter.c_o_m', []],
  ['test http://www.foo.org.za/foo/bar/688.1', ['http://www.foo.org.za/foo/bar/688.1']],
  ['test ELPA\u00CDS.com', ['ELPA\u00CDS.com']],
  ['test http://twitter.com/.', ['http://twitter.com/']],
  [`Test a ton of periods http://example.com/path${'.'.repeat(42)}`, ['http://example.com/path']],
  ['#test.com @test.com #http://test.com @http://test.com #t.co/abcde @t.co/abcde', []],
  ["I really like http://t.co/pbY2NfTZ's website", ['http://t.co/pbY2NfTZ']],
  ["Check this site out http://t.co/FNkPfmii- it's great", ['http://t.co/FNkPfmii']],
  ['I really like http://t.co/abcdefghijklmnopqrstuvwxyz012345678901234', []],
  [
    'http://twitter.com\nhttp://example.com\nhttp://example.com/path\nexample.com/path\nit.so\nit.so/abcde',
    ['http://twitter.com', 'http://example.com', 'http://example.com/path', 'example.com/path', 'it.so', 'it.so/abcde'],
  ],
  ['$http://twitter.com $twitter.com $http://t.co/abcde $t.co/abcde $t.co $TVI.CA $RBS.CA', []],
  ['long.test.tar.bz2 test.tar.bz2 tar.bz2', []],
  ['john.doe.gov@mail.com', []],
  ['john.doe.jp@mail.com', []],
  [
    'http://www.foo.com?referer=https://t.co/abcde http://t.co/xyzzy',
    ['http://www.foo.com?referer=https://t.co/abcde', 'http://t.co/xyzzy'],
  ],
];

describe('twitter-text conformance: extract.yml links, as lengths', () => {
  it.each(links)('%j', (text, found) => {
    const expected = text.length - found.reduce((sum, url) => sum + url.length, 0) + 23 * found.length;
    expect(tweetLength(text).weightedLength).toBe(expected);
  });

  it('CJK around links (only ASCII domains count without a protocol)', () => {
    // extract.yml: links are twitter.com, example.com, t.co/abcde, twitter.com, example2.com, twitter.com/abcde
    const text =
      'twitter.comこれは日本語です。example.com中国語t.co/abcde한국twitter.com example2.comテストtwitter.com/abcde';
    // 6 links; 9 + 3 + 2 + 3 CJK characters (2 each); one space
    expect(tweetLength(text).weightedLength).toBe(6 * 23 + 2 * (9 + 3 + 2 + 3) + 1);
    // example.com, then てすとです (5×2), then twitter.みんな, then です (2×2)
    expect(tweetLength('example.comてすとですtwitter.みんなです').weightedLength).toBe(23 + 10 + 23 + 4);
  });
});
