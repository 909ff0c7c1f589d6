import type { Context } from '../context.js';
import { EXIT_CODE_MEANINGS, EXIT_CODES_HELP } from '../exit-codes.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'exit-codes',
  topic: 'shell',
  description: 'list the exit codes',
  args: {},
  options: {},
  help: EXIT_CODES_HELP,
  examples: ['twauth exit-codes', 'twauth exit-codes --json', 'twauth help exit-codes'],
  json: '[{"code", "meaning"}], every exit code twauth uses, in order',
});

export async function run(ctx: Context, _values: Values<typeof spec>): Promise<void> {
  ctx.io.out(ctx.settings.json ? JSON.stringify(EXIT_CODE_MEANINGS, null, 2) : EXIT_CODES_HELP);
}
