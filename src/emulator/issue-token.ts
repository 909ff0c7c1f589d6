import type { AccessLevel, EmulatorState } from './state.js';

/**
 * Issues an access token without the browser dance, for tests. The level defaults to the app's
 * and never exceeds it: X cannot grant a read-only app a token that writes.
 * Unknown user or consumer key → RangeError.
 */
export function issueAccessTokenFor(
  state: EmulatorState,
  userId: string,
  consumerKey: string,
  access?: AccessLevel,
): { token: string; secret: string } {
  const app = state.findApp(consumerKey);
  if (!app) throw new RangeError(`unknown consumer key "${consumerKey}"`);
  if (!state.findUserById(userId)) throw new RangeError(`unknown user id "${userId}"`);
  const level: AccessLevel = app.access === 'read' ? 'read' : (access ?? app.access);
  const record = state.issueAccessToken(userId, consumerKey, level);
  return { token: record.token, secret: record.secret };
}
