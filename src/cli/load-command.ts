import type * as Commands from './commands/index.js';

export type CommandModules = typeof Commands;

/**
 * One command's file, by its key in commands/index.ts. As written it loads every command at
 * once (unit tests run it so); the CLI build puts one import() per line of commands/index.ts in
 * its place (scripts/build.mjs), so that a command's code is evaluated only when that command
 * runs: all of them at once cost every command ~7 ms more (measured on dispatch.cjs, Node 20).
 */
export async function loadCommand<K extends keyof CommandModules>(key: K): Promise<CommandModules[K]> {
  return (await import('./commands/index.js'))[key];
}
