import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';

/** Invalid input caught before anything was sent (exit 2). */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** No credentials at all for this command (exit 4). */
export class NotLoggedInError extends CliError {
  override readonly name = 'NotLoggedInError';
  constructor(message = 'not logged in: run twauth login (or set TWAUTH_ACCESS_TOKEN and TWAUTH_ACCESS_TOKEN_SECRET)') {
    super(message, EXIT.auth);
  }
}
