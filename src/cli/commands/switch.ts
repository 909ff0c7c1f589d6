import type { Context } from '../context.js';

export async function run(ctx: Context, [selector]: unknown[]): Promise<void> {
  const accounts = ctx.accounts();
  const account = accounts.find(String(selector))!;
  await accounts.setDefault(account);
  ctx.io.err(`default account is now @${account.screenName} (id ${account.userId}, ${account.apiBase})`);
}
