import { commandKey } from './command-key.js';
import { Context, type ContextServices } from './context.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import type { ParsedValues } from './program.js';
import { loadCommand } from './load-command.js';
import type { CommandName } from './registry.js';
import { resolveSettings, type GlobalOptions } from './settings.js';

export { reportError } from './report-error.js';

/** A loaded command, as dispatch calls it: program.ts parsed `values` from the same declaration. */
interface Loaded {
  run(ctx: Context, values: ParsedValues): Promise<number | void>;
}

/**
 * Runs one command and returns its exit code; failures are thrown for main to report. `services`
 * replaces what the Context would build (unit tests: test/unit/commands/).
 */
export async function runCommand(
  io: Io,
  name: CommandName,
  values: ParsedValues,
  globals: GlobalOptions,
  services: ContextServices = {},
): Promise<number> {
  // registry.ts checks that each command's run takes the values its declaration describes.
  const command = (await loadCommand(commandKey(name))) as Loaded;
  const ctx = new Context(io, resolveSettings(globals, io.env), services);
  try {
    return (await command.run(ctx, values)) ?? EXIT.ok;
  } finally {
    await ctx.settle();
  }
}
