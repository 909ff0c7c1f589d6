/**
 * Finds the links in a post the way X counts them (twitter-text v3
 * `extractUrlsWithIndices`): `http(s)://` URLs, and bare domains such as
 * `example.com/path` or `x.com` whose top-level domain is a real one.
 * Email addresses, `@mentions`, `#hashtags`, `$cashtags` and file names such
 * as `file.txt` are not links.
 *
 * The patterns are rebuilt here from twitter-text's published rules; they
 * are compiled on the first call, never at import time.
 */

import { asciiLabelLength, MAX_LABEL_LENGTH } from './punycode.js';
import { TLD_LIST } from './tlds.js';

/** A link inside the text: UTF-16 offset and the number of UTF-16 units it spans. */
export interface UrlSpan {
  start: number;
  length: number;
}

const MAX_URL_LENGTH = 4096;
const MAX_TCO_SLUG_LENGTH = 40;
const DEFAULT_PROTOCOL = 'https://';

// Character-class bodies (inside [...]) — strings only; nothing is compiled here.
const PUNCT = String.raw`!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$`;
const SPACES = String.raw`\x09-\x0D\x20\x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000`;
const INVALID = String.raw`\uFFFE\uFEFF\uFFFF`;
const DIRECTIONAL = String.raw`\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069`;
const LATIN_ACCENTS = String.raw`\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF`;
const CYRILLIC = String.raw`\u0400-\u04FF`;

interface Patterns {
  /** The whole link, with the character before it: groups 2 before, 3 url, 4 protocol, 5 domain, 7 path. */
  extract: RegExp;
  /** ASCII-only domains inside a matched domain (global). */
  asciiDomains: RegExp;
  /** t.co links: the slug, with an optional query string. */
  tco: RegExp;
}

/*
 * All ~1,500 TLDs in one alternation would cost tens of milliseconds to
 * compile, too much for a CLI's start. A TLD can only match right after a
 * '.', so each call first looks up which TLDs occur after a '.' in the text
 * (a Set lookup), and the patterns are compiled for just those, then cached.
 * The result is the same as with the full alternation.
 */

let tldSet: Set<string> | undefined;
let maxTldLength = 0;
const cache = new Map<string, Patterns>();
const CACHE_LIMIT = 32;

/** One UTF-16 unit as the `i` flag (without `u`) compares it: upper-cased when that stays one unit. */
function fold(code: number): string {
  if (code < 0x80) return String.fromCharCode(code >= 0x61 && code <= 0x7a ? code - 0x20 : code);
  const ch = String.fromCharCode(code);
  const upper = ch.toUpperCase();
  if (upper.length !== 1 || (code >= 0x80 && upper.charCodeAt(0) < 0x80)) return ch;
  return upper;
}

function foldAll(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toUpperCase();
  let out = '';
  for (let i = 0; i < s.length; i++) out += fold(s.charCodeAt(i));
  return out;
}

function getTldSet(): Set<string> {
  if (tldSet === undefined) {
    tldSet = new Set();
    for (const tld of TLD_LIST.trim().split(/\s+/)) {
      tldSet.add(foldAll(tld));
      maxTldLength = Math.max(maxTldLength, tld.length);
    }
  }
  return tldSet;
}

/** TLDs (folded) that appear right after some '.' in `text`, sorted. */
function tldsAfterDots(text: string): string[] {
  const set = getTldSet();
  const found = new Set<string>();
  for (let dot = text.indexOf('.'); dot !== -1; dot = text.indexOf('.', dot + 1)) {
    let key = '';
    const stop = Math.min(text.length, dot + 1 + maxTldLength);
    for (let j = dot + 1; j < stop; j++) {
      const code = text.charCodeAt(j);
      if (code === 0x2e || code <= 0x20) break;
      key += fold(code);
      if (set.has(key)) found.add(key);
    }
  }
  return [...found].sort();
}

function escapeUnits(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const plain = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    out += plain ? String.fromCharCode(code) : '\\u' + code.toString(16).padStart(4, '0');
  }
  return out;
}

function compile(tlds: string[]): Patterns {
  const domainChar = `[^${PUNCT}${SPACES}${INVALID}${DIRECTIONAL}]`;
  const subdomain = `(?:(?:${domainChar}(?:[_-]|${domainChar})*)?${domainChar}\\.)`;
  const domainName = `(?:(?:${domainChar}(?:-|${domainChar})*)?${domainChar}\\.)`;
  // A TLD must not run on into letters, digits, '@' (emails), '+' or '-'.
  const names = [...tlds].sort((a, b) => b.length - a.length).map(escapeUnits);
  const tld = names.length > 0 ? `(?:(?:${names.join('|')})(?=[^0-9a-z@+-]|$))` : '(?!)';
  const punycodeTld = String.raw`(?:xn--[\-0-9a-z]+)`;
  const domain = `(?:${subdomain}*${domainName}(?:${tld}|${punycodeTld}))`;

  const pathChar = String.raw`[a-z${CYRILLIC}0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&${LATIN_ACCENTS}]`;
  const balancedParens = String.raw`\((?:${pathChar}+|(?:${pathChar}*\(${pathChar}+\)${pathChar}*))\)`;
  const pathEnd = String.raw`(?:[+\-a-z${CYRILLIC}0-9=_#/${LATIN_ACCENTS}]|(?:${balancedParens}))`;
  const path = `(?:(?:${pathChar}*(?:${balancedParens}${pathChar}*)*${pathEnd})|(?:@${pathChar}+/))`;
  const queryChar = String.raw`[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]`;
  const queryEnd = String.raw`[a-z0-9\-_&=#/]`;
  const preceding = String.raw`(?:[^A-Za-z0-9@\uFF20$#\uFF03${INVALID}]|^)`;

  const extract =
    `((${preceding})` + // 1 whole match, 2 the character before
    `((https?:\\/\\/)?` + // 3 url, 4 protocol
    `(${domain})` + // 5 domain
    `(?::([0-9]+))?` + // 6 port
    `(\\/${path}*)?` + // 7 path
    `(\\?${queryChar}*${queryEnd})?))`; // 8 query

  return {
    extract: new RegExp(extract, 'gi'),
    asciiDomains: new RegExp(String.raw`(?:(?:[\-a-z0-9${LATIN_ACCENTS}]+)\.)+(?:${tld}|${punycodeTld})`, 'gi'),
    tco: new RegExp(String.raw`^https?:\/\/t\.co\/([a-z0-9]+)(?:\?${queryChar}*${queryEnd})?`, 'i'),
  };
}

function getPatterns(tlds: string[]): Patterns {
  const key = tlds.join(' ');
  let p = cache.get(key);
  if (p === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    p = compile(tlds);
    cache.set(key, p);
  }
  return p;
}

/** twitter-text's host check: every label 1..63 characters once IDNA-encoded, URL at most 4096. */
function isValidHost(url: string, protocol: string, domain: string, p: Patterns): boolean {
  if (domain.startsWith('xn--')) {
    p.asciiDomains.lastIndex = 0;
    const ok = p.asciiDomains.test(domain);
    p.asciiDomains.lastIndex = 0;
    if (!ok) return false;
  }
  for (const label of domain.split('.')) {
    const length = asciiLabelLength(label);
    if (length < 1 || length > MAX_LABEL_LENGTH) return false;
  }
  return protocol.length + url.length <= MAX_URL_LENGTH;
}

/**
 * Links in `text` (already NFC-normalised), in order of appearance. Each span
 * is what X replaces by a t.co link of fixed length.
 */
export function extractUrlSpans(text: string): UrlSpan[] {
  if (!text.includes('.')) return [];
  const tlds = tldsAfterDots(text);
  if (tlds.length === 0 && !/xn--/i.test(text)) return [];
  const p = getPatterns(tlds);
  const urls: UrlSpan[] = [];
  const re = p.extract;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const before = m[2] ?? '';
    let url = m[3] ?? '';
    const protocol = m[4];
    const domain = m[5] ?? '';
    const path = m[7];
    const startPosition = re.lastIndex - url.length;

    if (!isValidHost(url, protocol || DEFAULT_PROTOCOL, domain, p)) continue;

    if (!protocol) {
      // A bare domain right after '-', '_', '.' or '/' is part of something else.
      if (/[-_./]$/.test(before)) continue;
      // Only ASCII (and accented Latin) domains count without a protocol.
      let last: UrlSpan | undefined;
      let asciiEnd = 0;
      const ascii = p.asciiDomains;
      ascii.lastIndex = 0;
      for (let a = ascii.exec(domain); a !== null; a = ascii.exec(domain)) {
        const asciiStart = domain.indexOf(a[0], asciiEnd);
        asciiEnd = asciiStart + a[0].length;
        last = { start: startPosition + asciiStart, length: a[0].length };
        urls.push(last);
      }
      ascii.lastIndex = 0;
      if (last && path) last.length = url.length - domain.length + last.length;
    } else {
      // t.co links end with their slug (and query): a trailing "'s" or "-" is text.
      const tco = p.tco.exec(url);
      if (tco) {
        if ((tco[1] ?? '').length > MAX_TCO_SLUG_LENGTH) continue;
        url = tco[0];
      }
      urls.push({ start: startPosition, length: url.length });
    }
  }
  re.lastIndex = 0;
  return urls;
}

/** The links in `text` as X finds them (twitter-text `extractUrls`), in order of appearance. */
export function extractUrls(text: string): string[] {
  return extractUrlSpans(text).map((span) => text.slice(span.start, span.start + span.length));
}
