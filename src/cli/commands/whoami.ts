import type { Context } from '../context.js';
import { fetchMe } from '../fetch-me.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'whoami',
  topic: 'accounts',
  description: 'print the username of the current account (GET /2/users/me)',
  args: {},
  options: {},
  examples: ['twauth whoami', 'twauth whoami --json | jq -r .id', 'twauth --account sandbox_bob whoami'],
  json: '{"id", "username", "name", …X\'s user fields, "credential_source"}',
});

export async function run(ctx: Context, _values: Values<typeof spec>): Promise<void> {
  const creds = await ctx.credentials();
  const me = await fetchMe(ctx.client(creds));
  ctx.io.out(ctx.settings.json ? JSON.stringify({ ...me, credential_source: creds.source }) : me.username);
}
