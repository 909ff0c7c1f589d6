import { readFileSync } from 'node:fs';
import { XApiError } from '../../api/errors.js';
import type { Context } from '../context.js';
import type { Io } from '../io.js';
import { parseHeader, parseKeyValue } from '../kv-args.js';
import { readStdin } from '../read-stdin.js';
import { UsageError } from '../usage-error.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'api',
  description: 'send any signed request; prints the response body',
  args: {
    path: { required: true, description: 'path relative to the API base (/2/users/me) or a full URL' },
  },
  options: {
    method: { flags: '-X, --method <method>', type: 'string', description: 'HTTP method (default GET, or POST with -d / --json-body)' },
    data: { flags: '-d, --data <key=value>', type: 'list', description: 'form field (signed); repeatable' },
    query: { flags: '-q, --query <key=value>', type: 'list', description: 'query parameter (signed); repeatable' },
    jsonBody: { flags: '--json-body <json|@file|->', type: 'string', description: 'JSON request body (not signed): text, @file, or - for stdin' },
    header: { flags: '-H, --header <name:value>', type: 'list', description: 'extra request header; repeatable' },
  },
  examples: ['twauth api /2/users/me', 'twauth api -q user.fields=created_at /2/users/me', `twauth api -X POST --json-body '{"text":"hi"}' /2/tweets`],
  json: "X's response body, as X sent it (with or without --json)",
});

async function jsonBody(io: Io, source: string | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  let text: string;
  if (source === '-') text = await readStdin(io, 1 << 20, 'twauth sends JSON bodies of at most 1 MiB');
  else if (source.startsWith('@')) {
    try {
      text = readFileSync(source.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(`--json-body: cannot read ${source.slice(1)} (${(err as NodeJS.ErrnoException).code})`);
    }
  } else text = source;
  try {
    JSON.parse(text);
  } catch {
    throw new UsageError('--json-body is not valid JSON; nothing was sent');
  }
  return text;
}

export async function run(ctx: Context, opts: Values<typeof spec>): Promise<void> {
  const form = opts.data.map((d) => parseKeyValue(d, '-d'));
  const query = opts.query.map((q) => parseKeyValue(q, '-q'));
  const headers = Object.fromEntries(opts.header.map(parseHeader));
  const json = await jsonBody(ctx.io, opts.jsonBody);
  if (json !== undefined && form.length) throw new UsageError('use either -d (form) or --json-body, not both');
  const method = (opts.method ?? (form.length || json !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`-X expects an HTTP method, got "${opts.method}"`);
  const creds = await ctx.credentials();
  const client = ctx.client(creds);
  try {
    const res = await client.request({ method, path: opts.path, query, form: form.length ? form : undefined, json, headers });
    if (res.body !== '') ctx.io.out(res.body);
  } catch (err) {
    // Like `gh api`: X's own error body is the command's output; the explanation goes to stderr.
    if (err instanceof XApiError && err.rawBody !== '') ctx.io.out(err.rawBody);
    throw err;
  }
}
