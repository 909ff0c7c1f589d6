import type { Context } from '../context.js';
import { EXIT_CODES_HELP } from '../exit-codes.js';

export async function run(ctx: Context): Promise<void> {
  ctx.io.out(EXIT_CODES_HELP);
}
