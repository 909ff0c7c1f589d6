import type { XClient } from '../api/client.js';
import { XApiError } from '../api/errors.js';
import { parseRateLimit } from '../api/rate-limit.js';

export interface Me {
  readonly id: string;
  readonly username: string;
  readonly name?: string;
  readonly [field: string]: unknown;
}

/** GET /2/users/me: X's `data` object, checked to have what twauth relies on. */
export async function fetchMe(client: XClient): Promise<Me> {
  return (await fetchMeAndAccess(client)).me;
}

/** The same, with the token's access level from X's x-access-level header ("read", "read-write", …), if sent. */
export async function fetchMeAndAccess(client: XClient): Promise<{ me: Me; access: string | undefined }> {
  const { response, data } = await client.json<{ data?: Me }>({ method: 'GET', path: '/2/users/me' });
  const me = data?.data;
  if (!me || typeof me.id !== 'string' || typeof me.username !== 'string') {
    throw new XApiError(response.status, { message: 'the answer to GET /2/users/me has no data.id / data.username' }, parseRateLimit(response.headers), 'GET /2/users/me', false, response.body);
  }
  return { me, access: response.headers['x-access-level'] };
}
