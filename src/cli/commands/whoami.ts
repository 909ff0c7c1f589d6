import type { Context } from '../context.js';
import { fetchMe } from '../fetch-me.js';

export async function run(ctx: Context): Promise<void> {
  const creds = await ctx.credentials();
  const me = await fetchMe(ctx.client(creds));
  ctx.io.out(ctx.settings.json ? JSON.stringify({ ...me, credential_source: creds.source }) : me.username);
}
