/** twauth's documented exit codes (README "Exit codes"; `twauth help exit-codes`). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  cancelled: 3,
  auth: 4,
  rateLimited: 5,
  rejected: 6,
  unavailable: 7,
  hangup: 129,
  interrupted: 130,
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every exit code and what it means (`twauth exit-codes --json`); the text below says the same. */
export const EXIT_CODE_MEANINGS: readonly { readonly code: ExitCode; readonly meaning: string }[] = [
  { code: EXIT.ok, meaning: 'ok' },
  { code: EXIT.unexpected, meaning: 'unexpected error' },
  { code: EXIT.usage, meaning: 'usage or invalid input; nothing was sent' },
  { code: EXIT.cancelled, meaning: 'cancelled by the user (denied in the browser)' },
  { code: EXIT.auth, meaning: 'not logged in, or credentials rejected (401)' },
  { code: EXIT.rateLimited, meaning: 'rate limited (429)' },
  { code: EXIT.rejected, meaning: 'rejected by X (other 4xx: duplicate, too long, forbidden)' },
  { code: EXIT.unavailable, meaning: 'network failure, timeout, or X unavailable (5xx)' },
  { code: EXIT.hangup, meaning: 'hung up (SIGHUP: the terminal closed)' },
  { code: EXIT.interrupted, meaning: 'interrupted (Ctrl-C)' },
  { code: EXIT.terminated, meaning: 'terminated (SIGTERM)' },
];

export const EXIT_CODES_HELP = `Exit codes:
  0    ok
  1    unexpected error
  2    usage or invalid input; nothing was sent
  3    cancelled: denied in the browser, or no answer at a prompt (Ctrl-D)
  4    not logged in, or credentials rejected (401)
  5    rate limited (429)
  6    rejected by X (other 4xx: duplicate, too long, forbidden)
  7    network failure, timeout, or X unavailable (5xx)
  129  hung up (SIGHUP: the terminal closed)
  130  interrupted (Ctrl-C); 143 terminated (SIGTERM)`;
