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
    const when = at ? `; it resets at ${new Date(at * 1000).toISOString().slice(11, 19)} UTC (in ${Math.max(0, Math.round(at - now / 1000))} s)` : '';
    return `rate limited by X on ${e.endpoint}${when}: try later, or add --wait to sleep until then (safe requests only).`;
  }
  if (e.status === 401) return `X rejected the credentials (HTTP 401)${x}: run twauth login again, or check TWAUTH_* variables.`;
  if (e.status === 403 && /duplicate/.test(detail)) return `X refused a duplicate post: the same text was posted recently${x}.`;
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
