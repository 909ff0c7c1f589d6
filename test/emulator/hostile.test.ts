import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ALICE, useEmulator } from './support/emulator.js';
import { call, raw, SANDBOX_CONSUMER } from './support/oauth-client.js';

const emu = useEmulator();
const token = () => emu().issueAccessToken(ALICE, SANDBOX_CONSUMER.key);
const alive = async () => expect((await call(emu().port, { path: '/2/users/me', token: token() })).status).toBe(200);

function rawSocket(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => (out += d));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.end(bytes);
  });
}

describe('hostile input', () => {
  it('answers bad percent-encoding with 400 in the style of each endpoint family', async () => {
    const v2 = await raw(emu().port, { path: '/2/users/me?x=%zz' });
    expect(v2.status).toBe(400);
    expect(v2.json()).toMatchObject({ title: 'Invalid Request' });
    const v1 = await raw(emu().port, { path: '/1.1/account/verify_credentials.json?x=%C3%28' });
    expect(v1.status).toBe(400);
    expect(v1.json()).toEqual({ errors: [{ code: 215, message: 'Bad Authentication data.' }] });
    const page = await raw(emu().port, { path: '/oauth/authorize?oauth_token=%' });
    expect(page.status).toBe(400);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const form = await raw(emu().port, {
      method: 'POST',
      path: '/1.1/statuses/update.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'status=%E0%A4',
    });
    expect(form.status).toBe(400);
    const header = await raw(emu().port, {
      path: '/2/users/me',
      headers: { authorization: 'OAuth oauth_consumer_key="%G1"' },
    });
    expect(header.status).toBe(400);
    const notUtf8 = await raw(emu().port, {
      method: 'POST',
      path: '/oauth/request_token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from([0x61, 0x3d, 0xff]),
    });
    expect(notUtf8.status).toBe(400);
    await alive();
  });

  it('refuses a body over 1 MiB with 413 (declared length and chunked)', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const declared = await raw(emu().port, {
      method: 'POST',
      path: '/2/tweets',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ title: 'Payload Too Large', status: 413 });
    const chunked = await raw(emu().port, {
      method: 'POST',
      path: '/_emulator/faults',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: big,
    }).catch((e: Error) => e);
    // The client may still be writing when the answer arrives; a reset is acceptable, a crash is not.
    if (!(chunked instanceof Error)) expect(chunked.status).toBe(413);
    else expect(chunked.message).toMatch(/EPIPE|ECONNRESET|socket hang up/);
    // A declared length alone is answered before any byte is read.
    const head = await rawSocket(
      emu().port,
      'POST /2/tweets HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\nContent-Type: application/json\r\n\r\n',
    );
    expect(head).toMatch(/^HTTP\/1\.1 413 /);
    await alive();
  });

  it('survives malformed HTTP, absolute-form targets and oversized headers', async () => {
    expect(await rawSocket(emu().port, 'THIS IS NOT HTTP\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawSocket(emu().port, Buffer.from([0, 1, 2, 3, 255, 13, 10, 13, 10]))).toMatch(/^HTTP\/1\.1 400/);
    expect(
      await rawSocket(
        emu().port,
        'GET http://evil.example/2/users/me HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      ),
    ).toMatch(/^HTTP\/1\.1 400/);
    const huge = await raw(emu().port, { path: '/2/users/me', headers: { 'x-big': 'a'.repeat(64 * 1024) } }).catch(
      (e: Error) => e,
    );
    if (!(huge instanceof Error)) expect(huge.status).toBe(431);
    await alive();
  });

  it('handles odd but valid parameters and methods', async () => {
    const res = await call(emu().port, {
      path: '/2/users/me?__proto__=x&constructor=y&toString=&a=%00',
      token: token(),
    });
    expect(res.status).toBe(200);
    expect((await raw(emu().port, { method: 'DELETE', path: '/2/tweets' })).status).toBe(404);
    expect((await raw(emu().port, { method: 'PATCH', path: '/oauth/request_token' })).status).toBe(404);
    const invalidJson = await call(emu().port, {
      method: 'POST',
      path: '/2/tweets',
      token: token(),
      rawBody: '\xff\xfe{',
      contentType: 'application/json',
    });
    expect(invalidJson.status).toBe(400);
    const nested = await call(emu().port, {
      method: 'POST',
      path: '/2/tweets',
      token: token(),
      rawBody: '['.repeat(100_000),
      contentType: 'application/json',
    });
    expect(nested.status).toBe(400);
    await alive();
  });

  it('treats an absent Authorization header as code 32', async () => {
    const res = await raw(emu().port, { path: '/2/users/me' });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ errors: [{ code: 32, message: 'Could not authenticate you.' }] });
    expect(res.headers.date).toBeDefined();
  });
});
