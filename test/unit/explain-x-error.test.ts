/**
 * X's 2026 answers: recognised from the shapes X sends (problem type under api.twitter.com or
 * api.x.com), explained in one or two lines with what to do, and mapped to the documented exit
 * codes (402 and 403 → 6, 429 → 5).
 */
import { describe, expect, it } from 'vitest';
import { parseErrorBody } from '../../src/api/error-body.js';
import { XApiError } from '../../src/api/errors.js';
import { parseRateLimit } from '../../src/api/rate-limit.js';
import { classifyProblem, problemName } from '../../src/api/x-problem.js';
import { explainXError } from '../../src/cli/explain-x-error.js';
import { reportError } from '../../src/cli/report-error.js';
import { explainProcessingFailure } from '../../src/cli/explain-media-error.js';
import { MediaProcessingError } from '../../src/api/media/upload-errors.js';

function apiError(
  status: number,
  body: unknown,
  endpoint = 'POST /2/tweets',
  headers: Record<string, string> = {},
): XApiError {
  const raw = JSON.stringify(body);
  return new XApiError(status, parseErrorBody(raw), parseRateLimit(headers), endpoint, false, raw);
}

const credits = {
  title: 'CreditsDepleted',
  detail: 'Your enrolled account [1234] does not have any credits to fulfill this request.',
  type: 'https://api.twitter.com/2/problems/credits',
};
const capped = {
  account_id: '1',
  product_name: 'standard-basic',
  title: 'UsageCapExceeded',
  period: 'Monthly',
  scope: 'Product',
  detail: 'Usage cap exceeded: Monthly product cap',
  type: 'https://api.x.com/2/problems/usage-capped',
};
const notEnrolled = {
  client_id: '27988566',
  detail:
    'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
  registration_url: 'https://developer.twitter.com/en/docs/projects/overview',
  title: 'Client Forbidden',
  required_enrollment: 'Appropriate Level of API Access',
  reason: 'client-not-enrolled',
  type: 'https://api.twitter.com/2/problems/client-forbidden',
};
const readOnly = {
  title: 'Forbidden',
  status: 403,
  detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
  type: 'https://api.x.com/2/problems/oauth1-permissions',
};
const replyRule = {
  detail:
    'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.',
  type: 'about:blank',
  title: 'Forbidden',
  status: 403,
};

describe('problem types', () => {
  it('are read under both hosts, and nothing else', () => {
    expect(problemName('https://api.twitter.com/2/problems/usage-capped')).toBe('usage-capped');
    expect(problemName('https://api.x.com/2/problems/credits')).toBe('credits');
    expect(problemName('about:blank')).toBeUndefined();
    expect(problemName('https://evil.example/2/problems/credits')).toBeUndefined();
  });

  it('classify each 2026 answer', () => {
    expect(classifyProblem(402, parseErrorBody(JSON.stringify(credits)))).toBe('credits-depleted');
    expect(classifyProblem(429, parseErrorBody(JSON.stringify(capped)))).toBe('usage-capped');
    expect(classifyProblem(429, parseErrorBody('{"title":"Too Many Requests","status":429}'))).toBeUndefined();
    expect(classifyProblem(403, parseErrorBody(JSON.stringify(notEnrolled)))).toBe('client-not-enrolled');
    expect(classifyProblem(403, parseErrorBody(JSON.stringify({ ...readOnly, type: 'about:blank' })))).toBe(
      'oauth1-permissions',
    );
    expect(classifyProblem(403, parseErrorBody(JSON.stringify(replyRule)))).toBe('reply-restricted');
    expect(
      classifyProblem(
        403,
        parseErrorBody('{"detail":"You are not authorized to delete this Tweet."}'),
        'DELETE /2/tweets/123',
      ),
    ).toBe('not-own-post');
    expect(classifyProblem(404, parseErrorBody('{"title":"Not Found Error"}'), 'DELETE /2/tweets/123')).toBe(
      'post-not-found',
    );
    expect(classifyProblem(404, parseErrorBody('{"title":"Not Found Error"}'), 'GET /2/tweets/123')).toBeUndefined();
  });
});

describe('explanations and exit codes', () => {
  it('402 CreditsDepleted → buy credits; exit 6', () => {
    const e = apiError(402, credits);
    expect(explainXError(e)).toMatch(
      /^X refused POST \/2\/tweets: the app's pay-per-use credits are used up \(402 CreditsDepleted\).*Buy credits for this app in the X developer console/,
    );
    expect(reportError(e).code).toBe(6);
  });

  it('429 UsageCapExceeded → the period, not --wait; exit 5', () => {
    const e = apiError(429, capped, 'GET /2/users/me', {
      'x-rate-limit-remaining': '70',
      'x-rate-limit-reset': '1700000030',
    });
    const text = explainXError(e);
    expect(text).toContain('the app reached its monthly usage cap (429 UsageCapExceeded, scope Product)');
    expect(text).toContain('--wait does not help: it lifts when the monthly period ends');
    expect(text).not.toContain('resets at');
    expect(reportError(e).code).toBe(5);
  });

  it('403 client-not-enrolled → attach the app to a project; exit 6', () => {
    const e = apiError(403, notEnrolled, 'GET /2/users/me');
    expect(explainXError(e)).toMatch(
      /the app is not enrolled .*client-not-enrolled.*Attach the app to a project \(package\) in the X developer console/,
    );
    expect(reportError(e).code).toBe(6);
  });

  it('403 oauth1-permissions → Read and write, then log in again; exit 6', () => {
    const e = apiError(403, readOnly);
    expect(explainXError(e)).toMatch(
      /the app may only read \(403 oauth1-permissions\).*"Read and write".*twauth login again/,
    );
    expect(reportError(e).code).toBe(6);
  });

  it('the reply rule → post without --reply-to; exit 6', () => {
    const e = apiError(403, replyRule);
    expect(explainXError(e)).toMatch(
      /^X refused the reply: an API app may reply only when the post's author mentioned or quoted this account/,
    );
    expect(reportError(e).code).toBe(6);
  });

  it("delete: someone else's post, and one that is gone; exit 6", () => {
    const other = apiError(
      403,
      { detail: 'You are not authorized to delete this Tweet.', title: 'Forbidden' },
      'DELETE /2/tweets/42',
    );
    expect(explainXError(other)).toMatch(/^X refused to delete 42: it is not a post of this account \(403\)/);
    const gone = apiError(
      404,
      { title: 'Not Found Error', detail: 'Could not find tweet with id: [42].' },
      'DELETE /2/tweets/42',
    );
    expect(explainXError(gone)).toMatch(
      /^X has no post 42 to delete \(404\): it was already deleted, or the id is wrong/,
    );
    expect(reportError(other).code).toBe(6);
    expect(reportError(gone).code).toBe(6);
  });

  it('every explanation is at most two lines and cleans what X said', () => {
    const e = apiError(402, { ...credits, detail: 'no credits\u001b[31m\nred' });
    const text = explainXError(e);
    expect(text).not.toMatch(/[\u0000-\u001f]/);
    expect(text.split('\n').length).toBeLessThanOrEqual(2);
  });
});

describe('media processing failures', () => {
  it('a video longer than the account may post: the rule and how to trim; exit 6', () => {
    const x = explainProcessingFailure('clip.mp4', '42', 'InvalidMedia: Video duration too long');
    expect(x.message).toBe(
      'clip.mp4: the video is longer than this account may post (X said: InvalidMedia: Video duration too long)',
    );
    expect(x.hint).toMatch(/up to 140 seconds .*trim it/);
    const r = reportError(new MediaProcessingError('clip.mp4', '42', 'InvalidMedia: Video duration too long'));
    expect(r.code).toBe(6);
    expect(r.lines[0]).toBe(
      'twauth: clip.mp4: the video is longer than this account may post (X said: InvalidMedia: Video duration too long); nothing was posted',
    );
  });
  it('any other failure names the file, the media id and what X said', () => {
    expect(explainProcessingFailure('a.gif', '7', 'InvalidMedia: Unsupported media').message).toBe(
      'a.gif: X could not process the upload (media 7): InvalidMedia: Unsupported media',
    );
    expect(explainProcessingFailure('a.gif', '7', undefined).message).toBe(
      'a.gif: X could not process the upload (media 7)',
    );
  });
});
