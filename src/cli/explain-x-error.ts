import type { XApiError } from '../api/errors.js';
import { retryAt } from '../api/rate-limit.js';

/** What a request whose outcome is unknown may have done, in the words of what it was. */
export function mayHaveTakenEffect(endpoint: string): string {
  return endpoint.startsWith('POST') && endpoint.endsWith('/2/tweets')
    ? 'the tweet MAY have been posted: look at your profile before posting it again'
    : 'it MAY have taken effect; check before retrying';
}

/**
 * One or two lines a person can act on, for X's well-known failures (X docs: "Response codes"
 * and the v2 problem types). What X itself said is included, cleaned, after the advice.
 */
export function explainXError(e: XApiError, now: number = Date.now()): string {
  const said = e.body.detail ?? e.body.message ?? e.body.title;
  const x = said ? ` (X said: ${said})` : '';
  const detail = (e.body.detail ?? e.body.message ?? '').toLowerCase();
  const problem = explainProblem(e, x);
  if (problem !== undefined) return problem;
  switch (e.code) {
    case 32:
      return `X could not authenticate the request (code 32): check the consumer key and secret (TWAUTH_CONSUMER_KEY / TWAUTH_CONSUMER_SECRET or the stored app) and this machine's clock.`;
    case 89:
      return `the access token is invalid, expired or revoked (code 89): run twauth login again.`;
    case 135:
      return `X says this machine's clock is wrong (code 135) even after correcting for it once: set the system clock (e.g. timedatectl set-ntp true).`;
    case 186:
      return `the text is too long for X (code 186): shorten it (twauth tweet --dry-run shows the weighted count).`;
    case 187:
      return `X refused a duplicate (code 187): the same text was posted recently.`;
    case 261:
      return `the app has no write permission (code 261): set "Read and write" in the app's User authentication settings, then run twauth login again (old tokens keep the old permission).`;
    case 453:
      return `this endpoint is not in your API access level (code 453): see https://developer.x.com/en/portal/product${x}`;
    case 415:
    case 417:
      return `X refused the callback URL (code ${e.code}): register http://127.0.0.1:<port>/callback in the app's settings, or use twauth login --pin.`;
  }
  if (e.status === 429) {
    const at = retryAt(e.rateLimit);
    const when = at
      ? `; it resets at ${new Date(at * 1000).toISOString().slice(11, 19)} UTC (in ${Math.max(0, Math.round(at - now / 1000))} s)`
      : '';
    return `rate limited by X on ${e.endpoint}${when}: try later, or add --wait to sleep until then (safe requests only).`;
  }
  if (e.status === 401)
    return `X rejected the credentials (HTTP 401)${x}: run twauth login again, or check TWAUTH_* variables.`;
  if (e.status === 403 && /duplicate/.test(detail))
    return `X refused a duplicate post: the same text was posted recently${x}.`;
  if (e.status === 403 && /permission|not permitted|oauth1 app permissions/.test(detail)) {
    return `X refused: the app or token lacks permission${x}. If this was a write, set "Read and write" for the app and run twauth login again.`;
  }
  if (e.status >= 500) {
    return e.mayHaveTakenEffect
      ? `X failed with HTTP ${e.status} after receiving ${e.endpoint}: ${mayHaveTakenEffect(e.endpoint)}${x}.`
      : `X is unavailable (HTTP ${e.status}) on ${e.endpoint}; try again later${x}.`;
  }
  return `X refused ${e.endpoint} with HTTP ${e.status}${e.code ? ` (code ${e.code})` : ''}${x}.`;
}

/** The post id at the end of DELETE /2/tweets/:id, for messages. */
function postIdOf(endpoint: string): string {
  return /\/(\d+)$/.exec(endpoint)?.[1] ?? 'the post';
}

/**
 * X's 2026 answers (see api/x-problem.ts for how each is recognised), each with what to do.
 * `x` is what X itself said, already cleaned, as " (X said: …)" or "".
 */
function explainProblem(e: XApiError, x: string): string | undefined {
  switch (e.problem) {
    case 'credits-depleted':
      return `X refused ${e.endpoint}: the app's pay-per-use credits are used up (402 CreditsDepleted)${x}. Buy credits for this app in the X developer console (Billing), then run the command again.`;
    case 'usage-capped': {
      const period = e.body.period ? e.body.period.toLowerCase() : undefined;
      const scope = e.body.scope ? `, scope ${e.body.scope}` : '';
      const cap = period ? `its ${period} usage cap` : 'a usage cap';
      const ends = period ? `when the ${period} period ends` : "when the cap's period ends";
      return `X refused ${e.endpoint}: the app reached ${cap} (429 UsageCapExceeded${scope})${x}. This is not the 15-minute rate limit, so --wait does not help: it lifts ${ends}, or raise the cap in the X developer console.`;
    }
    case 'client-not-enrolled':
      return `X refused ${e.endpoint}: the app is not enrolled for the X API v2 (403 client-forbidden, client-not-enrolled)${x}. Attach the app to a project (package) in the X developer console, then run the command again.`;
    case 'oauth1-permissions':
      return `X refused ${e.endpoint}: the app may only read (403 oauth1-permissions)${x}. Set "Read and write" in the app's User authentication settings in the X developer console, then run twauth login again (a token keeps the permission it was issued with).`;
    case 'reply-restricted':
      return `X refused the reply: an API app may reply only when the post's author mentioned or quoted this account (X's rule since 2026-02-23)${x}. Post it without --reply-to, or reply from the X app.`;
    case 'not-own-post':
      return `X refused to delete ${postIdOf(e.endpoint)}: it is not a post of this account (403)${x}. Only the account that posted it can delete it; check the id and --account.`;
    case 'post-not-found':
      return `X has no post ${postIdOf(e.endpoint)} to delete (404): it was already deleted, or the id is wrong${x}.`;
    default:
      return undefined;
  }
}
