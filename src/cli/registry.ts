import type { CommandKey } from './command-key.js';
import { type CommandSpec, type GroupSpec, type Run, TOPICS } from './command-spec.js';
import * as commands from './commands/index.js';
import type { CommandModules } from './load-command.js';

/**
 * What the compiler checks of each line of commands/index.ts: its key is its command's name in
 * camelCase (dispatch finds the file by it), and a command's `run` takes the values its
 * declaration describes. A line that breaks either is typed `never`, so the assignment below
 * fails naming it.
 */
type Checked = {
  readonly [K in keyof CommandModules]: CommandKey<CommandModules[K]['spec']['name']> extends K
    ? CommandModules[K] extends { readonly spec: infer S extends CommandSpec }
      ? CommandModules[K] extends { readonly run: Run<S> }
        ? CommandModules[K]
        : never
      : CommandModules[K]
    : never;
};
const MODULES: Checked = commands;

type Spec = CommandModules[keyof CommandModules]['spec'];

const TOPIC_ORDER = Object.keys(TOPICS);

/**
 * Every command's declaration, in the order of `twauth --help`: by topic, then by name (so a
 * group comes before its commands).
 *
 * Only `spec` is read here: this module is part of the command-line bundle, which gets only the
 * declarations of commands/index.ts (scripts/build.mjs; test/e2e/startup-guard.test.ts checks
 * that no `run` is in it); dispatch.ts loads the file of the command that runs.
 */
export const COMMANDS: readonly (CommandSpec | GroupSpec)[] & readonly Spec[] = Object.values(MODULES)
  .map((m): Spec => m.spec)
  .sort(
    (a, b) =>
      TOPIC_ORDER.indexOf(a.topic) - TOPIC_ORDER.indexOf(b.topic) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );

/** The words of a command that runs ("tweet", "sandbox approve"). */
export type CommandName = Exclude<Spec, GroupSpec>['name'];

/** The declaration of the command named N. */
export type SpecOf<N extends CommandName> = Extract<Spec, { readonly name: N }>;
