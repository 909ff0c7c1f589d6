import type { Context } from '../context.js';
import { shellQuote } from '../shell-quote.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'token',
  topic: 'accounts',
  description: "print the current account's credentials (the only command that prints secrets)",
  args: {},
  options: {
    env: { flags: '--env', type: 'boolean', description: 'as export lines that twauth accepts back' },
  },
  examples: ['twauth token --json', 'twauth token --env > ci-credentials.env', 'eval "$(twauth token --env)"'],
  json: '{"consumer_key", "consumer_secret", "access_token", "access_token_secret", "user_id", "screen_name", "api_base"}',
});

/** The only command that prints secrets (README "Security"): for other tools and CI. */
export async function run(ctx: Context, opts: Values<typeof spec>): Promise<void> {
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
