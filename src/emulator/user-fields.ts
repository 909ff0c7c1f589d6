import type { EmuResponse } from './responses.js';
import type { EmulatorUser } from './types.js';
import type { Param } from './url-encoded.js';
import { invalidRequest } from './x-errors.js';

/**
 * `user.fields` on v2 user lookups (X API v2, "Fields"): without it a user object carries id,
 * name and username; each field named adds itself. A name X does not know makes the request
 * invalid, with X's message listing the allowed ones.
 */
const ALLOWED = [
  'affiliation',
  'connection_status',
  'created_at',
  'description',
  'entities',
  'id',
  'location',
  'most_recent_tweet_id',
  'name',
  'pinned_tweet_id',
  'profile_banner_url',
  'profile_image_url',
  'protected',
  'public_metrics',
  'receives_your_dm',
  'subscription_type',
  'url',
  'username',
  'verified',
  'verified_type',
  'withheld',
];

/** Values the sandbox has for its people; fields it has nothing for are left out, as X does. */
function fieldValue(user: EmulatorUser, field: string): unknown {
  // A stable date per user, from the id: sandbox users were "created" in 2020.
  const day = Number(BigInt(user.id) % 365n);
  switch (field) {
    case 'created_at':
      return new Date(Date.UTC(2020, 0, 1 + day, 12)).toISOString();
    case 'description':
      return `${user.name}, a person of the twauth sandbox.`;
    case 'protected':
      return false;
    case 'verified':
      return false;
    case 'verified_type':
      return 'none';
    case 'profile_image_url':
      return 'https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png';
    case 'url':
      return '';
    case 'public_metrics':
      return { followers_count: 0, following_count: 0, tweet_count: 0, listed_count: 0, like_count: 0, media_count: 0 };
    default:
      return undefined;
  }
}

/** The user object to answer with, or X's 400 for a field it does not know. */
export function userObject(
  user: EmulatorUser,
  query: readonly Param[],
): { data: Record<string, unknown> } | { error: EmuResponse } {
  const requested = query.filter(([k]) => k === 'user.fields').flatMap(([, v]) => v.split(','));
  const unknown = requested.filter((f) => !ALLOWED.includes(f));
  if (unknown.length > 0) {
    const message = `The \`user.fields\` query parameter value [${unknown[0]}] is not one of [${ALLOWED.join(',')}]`;
    return { error: invalidRequest(message, { 'user.fields': [unknown.join(',')] }) };
  }
  const out: Record<string, unknown> = { id: user.id, name: user.name, username: user.username };
  for (const field of requested) {
    const value = fieldValue(user, field);
    if (value !== undefined) out[field] = value;
  }
  return { data: out };
}
