import type { Context } from '../context.js';
import { ENVIRONMENT_HELP } from '../environment-help.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'environment',
  description: 'list the environment variables twauth reads, and which wins',
  args: {},
  options: {},
  help: ENVIRONMENT_HELP.trimEnd(),
  examples: ['twauth help environment', 'twauth environment'],
});

export async function run(ctx: Context, _values: Values<typeof spec>): Promise<void> {
  ctx.io.out(ENVIRONMENT_HELP.trimEnd());
}
