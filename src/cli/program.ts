import { Command, Option } from 'commander';
import { type CommandSpec, type GroupSpec, type OptionSpec, TOPICS } from './command-spec.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { GLOBAL_OPTIONS, optionFlags, takesValue } from './global-options.js';
import { COMMANDS, type CommandName } from './registry.js';
import { VERSION } from './version.js';

/** What the parser hands to a command's `run`: its declared arguments and options by name. */
export type ParsedValues = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

/** A command's action: loaded only when that command runs (start-up time: README "Performance"). */
export type Runner = (name: CommandName, values: ParsedValues, command: Command) => Promise<void>;

/** Settings for the program and every command (`path`: "twauth", "twauth sandbox approve"). */
export type Configure = (command: Command, path: string) => void;

export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** The text after the options: the declaration's help paragraphs, then its examples. */
function helpAfter(spec: CommandSpec | GroupSpec): string {
  return (spec.help ? `\n${spec.help}\n` : '') + examples(spec.examples);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function option(o: OptionSpec): Option {
  const opt = new Option(o.flags, o.description);
  if (o.type === 'list') opt.argParser(collect);
  if (o.type === 'choice') opt.choices(o.choices);
  if (o.type === 'string' && o.default !== undefined) opt.default(o.default);
  return opt;
}

/** The values of one parsed command, by their declared names (see `Values` in command-spec.ts). */
function valuesOf(spec: CommandSpec, options: readonly Option[], args: unknown[], command: Command): ParsedValues {
  const values: Record<string, string | boolean | readonly string[] | undefined> = {};
  Object.entries(spec.args).forEach(([name, a], i) => {
    const value = args[i];
    if (a.variadic) values[name] = Array.isArray(value) ? value.map(String) : [];
    else values[name] = typeof value === 'string' ? value : undefined;
  });
  const parsed: Record<string, unknown> = command.opts();
  Object.entries(spec.options).forEach(([name, o], i) => {
    const value = parsed[options[i]!.attributeName()];
    if (o.type === 'boolean' || o.type === 'negated') values[name] = value === true;
    else if (o.type === 'list') values[name] = Array.isArray(value) ? value.map(String) : [];
    // An optional value ("--from-twurlrc [path]") given bare: commander says true; run gets ''.
    else values[name] = typeof value === 'string' ? value : value === true ? '' : undefined;
  });
  return values;
}

function addCommand(parent: Command, spec: CommandSpec, run: Runner): Command {
  const words = spec.name.split(' ');
  const sub = parent
    .command(words[words.length - 1]!, spec.isDefault ? { isDefault: true } : {})
    .description(spec.description);
  for (const [name, a] of Object.entries(spec.args)) {
    const word = a.variadic ? `${name}...` : name;
    sub.argument(a.required ? `<${word}>` : `[${word}]`, a.description);
  }
  const options = Object.values(spec.options).map(option);
  for (const o of options) sub.addOption(o);
  sub.addHelpText('after', helpAfter(spec));
  const name = spec.name as CommandName;
  // commander passes the arguments, then the options object, then the command.
  sub.action((...args: unknown[]) => run(name, valuesOf(spec, options, args, sub), sub));
  return sub;
}

/**
 * The top-level command (or group) that the words after "twauth" run, when that is plain before
 * parsing: the first word, after global options and their values, that names one. Anything else
 * first (--help, --version, an unknown option, "--"), or no such word: undefined.
 */
export function commandToRun(argv: readonly string[]): string | undefined {
  const names = new Set(COMMANDS.map((spec) => spec.name.split(' ')[0]!));
  const globals = new Map<string, boolean>();
  for (const o of Object.values(GLOBAL_OPTIONS))
    for (const f of optionFlags(o.flags)) globals.set(f, takesValue(o.flags));
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('-')) return names.has(word) ? word : undefined;
    const [flag, inline] = word.split(/=(.*)/s) as [string, string | undefined];
    const needsValue = globals.get(flag);
    if (needsValue === undefined) return undefined;
    if (needsValue && inline === undefined) i++;
  }
  return undefined;
}

/**
 * The command line (README "Commands"), built from the declarations in registry.ts: options and
 * help only. Each action hands over to `run`, which loads the command's code on demand.
 *
 * `only` (from commandToRun): just that top-level command, or that group and its commands, for
 * a run that can need no other (start-up time: building all of them was ~3 ms of every run).
 * Its parsing, errors and help are those of the whole program; the program's own help and the
 * suggestions for a mistyped command need the whole, so they come with `only` undefined.
 */
export function buildProgram(run: Runner, configure: Configure, only?: string): Command {
  const program = new Command('twauth');
  // Before any .command(): subcommands copy these settings when they are created.
  configure(program, 'twauth');
  program
    .description(
      'Log in to X with OAuth 1.0a from a terminal, then act as that person from the shell and from scripts.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Each command's help also lists the options every command takes (--json, --account, …).
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      examples(['twauth login', 'twauth tweet "hello"', 'twauth help login']) +
        `\nRun "twauth help <command>" for a command's options and examples.\n\n${EXIT_CODES_HELP}\n`,
    );
  for (const o of Object.values(GLOBAL_OPTIONS)) program.addOption(option(o));

  const groups = new Map<string, Command>();
  for (const spec of COMMANDS) {
    const words = spec.name.split(' ');
    if (only !== undefined && words[0] !== only) continue;
    const parent = words.length > 1 ? groups.get(words[0]!) : program;
    if (!parent) throw new Error(`${spec.name}: no group "${words[0]}" of the same topic`);
    let command: Command;
    if ('group' in spec) {
      command = parent.command(spec.name).description(spec.description).addHelpText('after', helpAfter(spec));
      groups.set(spec.name, command);
    } else command = addCommand(parent, spec, run);
    // A section of `twauth --help` per topic; a group's own help lists its commands plainly.
    if (parent === program) command.helpGroup(`${TOPICS[spec.topic]}:`);
    configure(command, `twauth ${spec.name}`);
  }
  // commander's own `help [command]`, under the last section rather than a "Commands:" of its own.
  program.commandsGroup(`${TOPICS.shell}:`).helpCommand(true);
  return program;
}
