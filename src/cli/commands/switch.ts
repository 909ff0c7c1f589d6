import type { AccountMeta } from '../../store/index.js';
import { defineCommand, type Values } from '../command-spec.js';
import type { Context } from '../context.js';
import { prompts } from '../prompts.js';
import { publicAccount } from '../public-account.js';
import { UsageError } from '../usage-error.js';

export const spec = defineCommand({
  name: 'switch',
  topic: 'accounts',
  description: 'make a stored account the default',
  args: {
    account: {
      required: false,
      description: 'username or user id (none: toggle between two accounts, or pick from a list)',
    },
  },
  options: {},
  help: 'Without a name: with two stored accounts, switches to the other one (as gh auth\nswitch does); with more, on a terminal, lists them and asks.',
  examples: ['twauth switch sandbox_bob', 'twauth switch 1000000002', 'twauth switch'],
  json: '{"username", "id", "app", "api_base", "store", "default": true}: the account that is now the default',
});

/**
 * `switch NAME` makes that account the default. Bare `switch` (as `gh auth switch`): with two
 * accounts it toggles to the other one; with more, on a terminal, it lists them and asks.
 */
export async function run(ctx: Context, { account: selector }: Values<typeof spec>): Promise<void> {
  // An empty selector would mean "the default" to Accounts.find: not what switch was asked.
  if (selector !== undefined && selector.trim() === '')
    throw new UsageError('switch needs a username or user id, got an empty one; twauth accounts lists them');
  const accounts = ctx.accounts();
  const account = selector !== undefined ? accounts.find(selector) : await choose(ctx);
  if (!account) throw new UsageError(`no stored account matches "${selector}"; twauth accounts lists them`);
  await accounts.setDefault(account);
  ctx.io.err(`default account is now @${account.screenName} (id ${account.userId}, ${account.apiBase})`);
  if (ctx.settings.json) ctx.io.out(JSON.stringify(publicAccount(account, true)));
}

async function choose(ctx: Context): Promise<AccountMeta> {
  const config = ctx.accounts().config();
  const all = config.accounts;
  if (all.length === 0) throw new UsageError('no stored accounts to switch between: run twauth login');
  const current = all.find((a) => a.key === config.defaultAccount);
  if (all.length === 1)
    throw new UsageError(`@${all[0]!.screenName} is the only stored account (twauth login adds another)`);
  if (all.length === 2 && current) return all.find((a) => a !== current)!;
  if (!ctx.io.stdinIsTTY) throw new UsageError('name the account: twauth switch NAME (twauth accounts lists them)');
  const names = (a: AccountMeta) => `@${a.screenName} (id ${a.userId}, ${a.apiBase})`;
  ctx.io.err('Stored accounts:');
  all.forEach((a, i) => ctx.io.err(`  ${i + 1}) ${names(a)}${a === current ? '  (default)' : ''}`));
  const pick = (v: string): AccountMeta | undefined => {
    const t = v.trim();
    if (/^\d+$/.test(t)) return all[Number(t) - 1];
    const s = t.replace(/^@/, '').toLowerCase();
    return all.find((a) => a.screenName.toLowerCase() === s || a.userId === s);
  };
  const answer = await prompts(ctx.io).askText(`Make which account the default? (1-${all.length} or a name)`, (v) =>
    pick(v) ? true : `type a number from 1 to ${all.length}, or a name above`,
  );
  return pick(answer)!;
}
