/**
 * twitter-text's own conformance files, run in full as golden tests
 * (test/fixtures/twitter-text/: validate.yml and tlds.yml, unchanged copies,
 * Apache-2.0; see the README there).
 *
 * Every case of every section is run; a section this suite does not know
 * fails the run, so a newer copy of the files cannot be skipped silently.
 * Which twitter-text configuration each section uses follows twitter-text's
 * own conformance runners: `tweets` the v1 configuration (140, every code
 * point 1), `WeightedTweetsCounterTest` v2, the others v3 (the default).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  extractUrls,
  isValidHashtag,
  isValidList,
  isValidUrl,
  isValidUsername,
  parseTweet,
  TWEET_CONFIG_V1,
  TWEET_CONFIG_V2,
  TWEET_CONFIG_V3,
  type ParsedTweet,
  type TweetConfig,
} from '../../src/text/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'twitter-text');

interface Case<E> {
  description: string;
  text: string;
  expected: E;
}
/** What validate.yml's tweet cases expect: parseTweet's result less twauth's own fields. */
type ParseExpectation = Omit<ParsedTweet, 'normalized' | 'invalidCharacters'>;

function load(name: string): Record<string, Case<unknown>[]> {
  const doc = parse(readFileSync(join(fixtures, name), 'utf8')) as { tests: Record<string, Case<unknown>[]> };
  return doc.tests;
}

const validate = load('validate.yml');
const tlds = load('tlds.yml');

function parseCase(config: TweetConfig) {
  return (_d: string, c: Case<unknown>) => {
    const e = c.expected as ParseExpectation;
    const r = parseTweet(c.text, config);
    expect({
      weightedLength: r.weightedLength,
      valid: r.valid,
      permillage: r.permillage,
      displayRangeStart: r.displayRangeStart,
      displayRangeEnd: r.displayRangeEnd,
      validRangeStart: r.validRangeStart,
      validRangeEnd: r.validRangeEnd,
    }).toEqual(e);
  };
}

const bool = (check: (text: string) => boolean) => (_d: string, c: Case<unknown>) => {
  expect(check(c.text)).toBe(c.expected as boolean);
};

const validateRunners: Record<string, (d: string, c: Case<unknown>) => void> = {
  tweets: bool((text) => parseTweet(text, TWEET_CONFIG_V1).valid),
  usernames: bool(isValidUsername),
  lists: bool(isValidList),
  hashtags: bool(isValidHashtag),
  urls: bool((text) => isValidUrl(text)),
  urls_without_protocol: bool((text) => isValidUrl(text, { requireProtocol: false })),
  WeightedTweetsCounterTest: parseCase(TWEET_CONFIG_V2),
  WeightedTweetsWithDiscountedEmojiCounterTest: parseCase(TWEET_CONFIG_V3),
  UnicodeDirectionalMarkerCounterTest: parseCase(TWEET_CONFIG_V3),
};

const extractRunner = (_d: string, c: Case<unknown>) => {
  expect(extractUrls(c.text)).toEqual(c.expected as string[]);
};

const table = (cases: Case<unknown>[]) => cases.map((c) => [c.description, c] as [string, Case<unknown>]);

describe('twitter-text conformance: validate.yml', () => {
  it('has only sections this suite runs', () => {
    expect(Object.keys(validate).filter((s) => !(s in validateRunners))).toEqual([]);
  });
  for (const [section, cases] of Object.entries(validate)) {
    const run = validateRunners[section];
    if (run === undefined) continue; // reported by the test above
    describe(section, () => {
      it.each(table(cases))('%s', run);
    });
  }
});

describe('twitter-text conformance: tlds.yml', () => {
  it('has only the country and generic sections', () => {
    expect(Object.keys(tlds).sort()).toEqual(['country', 'generic']);
  });
  for (const [section, cases] of Object.entries(tlds)) {
    describe(section, () => {
      it.each(table(cases))('%s', extractRunner);
    });
  }
});

it('counts every case (a truncated fixture would fail here)', () => {
  const counts = Object.fromEntries(
    [...Object.entries(validate), ...Object.entries(tlds)].map(([k, v]) => [k, v.length]),
  );
  expect(counts).toEqual({
    tweets: 8,
    usernames: 4,
    lists: 5,
    hashtags: 7,
    urls: 24,
    urls_without_protocol: 5,
    WeightedTweetsCounterTest: 20,
    WeightedTweetsWithDiscountedEmojiCounterTest: 22,
    UnicodeDirectionalMarkerCounterTest: 2,
    country: 315,
    generic: 1259,
  });
});
