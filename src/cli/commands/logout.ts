import { NetworkError, XApiError } from '../../api/errors.js';
import { oauthEndpoints } from '../../flows/oauth-endpoints.js';
import { accessToken } from '../../oauth1/index.js';
import { ConfigNotWritableError, MissingSecretsError, type AccountMeta } from '../../store/index.js';
import { CliError } from '../cli-error.js';
import type { Context } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { publicAccount, type PublicAccount } from '../public-account.js';
import { UsageError } from '../usage-error.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'logout',
  topic: 'accounts',
  description: 'revoke the access token at X, then forget the account',
  args: {
    account: { required: false, description: 'username or user id (default: --account, or the default account)' },
  },
  options: {
    all: { flags: '--all', type: 'boolean', description: 'every stored account' },
    localOnly: { flags: '--local-only', type: 'boolean', description: 'forget without revoking at X' },
  },
  examples: [
    'twauth logout',
    'twauth logout sandbox_bob',
    'twauth logout --account sandbox_bob',
    'twauth logout --all --local-only',
  ],
  json: '[{"username", "id", "app", "api_base", "store", "default", "revoked"}]: the accounts forgotten ([] when none)',
});

/** The accounts to log out of: every one, the one named, or the one this run acts as. */
function targets(ctx: Context, opts: Values<typeof spec>): AccountMeta[] {
  const accounts = ctx.accounts();
  if (opts.account !== undefined) {
    if (opts.all) throw new UsageError('give either an account or --all, not both');
    // An empty name would mean "the default" to Accounts.find: not what was asked.
    if (opts.account.trim() === '')
      throw new UsageError('logout needs a username or user id, got an empty one; twauth accounts lists them');
    return [accounts.find(opts.account)].filter((a): a is AccountMeta => a !== undefined);
  }
  return opts.all ? [...accounts.list()] : [ctx.selectAccount()].filter((a): a is AccountMeta => a !== undefined);
}

/**
 * Revokes at X (POST /1.1/oauth/invalidate_token), then forgets. A token X already refuses
 * (401) is as good as revoked. When X cannot be reached the account is kept, so the person can
 * try again: a token that still works must not be silently left behind.
 */
async function revoke(ctx: Context, a: AccountMeta): Promise<string | undefined> {
  let secrets;
  try {
    secrets = await ctx.accounts().secrets(a);
  } catch (err) {
    if (err instanceof MissingSecretsError)
      return `cannot read @${a.screenName}'s token to revoke it (${err.message}); use --local-only to forget it anyway`;
    throw err;
  }
  const client = ctx.client({ consumer: { key: a.consumerKey, secret: secrets.consumerSecret }, apiBase: a.apiBase });
  try {
    await oauthEndpoints(client).invalidate(accessToken(secrets.accessToken, secrets.accessTokenSecret));
    return undefined;
  } catch (err) {
    if (err instanceof XApiError && err.status === 401) return undefined;
    if (err instanceof NetworkError || err instanceof XApiError) {
      return `could not revoke @${a.screenName}'s token at X (${err instanceof XApiError ? `HTTP ${err.status}` : err.message}); kept it. Try again, or use --local-only to just forget it`;
    }
    throw err;
  }
}

export async function run(ctx: Context, opts: Values<typeof spec>): Promise<number> {
  const accounts = ctx.accounts();
  const chosen = targets(ctx, opts);
  const json = ctx.settings.json;
  if (chosen.length === 0) {
    if (json) ctx.io.out('[]');
    throw ctx.notLoggedIn('no stored account to log out of');
  }
  // Before anything is revoked: a token revoked at X for an account that then cannot be forgotten
  // here (a read-only folder) left a dead account behind. Nothing is sent when this fails.
  try {
    accounts.assertWritable();
  } catch (err) {
    if (err instanceof ConfigNotWritableError)
      throw new CliError(
        `${err.message}, so @${chosen.map((a) => a.screenName).join(', @')} cannot be forgotten; nothing was revoked`,
        EXIT.usage,
        'make the folder writable (or point TWAUTH_CONFIG_DIR at a writable one) and run twauth logout again',
      );
    throw err;
  }
  const defaultKey = accounts.config().defaultAccount;
  const forgotten: (PublicAccount & { readonly revoked: boolean })[] = [];
  const problems: string[] = [];
  for (const a of chosen) {
    const problem = opts.localOnly ? undefined : await revoke(ctx, a);
    if (problem) {
      problems.push(problem);
      // Said at once on a terminal; under --json, in the one error object at the end.
      if (!json) ctx.io.err(`twauth: ${problem}`);
      continue;
    }
    try {
      await accounts.remove(a);
    } catch (err) {
      // The folder was writable a moment ago: say exactly what state things are in.
      if (opts.localOnly) throw err;
      throw new CliError(
        `@${a.screenName}'s token was revoked at X, but the account could not be forgotten here (${(err as Error).message})`,
        EXIT.unexpected,
        'once the config folder is writable, run twauth logout --local-only to forget it',
      );
    }
    forgotten.push({ ...publicAccount(a, a.key === defaultKey), revoked: !opts.localOnly });
    ctx.io.err(
      `Logged out @${a.screenName} (id ${a.userId})${opts.localOnly ? ' locally; the token was not revoked at X' : '; the token is revoked'}`,
    );
  }
  if (json) ctx.io.out(JSON.stringify(forgotten, null, 2));
  // Which account later commands act as: the person should not have to run twauth accounts to know.
  const config = accounts.config();
  const def =
    config.accounts.find((a) => a.key === config.defaultAccount) ??
    (config.accounts.length === 1 ? config.accounts[0] : undefined);
  if (def) ctx.io.err(`default account is now @${def.screenName} (id ${def.userId}, ${def.apiBase})`);
  else if (config.accounts.length === 0) ctx.io.err('no stored accounts left');
  if (json && problems.length > 0) throw new CliError(problems.join('; '), EXIT.unavailable);
  return problems.length > 0 ? EXIT.unavailable : EXIT.ok;
}
