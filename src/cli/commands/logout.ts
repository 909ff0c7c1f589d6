import { NetworkError, XApiError } from '../../api/errors.js';
import { oauthEndpoints } from '../../flows/oauth-endpoints.js';
import { accessToken } from '../../oauth1/index.js';
import { MissingSecretsError, type AccountMeta } from '../../store/index.js';
import type { Context } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { NotLoggedInError } from '../usage-error.js';

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
    if (err instanceof MissingSecretsError) return `cannot read @${a.screenName}'s token to revoke it (${err.message}); use --local-only to forget it anyway`;
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

export async function run(ctx: Context, _args: unknown[], opts: { all?: boolean; localOnly?: boolean }): Promise<number> {
  const accounts = ctx.accounts();
  const targets = opts.all ? [...accounts.list()] : [ctx.selectAccount()].filter((a): a is AccountMeta => a !== undefined);
  if (targets.length === 0) throw ctx.settings.explicitApiBase ? ctx.notLoggedIn('no stored account to log out of') : new NotLoggedInError('no stored account to log out of');
  let failed = false;
  for (const a of targets) {
    const problem = opts.localOnly ? undefined : await revoke(ctx, a);
    if (problem) {
      ctx.io.err(`twauth: ${problem}`);
      failed = true;
      continue;
    }
    await accounts.remove(a);
    ctx.io.err(`Logged out @${a.screenName} (id ${a.userId})${opts.localOnly ? ' locally; the token was not revoked at X' : '; the token is revoked'}`);
  }
  if (targets.length > 0) {
    // Which account later commands act as: the person should not have to run twauth accounts to know.
    const config = accounts.config();
    const def = config.accounts.find((a) => a.key === config.defaultAccount) ?? (config.accounts.length === 1 ? config.accounts[0] : undefined);
    if (def) ctx.io.err(`default account is now @${def.screenName} (id ${def.userId}, ${def.apiBase})`);
    else if (config.accounts.length === 0) ctx.io.err('no stored accounts left');
  }
  return failed ? EXIT.unavailable : EXIT.ok;
}
