import type { ExitCode } from './exit-codes.js';

/** What X answered, when a failure is X's answer: `--json` errors carry it as "x". */
export interface XAnswer {
  readonly status: number;
  /** The v1.1 error code; null for v2 problems. */
  readonly code: number | null;
  readonly title: string | null;
  readonly detail: string | null;
  /** The v2 problem type (a URI); null for v1.1 errors. */
  readonly type: string | null;
}

/**
 * A failure the CLI knows how to tell: its exit code (README "Exit codes"), a one-line message,
 * and optionally a hint on what to do next and what X answered. report-error.ts prints every one
 * the same way; the lower layers' own errors are translated to one there.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
    readonly x?: XAnswer,
  ) {
    super(message);
  }
}
