import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signatureBaseString } from '../../src/emulator/signature-verify.js';
import { accessToken } from '../../src/oauth1/credentials.js';
import { OAuthInputError } from '../../src/oauth1/errors.js';
import type { Param } from '../../src/oauth1/params.js';
import { signRequest, type SignInput } from '../../src/oauth1/sign.js';
import { anyString, attempt, expectOnly, refEncode, runs, unicodeString, utf16String } from './support.js';

/**
 * An independent RFC 5849 implementation to cross-check the oauth-1.0a wrapper:
 * §3.4.1.3.1 collect (protocol + query + form, minus oauth_signature), §3.4.1.3.2 encode, sort by
 * name then value (byte order: encoded strings are ASCII), join; §3.4.1.1 base string; §3.4.2 HMAC.
 */
function refParameterString(params: readonly Param[]): string {
  return params
    .filter(([n]) => n !== 'oauth_signature')
    .map(([n, v]) => [refEncode(n), refEncode(v)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}

/** Names that matter: protocol names (a request parameter may share one), oauth_signature, tricky JS keys. */
const NAMES = [
  'oauth_nonce',
  'oauth_token',
  'oauth_signature',
  'oauth_version',
  'oauth_callback',
  'oauth_consumer_key',
  'oauth_timestamp',
  'constructor',
  'toString',
  'hasOwnProperty',
  'a',
  'a3',
  'c@',
  '',
  '0',
  '10',
  '2',
];
const text = fc.oneof(
  unicodeString(10),
  fc.constantFrom('', ' ', '+', '%', '=', '&', '☃', '😀', 'r b', "!*'()"),
  utf16String(6).filter((s) => s.isWellFormed()),
);
const name = fc.oneof(fc.constantFrom(...NAMES), text).filter((n) => n !== '__proto__');
const pairList = fc.array(fc.tuple(name, text), { maxLength: 6 }) as fc.Arbitrary<Param[]>;

type Encoder = (s: string) => string;
const encoders: Record<string, Encoder> = {
  rfc: refEncode,
  uric: encodeURIComponent,
  form: (s) => new URLSearchParams([['', s]]).toString().slice(1), // "+" for space, like HTML forms
};

const SCHEMES = { http: 80, https: 443 } as const;

interface Case {
  input: SignInput;
  expectedBaseUri: string;
}

const signCase: fc.Arbitrary<Case> = fc
  .record({
    scheme: fc.constantFrom('http', 'https', 'HTTP', 'HttpS'),
    host: fc.constantFrom('api.x.com', 'API.X.com', 'example.com', '127.0.0.1', '[::1]', 'xn--bcher-kva.example'),
    port: fc.option(fc.oneof(fc.constant('default' as const), fc.integer({ min: 1, max: 65535 }))),
    segments: fc.array(
      fc.oneof(
        text.map(encodeURIComponent),
        fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,8}$/),
        fc.constantFrom('.', '..', '%2F', 'é', 'a b'),
      ),
      { maxLength: 4 },
    ),
    query: pairList,
    queryEncoding: fc.constantFrom(...Object.keys(encoders)),
    emptyQuery: fc.boolean(),
    form: fc.option(pairList, { nil: undefined }),
    method: fc.constantFrom('GET', 'POST', 'put', 'Delete', 'PATCH', 'HEAD'),
    consumer: fc.record({ key: text, secret: text }),
    token: fc.option(fc.tuple(text, text), { nil: undefined }),
    extra: fc.option(fc.record({ oauth_callback: text, oauth_verifier: text }, { requiredKeys: [] }), {
      nil: undefined,
    }),
    timestamp: fc.integer({ min: 0, max: 4_000_000_000 }),
    nonce: text,
    version: fc.constantFrom('1.0' as const, null, undefined),
  })
  .map((r) => {
    const scheme = r.scheme.toLowerCase() as keyof typeof SCHEMES;
    const port = r.port === null ? '' : r.port === 'default' ? `:${SCHEMES[scheme]}` : `:${r.port}`;
    const enc = encoders[r.queryEncoding]!;
    const query = r.query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
    const url = `${r.scheme}://${r.host}${port}/${r.segments.join('/')}${query || r.emptyQuery ? '?' + query : ''}`;
    const keptPort = r.port === null || r.port === 'default' || r.port === SCHEMES[scheme] ? '' : `:${r.port}`;
    const input: SignInput = {
      method: r.method,
      url,
      consumer: r.consumer,
      token: r.token && accessToken(r.token[0], r.token[1]),
      form: r.form,
      extra: r.extra,
      timestamp: r.timestamp,
      nonce: r.nonce,
      ...(r.version === undefined ? {} : { version: r.version }),
    };
    return { input, expectedBaseUri: `${scheme}://${r.host.toLowerCase()}${keptPort}${new URL(url).pathname}` };
  });

function protocolParams(input: SignInput): Param[] {
  return [
    ['oauth_consumer_key', input.consumer.key],
    ['oauth_nonce', input.nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.trunc(input.timestamp))],
    ...(input.token ? [['oauth_token', input.token.token] as const] : []),
    ...(input.version === null ? [] : [['oauth_version', '1.0'] as const]),
    ...Object.entries(input.extra ?? {}),
  ];
}

function reference(
  input: SignInput,
  baseUri: string,
): { baseString: string; signature: string; parameterString: string } {
  const query = [...new URLSearchParams(new URL(String(input.url)).search)];
  const parameterString = refParameterString([...protocolParams(input), ...query, ...(input.form ?? [])]);
  const baseString = `${input.method.toUpperCase()}&${refEncode(baseUri)}&${refEncode(parameterString)}`;
  const key = `${refEncode(input.consumer.secret)}&${refEncode(input.token?.secret ?? '')}`;
  return { baseString, parameterString, signature: createHmac('sha1', key).update(baseString).digest('base64') };
}

function headerParams(authorization: string): Param[] {
  expect(authorization.startsWith('OAuth ')).toBe(true);
  return authorization
    .slice('OAuth '.length)
    .split(', ')
    .map((part) => {
      const m = /^([A-Za-z0-9\-._~%]+)="([A-Za-z0-9\-._~%]*)"$/.exec(part);
      expect(m, part).not.toBeNull();
      return [decodeURIComponent(m![1]!), decodeURIComponent(m![2]!)] as const;
    });
}

describe('signRequest (RFC 5849 §3.4) against an independent reference', () => {
  it('base string (method, base URI, parameter string) and signature equal the reference', () => {
    fc.assert(
      fc.property(signCase, ({ input, expectedBaseUri }) => {
        const signed = signRequest(input);
        const ref = reference(input, expectedBaseUri);
        const [method, uri, params, ...rest] = signed.baseString.split('&');
        expect(rest).toEqual([]);
        expect(method).toBe(input.method.toUpperCase());
        expect(decodeURIComponent(uri!)).toBe(expectedBaseUri);
        expect(decodeURIComponent(params!)).toBe(ref.parameterString);
        expect(signed.baseString).toBe(ref.baseString);
        expect(signed.signature).toBe(ref.signature);
      }),
      runs(700),
    );
  });

  it('agrees with the emulator verifier fed what goes on the wire (query + form + header parameters)', () => {
    fc.assert(
      fc.property(signCase, ({ input, expectedBaseUri }) => {
        const signed = signRequest(input);
        const wire = [
          ...new URLSearchParams(new URL(String(input.url)).search),
          ...(input.form ?? []),
          ...headerParams(signed.authorization),
        ];
        expect(
          signatureBaseString(
            input.method,
            expectedBaseUri,
            wire.filter(([n]) => n !== 'oauth_signature'),
          ),
        ).toBe(signed.baseString);
      }),
      runs(300),
    );
  });

  it('the Authorization header carries exactly the protocol parameters and the signature', () => {
    fc.assert(
      fc.property(signCase, ({ input }) => {
        const signed = signRequest(input);
        const sent = headerParams(signed.authorization);
        expect(new Map(sent)).toEqual(new Map([...protocolParams(input), ['oauth_signature', signed.signature]]));
        expect(sent.length).toBe(new Set(sent.map(([k]) => k)).size);
      }),
      runs(300),
    );
  });

  it('is deterministic for a fixed nonce and timestamp', () => {
    fc.assert(
      fc.property(signCase, ({ input }) => {
        expect(signRequest(input)).toEqual(signRequest({ ...input, form: input.form && [...input.form] }));
      }),
      runs(300),
    );
  });

  it('any change to one parameter changes the signature; an oauth_signature parameter changes nothing', () => {
    type Change = (i: SignInput) => SignInput;
    const change: fc.Arbitrary<[string, Change]> = fc.oneof(
      fc.constant(['nonce', (i: SignInput) => ({ ...i, nonce: i.nonce + 'x' })] as [string, Change]),
      fc.constant(['timestamp', (i: SignInput) => ({ ...i, timestamp: i.timestamp + 1 })] as [string, Change]),
      fc.constant([
        'consumer secret',
        (i: SignInput) => ({ ...i, consumer: { ...i.consumer, secret: i.consumer.secret + '&' } }),
      ] as [string, Change]),
      fc.constant([
        'consumer key',
        (i: SignInput) => ({ ...i, consumer: { ...i.consumer, key: i.consumer.key + 'k' } }),
      ] as [string, Change]),
      fc.constant([
        'token secret',
        (i: SignInput) => ({ ...i, token: accessToken(i.token?.token ?? 't', (i.token?.secret ?? '') + '1') }),
      ] as [string, Change]),
      fc.constant([
        'method',
        (i: SignInput) => ({ ...i, method: i.method.toUpperCase() === 'GET' ? 'POST' : 'GET' }),
      ] as [string, Change]),
      fc.constant([
        'path',
        (i: SignInput) => {
          const u = new URL(String(i.url));
          u.pathname += 'x';
          return { ...i, url: u.href };
        },
      ] as [string, Change]),
      fc.tuple(fc.nat(), text).map(([at, v]): [string, Change] => [
        'form value',
        (i) => {
          const form = [...(i.form ?? [])].filter(([n]) => n !== 'oauth_signature');
          if (form.length === 0) return { ...i, form: [['p', v]] };
          const k = at % form.length;
          form[k] = [form[k]![0], form[k]![1] + (v === '' ? 'v' : v)];
          return { ...i, form };
        },
      ]),
      fc
        .tuple(name, text)
        .filter(([n]) => n !== 'oauth_signature')
        .map(([n, v]): [string, Change] => [
          'added query parameter',
          (i) => {
            const u = new URL(String(i.url));
            u.searchParams.append(n, v);
            return { ...i, url: u.href };
          },
        ]),
    );
    fc.assert(
      fc.property(signCase, change, text, ({ input }, [, edit], junk) => {
        const base = { ...input, form: input.form?.filter(([n]) => n !== 'oauth_signature') };
        const before = signRequest(base).signature;
        expect(signRequest(edit(base)).signature).not.toBe(before);
        expect(signRequest({ ...base, form: [...(base.form ?? []), ['oauth_signature', junk]] }).signature).toBe(
          before,
        );
      }),
      runs(500),
    );
  });

  it('hostile input: a signature or OAuthInputError, never a TypeError/URIError from below', () => {
    const PROBLEMS = ['lone-surrogate', 'bad-percent-encoding', 'bad-url', 'reserved-name'];
    const hostileUrl = fc.oneof(
      anyString(40),
      fc.constantFrom(
        '',
        'nope',
        '/relative',
        'ftp://x/',
        'https://',
        'http://[::1',
        'https://a/%',
        'https://a/?%zz',
        'https://a/?a=%ED%A0%80',
        'mailto:a@b',
        'https://a/?__proto__=1',
        'javascript:alert(1)',
      ),
      fc.tuple(fc.constantFrom('http://h/', 'https://h/?'), anyString(20)).map(([a, b]) => a + b),
    );
    const hostileText = fc.oneof(anyString(12), fc.constantFrom('\uD800', 'a\uDC00b', '__proto__'));
    fc.assert(
      fc.property(
        hostileUrl,
        fc.array(fc.tuple(hostileText, hostileText), { maxLength: 3 }),
        fc.record({ key: hostileText, secret: hostileText }),
        fc.option(fc.tuple(hostileText, hostileText), { nil: undefined }),
        hostileText,
        fc.option(fc.record({ oauth_callback: hostileText }), { nil: undefined }),
        (url, form, consumer, token, nonce, extra) => {
          const r = attempt(() =>
            signRequest({
              method: 'POST',
              url,
              form,
              consumer,
              token: token && accessToken(...token),
              nonce,
              extra,
              timestamp: 1,
            }),
          );
          if (!r.ok) expectOnly(r.error, OAuthInputError, (e) => expect(PROBLEMS).toContain(e.problem));
          else expect(r.value.signature).toMatch(/^[A-Za-z0-9+/]{27}=$/);
        },
      ),
      runs(1000),
    );
  });
});
