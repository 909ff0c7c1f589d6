// Peer for `twauth whoami`: twitter-api-v2 (devDependency), client.v2.me() with OAuth 1.0a user
// credentials from `twauth token --env`. Prints the username.
//
// The v2 client's URL prefix (default https://api.x.com/2/) is set to the emulator's with
// setPrefix(). The library sends through https.request; for the emulator's http:// base it is
// handed a plain http.Agent (its httpAgent client setting), which makes Node accept http:.
// bench/run.sh checks that the emulator's request count goes up by one for each run.
import { Agent } from 'node:http';
import { TwitterApi } from 'twitter-api-v2';

const env = process.env;
const base = env.TWAUTH_API_BASE.replace(/\/+$/, '');
const client = new TwitterApi(
  {
    appKey: env.TWAUTH_CONSUMER_KEY,
    appSecret: env.TWAUTH_CONSUMER_SECRET,
    accessToken: env.TWAUTH_ACCESS_TOKEN,
    accessSecret: env.TWAUTH_ACCESS_TOKEN_SECRET,
  },
  base.startsWith('http:') ? { httpAgent: new Agent() } : {},
);
client.v2.setPrefix(`${base}/2/`);
const me = await client.v2.me();
console.log(me.data.username);
