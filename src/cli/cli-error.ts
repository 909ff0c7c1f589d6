import type { ExitCode } from './exit-codes.js';

/**
 * A failure the CLI knows how to tell: its exit code (README "Exit codes"), a one-line message,
 * and optionally a hint on what to do next. report-error.ts prints every one the same way; the
 * lower layers' own errors are translated to one there.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
  ) {
    super(message);
  }
}
