import { describe, expect, it } from 'vitest';
import { appendQuery, isCallbackAllowed } from '../../src/emulator/callback-allowlist.js';
import { EmulatorClock } from '../../src/emulator/clock.js';
import { scrapeForm } from '../../src/emulator/form-scraper.js';
import { NonceCache } from '../../src/emulator/nonce-cache.js';
import { checkTweetText } from '../../src/emulator/tweet-rules.js';
import { TweetIdGenerator } from '../../src/emulator/tweet-ids.js';
import { SANDBOX_APP } from '../../src/emulator/index.js';

describe('callback allow-list', () => {
  const app = {
    ...SANDBOX_APP,
    callbacks: ['http://127.0.0.1:*/callback', 'http://[::1]:*/cb', 'https://app.example/return'],
  };
  it.each([
    ['oob', true],
    ['http://127.0.0.1:49152/callback', true],
    ['http://127.0.0.1/callback', true],
    ['http://127.0.0.1:8080/callback?state=x', true],
    ['http://[::1]:9/cb', true],
    ['https://app.example/return', true],
    ['https://app.example:443/return', true],
    ['http://127.0.0.1:8080/callback/extra', false],
    ['http://localhost:8080/callback', false],
    ['https://127.0.0.1:8080/callback', false],
    ['http://user:pw@127.0.0.1:8080/callback', false],
    ['javascript:alert(1)', false],
    ['OOB', false],
    ['', false],
  ])('%s → %s', (callback, allowed) => {
    expect(isCallbackAllowed(app, callback)).toBe(allowed);
  });

  it('appends to the callback keeping its own query', () => {
    expect(appendQuery('http://h/cb', [['a', 'b c']])).toBe('http://h/cb?a=b%20c');
    expect(appendQuery('http://h/cb?x=%2F+y', [['a', '1']])).toBe('http://h/cb?x=%2F+y&a=1');
    expect(appendQuery('http://h/cb?', [['a', '1']])).toBe('http://h/cb?a=1');
    expect(appendQuery('http://h/cb?x=1#frag', [['a', '1']])).toBe('http://h/cb?x=1&a=1');
  });
});

describe('nonce cache', () => {
  it('refuses a replay until the window passes, per consumer', () => {
    const clock = new EmulatorClock();
    const cache = new NonceCache(clock);
    expect(cache.remember('c1', 'n')).toBe(true);
    expect(cache.remember('c1', 'n')).toBe(false);
    expect(cache.remember('c2', 'n')).toBe(true);
    clock.setOffset(601);
    expect(cache.remember('c1', 'n')).toBe(true);
  });

  it('stays bounded under a flood', () => {
    const cache = new NonceCache(new EmulatorClock());
    for (let i = 0; i < 120_000; i++) cache.remember('c', String(i));
    // The newest are still remembered; the oldest were forgotten to bound memory.
    expect(cache.remember('c', '119999')).toBe(false);
    expect(cache.remember('c', '0')).toBe(true);
  });
});

describe('small rules', () => {
  it('counts as X does (weighted, after NFC)', () => {
    expect(checkTweetText('a'.repeat(280))).toEqual({ ok: true, text: 'a'.repeat(280) });
    expect(checkTweetText('a'.repeat(281))).toEqual({ ok: false, problem: 'too-long', length: 281 });
    expect(checkTweetText('\n\t ')).toMatchObject({ ok: false, problem: 'empty' });
    expect(checkTweetText('字'.repeat(141))).toEqual({ ok: false, problem: 'too-long', length: 282 });
  });

  it('generates increasing snowflake ids beyond 2^53', () => {
    const ids = new TweetIdGenerator();
    const a = ids.next(Date.now());
    const b = ids.next(Date.now());
    expect(BigInt(b)).toBeGreaterThan(BigInt(a));
    expect(BigInt(a)).toBeGreaterThan(2n ** 53n);
  });

  it('scrapes forms with entities and aria-labels', () => {
    const form = scrapeForm(
      `<form method="POST" action="/x?a=1&amp;b=2"><input type=hidden name=t value='&#60;v&#x3e;'>` +
        `<button name="go" value="1" aria-label="Authorize app"><span>✓</span></button><button type="button">No</button></form>`,
    )!;
    expect(form).toMatchObject({ action: '/x?a=1&b=2', method: 'post', hidden: [['t', '<v>']] });
    expect(form.buttons).toEqual([{ name: 'go', value: '1', label: 'Authorize app' }]);
    expect(scrapeForm('<p>no form</p>')).toBeNull();
  });
});
