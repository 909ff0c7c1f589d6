import { defineCommand, type Values } from '../command-spec.js';
import type { Context } from '../context.js';
import { publicAccount } from '../public-account.js';
import { UsageError } from '../usage-error.js';

export const spec = defineCommand({
  name: 'switch',
  description: 'make a stored account the default',
  args: {
    account: { required: true, description: 'username or user id' },
  },
  options: {},
  examples: ['twauth switch sandbox_bob', 'twauth switch 1000000002'],
  json: '{"username", "id", "app", "api_base", "store", "default": true}: the account that is now the default',
});

export async function run(ctx: Context, { account: selector }: Values<typeof spec>): Promise<void> {
  // An empty selector would mean "the default" to Accounts.find: not what switch was asked.
  if (selector.trim() === '') throw new UsageError('switch needs a username or user id, got an empty one; twauth accounts lists them');
  const accounts = ctx.accounts();
  const account = accounts.find(selector);
  if (!account) throw new UsageError(`no stored account matches "${selector}"; twauth accounts lists them`);
  await accounts.setDefault(account);
  ctx.io.err(`default account is now @${account.screenName} (id ${account.userId}, ${account.apiBase})`);
  if (ctx.settings.json) ctx.io.out(JSON.stringify(publicAccount(account, true)));
}
