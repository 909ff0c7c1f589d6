import type { Context } from '../context.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'exit-codes',
  description: 'list the exit codes',
  args: {},
  options: {},
  help: EXIT_CODES_HELP,
  examples: ['twauth exit-codes', 'twauth help exit-codes'],
});

export async function run(ctx: Context, _values: Values<typeof spec>): Promise<void> {
  ctx.io.out(EXIT_CODES_HELP);
}
