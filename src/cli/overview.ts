import type { Command } from 'commander';

/**
 * What bare `twauth` prints: one line about twauth and the commands, one line each (the full
 * help, with every option and the exit codes, is `twauth --help`).
 */
export function overview(program: Command): string {
  const help = program.createHelp();
  help.prepareContext({ helpWidth: 80 });
  const commands = help.visibleCommands(program);
  const width = Math.max(...commands.map((c) => c.name().length));
  const lines = commands.map((c) => {
    const description = help.subcommandDescription(c);
    const line = `  ${c.name().padEnd(width)}  ${description}`;
    // One line each: a long description is cut at a word, with an ellipsis.
    return line.length <= 80 ? line : `${line.slice(0, 79).replace(/\s+\S*$/, '')}…`;
  });
  return [
    help.boxWrap(program.description(), 80),
    '',
    'Usage: twauth [options] <command>',
    '',
    'Commands:',
    ...lines,
    '',
    'Run "twauth help <command>" for its options, "twauth --help" for everything.',
  ].join('\n');
}
