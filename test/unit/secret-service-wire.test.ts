// The D-Bus pieces of the Linux keychain read (src/store/secret-service): bus addresses, the wire
// format, message framing, and the Diffie-Hellman exchange, checked against fixed bytes from the
// D-Bus specification's rules and against OpenSSL's own DH. The real gnome-keyring is met in
// test/harness/secret-service-read.test.ts.
import { createDiffieHellman, getDiffieHellman, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { busSocketPaths } from '../../src/store/secret-service/bus-address.js';
import { dhModp2KeyPair } from '../../src/store/secret-service/dh-modp2.js';
import { decodeMessage, encodeMethodCall, frameLength } from '../../src/store/secret-service/message.js';
import { parseSignature, WireError } from '../../src/store/secret-service/signature.js';
import { WireReader } from '../../src/store/secret-service/wire-reader.js';
import { WireWriter } from '../../src/store/secret-service/wire-writer.js';

describe('busSocketPaths', () => {
  it('reads unix:path and unix:abstract entries, percent-decoded, in order, and skips other transports', () => {
    expect(busSocketPaths('unix:path=/run/user/1000/bus')).toEqual(['/run/user/1000/bus']);
    expect(busSocketPaths('unix:abstract=/tmp/dbus-AbC,guid=0123')).toEqual(['\0/tmp/dbus-AbC']);
    expect(busSocketPaths('tcp:host=127.0.0.1,port=1;unix:path=/tmp/a%20b,guid=1;unix:path=/x')).toEqual([
      '/tmp/a b',
      '/x',
    ]);
    expect(busSocketPaths('autolaunch:')).toEqual([]);
    expect(busSocketPaths(undefined)).toEqual([]);
    expect(busSocketPaths('unix:tmpdir=/tmp')).toEqual([]);
    expect(busSocketPaths('unix:path=%zz')).toEqual([]);
  });
});

describe('wire format', () => {
  it('writes the spec layout: alignment padding, string NULs, array lengths without padding', () => {
    const w = new WireWriter();
    w.write('ysa{ss}', [7, 'ab', [['k', 'v']]]);
    expect(w.bytes().toString('hex')).toBe(
      [
        '07',
        '000000', // y, then padding to 4
        '02000000',
        '616200', // s: length, bytes, NUL
        '00', // padding to 4
        '0e000000', // array byte length (14), excluding the padding before the first entry
        '', // already 8-aligned at 16
        '01000000',
        '6b00',
        '0000',
        '01000000',
        '7600', // {k, v}
      ].join(''),
    );
  });

  it('round-trips every type it supports, in both byte orders for reading', () => {
    const sig = 'ybuisogva{ss}ay(us)ao';
    const values = [
      255,
      true,
      4294967295,
      -5,
      'héllo',
      '/org/x',
      'a{sv}',
      { signature: 'ay', value: Buffer.from([1, 2, 3]) },
      [
        ['a', 'b'],
        ['c', ''],
      ],
      Buffer.from('secret'),
      [9, 'z'],
      ['/a', '/b/c'],
    ];
    const w = new WireWriter();
    w.write(sig, values);
    expect(new WireReader(w.bytes(), 0, true).read(sig)).toEqual(values);
  });

  it('reads big-endian messages', () => {
    // A METHOD_RETURN in big-endian order with body (s) "hi", as a big-endian peer would send.
    // (REPLY_SERIAL u 7), (SIGNATURE g "s"): 15 bytes, then one byte of padding to 8.
    const fields = Buffer.from('0501750000000007' + '08016700017300' + '00', 'hex');
    const body = Buffer.from('000000026869' + '00', 'hex');
    const head = Buffer.alloc(16);
    head.write('B', 0, 'latin1');
    head[1] = 2;
    head[3] = 1;
    head.writeUInt32BE(body.length, 4);
    head.writeUInt32BE(3, 8);
    head.writeUInt32BE(15, 12);
    const msg = Buffer.concat([head, fields, body]);
    expect(frameLength(msg)).toBe(msg.length);
    const decoded = decodeMessage(msg);
    expect(decoded).toMatchObject({ type: 2, serial: 3, replySerial: 7, signature: 's' });
    expect(decoded.body()).toEqual(['hi']);
  });

  it('frames a method call it encodes, and decodes it back', () => {
    const bytes = encodeMethodCall(
      {
        destination: 'org.freedesktop.secrets',
        path: '/org/freedesktop/secrets',
        interface: 'org.freedesktop.Secret.Service',
        member: 'SearchItems',
        signature: 'a{ss}',
        body: [[['service', 'twauth']]],
      },
      42,
    );
    expect(bytes[0]).toBe(0x6c);
    expect(frameLength(bytes.subarray(0, 15))).toBeUndefined();
    expect(frameLength(bytes)).toBe(bytes.length);
    const decoded = decodeMessage(bytes);
    expect(decoded).toMatchObject({ type: 1, serial: 42, signature: 'a{ss}' });
    expect(decoded.body()).toEqual([[['service', 'twauth']]]);
  });

  it('rejects bad signatures, NULs in strings and truncated or hostile input with WireError only', () => {
    for (const sig of ['a', '(', '(s', '{s}', '{sss}', 'q?', '()'])
      expect(() => parseSignature(sig), sig).toThrow(WireError);
    expect(() => new WireWriter().write('s', ['a\0b'])).toThrow(WireError);
    expect(() => new WireReader(Buffer.from('05000000616263', 'hex'), 0, true).read('s')).toThrow(WireError);
    expect(() => frameLength(Buffer.from('6c02000100000010000000000000ff7f', 'hex'))).toThrow(WireError);
    expect(() => decodeMessage(Buffer.alloc(16, 0x41))).toThrow(WireError);
    for (let i = 0; i < 2000; i++) {
      const junk = randomBytes(16 + (i % 64));
      junk[0] = i % 2 ? 0x6c : 0x42;
      junk[3] = 1;
      try {
        if (frameLength(junk) !== undefined) decodeMessage(junk).body();
      } catch (err) {
        expect(err, junk.toString('hex')).toBeInstanceOf(WireError);
      }
    }
  });
});

describe('dhModp2KeyPair', () => {
  it('agrees with OpenSSL DH on the RFC 2409 1024-bit group, both ways, padded to 128 bytes', () => {
    const modp2 = getDiffieHellman('modp2');
    for (let i = 0; i < 5; i++) {
      const ours = dhModp2KeyPair();
      const theirs = createDiffieHellman(modp2.getPrime(), modp2.getGenerator());
      theirs.generateKeys();
      const a = ours.sharedSecret(theirs.getPublicKey());
      const b = theirs.computeSecret(ours.publicValue);
      expect(a.length).toBe(128);
      expect(a.equals(Buffer.concat([Buffer.alloc(128 - b.length), b]))).toBe(true);
      expect(ours.publicValue[0]).not.toBe(0);
    }
  });

  it('refuses a public value that cannot be one', () => {
    const ours = dhModp2KeyPair();
    expect(() => ours.sharedSecret(Buffer.alloc(0))).toThrow();
    expect(() => ours.sharedSecret(Buffer.alloc(129, 1))).toThrow();
  });
});
