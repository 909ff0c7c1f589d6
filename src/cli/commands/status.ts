import { MalformedAnswerError, NetworkError, XApiError } from '../../api/errors.js';
import { accessToken } from '../../oauth1/index.js';
import { MissingSecretsError, type AccountMeta } from '../../store/index.js';
import type { Context } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { fetchMe } from '../fetch-me.js';
import { table } from '../table.js';
import { NotLoggedInError } from '../usage-error.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'status',
  description: 'check every stored account against the API; exit 4 if any is invalid',
  args: {},
  options: {},
  examples: ['twauth status', 'twauth status --json'],
  json: '[{"username", "id", "app", "api_base", "store", "default", "state", "detail"}] ([] when none, exit 4)',
});

type State = 'valid' | 'revoked' | 'unreachable' | 'locked' | 'error';

async function check(ctx: Context, a: AccountMeta): Promise<{ state: State; detail: string; username?: string }> {
  try {
    const s = await ctx.accounts().secrets(a);
    const me = await fetchMe(ctx.client({ consumer: { key: a.consumerKey, secret: s.consumerSecret }, token: accessToken(s.accessToken, s.accessTokenSecret), apiBase: a.apiBase }, { retry: { attempts: 2, baseMs: 200, capMs: 1000 } }));
    return { state: 'valid', detail: me.username === a.screenName ? 'ok' : `ok (now @${me.username})`, username: me.username };
  } catch (err) {
    if (err instanceof MissingSecretsError) return { state: 'locked', detail: err.storeError?.message ?? `credentials missing from the ${a.store}` };
    if (err instanceof XApiError && err.status === 401) return { state: 'revoked', detail: `X rejected the token${err.code ? ` (code ${err.code})` : ''}: run twauth login` };
    if (err instanceof NetworkError || (err instanceof XApiError && err.status >= 500)) return { state: 'unreachable', detail: err instanceof NetworkError ? err.message : `HTTP ${err.status}` };
    if (err instanceof XApiError) return { state: 'error', detail: `HTTP ${err.status}${err.code ? ` code ${err.code}` : ''}` };
    if (err instanceof MalformedAnswerError) return { state: 'error', detail: err.message };
    throw err;
  }
}

/** Like `gh auth status`: every stored account checked against the API, in parallel. */
export async function run(ctx: Context, _values: Values<typeof spec>): Promise<number> {
  const config = ctx.accounts().config();
  if (config.accounts.length === 0) {
    if (ctx.settings.json) ctx.io.out('[]');
    throw new NotLoggedInError('no stored accounts: run twauth login');
  }
  const results = await Promise.all(config.accounts.map(async (a) => ({ a, ...(await check(ctx, a)) })));
  if (ctx.settings.json) {
    ctx.io.out(JSON.stringify(results.map(({ a, state, detail }) => ({ username: a.screenName, id: a.userId, app: a.consumerKey, api_base: a.apiBase, store: a.store, default: a.key === config.defaultAccount, state, detail })), null, 2));
  } else {
    ctx.io.out(table(['', 'USERNAME', 'ID', 'STATE', 'DETAIL'], results.map(({ a, state, detail }) => [a.key === config.defaultAccount ? '*' : '', a.screenName, a.userId, state, detail])));
  }
  if (results.some((r) => r.state === 'revoked' || r.state === 'locked' || r.state === 'error')) return EXIT.auth;
  if (results.some((r) => r.state === 'unreachable')) return EXIT.unavailable;
  return EXIT.ok;
}
