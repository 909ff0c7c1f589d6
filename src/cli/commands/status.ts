import { MalformedAnswerError, NetworkError, XApiError } from '../../api/errors.js';
import { retryAt } from '../../api/rate-limit.js';
import { accessToken, type AccessToken, type ConsumerCredentials } from '../../oauth1/index.js';
import { printable } from '../../text/printable.js';
import { MissingSecretsError, type AccountMeta } from '../../store/index.js';
import type { Context } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { fetchMeAndAccess } from '../fetch-me.js';
import { DEFAULT_API_BASE } from '../settings.js';
import { table } from '../table.js';
import { utcTime } from '../utc-time.js';
import { NotLoggedInError } from '../usage-error.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'status',
  topic: 'accounts',
  description: 'check every account (stored, and TWAUTH_ACCESS_TOKEN) against the API',
  args: {},
  options: {},
  help: "Exit 4 if any is rejected or unreadable, else 7 if X cannot be reached, else 5\nif any is rate limited. ACCESS is the token's level as X reports it (read,\nread-write).",
  examples: ['twauth status', 'twauth status --json'],
  json: '[{"username", "id", "app", "api_base", "store" | "source", "default", "state", "access", "detail"}] ([] when none, exit 4)',
});

type State = 'valid' | 'revoked' | 'unreachable' | 'rate-limited' | 'locked' | 'error';

interface Row {
  readonly label: string;
  readonly username: string;
  readonly id: string;
  readonly isDefault: boolean;
  readonly meta: Record<string, unknown>;
}

interface Result {
  readonly state: State;
  readonly detail: string;
  /** "read" or "read-write" (X's x-access-level), when X answered. */
  readonly access?: string | undefined;
  /** Who X says the token belongs to, when it answered. */
  readonly username?: string | undefined;
}

type Credentials = () => Promise<{ consumer: ConsumerCredentials; token: AccessToken; apiBase: string }>;

async function check(ctx: Context, creds: Credentials, knownAs: string | undefined): Promise<Result> {
  try {
    const c = await creds();
    const { me, access } = await fetchMeAndAccess(ctx.client(c, { retry: { attempts: 2, baseMs: 200, capMs: 1000 } }));
    const detail = knownAs === undefined ? 'ok' : me.username === knownAs ? 'ok' : `ok (now @${me.username})`;
    return {
      state: 'valid',
      detail,
      access: access === undefined ? undefined : printable(access, 40),
      username: me.username,
    };
  } catch (err) {
    if (err instanceof MissingSecretsError)
      return {
        state: 'locked',
        detail: err.storeError?.message ?? `credentials missing from the ${err.account.store}`,
      };
    if (err instanceof XApiError && err.status === 401)
      return {
        state: 'revoked',
        detail: `X rejected the token${err.code ? ` (code ${err.code})` : ''}: run twauth login`,
      };
    if (err instanceof XApiError && err.status === 429) {
      // A 429 comes after X checked the signature: the token works, X only asks to wait.
      const at = retryAt(err.rateLimit);
      return {
        state: 'rate-limited',
        detail: at ? `rate limited until ${utcTime(at, false)}` : 'rate limited (X sent no reset time)',
      };
    }
    if (err instanceof NetworkError || (err instanceof XApiError && err.status >= 500))
      return { state: 'unreachable', detail: err instanceof NetworkError ? err.message : `HTTP ${err.status}` };
    if (err instanceof XApiError)
      return { state: 'error', detail: `HTTP ${err.status}${err.code ? ` code ${err.code}` : ''}` };
    if (err instanceof MalformedAnswerError) return { state: 'error', detail: err.message };
    throw err;
  }
}

/** Stored accounts by screen name; environment credentials as "@bob (environment)". */
function label(row: Row, username: string | undefined): string {
  if (row.meta.source !== 'environment') return row.label;
  const name = row.username || username;
  return `${name ? `@${name}` : '(unknown)'} (environment)`;
}

function storedCredentials(ctx: Context, a: AccountMeta): Credentials {
  return async () => {
    const s = await ctx.accounts().secrets(a);
    return {
      consumer: { key: a.consumerKey, secret: s.consumerSecret },
      token: accessToken(s.accessToken, s.accessTokenSecret),
      apiBase: a.apiBase,
    };
  };
}

/**
 * Like `gh auth status`: every stored account, and the TWAUTH_ACCESS_TOKEN pair when set (CI has
 * only that), checked against the API in parallel.
 */
export async function run(ctx: Context, _values: Values<typeof spec>): Promise<number> {
  const config = ctx.accounts().config();
  const envToken = ctx.env.TWAUTH_ACCESS_TOKEN;
  const envSecret = ctx.env.TWAUTH_ACCESS_TOKEN_SECRET;
  const jobs: { row: Row; result: Promise<Result> }[] = [];
  // Environment credentials are what commands act with (unless --account): that row is the default.
  const envRow = Boolean(envToken && envSecret) && !ctx.settings.accountFromFlag;
  if (envToken && envSecret) {
    const consumer = ctx.envConsumer();
    const apiBase = ctx.settings.explicitApiBase ?? DEFAULT_API_BASE;
    const name = ctx.env.TWAUTH_SCREEN_NAME || undefined;
    const row: Row = {
      label: name ? `@${name}` : '',
      username: name ?? '',
      id: ctx.env.TWAUTH_USER_ID ?? '',
      isDefault: envRow,
      meta: { source: 'environment', api_base: apiBase },
    };
    const result: Promise<Result> = consumer
      ? check(ctx, async () => ({ consumer, token: accessToken(envToken, envSecret), apiBase }), name)
      : Promise.resolve({
          state: 'error',
          detail: 'TWAUTH_ACCESS_TOKEN is set without TWAUTH_CONSUMER_KEY and TWAUTH_CONSUMER_SECRET',
        });
    jobs.push({ row, result });
  }
  for (const a of config.accounts) {
    const row: Row = {
      label: a.screenName,
      username: a.screenName,
      id: a.userId,
      isDefault: !envRow && a.key === config.defaultAccount,
      meta: { app: a.consumerKey, api_base: a.apiBase, store: a.store },
    };
    jobs.push({ row, result: check(ctx, storedCredentials(ctx, a), a.screenName) });
  }
  if (jobs.length === 0) {
    if (ctx.settings.json) ctx.io.out('[]');
    throw new NotLoggedInError('no stored accounts, and no TWAUTH_ACCESS_TOKEN: run twauth login');
  }
  const results = await Promise.all(jobs.map(async (j) => ({ row: j.row, ...(await j.result) })));
  if (ctx.settings.json) {
    ctx.io.out(
      JSON.stringify(
        results.map(({ row, state, detail, access, username }) => ({
          username: row.username || username || null,
          id: row.id || null,
          ...row.meta,
          default: row.isDefault,
          state,
          access: access ?? null,
          detail,
        })),
        null,
        2,
      ),
    );
  } else {
    ctx.io.out(
      table(
        ['', 'USERNAME', 'ID', 'STATE', 'ACCESS', 'DETAIL'],
        results.map(({ row, state, detail, access, username }) => [
          row.isDefault ? '*' : '',
          label(row, username),
          row.id,
          state,
          access ?? '-',
          detail,
        ]),
      ),
    );
  }
  const any = (...states: State[]) => results.some((r) => states.includes(r.state));
  if (any('revoked', 'locked', 'error')) return EXIT.auth;
  if (any('unreachable')) return EXIT.unavailable;
  if (any('rate-limited')) return EXIT.rateLimited;
  return EXIT.ok;
}
