// twurl's and xurl's credential files as those tools write them (twurl: Ruby's Psych; xurl:
// Go's yaml.v3, and its older JSON), read by twauth's importers.
import { describe, expect, it } from 'vitest';
import { readTwurlrc, readXurl, twurlrcWithout, xurlWithout } from '../../src/store/import/index.js';

const TWURLRC = `---
profiles:
  alice_x:
    ConsumerKeyA:
      username: alice_x
      consumer_key: ConsumerKeyA
      consumer_secret: SecretA
      token: 111-TokenA
      secret: TokenSecretA
  "bob":
    ConsumerKeyB:
      username: bob
      consumer_key: ConsumerKeyB
      consumer_secret: 'Secret''B'
      token: "222-TokenB"
      secret: TokenSecretB # a comment
configuration:
  default_profile:
  - alice_x
  - ConsumerKeyA
bearer_tokens:
  ConsumerKeyA: AAAA%2FBearer
aliases:
  me: /2/users/me
`;

const XURL = `apps:
  default:
    client_id: cid
    client_secret: csecret
    default_user: alice
    oauth2_tokens:
      alice:
        type: oauth2
        oauth2:
          access_token: o2
          refresh_token: r2
          expiration_time: 1767225600
    oauth1_token:
      type: oauth1
      oauth1:
        access_token: 333-TokenC
        token_secret: TokenSecretC
        consumer_key: ConsumerKeyC
        consumer_secret: SecretC
default_app: default
`;

describe('readTwurlrc', () => {
  it('finds every profile, with its screen name, and quoted values unquoted', () => {
    const { found, skipped } = readTwurlrc(TWURLRC);
    expect(skipped).toEqual([]);
    expect(found.map(({ where: _w, ...c }) => c)).toEqual([
      {
        screenName: 'alice_x',
        consumerKey: 'ConsumerKeyA',
        consumerSecret: 'SecretA',
        accessToken: '111-TokenA',
        accessTokenSecret: 'TokenSecretA',
      },
      {
        screenName: 'bob',
        consumerKey: 'ConsumerKeyB',
        consumerSecret: "Secret'B",
        accessToken: '222-TokenB',
        accessTokenSecret: 'TokenSecretB',
      },
    ]);
  });

  it('without the imported profiles: bearer tokens and aliases stay, default_profile goes with its profile', () => {
    const left = twurlrcWithout(TWURLRC, readTwurlrc(TWURLRC).found.slice(0, 1));
    expect(left).not.toMatch(/TokenA|TokenSecretA|SecretA"/);
    expect(left).toMatch(/TokenSecretB/);
    expect(left).toMatch(/AAAA%2FBearer/);
    expect(left).not.toMatch(/default_profile/);
    expect(readTwurlrc(left).found.map((f) => f.screenName)).toEqual(['bob']);
  });

  it('refuses what it cannot read faithfully, naming the line', () => {
    expect(() => readTwurlrc('profiles:\n  a: &anchor\n')).toThrow(/line 2: anchors/);
    expect(() => readTwurlrc('aliases: {}\n')).toThrow(/no "profiles" section/);
  });
});

describe('readXurl', () => {
  it('the YAML format: the OAuth 1.0a entry only; OAuth 2.0 stays', () => {
    const { found } = readXurl(XURL);
    expect(found.map(({ where: _w, ...c }) => c)).toEqual([
      {
        consumerKey: 'ConsumerKeyC',
        consumerSecret: 'SecretC',
        accessToken: '333-TokenC',
        accessTokenSecret: 'TokenSecretC',
      },
    ]);
    const left = xurlWithout(XURL, found);
    expect(left).not.toMatch(/TokenSecretC/);
    expect(left).toMatch(/refresh_token: "r2"/);
  });

  it('the older JSON format', () => {
    const json = JSON.stringify({
      oauth2_tokens: {},
      oauth1_tokens: {
        type: 'oauth1',
        oauth1: { access_token: 't', token_secret: 'ts', consumer_key: 'k', consumer_secret: 's' },
      },
      file_path: '/home/u/.xurl',
    });
    const { found } = readXurl(json);
    expect(found).toHaveLength(1);
    const left = JSON.parse(xurlWithout(json, found)) as Record<string, unknown>;
    expect(left).toEqual({ oauth2_tokens: {}, file_path: '/home/u/.xurl' });
  });
});
