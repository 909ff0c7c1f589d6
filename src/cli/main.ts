import { CommanderError, type Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { processIo } from './io.js';
import { buildProgram } from './program.js';

// Start-up time (README "Performance"): this module holds only the command line; everything a
// command needs is in ./dispatch.js, loaded once a command actually runs (the CLI bundle keeps it
// in a file of its own, so `twauth --version` and `--help` never read it).
const loadDispatch = () => import('./dispatch.js');

const io = processIo();
let verbose = false;

async function runCommand(name: string, args: unknown[], command: Command): Promise<void> {
  verbose = Boolean(command.optsWithGlobals().verbose);
  process.exitCode = await (await loadDispatch()).runCommand(io, name, args, command);
}

const program = buildProgram(runCommand, (p) =>
  p.exitOverride().configureOutput({
    outputError: (text, write) => write(`twauth: ${text.replace(/^error: /, '').trim().replace(/\n+/g, ' ')} (see "twauth --help")\n`),
  }),
);

/**
 * `twauth help NAME…` for commander's implicit help command, which answers an unknown NAME (and
 * `help help`) with the whole help on stderr: show the help asked for (`help sandbox approve`
 * included), or a one-line hint. Throws commander's own errors, like parsing does.
 */
function helpFor(args: string[]): void {
  if (args[0] !== 'help' || args.length < 2) return;
  let command: Command = program;
  const names = args.slice(1);
  for (const [i, name] of names.entries()) {
    if (name.startsWith('-')) return; // `help --help`: commander shows the main help
    if (name === 'help' && command === program) program.help();
    const sub = command.commands.find((c) => c.name() === name || c.aliases().includes(name));
    if (!sub) return program.error(`unknown command '${names.slice(0, i + 1).join(' ')}'`, { exitCode: EXIT.usage, code: 'commander.unknownCommand' });
    command = sub;
  }
  command.help();
}

async function main(): Promise<void> {
  try {
    // Not while this bundle is still being loaded (main() starts during its require): as late as
    // the other commands, which parseAsync runs after an await.
    await Promise.resolve();
    helpFor(process.argv.slice(2));
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      const report = (await loadDispatch()).reportError(err, verbose);
      for (const line of report.lines) io.err(line);
      process.exitCode = report.code;
    }
  }
  // Open handles (a keep-alive socket, a keychain call that hung past its timeout) must not keep
  // a finished command alive.
  process.exit();
}

void main();
