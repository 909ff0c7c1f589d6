import { describe, expect, it } from 'vitest';
import { undiciTransport, InvalidHttpRequestError } from '../../src/api/http-transport.js';
import { clean } from '../../src/api/error-body.js';
import { isUsername, printable, printableBlock } from '../../src/text/printable.js';

describe('printable: server and bus text made safe for a terminal', () => {
  it('turns every C0/C1 control, DEL and bidi/zero-width character into a space and collapses runs', () => {
    expect(printable('v\x1b[2J\x1b]0;pwn\x07\r\nLogged in as @admin')).toBe('v [2J ]0;pwn Logged in as @admin');
    expect(printable('a\u009b31mb\u202ec\u200bd\x7fe')).toBe('a 31mb c d e');
    for (let c = 0; c < 0xa0; c++)
      if (c < 0x20 || c >= 0x7f) expect(printable(`x${String.fromCharCode(c)}y`)).toBe('x y');
  });
  it('bounds the length, never splitting a surrogate pair', () => {
    expect(printable('x'.repeat(5000))).toHaveLength(300);
    expect(printable('x'.repeat(5000)).endsWith('…')).toBe(true);
    const emoji = 'x'.repeat(298) + '😀😀';
    expect(printable(emoji).isWellFormed()).toBe(true);
    expect(printable('abc', 2)).toBe('a…');
  });
  it("is the function X's error bodies were already cleaned with", () => {
    expect(clean).toBe(printable);
  });
  it('printableBlock keeps lines and tabs, shows the rest as U+FFFD', () => {
    expect(printableBlock('{\n\t"a": "\x1b[2J\x07"\r\n}')).toBe('{\n\t"a": "\uFFFD[2J\uFFFD"\uFFFD\n}');
  });
  it('isUsername: 1-15 of A-Z a-z 0-9 _', () => {
    for (const ok of ['a', 'sandbox_alice', 'X', '___', 'abcdefghijklmno']) expect(isUsername(ok)).toBe(true);
    for (const bad of ['', 'abcdefghijklmnop', '@a', 'a b', 'é', 'v\x1b[2J', 'a-b', 42, undefined])
      expect(isUsername(bad)).toBe(false);
  });
});

describe('undici refusing a request before sending', () => {
  it('is InvalidHttpRequestError (nothing sent), not a network failure', async () => {
    const send = undiciTransport({});
    // Port 1 on loopback: if anything were sent it would be refused, which is another error.
    await expect(
      send({
        method: 'POST',
        url: 'http://127.0.0.1:1/2/tweets',
        headers: { 'x-note': 'a→b' },
        body: '{}',
        timeoutMs: 2000,
      }),
    ).rejects.toBeInstanceOf(InvalidHttpRequestError);
  });
});
