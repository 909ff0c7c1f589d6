/** Invalid input caught before anything was sent (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** No credentials at all for this command (exit 4). */
export class NotLoggedInError extends Error {
  override readonly name = 'NotLoggedInError';
  constructor(message = 'not logged in: run twauth login (or set TWAUTH_ACCESS_TOKEN and TWAUTH_ACCESS_TOKEN_SECRET)') {
    super(message);
  }
}
