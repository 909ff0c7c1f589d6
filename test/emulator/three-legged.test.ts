import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEmulator } from './support/emulator.js';
import { call, formEncode, parseTokenAnswer, raw, SANDBOX_CONSUMER, type Answer } from './support/oauth-client.js';
import { scrapeForm } from '../../src/emulator/form-scraper.js';

const emu = useEmulator({
  apps: [
    {
      consumerKey: 'sandbox-consumer-key',
      consumerSecret: 'sandbox-consumer-secret',
      name: 'twauth sandbox',
      callbacks: ['http://127.0.0.1:*/callback', 'http://localhost:8080/cb'],
      access: 'read-write',
    },
    {
      consumerKey: 'evil-key',
      consumerSecret: 'evil-secret',
      name: '<script>alert("x")</script> & Co',
      callbacks: [],
      access: 'read',
    },
  ],
});

async function requestToken(
  callback: string,
  extra: { accessType?: string; consumer?: { key: string; secret: string } } = {},
) {
  const res = await call(emu().port, {
    method: 'POST',
    path: extra.accessType ? `/oauth/request_token?x_auth_access_type=${extra.accessType}` : '/oauth/request_token',
    oauth: { oauth_callback: callback },
    ...(extra.consumer ? { consumer: extra.consumer } : {}),
  });
  return res;
}

async function newRequestToken(
  callback: string,
  extra: { accessType?: string; consumer?: { key: string; secret: string } } = {},
) {
  const res = await requestToken(callback, extra);
  expect(res.status).toBe(200);
  const t = parseTokenAnswer(res.text);
  return { token: t.oauth_token!, secret: t.oauth_token_secret! };
}

async function consentPage(token: string, query = ''): Promise<Answer> {
  return raw(emu().port, { path: `/oauth/authorize?oauth_token=${encodeURIComponent(token)}${query}` });
}

async function submit(
  token: string,
  action: 'authorize' | 'cancel',
  username = 'sandbox_alice',
  extra: Array<[string, string]> = [],
): Promise<Answer> {
  const page = await consentPage(token);
  const form = scrapeForm(page.text);
  const fields: Array<[string, string]> = [
    ...(form?.hidden ?? []),
    ['username', username],
    ['action', action],
    ...extra,
  ];
  return raw(emu().port, {
    method: 'POST',
    path: '/oauth/authorize',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formEncode(fields),
  });
}

describe('three-legged flow over HTTP', () => {
  let appServer: Server;
  let appPort = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    appServer = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('signed in');
    });
    await new Promise<void>((r) => appServer.listen(0, '127.0.0.1', r));
    const a = appServer.address();
    appPort = typeof a === 'object' && a ? a.port : 0;
  });
  afterAll(() => new Promise<void>((r) => appServer.close(() => r())));

  it('request_token → consent → redirect → access_token → users/me', async () => {
    const callback = `http://127.0.0.1:${appPort}/callback?state=abc%20d`;
    const rt = await requestToken(callback);
    expect(rt.status).toBe(200);
    expect(rt.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(rt.text).toMatch(/^oauth_token=[A-Za-z0-9]+&oauth_token_secret=[A-Za-z0-9]+&oauth_callback_confirmed=true$/);
    const { oauth_token: token, oauth_token_secret: secret } = parseTokenAnswer(rt.text) as Record<string, string>;

    const page = await consentPage(token!);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toMatch(/<h1>Authorize twauth sandbox to access your account\?<\/h1>/);
    expect(page.text).toContain('<title>Authorize twauth sandbox to access your account?</title>');
    expect(page.text).toContain('<form method="post" action="/oauth/authorize">');
    expect(page.text).not.toMatch(/<script/i);
    const form = scrapeForm(page.text)!;
    expect(form.buttons.map((b) => b.label)).toEqual(['Authorize app', 'Cancel']);
    expect(form.select?.options.map((o) => o.value)).toEqual(['sandbox_alice', 'sandbox_bob', 'sandbox_carol']);

    const approved = await submit(token!, 'authorize', 'sandbox_bob');
    expect(approved.status).toBe(302);
    const location = new URL(String(approved.headers.location));
    expect(location.origin + location.pathname).toBe(`http://127.0.0.1:${appPort}/callback`);
    expect(String(approved.headers.location)).toMatch(/\?state=abc%20d&oauth_token=/);
    expect(location.searchParams.get('oauth_token')).toBe(token);
    const verifier = location.searchParams.get('oauth_verifier')!;
    expect(verifier).toMatch(/^[A-Za-z0-9]{20,}$/);

    const at = await call(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      token: { token: token!, secret: secret! },
      oauth: { oauth_verifier: verifier },
    });
    expect(at.status).toBe(200);
    const access = parseTokenAnswer(at.text);
    expect(at.text).toMatch(
      /^oauth_token=1000000002-[A-Za-z0-9]+&oauth_token_secret=[A-Za-z0-9]+&user_id=1000000002&screen_name=sandbox_bob$/,
    );

    const me = await call(emu().port, {
      path: '/2/users/me',
      token: { token: access.oauth_token!, secret: access.oauth_token_secret! },
    });
    expect(me.status).toBe(200);
    expect(me.json()).toEqual({ data: { id: '1000000002', name: 'Bob Sandbox', username: 'sandbox_bob' } });

    // The request token is spent: the consent page no longer works.
    expect((await consentPage(token!)).status).toBe(400);
  });

  it('accepts oauth_verifier in the form body and GET /oauth/authenticate', async () => {
    const rt = await newRequestToken(`http://127.0.0.1:${appPort}/callback`);
    const page = await raw(emu().port, { path: `/oauth/authenticate?oauth_token=${rt.token}` });
    expect(page.status).toBe(200);
    const approved = await submit(rt.token, 'authorize');
    const verifier = new URL(String(approved.headers.location)).searchParams.get('oauth_verifier')!;
    const at = await call(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      token: rt,
      form: [['oauth_verifier', verifier]],
    });
    expect(at.status).toBe(200);
    expect(parseTokenAnswer(at.text).screen_name).toBe('sandbox_alice');
  });

  it('oob: shows a 7-digit PIN that works as the verifier', async () => {
    const rt = await newRequestToken('oob');
    const page = await consentPage(rt.token);
    expect(page.text).toContain('shows a PIN');
    const answer = await submit(rt.token, 'authorize', 'sandbox_carol');
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/<h1>[^<]+<\/h1>/);
    const pin = /<code id="oauth_pin">(\d+)<\/code>/.exec(answer.text)?.[1];
    expect(pin).toMatch(/^\d{7}$/);
    const at = await call(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      token: rt,
      oauth: { oauth_verifier: pin! },
    });
    expect(at.status).toBe(200);
    expect(parseTokenAnswer(at.text).user_id).toBe('1000000003');
  });

  it('cancel with a URL callback redirects with denied=<request token>', async () => {
    const rt = await newRequestToken(`http://127.0.0.1:${appPort}/callback`);
    const answer = await submit(rt.token, 'cancel');
    expect(answer.status).toBe(302);
    expect(String(answer.headers.location)).toBe(`http://127.0.0.1:${appPort}/callback?denied=${rt.token}`);
    // A denied token cannot be exchanged or approved later.
    const at = await call(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      token: rt,
      oauth: { oauth_verifier: 'x' },
    });
    expect(at.status).toBe(401);
    expect((await consentPage(rt.token)).status).toBe(400);
  });

  it('cancel with oob shows an access-denied page', async () => {
    const rt = await newRequestToken('oob');
    const answer = await submit(rt.token, 'cancel');
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('<h1>Access denied</h1>');
    expect(answer.text).not.toContain('id="oauth_pin"');
  });

  it('refuses an unapproved callback with 403 code 415', async () => {
    for (const cb of [
      'http://127.0.0.1:5000/elsewhere',
      'http://localhost:9999/callback',
      'https://127.0.0.1:5000/callback',
      'not a url',
    ]) {
      const res = await requestToken(cb);
      expect(res.status, cb).toBe(403);
      expect(res.json()).toEqual({
        errors: [
          {
            code: 415,
            message:
              'Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings',
          },
        ],
      });
    }
    expect((await requestToken('http://localhost:8080/cb?x=1')).status).toBe(200);
  });

  it('requires oauth_callback', async () => {
    const res = await call(emu().port, { method: 'POST', path: '/oauth/request_token' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/oauth_callback/);
  });

  it('verifier is single-use and a wrong one is refused in plain text', async () => {
    const rt = await newRequestToken('oob');
    const pin = /<code id="oauth_pin">(\d+)<\/code>/.exec((await submit(rt.token, 'authorize')).text)![1]!;
    const wrong = await call(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      token: rt,
      oauth: { oauth_verifier: pin === '0000000' ? '1111111' : '0000000' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toBe('Error processing your OAuth request: Invalid oauth_verifier parameter');
    const missing = await call(emu().port, { method: 'POST', path: '/oauth/access_token', token: rt });
    expect(missing.status).toBe(401);
    const first = await call(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      token: rt,
      oauth: { oauth_verifier: pin },
    });
    expect(first.status).toBe(200);
    const again = await call(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      token: rt,
      oauth: { oauth_verifier: pin },
    });
    expect(again.status).toBe(401);
    expect(again.text).toBe('Error processing your OAuth request: Invalid oauth_verifier parameter');
  });

  it('refuses access_token signed with the wrong request-token secret or an unknown token', async () => {
    const rt = await newRequestToken('oob');
    const pin = /<code id="oauth_pin">(\d+)<\/code>/.exec((await submit(rt.token, 'authorize')).text)![1]!;
    const bad = await call(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      token: { token: rt.token, secret: 'wrong' },
      oauth: { oauth_verifier: pin },
    });
    expect(bad.json().errors[0].code).toBe(32);
    const unknown = await call(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      token: { token: 'nope', secret: 'x' },
      oauth: { oauth_verifier: pin },
    });
    expect(unknown.json().errors[0].code).toBe(89);
  });

  it('x_auth_access_type=read yields a read-only token', async () => {
    const rt = await newRequestToken('oob', { accessType: 'read' });
    const page = await consentPage(rt.token);
    expect(page.text).not.toContain('Post and delete');
    const pin = /<code id="oauth_pin">(\d+)<\/code>/.exec((await submit(rt.token, 'authorize')).text)![1]!;
    const at = parseTokenAnswer(
      (
        await call(emu().port, {
          method: 'POST',
          path: '/oauth/access_token',
          token: rt,
          oauth: { oauth_verifier: pin },
        })
      ).text,
    );
    const post = await call(emu().port, {
      method: 'POST',
      path: '/2/tweets',
      token: { token: at.oauth_token!, secret: at.oauth_token_secret! },
      json: { text: 'nope' },
    });
    expect(post.status).toBe(403);
  });

  it('screen_name pre-selects; force_login asks for a username that must exist', async () => {
    const rt = await newRequestToken('oob');
    const selected = await consentPage(rt.token, '&screen_name=sandbox_carol');
    expect(selected.text).toContain('<option value="sandbox_carol" selected>');
    const forced = await consentPage(rt.token, '&force_login=true&screen_name=%3Cb%3Ebob');
    expect(forced.text).not.toContain('<select');
    expect(forced.text).toContain('value="&#60;b&#62;bob"');
    const unknown = await submit(rt.token, 'authorize', 'nobody_here', [['force_login', 'true']]);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('There is no account named');
    expect(unknown.text).toContain('type="text"');
    const ok = await submit(rt.token, 'authorize', '@SANDBOX_BOB');
    expect(ok.status).toBe(200);
    expect(ok.text).toMatch(/id="oauth_pin"/);
  });

  it('escapes the app name and refuses a forged form', async () => {
    const rt = await newRequestToken('oob', { consumer: { key: 'evil-key', secret: 'evil-secret' } });
    const page = await consentPage(rt.token);
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; Co');
    const forged = await raw(emu().port, {
      method: 'POST',
      path: '/oauth/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formEncode([
        ['oauth_token', rt.token],
        ['username', 'sandbox_alice'],
        ['action', 'authorize'],
      ]),
    });
    expect(forged.status).toBe(403);
  });

  it('answers an unknown request token with a 400 page', async () => {
    const res = await consentPage('no-such-token');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<h1>This page is no longer valid</h1>');
    expect((await raw(emu().port, { path: '/oauth/authorize' })).status).toBe(400);
  });

  it('expires request tokens after 15 minutes', async () => {
    const rt = await newRequestToken('oob');
    emu().setClockOffset(15 * 60 + 1);
    try {
      expect((await consentPage(rt.token)).status).toBe(400);
    } finally {
      emu().setClockOffset(0);
    }
  });

  it('request_token refuses an oauth_token and a bad signature', async () => {
    const withToken = await call(emu().port, {
      method: 'POST',
      path: '/oauth/request_token',
      token: { token: 'x', secret: '' },
      oauth: { oauth_callback: 'oob' },
    });
    expect(withToken.status).toBe(401);
    const bad = await call(emu().port, {
      method: 'POST',
      path: '/oauth/request_token',
      oauth: { oauth_callback: 'oob' },
      signAs: { consumerSecret: 'no' },
    });
    expect(bad.json()).toEqual({ errors: [{ code: 32, message: 'Could not authenticate you.' }] });
    expect(SANDBOX_CONSUMER.key).toBe('sandbox-consumer-key');
  });
});
