import { createServer } from 'node:net';
import { retryAt } from '../../api/rate-limit.js';
import { isUsername, printable } from '../../text/printable.js';
import { MalformedAnswerError, XApiError } from '../../api/errors.js';
import { auditConfigFolder } from '../../store/folder-audit.js';
import { keychainStore } from '../../store/keychain-store.js';
import type { Context } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { DEFAULT_API_BASE, DEFAULT_CALLBACK_PORT } from '../settings.js';
import { NotLoggedInError } from '../usage-error.js';
import { utcTime } from '../utc-time.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'doctor',
  topic: 'try',
  description: 'check Node, the credential store, the callback port, the clock and the token',
  args: {},
  options: {},
  help: 'A keychain that does not answer is a warning when logins can fall back to the\n0600 file (a headless server), a failure only with TWAUTH_STORE=keychain.',
  examples: ['twauth doctor', 'twauth doctor --json'],
  json: '{"api_base", "checks": [{"check", "status": "ok"|"warn"|"fail", "detail"}]}',
});

type Status = 'ok' | 'warn' | 'fail';
interface Check {
  readonly check: string;
  readonly status: Status;
  readonly detail: string;
}

function portFree(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

async function nodeCheck(): Promise<Check> {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? { check: 'node', status: 'ok', detail: `Node ${process.versions.node}` }
    : { check: 'node', status: 'fail', detail: `Node ${process.versions.node}: twauth needs Node 20 or newer` };
}

async function storeCheck(ctx: Context): Promise<Check> {
  const pref = ctx.settings.storePreference;
  if (pref === 'file')
    return {
      check: 'store',
      status: 'ok',
      detail: `file store (TWAUTH_STORE=file): ${ctx.settings.configDir}/credentials.json`,
    };
  try {
    await keychainStore(ctx.settings.keychainTimeoutMs, ctx.env).get('twauth-doctor-probe');
    return {
      check: 'store',
      status: 'ok',
      detail: 'OS keychain (Secret Service / Keychain / Credential Manager) answers',
    };
  } catch (err) {
    // With the file fallback allowed, logins still work (a headless server has no keychain): a
    // warning. Only TWAUTH_STORE=keychain, which forbids the fallback, makes this a failure.
    if (pref === 'auto')
      return {
        check: 'store',
        status: 'warn',
        detail: `keychain: ${(err as Error).message}; logins fall back to the 0600 file ${ctx.settings.configDir}/credentials.json (TWAUTH_STORE=file silences this)`,
      };
    return {
      check: 'store',
      status: 'fail',
      detail: `keychain: ${(err as Error).message}; TWAUTH_STORE=keychain allows no file fallback`,
    };
  }
}

/** First of all: the commands after it would quietly repair what it reports. */
function filesCheck(ctx: Context): Check {
  const dir = ctx.settings.configDir;
  let findings;
  try {
    findings = auditConfigFolder(dir);
  } catch (err) {
    return { check: 'files', status: 'fail', detail: `${dir}: ${(err as Error).message}` };
  }
  if (findings.length === 0) return { check: 'files', status: 'ok', detail: `${dir}: yours, not open to other users` };
  return { check: 'files', status: 'fail', detail: findings.map((f) => `${f.path} ${f.problem}`).join('; ') };
}

async function portCheck(): Promise<Check> {
  const busy = await portFree(DEFAULT_CALLBACK_PORT);
  return busy
    ? {
        check: 'callback-port',
        status: 'fail',
        detail: `127.0.0.1:${DEFAULT_CALLBACK_PORT} is busy (${busy}): twauth login will fall back to the PIN flow; free it or use --port N with a registered URL`,
      }
    : {
        check: 'callback-port',
        status: 'ok',
        detail: `127.0.0.1:${DEFAULT_CALLBACK_PORT} is free (register http://127.0.0.1:${DEFAULT_CALLBACK_PORT}/callback)`,
      };
}

/** Offset of the local clock against the Date header of X's answer (any answer has one). */
async function clockAndToken(ctx: Context): Promise<Check[]> {
  let creds;
  try {
    creds = await ctx.credentials();
  } catch (err) {
    const detail = err instanceof NotLoggedInError ? 'not logged in: run twauth login' : (err as Error).message;
    return [
      { check: 'clock', status: 'warn', detail: 'not checked (no credentials to ask X with)' },
      { check: 'token', status: 'fail', detail },
    ];
  }
  const client = ctx.client(creds, { retry: { attempts: 1, baseMs: 0, capMs: 0 } });
  // The offset is measured against the local clock, so it shows even when the client corrects it.
  const started = Date.now();
  const out: Check[] = [];
  let date: string | undefined;
  let access: string | undefined;
  let token: Check;
  let notChecked = 'X sent no Date header to compare with';
  try {
    const { response, data } = await client.json<{ data?: { username?: unknown } }>({
      method: 'GET',
      path: '/2/users/me',
    });
    date = response.headers.date;
    // Both come from the server and are printed: an X username, a cleaned header value.
    access =
      response.headers['x-access-level'] === undefined ? undefined : printable(response.headers['x-access-level'], 40);
    const username = data?.data?.username;
    token = {
      check: 'token',
      status: 'ok',
      detail: `valid for ${isUsername(username) ? `@${username}` : 'an account whose username X did not send'} (${creds.source})`,
    };
  } catch (err) {
    if (err instanceof XApiError && err.status === 429) {
      const at = retryAt(err.rateLimit);
      const until = at ? ` until ${utcTime(at, false)}` : '';
      notChecked = `not checked: X rate limited${until}`;
      // X checks the signature before counting the request, so a 429 says the token was accepted.
      token = {
        check: 'token',
        status: 'warn',
        detail: `not checked: X rate limited GET /2/users/me${until} (${creds.source}); X accepted the signature, so the token is very likely fine — run doctor again later`,
      };
    } else if (err instanceof XApiError) {
      notChecked = `not checked: X answered HTTP ${err.status}`;
      token = {
        check: 'token',
        status: 'fail',
        detail:
          err.status === 401
            ? `rejected by X (HTTP 401${err.code ? `, code ${err.code}` : ''}): run twauth login`
            : `HTTP ${err.status}`,
      };
    } else if (err instanceof MalformedAnswerError) {
      notChecked = 'not checked: X sent an answer twauth cannot use';
      token = { check: 'token', status: 'fail', detail: err.message };
    } else {
      notChecked = `not checked: X unreachable at ${creds.apiBase}`;
      token = {
        check: 'token',
        status: 'fail',
        detail: `X unreachable at ${creds.apiBase}: ${(err as Error).message}`,
      };
    }
  }
  const skewMs = date ? Date.parse(date) - (started + Date.now()) / 2 : NaN;
  if (Number.isNaN(skewMs)) out.push({ check: 'clock', status: 'warn', detail: notChecked });
  else {
    const s = Math.round(skewMs / 1000);
    // X's Date header has a resolution of one second.
    const desc =
      Math.abs(s) <= 2
        ? "this clock agrees with X's (within 2 s)"
        : `this clock is ${Math.abs(s)} s ${s > 0 ? 'behind' : 'ahead of'} X's`;
    out.push(
      Math.abs(s) > 300
        ? {
            check: 'clock',
            status: 'fail',
            detail: `${desc}: X refuses signatures beyond ±300 s (code 135); twauth corrects once per run, but set the system clock (timedatectl set-ntp true)`,
          }
        : Math.abs(s) > 30
          ? { check: 'clock', status: 'warn', detail: `${desc}; fine for X, but worth fixing` }
          : { check: 'clock', status: 'ok', detail: `${desc}` },
    );
  }
  out.push(token);
  if (token.status === 'ok') {
    out.push(
      access
        ? {
            check: 'access',
            status: access.includes('write') ? 'ok' : 'warn',
            detail: `access level: ${access}${access.includes('write') ? '' : ' (tweeting needs read-write: change the app, then log in again)'}`,
          }
        : { check: 'access', status: 'warn', detail: 'X did not say the access level (x-access-level header)' },
    );
  }
  return out;
}

export async function run(ctx: Context, _values: Values<typeof spec>): Promise<number> {
  const checks = [
    await nodeCheck(),
    filesCheck(ctx),
    await storeCheck(ctx),
    await portCheck(),
    ...(await clockAndToken(ctx)),
  ];
  if (ctx.settings.json)
    ctx.io.out(
      JSON.stringify(
        { api_base: ctx.settings.explicitApiBase ?? ctx.selectAccount()?.apiBase ?? DEFAULT_API_BASE, checks },
        null,
        2,
      ),
    );
  else
    for (const c of checks)
      ctx.io.out(
        `${c.status === 'ok' ? 'ok  ' : c.status === 'warn' ? 'warn' : 'FAIL'}  ${c.check.padEnd(13)} ${c.detail}`,
      );
  return checks.some((c) => c.status === 'fail') ? EXIT.unexpected : EXIT.ok;
}
