import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';
import type { Report } from './report-error.js';

/** What the CLI's outermost wrapper needs; main.ts gives it the process, tests give it fakes. */
export interface CliDeps {
  /** A line on stderr. */
  err(line: string): void;
  /** Parses the command line and runs the command; resolves with its exit code. */
  parse(): Promise<number>;
  /** Words and an exit code for a failure (report-error.ts, loaded only when needed). */
  report(err: unknown): Promise<Report>;
  /**
   * Calls `listener` once nothing is left that could settle a pending promise (Node's
   * 'beforeExit': the event loop is empty); returns a function that removes it.
   */
  onIdle(listener: () => void): () => void;
}

const UNFINISHED = Symbol('unfinished');

/**
 * The exit code of one run. It is 0 only when the command's promise resolved with 0: a command
 * whose promise can never settle (it awaited something that nothing will ever resolve, and the
 * event loop emptied) is an internal error, not a success.
 */
export async function runCli(deps: CliDeps): Promise<number> {
  let remove = () => {};
  const idle = new Promise<typeof UNFINISHED>((resolve) => {
    remove = deps.onIdle(() => resolve(UNFINISHED));
  });
  try {
    const outcome = await Promise.race([deps.parse(), idle]);
    if (outcome !== UNFINISHED) return outcome;
    // Reported like any failure (as one JSON object under --json).
    throw new CliError('internal error: the command ended without finishing', EXIT.unexpected);
  } catch (err) {
    const report = await deps.report(err);
    for (const line of report.lines) deps.err(line);
    return report.code;
  } finally {
    remove();
  }
}
