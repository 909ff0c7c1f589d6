/**
 * Where a person sees posts: x.com for X's API (api.x.com, api.twitter.com); anything else (the
 * sandbox, a proxy) serves its own /<user>/status/<id>, where x.com would show "this page doesn't
 * exist".
 */
export function profileUrl(apiBase: string, screenName: string | undefined): string {
  const host = new URL(apiBase).hostname;
  const onX = host === 'api.x.com' || host === 'api.twitter.com';
  return `${onX ? 'https://x.com' : apiBase.replace(/\/+$/, '')}/${screenName ?? 'i'}`;
}

/** The address of one post (see profileUrl). */
export function postUrl(apiBase: string, screenName: string | undefined, id: string): string {
  return `${profileUrl(apiBase, screenName)}/status/${id}`;
}
