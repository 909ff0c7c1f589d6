import type { Param } from '../oauth1/index.js';
import type { ApiRequest, ApiResponse, XClient } from './client.js';
import { XApiError } from './errors.js';
import { parseRateLimit } from './rate-limit.js';

/** A page of an X API v2 list: the response, and its parsed body. */
export interface Page {
  readonly response: ApiResponse;
  readonly body: unknown;
}

/** Enough for any real listing (X caps most at a few thousand items); stops a server that loops. */
export const MAX_PAGES = 1000;

/** X's next_token is an opaque, short ASCII cursor. */
const CURSOR = /^[\x21-\x7e]{1,512}$/;

/**
 * Follows X API v2 pagination (X docs "Pagination"): each answer's meta.next_token is sent back
 * as pagination_token until an answer has none. Rate limits are the client's business: with
 * --wait it sleeps until the window resets, otherwise the 429 ends the walk (pages already
 * yielded stay printed). Only for GET: a paginated POST would repeat its effect.
 */
export async function* paginate(client: XClient, req: ApiRequest, maxPages = MAX_PAGES): AsyncGenerator<Page> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n++) {
    const query: Param[] = (req.query ?? []).filter(([k]) => k !== 'pagination_token');
    if (cursor !== undefined) query.push(['pagination_token', cursor]);
    const response = await client.request({ ...req, query });
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      throw new XApiError(
        response.status,
        { message: 'a page of the answer was not JSON' },
        parseRateLimit(response.headers),
        `${req.method} ${req.path}`,
        false,
        response.body,
      );
    }
    yield { response, body };
    const next = nextToken(body);
    // A cursor seen before would loop for ever: X never sends one twice.
    if (next === undefined || seen.has(next)) return;
    seen.add(next);
    cursor = next;
  }
}

export function nextToken(body: unknown): string | undefined {
  const meta = typeof body === 'object' && body !== null ? (body as { meta?: unknown }).meta : undefined;
  const next = typeof meta === 'object' && meta !== null ? (meta as { next_token?: unknown }).next_token : undefined;
  return typeof next === 'string' && CURSOR.test(next) ? next : undefined;
}
