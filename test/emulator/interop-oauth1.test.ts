// The project's signer (src/oauth1) against the emulator's independent verifier: the two were
// written separately, so agreement here is evidence both follow RFC 5849.
import { describe, expect, it } from 'vitest';
import { accessToken, requestToken, signRequest } from '../../src/oauth1/index.js';
import { ALICE, useEmulator } from './support/emulator.js';
import {
  freshNonce,
  formEncode,
  nowSeconds,
  parseTokenAnswer,
  raw,
  SANDBOX_CONSUMER,
  type Pair,
} from './support/oauth-client.js';

const emu = useEmulator();

function signed(
  method: string,
  path: string,
  token?: ReturnType<typeof accessToken> | ReturnType<typeof requestToken>,
  form?: Pair[],
  extra?: Record<`oauth_${string}`, string>,
) {
  return signRequest({
    method,
    url: `${emu().url}${path}`,
    consumer: SANDBOX_CONSUMER,
    token,
    form,
    extra,
    timestamp: nowSeconds(),
    nonce: freshNonce(),
  }).authorization;
}

describe('src/oauth1 signRequest against the emulator', () => {
  it('request_token, access_token and resource calls verify', async () => {
    const rt = await raw(emu().port, {
      method: 'POST',
      path: '/oauth/request_token',
      headers: {
        authorization: signed('POST', '/oauth/request_token', undefined, undefined, { oauth_callback: 'oob' }),
      },
    });
    expect(rt.status).toBe(200);
    const t = parseTokenAnswer(rt.text);
    const page = await raw(emu().port, { path: `/oauth/authorize?oauth_token=${t.oauth_token}` });
    const hidden = [...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(
      (m) => [m[1]!, m[2]!] as Pair,
    );
    const answer = await raw(emu().port, {
      method: 'POST',
      path: '/oauth/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formEncode([...hidden, ['username', 'sandbox_alice'], ['action', 'authorize']]),
    });
    const pin = /<code id="oauth_pin">(\d+)<\/code>/.exec(answer.text)![1]!;
    const at = await raw(emu().port, {
      method: 'POST',
      path: '/oauth/access_token',
      headers: {
        authorization: signed(
          'POST',
          '/oauth/access_token',
          requestToken(t.oauth_token!, t.oauth_token_secret!),
          undefined,
          { oauth_verifier: pin },
        ),
      },
    });
    expect(at.status).toBe(200);
    const a = parseTokenAnswer(at.text);
    const tok = accessToken(a.oauth_token!, a.oauth_token_secret!);
    const me = await raw(emu().port, {
      path: '/2/users/me?user.fields=id%2Cname',
      headers: { authorization: signed('GET', '/2/users/me?user.fields=id%2Cname', tok) },
    });
    expect(me.status).toBe(200);

    const form: Pair[] = [
      ['status', 'interop ☃ & +'],
      ['a', '1'],
      ['a', '0'],
    ];
    const up = await raw(emu().port, {
      method: 'POST',
      path: '/1.1/statuses/update.json?b=x+y',
      headers: {
        authorization: signed('POST', '/1.1/statuses/update.json?b=x+y', tok, form),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: formEncode(form),
    });
    expect(up.status).toBe(200);
    expect(emu().tweets().at(-1)).toMatchObject({ text: 'interop ☃ & +', authorId: ALICE });
  });
});
