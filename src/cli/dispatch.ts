import type { Command } from 'commander';
import { Context } from './context.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { resolveSettings } from './settings.js';

export { reportError } from './report-error.js';

/** A command module: run() returns the exit code (default 0). */
export interface CommandModule {
  // Each command declares its own options type; commander hands over a plain object.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(ctx: Context, args: unknown[], options: any, command?: Command): Promise<number | void>;
}

// One import per command: esbuild evaluates a command's code only when it runs.
const commands: Record<string, () => Promise<CommandModule>> = {
  login: () => import('./commands/login.js'),
  whoami: () => import('./commands/whoami.js'),
  tweet: () => import('./commands/tweet.js'),
  api: () => import('./commands/api.js'),
  sign: () => import('./commands/sign.js'),
  accounts: () => import('./commands/accounts.js'),
  switch: () => import('./commands/switch.js'),
  status: () => import('./commands/status.js'),
  logout: () => import('./commands/logout.js'),
  token: () => import('./commands/token.js'),
  sandbox: () => import('./commands/sandbox.js'),
  'sandbox-approve': () => import('./commands/sandbox-approve.js'),
  doctor: () => import('./commands/doctor.js'),
  completion: () => import('./commands/completion.js'),
  'exit-codes': () => import('./commands/exit-codes.js'),
  'media-upload': () => import('./commands/media-upload.js'),
};

/** Runs one command and returns its exit code; failures are thrown for main to report. */
export async function runCommand(io: Io, name: string, args: unknown[], command: Command): Promise<number> {
  const mod = await commands[name]!();
  const ctx = new Context(io, resolveSettings(command.optsWithGlobals(), io.env));
  try {
    return (await mod.run(ctx, args, command.opts(), command)) ?? EXIT.ok;
  } finally {
    await ctx.settle();
  }
}
