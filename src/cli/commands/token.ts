import type { Context } from '../context.js';
import { shellQuote } from '../shell-quote.js';

/** The only command that prints secrets (README "Security"): for other tools and CI. */
export async function run(ctx: Context, _args: unknown[], opts: { env?: boolean }): Promise<void> {
  const c = await ctx.credentials();
  const fields = {
    consumer_key: c.consumer.key,
    consumer_secret: c.consumer.secret,
    access_token: c.token.token,
    access_token_secret: c.token.secret,
    user_id: c.userId ?? null,
    screen_name: c.screenName ?? null,
    api_base: c.apiBase,
  };
  if (ctx.settings.json && !opts.env) return ctx.io.out(JSON.stringify(fields, null, 2));
  const lines = Object.entries(fields)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `export TWAUTH_${k.toUpperCase()}=${shellQuote(String(v))}`);
  ctx.io.out(lines.join('\n'));
}
