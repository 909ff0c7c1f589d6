import { CommanderError, type Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { processIo } from './io.js';
import { buildProgram } from './program.js';

/** A command module: run() returns the exit code (default 0). */
export interface CommandModule {
  // Each command declares its own options type; commander hands over a plain object.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(ctx: import('./context.js').Context, args: unknown[], options: any, command?: Command): Promise<number | void>;
}

// Each command's code is a separate chunk, loaded only when that command runs.
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
};

const io = processIo();
let verbose = false;

async function runCommand(name: string, args: unknown[], command: Command): Promise<void> {
  const [{ resolveSettings }, { Context }, mod] = await Promise.all([import('./settings.js'), import('./context.js'), commands[name]!()]);
  const opts = command.optsWithGlobals();
  verbose = Boolean(opts.verbose);
  const ctx = new Context(io, resolveSettings(opts, process.env));
  try {
    process.exitCode = (await mod.run(ctx, args, command.opts(), command)) ?? EXIT.ok;
  } finally {
    await ctx.settle();
  }
}

const program = buildProgram(runCommand, (p) =>
  p.exitOverride().configureOutput({
    outputError: (text, write) => write(`twauth: ${text.replace(/^error: /, '').trim().replace(/\n+/g, ' ')} (see "twauth --help")\n`),
  }),
);

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      const { reportError } = await import('./report-error.js');
      const report = reportError(err, verbose);
      for (const line of report.lines) io.err(line);
      process.exitCode = report.code;
    }
  }
  // Open handles (a keep-alive socket, a keychain call that hung past its timeout) must not keep
  // a finished command alive.
  process.exit();
}

void main();
