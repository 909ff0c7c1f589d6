import type { Run } from './command-spec.js';
import { Context, type ContextServices } from './context.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import type { ParsedValues } from './program.js';
import type { COMMANDS, CommandName } from './registry.js';
import { resolveSettings, type GlobalOptions } from './settings.js';

export { reportError } from './report-error.js';

type SpecOf<N extends CommandName> = Extract<(typeof COMMANDS)[number], { readonly name: N }>;

/**
 * Each command's file, by name. The type demands one entry for every command in registry.ts,
 * and that its `run` takes the values its declaration describes. import(): esbuild evaluates a
 * command's code only when it runs.
 */
const LOADERS: {
  readonly [N in CommandName]: () => Promise<{ readonly spec: SpecOf<N>; readonly run: Run<SpecOf<N>> }>;
} = {
  login: () => import('./commands/login.js'),
  whoami: () => import('./commands/whoami.js'),
  tweet: () => import('./commands/tweet.js'),
  'media upload': () => import('./commands/media-upload.js'),
  thread: () => import('./commands/thread.js'),
  delete: () => import('./commands/delete.js'),
  api: () => import('./commands/api.js'),
  sign: () => import('./commands/sign.js'),
  accounts: () => import('./commands/accounts.js'),
  switch: () => import('./commands/switch.js'),
  status: () => import('./commands/status.js'),
  logout: () => import('./commands/logout.js'),
  token: () => import('./commands/token.js'),
  'sandbox run': () => import('./commands/sandbox-run.js'),
  'sandbox approve': () => import('./commands/sandbox-approve.js'),
  doctor: () => import('./commands/doctor.js'),
  completion: () => import('./commands/completion.js'),
  'exit-codes': () => import('./commands/exit-codes.js'),
  environment: () => import('./commands/environment.js'),
};

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
  const command: Loaded = await LOADERS[name]();
  const ctx = new Context(io, resolveSettings(globals, io.env), services);
  try {
    return (await command.run(ctx, values)) ?? EXIT.ok;
  } finally {
    await ctx.settle();
  }
}
