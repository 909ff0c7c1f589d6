import { describe, expect, it } from 'vitest';
import {
  accessToken,
  OAuthInputError,
  parseUrlEncoded,
  percentEncode,
  requestToken,
  signRequest,
} from '../../src/oauth1/index.js';
import { signatureBaseString as emulatorBaseString, verifyHmacSha1 } from '../../src/emulator/signature-verify.js';

const photos = { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' };

describe('RFC 5849 §1.2 worked example', () => {
  it('signs the temporary credentials request', () => {
    const s = signRequest({
      method: 'POST',
      url: 'https://photos.example.net/initiate',
      consumer: photos,
      version: null,
      extra: { oauth_callback: 'http://printer.example.com/ready' },
      timestamp: 137131200,
      nonce: 'wIjqoS',
    });
    expect(s.signature).toBe('74KNZJeDHnMBp0EMJ9ZHt/XKycU=');
  });
  it('signs the token credentials request', () => {
    const s = signRequest({
      method: 'POST',
      url: 'https://photos.example.net/token',
      consumer: photos,
      version: null,
      token: requestToken('hh5s93j4hdidpola', 'hdhd0244k9j7ao03'),
      extra: { oauth_verifier: 'hfdp7dh39dks9884' },
      timestamp: 137131201,
      nonce: 'walatlh',
    });
    expect(s.signature).toBe('gKgrFCywp7rO0OXSjdot/IHF7IU=');
  });
  it('signs the protected resource request', () => {
    const s = signRequest({
      method: 'GET',
      url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
      consumer: photos,
      version: null,
      token: accessToken('nnch734d00sl2jdk', 'pfkkdhi9sl3r4s00'),
      timestamp: 137131202,
      nonce: 'chapoH',
    });
    expect(s.signature).toBe('MdpQcU8iPSUjWoN/UDMsK2sui9I=');
    expect(s.authorization).toBe(
      'OAuth oauth_consumer_key="dpf43f3p2l4k3l03", oauth_nonce="chapoH", oauth_signature_method="HMAC-SHA1", ' +
        'oauth_timestamp="137131202", oauth_token="nnch734d00sl2jdk", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"',
    );
  });
});

describe('RFC 5849 §3.4.1.1 signature base string', () => {
  it('matches the specification byte for byte', () => {
    const s = signRequest({
      method: 'post',
      url: 'HTTP://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      form: parseUrlEncoded('c2&a3=2+q'),
      consumer: { key: '9djdj82h48djs9d2', secret: 'j49sk3j29djd' },
      token: accessToken('kkk9d7dh3k39sjv7', 'dh893hdasih9'),
      timestamp: 137131201,
      nonce: '7d8f3e4a',
      version: null,
    });
    expect(s.baseString).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });
});

describe('X "Creating a signature" example', () => {
  const x = {
    method: 'POST',
    form: [['status', 'Hello Ladies + Gentlemen, a signed OAuth request!']] as const,
    consumer: { key: 'xvz1evFS4wEEPTGEFPHBog', secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw' },
    token: accessToken(
      '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    ),
    timestamp: 1318622958,
    nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
  };
  it('api.twitter.com', () => {
    expect(
      signRequest({ ...x, url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true' }).signature,
    ).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });
  it('api.x.com (the host is signed)', () => {
    expect(
      signRequest({ ...x, url: 'https://api.x.com/1.1/statuses/update.json?include_entities=true' }).signature,
    ).toBe('Ls93hJiZbQ3akF3HF3x1Bz8/zU4=');
  });
  it("X's percent-encoding examples", () => {
    expect(percentEncode('Ladies + Gentlemen')).toBe('Ladies%20%2B%20Gentlemen');
    expect(percentEncode('An encoded string!')).toBe('An%20encoded%20string%21');
    expect(percentEncode('Dogs, Cats & Mice')).toBe('Dogs%2C%20Cats%20%26%20Mice');
    expect(percentEncode('☃')).toBe('%E2%98%83');
  });
});

describe('RFC 5849 §3.4.1.1: a custom HTTP method is percent-encoded in the base string', () => {
  // Base string and signature written out by hand from §3.4.1.1 and §3.4.2 (X's example
  // credentials), not produced by the code under test.
  const golden = {
    base:
      'PROP%21FIND&https%3A%2F%2Fapi.x.com%2F2%2Fusers%2Fme&oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg' +
      '%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0',
    signature: 'e39OcZff+giOTn3M7PPMbfrOdt0=',
  };
  const input = {
    url: 'https://api.x.com/2/users/me',
    consumer: { key: 'xvz1evFS4wEEPTGEFPHBog', secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw' },
    token: accessToken(
      '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
    ),
    timestamp: 1318622958,
    nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
  };

  it('the client signs "prop!find" as PROP%21FIND', () => {
    const s = signRequest({ ...input, method: 'prop!find' });
    expect(s.baseString).toBe(golden.base);
    expect(s.signature).toBe(golden.signature);
  });

  it('standard methods are unchanged', () => {
    expect(signRequest({ ...input, method: 'delete' }).baseString.startsWith('DELETE&https%3A%2F%2F')).toBe(true);
  });

  it('a method that is no HTTP token is refused, not signed', () => {
    expect(() => signRequest({ ...input, method: 'GET X' })).toThrow(OAuthInputError);
    expect(() => signRequest({ ...input, method: '' })).toThrow(/not a token/);
  });

  it("the emulator's verifier (its own code) builds the same base string and accepts the signature", () => {
    const params = parseUrlEncoded(
      'oauth_consumer_key=xvz1evFS4wEEPTGEFPHBog&oauth_nonce=kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg&oauth_signature_method=HMAC-SHA1' +
        '&oauth_timestamp=1318622958&oauth_token=370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb&oauth_version=1.0',
    );
    expect(emulatorBaseString('prop!find', 'https://api.x.com/2/users/me', params)).toBe(golden.base);
    const check = {
      method: 'PROP!FIND',
      baseUri: 'https://api.x.com/2/users/me',
      params,
      consumerSecret: input.consumer.secret,
      tokenSecret: input.token.secret,
      signature: golden.signature,
    };
    expect(verifyHmacSha1(check)).toBe(true);
    expect(verifyHmacSha1({ ...check, method: 'PROPFIND' })).toBe(false);
  });
});
