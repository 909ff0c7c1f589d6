import type { XClient } from '../api/client.js';
import { MalformedAnswerError } from '../api/errors.js';
import { isUsername } from '../text/printable.js';

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
  // The username is printed and stored: only what X allows in one (1-15 of A-Z a-z 0-9 _).
  if (!me || typeof me.id !== 'string' || !/^\d{1,19}$/.test(me.id) || !isUsername(me.username)) {
    throw new MalformedAnswerError(
      'GET /2/users/me',
      'no data.id of digits, or no data.username of 1-15 letters, digits and _',
      false,
    );
  }
  return { me, access: response.headers['x-access-level'] };
}
