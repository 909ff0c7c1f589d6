import { CommanderError, type Command } from 'commander';
import { EXIT } from './exit-codes.js';
import { processIo } from './io.js';
import { overview } from './overview.js';
import { buildProgram, commandToRun, type Configure, type ParsedValues } from './program.js';
import type { CommandName } from './registry.js';
import { runCli } from './run-cli.js';

// Start-up time (README "Performance"): this module holds only the command line; everything a
// command needs is in ./dispatch.js, loaded once a command actually runs (the CLI bundle keeps it
// in a file of its own, so `twauth --version` and `--help` never read it).
const loadDispatch = () => import('./dispatch.js');

const io = processIo();
const argv = process.argv.slice(2);
/**
 * Whether errors are JSON (README "JSON output"): --json among the words before "--", as the
 * parser will read them. Known before parsing, so that a parse error is JSON too.
 */
const json = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--json');
let verbose = false;
/** The exit code of the command that ran; none ran for --help, --version and parse errors. */
let commandCode: number | undefined;

async function runCommand(name: CommandName, values: ParsedValues, command: Command): Promise<void> {
  const globals = command.optsWithGlobals();
  verbose = Boolean(globals.verbose);
  commandCode = await (await loadDispatch()).runCommand(io, name, values, globals);
}

// Help never wider than 80 columns (narrower on a narrower terminal): examples and notes are
// written for 80.
const helpWidth = (stream: NodeJS.WriteStream) => Math.min(80, (stream.isTTY && stream.columns) || 80);

const configure: Configure = (command, path) =>
  command.exitOverride().configureOutput({
    outputError: (text, write) => {
      const message = text
        .replace(/^error: /, '')
        .trim()
        .replace(/\n+/g, ' ');
      const hint = `see "${path} --help"`;
      // (not `write`: under --json, writeErr drops commander's own text)
      if (json) io.err(JSON.stringify({ error: { message, exit_code: EXIT.usage, hint } }));
      else write(`twauth: ${message} (${hint})\n`);
    },
    // Help shown as an error (a group or the program named without a command): under --json,
    // the one JSON object below instead (parse()).
    ...(json ? { writeErr: () => {} } : {}),
    getOutHelpWidth: () => helpWidth(process.stdout),
    getErrHelpWidth: () => helpWidth(process.stderr),
  });

// Only the command that runs, when the words say which before parsing (program.ts).
const program = buildProgram(runCommand, configure, commandToRun(argv));

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
    if (!sub)
      return program.error(`unknown command '${names.slice(0, i + 1).join(' ')}'`, {
        exitCode: EXIT.usage,
        code: 'commander.unknownCommand',
      });
    command = sub;
  }
  command.help();
}

async function parse(): Promise<number> {
  // Not while this bundle is still being loaded (main() starts during its require): as late as
  // the other commands, which parseAsync runs after an await.
  await Promise.resolve();
  const args = argv;
  if (args.length === 0) {
    // Bare `twauth`: a usage error (as it has always been), answered with a screenful at most.
    io.err(overview(program));
    return EXIT.usage;
  }
  try {
    helpFor(args);
    await program.parseAsync(process.argv);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return EXIT.ok;
    if (json && err.code === 'commander.help') {
      io.err(
        JSON.stringify({ error: { message: 'no command given', exit_code: EXIT.usage, hint: 'see "twauth --help"' } }),
      );
    }
    return EXIT.usage;
  }
  return commandCode ?? EXIT.ok;
}

void runCli({
  err: (line) => io.err(line),
  parse,
  report: async (err) => (await loadDispatch()).reportError(err, verbose, json),
  onIdle: (listener) => {
    process.once('beforeExit', listener);
    return () => process.off('beforeExit', listener);
  },
}).then((code) => {
  // Open handles (a keep-alive socket, a keychain call that hung past its timeout) must not keep
  // a finished command alive.
  process.exit(code);
});
