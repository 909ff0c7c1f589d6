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

export const readOnlyApp = (): EmuResponse =>
  jsonResponse(403, {
    title: 'Forbidden',
    type: 'about:blank',
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
  return jsonResponse(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
}

export function serviceUnavailable(): EmuResponse {
  return jsonResponse(503, { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 });
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
  return jsonResponse(500, { title: 'Internal Server Error', detail: 'Internal Server Error', type: 'about:blank', status: 500 });
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
