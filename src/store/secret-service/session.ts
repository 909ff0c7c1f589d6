import { createDecipheriv, hkdfSync } from 'node:crypto';
import { DBusError, type BusConnection } from './bus-connection.js';
import { dhModp2KeyPair } from './dh-modp2.js';
import type { Variant } from './signature.js';
import { SECRET_SERVICE } from './service.js';

/** Turns a Secret struct's (parameters, value) into the secret's bytes. */
export interface SecretSession {
  readonly path: string;
  decrypt(parameters: Buffer, value: Buffer): Buffer;
}

const DH_ALGORITHM = 'dh-ietf1024-sha256-aes128-cbc-pkcs7';

/**
 * Opens a Secret Service session (Secret Service API, "Transfer of Secrets"). Like libsecret, it
 * asks for the encrypted transfer first: Diffie-Hellman over the 1024-bit MODP group of RFC 2409
 * §6.2 ("modp2"), an AES-128 key from HKDF-SHA256 (no salt, no info) of the shared secret, and
 * AES-128-CBC with PKCS#7 padding, the IV in the Secret's parameters. A service that does not
 * support it gets the plain algorithm; the session bus is local to this user either way.
 */
export async function openSession(conn: BusConnection): Promise<SecretSession> {
  const dh = dhModp2KeyPair();
  try {
    const [output, path] = (await conn.call(
      {
        ...SECRET_SERVICE,
        member: 'OpenSession',
        signature: 'sv',
        body: [DH_ALGORITHM, { signature: 'ay', value: dh.publicValue }],
      },
      'vo',
    )) as [Variant, string];
    if (!Buffer.isBuffer(output.value))
      throw new DBusError(
        'org.freedesktop.DBus.Error.InvalidArgs',
        `OpenSession answered with a ${output.signature}, not the service's public key`,
      );
    // The shared secret padded to the prime's length, as libsecret does before HKDF.
    const key = Buffer.from(hkdfSync('sha256', dh.sharedSecret(output.value), Buffer.alloc(0), Buffer.alloc(0), 16));
    return {
      path,
      decrypt: (iv, value) => {
        const decipher = createDecipheriv('aes-128-cbc', key, iv);
        return Buffer.concat([decipher.update(value), decipher.final()]);
      },
    };
  } catch (err) {
    if (!(err instanceof DBusError) || err.errorName !== 'org.freedesktop.DBus.Error.NotSupported') throw err;
  }
  const [, path] = (await conn.call(
    { ...SECRET_SERVICE, member: 'OpenSession', signature: 'sv', body: ['plain', { signature: 's', value: '' }] },
    'vo',
  )) as [Variant, string];
  return { path, decrypt: (_parameters, value) => value };
}
