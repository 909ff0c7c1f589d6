import { describe, expect, it } from 'vitest';
import { parseAuthorizationHeader } from '../../src/emulator/authorization-header.js';
import { percentEncode } from '../../src/emulator/percent-encoding.js';
import { hmacSha1Signature, signatureBaseString, signatureBaseUri } from '../../src/emulator/signature-verify.js';
import { parseUrlEncoded } from '../../src/emulator/url-encoded.js';
import { ALICE, useEmulator } from './support/emulator.js';
import { call, freshNonce, nowSeconds, sign, SANDBOX_CONSUMER } from './support/oauth-client.js';

const CODE_32 = { errors: [{ code: 32, message: 'Could not authenticate you.' }] };

describe('verifier internals against RFC 5849', () => {
  it('builds the §3.4.1.1 example base string byte for byte', () => {
    const header = parseAuthorizationHeader(
      'OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", oauth_token="kkk9d7dh3k39sjv7", ' +
        'oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", ' +
        'oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"',
    );
    if (header.kind !== 'oauth') throw new Error('header not parsed');
    const params = [
      ...parseUrlEncoded('b5=%3D%253D&a3=a&c%40=&a2=r%20b'),
      ...parseUrlEncoded('c2&a3=2+q'),
      ...header.params.filter(([n]) => n !== 'realm' && n !== 'oauth_signature'),
    ];
    expect(signatureBaseString('post', signatureBaseUri('EXAMPLE.COM:80', '/request'), params)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26' +
        'oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26' +
        'oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('computes the §1.2 protected-resource signature', () => {
    const params = [
      ...parseUrlEncoded('file=vacation.jpg&size=original'),
      ['oauth_consumer_key', 'dpf43f3p2l4k3l03'],
      ['oauth_token', 'nnch734d00sl2jdk'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131202'],
      ['oauth_nonce', 'chapoH'],
    ] as const;
    const base = signatureBaseString('GET', signatureBaseUri('photos.example.net', '/photos'), params);
    expect(hmacSha1Signature(base, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00')).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
  });

  it('encodes per §3.6 (unreserved only, UTF-8, upper-case hex)', () => {
    expect(percentEncode("a b+c*!'()~-._é☃")).toBe('a%20b%2Bc%2A%21%27%28%29~-._%C3%A9%E2%98%83');
  });

  it('treats an unreadable header as garbled and a bad escape as an encoding error', () => {
    expect(parseAuthorizationHeader('Bearer abc').kind).toBe('garbled');
    expect(parseAuthorizationHeader('OAuth oauth_nonce=unquoted').kind).toBe('garbled');
    expect(() => parseAuthorizationHeader('OAuth oauth_nonce="%zz"')).toThrow(/percent/);
  });
});

describe('signature checks over HTTP', () => {
  const emu = useEmulator();
  const token = () => emu().issueAccessToken(ALICE, SANDBOX_CONSUMER.key);

  it('accepts a correctly signed request (header placement)', async () => {
    const res = await call(emu().port, { path: '/2/users/me', token: token() });
    expect(res.status).toBe(200);
    expect(res.json().data.username).toBe('sandbox_alice');
  });

  it('accepts oauth_* parameters in the query (§3.5.3) and in a form body (§3.5.2)', async () => {
    const t = token();
    expect((await call(emu().port, { path: '/2/users/me', token: t, placement: 'query' })).status).toBe(200);
    const posted = await call(emu().port, {
      method: 'POST',
      path: '/1.1/statuses/update.json',
      token: t,
      placement: 'form',
      form: [['status', 'form-placed oauth']],
    });
    expect(posted.status).toBe(200);
  });

  it('signs query and form parameters, repeated names and "+" as space', async () => {
    const t = token();
    const res = await call(emu().port, {
      method: 'POST',
      path: '/1.1/statuses/update.json?a=1&a=0&z=hello+world&empty',
      token: t,
      form: [
        ['status', 'params & spaces + ünïcödé ☃'],
        ['a', '2'],
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json().text).toBe('params & spaces + ünïcödé ☃');
  });

  it('accepts a request without oauth_version', async () => {
    expect((await call(emu().port, { path: '/2/users/me', token: token(), version: null })).status).toBe(200);
  });

  it('does not sign JSON bodies', async () => {
    const res = await call(emu().port, {
      method: 'POST',
      path: '/2/tweets',
      token: token(),
      json: { text: 'json is not signed' },
    });
    expect(res.status).toBe(201);
  });

  const refused: Array<[string, (t: { token: string; secret: string }) => Parameters<typeof call>[1]]> = [
    [
      'a garbage signature',
      (t) => ({
        path: '/2/users/me',
        token: t,
        headers: {
          authorization: sign({ method: 'GET', url: 'http://x/', consumer: SANDBOX_CONSUMER, token: t }).header.replace(
            /oauth_signature="[^"]+"/,
            'oauth_signature="AAAA"',
          ),
        },
      }),
    ],
    [
      'a changed query parameter',
      (t) => ({ path: '/2/users/me?user.fields=id', token: t, signAs: { path: '/2/users/me?user.fields=name' } }),
    ],
    [
      'a changed form parameter',
      (t) => ({
        method: 'POST',
        path: '/1.1/statuses/update.json',
        token: t,
        form: [['status', 'sent']],
        signAs: { form: [['status', 'signed']] },
      }),
    ],
    ['a changed method', (t) => ({ method: 'GET', path: '/2/users/me', token: t, signAs: { method: 'POST' } })],
    ['a changed host', (t) => ({ path: '/2/users/me', token: t, signAs: { host: 'api.x.com' } })],
    ['a changed path', (t) => ({ path: '/2/users/me', token: t, signAs: { path: '/2/users/mee' } })],
    ['a wrong consumer secret', (t) => ({ path: '/2/users/me', token: t, signAs: { consumerSecret: 'nope' } })],
    ['a wrong token secret', (t) => ({ path: '/2/users/me', token: t, signAs: { tokenSecret: 'nope' } })],
    ['an unknown consumer key', (t) => ({ path: '/2/users/me', token: t, consumer: { key: 'who', secret: 'x' } })],
    ['PLAINTEXT', (t) => ({ path: '/2/users/me', token: t, signatureMethod: 'PLAINTEXT' })],
    ['oauth_version 2.0', (t) => ({ path: '/2/users/me', token: t, version: '2.0' })],
    ['no Authorization header', (t) => ({ path: '/2/users/me', token: t, headers: { authorization: '' } })],
    ['a Bearer header', (t) => ({ path: '/2/users/me', token: t, headers: { authorization: 'Bearer abc' } })],
    [
      'a garbled OAuth header',
      (t) => ({ path: '/2/users/me', token: t, headers: { authorization: 'OAuth oauth_consumer_key=unquoted' } }),
    ],
    [
      'a duplicated protocol parameter',
      (t) => ({
        path: '/2/users/me',
        token: t,
        headers: { authorization: 'OAuth oauth_consumer_key="a", oauth_consumer_key="b"' },
      }),
    ],
  ];
  it.each(refused)('refuses %s with 401 code 32', async (_name, make) => {
    const res = await call(emu().port, make(token()));
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.json()).toEqual(CODE_32);
  });

  it('lower-cases the Host header and drops :80 when rebuilding the URL (§3.4.1.2)', async () => {
    const t = token();
    // Sent Host "LOCALHOST:80" must be verified as http://localhost/...
    const res = await call(emu().port, {
      path: '/2/users/me',
      token: t,
      host: 'LOCALHOST:80',
      signAs: { host: 'localhost' },
    });
    expect(res.status).toBe(200);
  });

  it('answers a skewed timestamp with 135 and a Date header from its clock', async () => {
    const res = await call(emu().port, { path: '/2/users/me', token: token(), timestamp: nowSeconds() - 301 - 5 });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ errors: [{ code: 135, message: 'Timestamp out of bounds.' }] });
    const date = Date.parse(String(res.headers.date));
    expect(Math.abs(date - Date.now())).toBeLessThan(5000);
  });

  it('tells a client its clock is off through Date when the emulator clock is offset', async () => {
    emu().setClockOffset(3600);
    try {
      const res = await call(emu().port, { path: '/2/users/me', token: token() });
      expect(res.json().errors[0].code).toBe(135);
      const skew = Date.parse(String(res.headers.date)) / 1000 - nowSeconds();
      expect(Math.abs(skew - 3600)).toBeLessThan(5);
      // A client that corrects its timestamp by the observed skew succeeds.
      const fixed = await call(emu().port, {
        path: '/2/users/me',
        token: token(),
        timestamp: nowSeconds() + Math.round(skew),
      });
      expect(fixed.status).toBe(200);
    } finally {
      emu().setClockOffset(0);
    }
  });

  it('refuses a replayed nonce', async () => {
    const t = token();
    const nonce = freshNonce();
    const timestamp = nowSeconds();
    expect((await call(emu().port, { path: '/2/users/me', token: t, nonce, timestamp })).status).toBe(200);
    const replay = await call(emu().port, { path: '/2/users/me', token: t, nonce, timestamp });
    expect(replay.status).toBe(401);
    expect(replay.json()).toEqual(CODE_32);
  });

  it('does not let a badly signed request burn a nonce', async () => {
    const t = token();
    const nonce = freshNonce();
    expect(
      (await call(emu().port, { path: '/2/users/me', token: t, nonce, signAs: { tokenSecret: 'x' } })).status,
    ).toBe(401);
    expect((await call(emu().port, { path: '/2/users/me', token: t, nonce })).status).toBe(200);
  });

  it('answers an unknown token with 89', async () => {
    const res = await call(emu().port, { path: '/2/users/me', token: { token: '1-nope', secret: 'x' } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ errors: [{ code: 89, message: 'Invalid or expired token.' }] });
  });
});
