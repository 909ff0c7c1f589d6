import type { Context } from '../context.js';
import { table } from '../table.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'accounts',
  topic: 'accounts',
  description: 'list stored accounts',
  args: {},
  options: {},
  examples: ['twauth accounts', 'twauth accounts --json | jq -r ".[].username"'],
  json: '[{"username", "id", "app", "store", "api_base", "default"}] ([] when none)',
});

export async function run(ctx: Context, _values: Values<typeof spec>): Promise<void> {
  const config = ctx.accounts().config();
  const rows = config.accounts.map((a) => ({
    username: a.screenName,
    id: a.userId,
    app: a.consumerKey,
    store: a.store,
    api_base: a.apiBase,
    default: a.key === config.defaultAccount,
  }));
  if (ctx.settings.json) return ctx.io.out(JSON.stringify(rows, null, 2));
  if (rows.length === 0) return ctx.io.err('no stored accounts: run twauth login');
  ctx.io.out(
    table(
      ['', 'USERNAME', 'ID', 'APP', 'STORE', 'API'],
      rows.map((r) => [r.default ? '*' : '', r.username, r.id, r.app, r.store, r.api_base]),
    ),
  );
}
