import { createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';

/**
 * Diffie-Hellman over the 1024-bit MODP group of RFC 2409 §6.2 (OpenSSL's "modp2"), exchanging
 * raw public values as the Secret Service's dh-ietf1024 algorithm does.
 *
 * Node's DiffieHellman class is not used: building one checks the prime for primality, ~30 ms
 * (measured) at every keychain read. Key objects of a named group skip that check; public values
 * go in and out of them through their DER SubjectPublicKeyInfo (RFC 3279 §2.3.3: the public value
 * is an INTEGER inside the BIT STRING).
 */
export interface DhKeyPair {
  /** Our public value, big-endian, unsigned. */
  readonly publicValue: Buffer;
  /** The shared secret with the peer's public value, padded to the prime's 128 bytes. */
  sharedSecret(peerPublicValue: Buffer): Buffer;
}

export function dhModp2KeyPair(): DhKeyPair {
  // @types/node lacks the 'dh' overload (Node has had it since 15.12).
  const { publicKey, privateKey } = (
    generateKeyPairSync as unknown as (
      type: 'dh',
      options: { group: string },
    ) => { publicKey: KeyObject; privateKey: KeyObject }
  )('dh', { group: 'modp2' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const [algorithm, bitString] = children(spki, 0);
  const publicValue = unsigned(integerIn(spki, bitString!));
  return {
    publicValue,
    sharedSecret(peer) {
      const value = unsigned(peer);
      if (value.length === 0 || value.length > 128) throw new Error('the Secret Service sent a malformed public key');
      const integer = tlv(0x02, value[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value);
      const der = tlv(
        0x30,
        Buffer.concat([
          spki.subarray(algorithm!.start, algorithm!.end),
          tlv(0x03, Buffer.concat([Buffer.from([0]), integer])),
        ]),
      );
      const peerKey: KeyObject = createPublicKey({ key: der, format: 'der', type: 'spki' });
      const secret = diffieHellman({ privateKey, publicKey: peerKey });
      return secret.length >= 128 ? secret : Buffer.concat([Buffer.alloc(128 - secret.length), secret]);
    },
  };
}

interface Tlv {
  readonly start: number;
  readonly contentStart: number;
  readonly end: number;
}

function readTlv(der: Buffer, at: number): Tlv {
  let length = der[at + 1]!;
  let contentStart = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[at + 2 + i]!;
    contentStart += n;
  }
  const end = contentStart + length;
  if (end > der.length) throw new Error('truncated DER');
  return { start: at, contentStart, end };
}

/** The elements of the SEQUENCE at `at`. */
function children(der: Buffer, at: number): Tlv[] {
  const outer = readTlv(der, at);
  const out: Tlv[] = [];
  for (let p = outer.contentStart; p < outer.end; p = out[out.length - 1]!.end) out.push(readTlv(der, p));
  return out;
}

/** The INTEGER inside a BIT STRING (after its unused-bits byte). */
function integerIn(der: Buffer, bitString: Tlv): Buffer {
  const integer = readTlv(der, bitString.contentStart + 1);
  return der.subarray(integer.contentStart, integer.end);
}

function unsigned(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
