import { htmlResponse, jsonResponse, textResponse, type EmuResponse } from './responses.js';
import { errorPage } from './result-pages.js';

// X's error answers, byte for byte where X's wording is known. v1.1 and the OAuth endpoints use
// {"errors":[{"code","message"}]}; v2 uses RFC 7807-style problem objects.

function v1Error(status: number, code: number, message: string): EmuResponse {
  return jsonResponse(status, { errors: [{ code, message }] });
}

export const couldNotAuthenticate = (): EmuResponse => v1Error(401, 32, 'Could not authenticate you.');
export const timestampOutOfBounds = (): EmuResponse => v1Error(401, 135, 'Timestamp out of bounds.');
export const invalidOrExpiredToken = (): EmuResponse => v1Error(401, 89, 'Invalid or expired token.');

export const callbackNotApproved = (): EmuResponse =>
  v1Error(
    403,
    415,
    'Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings',
  );

export const cannotWrite = (): EmuResponse =>
  v1Error(
    403,
    261,
    'Application cannot perform write actions. Contact Twitter Platform Operations through https://help.twitter.com/forms/platform.',
  );

export const statusDuplicate = (): EmuResponse => v1Error(403, 187, 'Status is a duplicate.');
export const statusTooLong = (): EmuResponse => v1Error(403, 186, 'Tweet needs to be a bit shorter.');
export const statusMissing = (): EmuResponse => v1Error(400, 170, 'Missing required parameter: status.');
export const replyTargetMissingV1 = (): EmuResponse =>
  v1Error(403, 385, 'You attempted to reply to a Tweet that is deleted or not visible to you.');
export const rateLimitExceededV1 = (): EmuResponse => v1Error(429, 88, 'Rate limit exceeded');

export const limitedV1Access = (): EmuResponse =>
  v1Error(
    403,
    453,
    'You currently have access to a subset of X API V2 endpoints and limited v1.1 endpoints (e.g. media post, oauth) only. If you need access to this endpoint, you may need a different access level. You can learn more here: https://developer.x.com/en/portal/product',
  );

/** POST oauth/access_token with a wrong, reused or missing verifier: X answers in plain text. */
export const invalidVerifier = (): EmuResponse =>
  textResponse(401, 'Error processing your OAuth request: Invalid oauth_verifier parameter');

/** POST oauth/request_token without oauth_callback (X requires one since 2018). */
export const callbackMissing = (): EmuResponse =>
  textResponse(400, 'Error processing your OAuth request: oauth_callback parameter is required');

/** A write with a read-only token: X names the problem type (…/problems/oauth1-permissions). */
export const readOnlyApp = (): EmuResponse =>
  jsonResponse(403, {
    title: 'Forbidden',
    type: 'https://api.twitter.com/2/problems/oauth1-permissions',
    status: 403,
    detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
  });

export const duplicateContent = (): EmuResponse =>
  jsonResponse(403, {
    detail: 'You are not allowed to create a Tweet with duplicate content.',
    type: 'about:blank',
    title: 'Forbidden',
    status: 403,
  });

export function forbiddenProblem(detail: string): EmuResponse {
  return jsonResponse(403, { detail, type: 'about:blank', title: 'Forbidden', status: 403 });
}

export function tooManyRequests(): EmuResponse {
  return jsonResponse(429, {
    title: 'Too Many Requests',
    detail: 'Too Many Requests',
    type: 'about:blank',
    status: 429,
  });
}

export function serviceUnavailable(): EmuResponse {
  return jsonResponse(503, {
    title: 'Service Unavailable',
    detail: 'Service Unavailable',
    type: 'about:blank',
    status: 503,
  });
}

/** v2's shape for a request it cannot parse or validate (`parameters`: the offending ones). */
export function invalidRequest(message: string, parameters: Record<string, string[]> = {}): EmuResponse {
  return jsonResponse(400, {
    errors: [{ parameters, message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  });
}

export function notFound(): EmuResponse {
  return jsonResponse(404, {
    title: 'Not Found Error',
    detail: 'Sorry, that page does not exist.',
    type: 'https://api.twitter.com/2/problems/resource-not-found',
    status: 404,
  });
}

export function payloadTooLarge(limit: number): EmuResponse {
  return jsonResponse(413, {
    title: 'Payload Too Large',
    detail: `The request body exceeds ${limit} bytes.`,
    type: 'about:blank',
    status: 413,
  });
}

export function internalError(): EmuResponse {
  return jsonResponse(500, {
    title: 'Internal Server Error',
    detail: 'Internal Server Error',
    type: 'about:blank',
    status: 500,
  });
}

/**
 * Malformed percent-encoding in the query, the form body or the Authorization header, in the style
 * of the endpoint family: v2 problem, an HTML page for the consent pages, v1.1 code 215 otherwise.
 */
export function badEncodingFor(path: string): EmuResponse {
  if (path.startsWith('/2/')) return invalidRequest('Malformed percent-encoding in the request.');
  if (path === '/oauth/authorize' || path === '/oauth/authenticate') {
    return htmlResponse(400, errorPage('Bad request', 'The address or the form contains malformed percent-encoding.'));
  }
  return v1Error(400, 215, 'Bad Authentication data.');
}

/** 429 in the style of the endpoint family. */
export function tooManyRequestsFor(path: string): EmuResponse {
  return path.startsWith('/1.1/') ? rateLimitExceededV1() : tooManyRequests();
}

// X API v2's 2026 answers about the app's account (X docs: "Pricing", "Usage caps", "Projects").
// Problem types are served under https://api.twitter.com/2/problems/ (X also uses api.x.com).

/** A stable, made-up account id derived from the consumer key: X names the enrolled account. */
function accountIdFor(consumerKey: string): string {
  let h = 0;
  for (let i = 0; i < consumerKey.length; i++) h = (h * 31 + consumerKey.charCodeAt(i)) >>> 0;
  return String(1_000_000_000 + (h % 1_000_000_000));
}

export function creditsDepleted(): EmuResponse {
  return jsonResponse(402, {
    title: 'CreditsDepleted',
    detail: 'Your enrolled account does not have any credits to fulfill this request.',
    type: 'https://api.twitter.com/2/problems/credits',
  });
}

export function usageCapExceeded(period: 'Daily' | 'Monthly'): EmuResponse {
  return jsonResponse(429, {
    title: 'UsageCapExceeded',
    detail: `Usage cap exceeded: ${period} product cap`,
    period,
    scope: 'Product',
    type: 'https://api.twitter.com/2/problems/usage-capped',
  });
}

export function clientNotEnrolled(consumerKey: string): EmuResponse {
  return jsonResponse(403, {
    client_id: accountIdFor(consumerKey),
    detail:
      'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
    registration_url: 'https://developer.twitter.com/en/docs/projects/overview',
    title: 'Client Forbidden',
    required_enrollment: 'Appropriate Level of API Access',
    reason: 'client-not-enrolled',
    type: 'https://api.twitter.com/2/problems/client-forbidden',
  });
}

/** The reply rule for self-serve apps (since 2026-02-23). */
export const replyNotAllowed = (): EmuResponse =>
  forbiddenProblem(
    'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.',
  );

/** DELETE /2/tweets/:id of someone else's post. */
export const deleteNotAllowed = (): EmuResponse => forbiddenProblem('You are not authorized to delete this Tweet.');

/** DELETE /2/tweets/:id of a post that does not exist (never did, or already deleted). */
export function postNotFound(id: string): EmuResponse {
  return jsonResponse(404, {
    title: 'Not Found Error',
    detail: `Could not find tweet with id: [${id}].`,
    type: 'https://api.twitter.com/2/problems/resource-not-found',
    status: 404,
  });
}
