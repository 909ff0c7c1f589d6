import { XApiError } from '../../api/errors.js';
import { parseAllowedHost } from '../../api/request-target.js';
import { printableBlock } from '../../text/printable.js';
import type { Context } from '../context.js';
import type { Io } from '../io.js';
import { parseHeader, parseKeyValue } from '../kv-args.js';
import { readBodyArg } from '../read-body-arg.js';
import { UsageError } from '../usage-error.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'api',
  description: 'send any signed request; prints the response body',
  args: {
    path: { required: true, description: "path relative to the API base (/2/users/me) or a full URL on the API base's origin" },
  },
  options: {
    method: { flags: '-X, --method <method>', type: 'string', description: 'HTTP method (default GET, or POST with -d / --json-body)' },
    data: { flags: '-d, --data <key=value>', type: 'list', description: 'form field (signed); repeatable' },
    query: { flags: '-q, --query <key=value>', type: 'list', description: 'query parameter (signed); repeatable' },
    jsonBody: { flags: '--json-body <json|@file|->', type: 'string', description: 'JSON request body (not signed): text, @file, or - for stdin' },
    header: { flags: '-H, --header <name:value>', type: 'list', description: 'extra request header; repeatable' },
    allowHost: { flags: '--allow-host <host>', type: 'list', description: 'for this call, let a full URL send the token to this host (never over http: off this machine); repeatable' },
  },
  examples: ['twauth api /2/users/me', 'twauth api -q user.fields=created_at /2/users/me', `twauth api -X POST --json-body '{"text":"hi"}' /2/tweets`],
  json: "X's response body, as X sent it (with or without --json)",
});

async function jsonBody(io: Io, source: string | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  const text = await readBodyArg(source, '--json-body', undefined, io);
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
  const allowHosts = opts.allowHost.map(parseAllowedHost);
  const creds = await ctx.credentials();
  const client = ctx.client(creds, { allowHosts });
  // The body as the server sent it to a pipe or file; on a terminal, its control characters
  // are shown, not acted on (an answer is not trusted to drive the terminal).
  const show = (body: string) => ctx.io.out(ctx.io.stdoutIsTTY ? printableBlock(body) : body);
  try {
    const res = await client.request({ method, path: opts.path, query, form: form.length ? form : undefined, json, headers });
    if (res.body !== '') show(res.body);
  } catch (err) {
    // Like `gh api`: X's own error body is the command's output; the explanation goes to stderr.
    if (err instanceof XApiError && err.rawBody !== '') show(err.rawBody);
    throw err;
  }
}
