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

export const EXIT_CODES_HELP = `Exit codes:
  0    ok
  1    unexpected error
  2    usage or invalid input; nothing was sent
  3    cancelled by the user (denied in the browser)
  4    not logged in, or credentials rejected (401)
  5    rate limited (429)
  6    rejected by X (other 4xx: duplicate, too long, forbidden)
  7    network failure, timeout, or X unavailable (5xx)
  129  hung up (SIGHUP: the terminal closed); 130 interrupted (Ctrl-C); 143 terminated (SIGTERM)`;
