/** One OAuth 1.0a credential set found in another tool's file. */
export interface ImportedCredentials {
  /** The screen name the other tool recorded (twurl), if any; the import checks it with X. */
  readonly screenName?: string | undefined;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
  /** Where in the file: for messages and for removing it afterwards. */
  readonly where: readonly string[];
}

/** What a reader found: credentials, and entries it skipped (with why, never a secret). */
export interface ImportScan {
  readonly found: readonly ImportedCredentials[];
  readonly skipped: readonly string[];
}

/** Tokens and keys are printable ASCII without spaces; anything else is not a credential. */
export function isCredentialText(v: unknown): v is string {
  return typeof v === 'string' && /^[\x21-\x7e]{1,512}$/.test(v);
}

/** A name from the file, cleaned for messages (no control characters, bounded). */
export function label(v: string): string {
  // eslint-disable-next-line no-control-regex
  return v.replace(/[\x00-\x1f\x7f-\x9f]/g, '?').slice(0, 60);
}
