import type { Context } from '../context.js';
import { ENVIRONMENT_HELP, ENVIRONMENT_VARIABLES } from '../environment-help.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'environment',
  topic: 'shell',
  description: 'list the environment variables twauth reads, and which wins',
  args: {},
  options: {},
  help: ENVIRONMENT_HELP.trimEnd(),
  examples: ['twauth help environment', 'twauth environment', 'twauth environment --json'],
  // Whether each is set, never its value: some hold secrets.
  json: '[{"name", "set"}]: every variable twauth reads, in the order of the text, and whether it is set (never its value)',
});

export async function run(ctx: Context, _values: Values<typeof spec>): Promise<void> {
  if (ctx.settings.json) {
    ctx.io.out(
      JSON.stringify(
        ENVIRONMENT_VARIABLES.map((name) => ({ name, set: ctx.env[name] !== undefined && ctx.env[name] !== '' })),
      ),
    );
    return;
  }
  ctx.io.out(ENVIRONMENT_HELP.trimEnd());
}
