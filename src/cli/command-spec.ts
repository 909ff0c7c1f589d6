import type { Context } from './context.js';

/**
 * How a command is declared (README "Development"): everything the command line needs to parse
 * it and print its help, as plain data, next to the command's `run` in the same file. The
 * command line (main.cjs) imports only these declarations; the build drops each `run` and what
 * it imports from that bundle, so `--version` and `--help` load no command code.
 */

interface OptionBase {
  /** commander's flag syntax: "-d, --data <key=value>", "--no-browser", "--all". */
  readonly flags: string;
  readonly description: string;
}

/** A switch: false unless given. */
export interface BooleanOption extends OptionBase {
  readonly type: 'boolean';
}
/** "--no-x": true unless given. */
export interface NegatedOption extends OptionBase {
  readonly type: 'negated';
}
/** One value; undefined when absent, unless it has a default. An optional value ("--x [v]") given without one is ''. */
export interface StringOption extends OptionBase {
  readonly type: 'string';
  readonly default?: string;
}
/** A repeatable option: every value, in order ([] when absent). */
export interface ListOption extends OptionBase {
  readonly type: 'list';
}
/** One of a fixed set of values, checked by the parser (exit 2 otherwise). */
export interface ChoiceOption extends OptionBase {
  readonly type: 'choice';
  readonly choices: readonly string[];
}

export type OptionSpec = BooleanOption | NegatedOption | StringOption | ListOption | ChoiceOption;

export interface ArgumentSpec {
  readonly description: string;
  readonly required: boolean;
  /** The last argument only: takes every remaining word (`string[]`; [] when absent and optional). */
  readonly variadic?: boolean;
}

/**
 * The sections of `twauth --help`, in order, and their headings (like gh's command groups).
 * Within a section, commands are listed by name.
 */
export const TOPICS = {
  accounts: 'Log in and accounts',
  post: 'Post',
  request: 'Any request',
  try: 'Try and check',
  shell: 'Shell',
} as const;

export type Topic = keyof typeof TOPICS;

/** A command: `run` receives `Values<typeof spec>`. */
export interface CommandSpec {
  /** The words that run it: "tweet", or "sandbox approve" under the group "sandbox". */
  readonly name: string;
  /** Its section of `twauth --help` (a group's commands: the group's). */
  readonly topic: Topic;
  /** One line, for the command list. */
  readonly description: string;
  /** Positional arguments, in order. */
  readonly args: { readonly [name: string]: ArgumentSpec };
  /** Options, keyed by the name `run` reads them by. */
  readonly options: { readonly [name: string]: OptionSpec };
  /** Paragraphs printed after the options, before the examples (lines of at most 80 columns). */
  readonly help?: string;
  readonly examples: readonly string[];
  /** What `--json` prints, for the documentation; absent when the command prints no JSON. */
  readonly json?: string;
  /** Runs when its group is named alone ("twauth sandbox" is "twauth sandbox run"). */
  readonly isDefault?: boolean;
}

/** A word that only groups commands ("sandbox"): help, no run. */
export interface GroupSpec {
  readonly name: string;
  readonly topic: Topic;
  readonly description: string;
  readonly group: true;
  readonly help?: string;
  readonly examples: readonly string[];
}

type OptionValue<O extends OptionSpec> = O extends BooleanOption | NegatedOption
  ? boolean
  : O extends ListOption
    ? string[]
    : O extends { readonly choices: readonly (infer C)[] }
      ? C | undefined
      : O extends { readonly default: string }
        ? string
        : string | undefined;

type ArgumentValue<A extends ArgumentSpec> = A extends { readonly variadic: true }
  ? string[]
  : A extends { readonly required: true }
    ? string
    : string | undefined;

/** What `run` receives: each argument and option by its declared name, typed by its declaration. */
export type Values<S extends CommandSpec> = {
  readonly [K in keyof S['args']]: ArgumentValue<S['args'][K]>;
} & {
  readonly [K in keyof S['options']]: OptionValue<S['options'][K]>;
};

/** A command's action: the exit code, or nothing for 0. Failures are thrown (report-error.ts). */
export type Run<S extends CommandSpec> = (ctx: Context, values: Values<S>) => Promise<number | void>;

/** Keeps the literal types of a declaration, so that `Values` can be computed from it. */
export function defineCommand<const S extends CommandSpec>(spec: S): S {
  return spec;
}

export function defineGroup<const G extends GroupSpec>(spec: G): G {
  return spec;
}

/** The file under src/cli/commands/ that declares and runs a command: its words joined by "-". */
export function commandFile(name: string): string {
  return name.replace(/ /g, '-');
}
