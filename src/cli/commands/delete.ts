import { XApiError } from '../../api/errors.js';
import { defineCommand, type Values } from '../command-spec.js';
import type { Context } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { reportError } from '../report-error.js';
import { UsageError } from '../usage-error.js';

/** More ids than this in one run is more likely a wrong input than a clean-up. */
const MAX_IDS = 100;

export const spec = defineCommand({
  name: 'delete',
  topic: 'post',
  description: "delete the account's posts (DELETE /2/tweets/:id); prints each deleted id",
  args: {
    ids: { required: true, variadic: true, description: 'ids of posts of this account' },
  },
  options: {},
  help:
    "Deletes each post in turn. A post that is not this account's, or that no\n" +
    "longer exists, gets X's answer explained on stderr; the others are still\n" +
    'deleted, and the exit code is 6. Any other failure (not logged in, rate limit,\n' +
    'network) stops the run.',
  examples: ['twauth delete 1790000000000000000', 'twauth --json thread "a" "b" | jq -r .id | xargs twauth delete'],
  json: 'one {"id", "deleted": true} per deleted post, one per line',
});

export async function run(ctx: Context, v: Values<typeof spec>): Promise<number | void> {
  const ids = [...v.ids];
  if (ids.length > MAX_IDS)
    throw new UsageError(`${ids.length} ids; twauth deletes at most ${MAX_IDS} in one run; nothing was sent`);
  const bad = ids.filter((id) => !/^\d{1,19}$/.test(id));
  if (bad.length)
    throw new UsageError(`not a post id (digits): ${bad.map((b) => JSON.stringify(b)).join(', ')}; nothing was sent`);
  if (new Set(ids).size !== ids.length) throw new UsageError('the same id is given twice; nothing was sent');

  const client = ctx.client(await ctx.credentials());
  let code: number | undefined;
  for (const id of ids) {
    let deleted: unknown;
    try {
      const { data } = await client.json<{ data?: { deleted?: unknown } }>({
        method: 'DELETE',
        path: `/2/tweets/${id}`,
      });
      deleted = data?.data?.deleted;
    } catch (err) {
      if (!(err instanceof XApiError) || (err.problem !== 'not-own-post' && err.problem !== 'post-not-found'))
        throw err;
      // One post refused does not stop the others: say why, remember the exit code.
      const r = reportError(err, ctx.settings.verbose);
      for (const line of r.lines) ctx.io.err(line);
      code ??= r.code;
      continue;
    }
    if (deleted !== true) {
      ctx.io.err(`twauth: X did not delete ${id} (its answer says deleted: ${JSON.stringify(deleted ?? null)})`);
      code ??= EXIT.rejected;
      continue;
    }
    ctx.io.out(ctx.settings.json ? JSON.stringify({ id, deleted: true }) : id);
  }
  return code;
}
