import type { ErrorBody } from './error-body.js';

/**
 * X's answers that need their own explanation, told apart by what X documents about them (X API
 * v2 "Error troubleshooting": problem `type` URLs, which X serves under both
 * https://api.twitter.com/2/problems/ and https://api.x.com/2/problems/):
 *
 * - credits-depleted: 402, type …/problems/credits, title "CreditsDepleted" — the app's
 *   pay-per-use credits are used up.
 * - usage-capped: 429, type …/problems/usage-capped, title "UsageCapExceeded", with `period`
 *   and `scope` — a cap over a billing period, not the 15-minute window.
 * - client-not-enrolled: 403, type …/problems/client-forbidden, reason "client-not-enrolled" —
 *   the app is not attached to a project / package.
 * - oauth1-permissions: 403, type …/problems/oauth1-permissions (or its detail text) — the app is
 *   not "Read and write", or the token predates the change.
 * - reply-restricted: 403 to a reply, since 2026-02-23 — self-serve apps may reply only when the
 *   post's author mentioned or quoted the replying account.
 * - not-own-post / post-not-found: DELETE /2/tweets/:id of someone else's post, or of one that is
 *   gone.
 */
export type XProblem =
  | 'credits-depleted'
  | 'usage-capped'
  | 'client-not-enrolled'
  | 'oauth1-permissions'
  | 'reply-restricted'
  | 'not-own-post'
  | 'post-not-found';

const PROBLEM_TYPE = /^https?:\/\/api\.(?:x|twitter)\.com\/2\/problems\/([a-z0-9-]+)$/i;

/** The name after …/2/problems/ in a v2 problem's `type`, lower-cased; undefined for other types. */
export function problemName(type: string | undefined): string | undefined {
  const m = type === undefined ? null : PROBLEM_TYPE.exec(type);
  return m ? m[1]!.toLowerCase() : undefined;
}

export function classifyProblem(status: number, body: ErrorBody, endpoint = ''): XProblem | undefined {
  const name = problemName(body.type);
  const title = (body.title ?? '').toLowerCase();
  const detail = `${body.detail ?? ''} ${body.message ?? ''}`.toLowerCase();
  if (status === 402 || name === 'credits' || title === 'creditsdepleted') return 'credits-depleted';
  if (
    status === 429 &&
    (name === 'usage-capped' || title === 'usagecapexceeded' || title === 'usagecapped' || /usage cap/.test(detail))
  )
    return 'usage-capped';
  if (status === 403) {
    if (name === 'client-forbidden' || (body.reason ?? '').toLowerCase() === 'client-not-enrolled')
      return 'client-not-enrolled';
    if (name === 'oauth1-permissions' || /oauth1 app permissions/.test(detail)) return 'oauth1-permissions';
    if (
      /reply to this conversation is not allowed|not been mentioned or otherwise engaged|mentioned or quoted/.test(
        detail,
      )
    )
      return 'reply-restricted';
  }
  if (/^DELETE \S*\/2\/tweets\/\d+$/.test(endpoint)) {
    if (status === 403) return 'not-own-post';
    if (status === 404) return 'post-not-found';
  }
  return undefined;
}
