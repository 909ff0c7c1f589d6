import type { ApiRequest, XClient } from '../../api/client.js';
import { statusAndHeaders } from '../api-output.js';
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
  topic: 'request',
  description: 'send any signed request; prints the response body',
  args: {
    path: {
      required: true,
      description: "path relative to the API base (/2/users/me) or a full URL on the API base's origin",
    },
  },
  options: {
    method: {
      flags: '-X, --method <method>',
      type: 'string',
      description: 'HTTP method (default GET, or POST with -d / --json-body)',
    },
    data: { flags: '-d, --data <key=value>', type: 'list', description: 'form field (signed); repeatable' },
    query: { flags: '-q, --query <key=value>', type: 'list', description: 'query parameter (signed); repeatable' },
    jsonBody: {
      flags: '--json-body <json|@file|->',
      type: 'string',
      description: 'JSON request body (not signed): text, @file, or - for stdin',
    },
    header: { flags: '-H, --header <name:value>', type: 'list', description: 'extra request header; repeatable' },
    input: {
      flags: '--input <file|->',
      type: 'string',
      description: 'the JSON request body from a file (- for stdin), not signed',
    },
    include: {
      flags: '-i, --include',
      type: 'boolean',
      description: 'print the status line and headers (rate limits too) before the body',
    },
    paginate: {
      flags: '--paginate',
      type: 'boolean',
      description: "follow X's meta.next_token: every page, one JSON document per line",
    },
    slurp: { flags: '--slurp', type: 'boolean', description: 'with --paginate: all pages as one JSON array' },
    allowHost: {
      flags: '--allow-host <host>',
      type: 'list',
      description:
        'for this call, let a full URL send the token to this host (never over http: off this machine); repeatable',
    },
  },
  help:
    "--paginate (GET only) sends each page's meta.next_token back as pagination_token\n" +
    'until X sends none. A rate limit ends it with exit 5 after the pages so far;\n' +
    'with --wait it sleeps until the limit resets and goes on.',
  examples: [
    'twauth api /2/users/me',
    'twauth api -q user.fields=created_at /2/users/me',
    `twauth api -X POST --json-body '{"text":"hi"}' /2/tweets`,
    'twauth api --paginate -q max_results=100 /2/users/1000000001/tweets',
    'twauth api -i /2/users/me',
    'twauth api -X POST --input post.json /2/tweets',
  ],
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

/** --slurp holds every page in memory: bounded. */
const MAX_SLURP_CHARS = 64 * 1024 * 1024;

/** --input FILE or -: a JSON body, read with the same bound as --json-body's @file. */
async function inputBody(io: Io, source: string | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  const text = await readBodyArg(source === '-' ? '-' : `@${source}`, '--input', undefined, io);
  try {
    JSON.parse(text);
  } catch {
    throw new UsageError(
      `--input: ${source === '-' ? 'standard input' : source} is not JSON (X API v2 bodies are JSON; use -d key=value for a form); nothing was sent`,
    );
  }
  return text;
}

export async function run(ctx: Context, opts: Values<typeof spec>): Promise<void> {
  const form = opts.data.map((d) => parseKeyValue(d, '-d'));
  const query = opts.query.map((q) => parseKeyValue(q, '-q'));
  const headers = Object.fromEntries(opts.header.map(parseHeader));
  if (opts.input !== undefined && opts.jsonBody !== undefined)
    throw new UsageError('use either --input or --json-body, not both');
  const json = opts.input !== undefined ? await inputBody(ctx.io, opts.input) : await jsonBody(ctx.io, opts.jsonBody);
  if (json !== undefined && form.length) throw new UsageError('use either -d (form) or --json-body, not both');
  const method = (opts.method ?? (form.length || json !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`-X expects an HTTP method, got "${opts.method}"`);
  if (opts.slurp && !opts.paginate) throw new UsageError('--slurp goes with --paginate');
  if (opts.paginate && method !== 'GET')
    throw new UsageError(`--paginate is for GET requests (a ${method} would be repeated for every page)`);
  const allowHosts = opts.allowHost.map(parseAllowedHost);
  const creds = await ctx.credentials();
  const client = ctx.client(creds, { allowHosts });
  // The body as the server sent it to a pipe or file; on a terminal, its control characters
  // are shown, not acted on (an answer is not trusted to drive the terminal).
  const show = (body: string) => ctx.io.out(ctx.io.stdoutIsTTY ? printableBlock(body) : body);
  const req: ApiRequest = { method, path: opts.path, query, form: form.length ? form : undefined, json, headers };
  try {
    if (opts.paginate) return await pages(ctx, client, req, opts, show);
    const res = await client.request(req);
    if (opts.include) ctx.io.out(statusAndHeaders(res));
    if (res.body !== '') show(res.body);
  } catch (err) {
    if (opts.include && err instanceof XApiError) ctx.io.out(statusAndHeaders(err));
    // Like `gh api`: X's own error body is the command's output; the explanation goes to stderr.
    if (err instanceof XApiError && err.rawBody !== '') show(err.rawBody);
    throw err;
  }
}

/**
 * --paginate: each page's body on a line of its own as it arrives (a JSON stream, as gh api
 * --paginate prints), or with --slurp one array of the pages at the end.
 */
async function pages(
  ctx: Context,
  client: XClient,
  req: ApiRequest,
  opts: Values<typeof spec>,
  show: (text: string) => void,
): Promise<void> {
  const { paginate } = await import('../../api/paginate.js');
  const all: string[] = [];
  let size = 0;
  for await (const page of paginate(client, req)) {
    if (opts.include) ctx.io.out(statusAndHeaders(page.response));
    // JSON.stringify escapes C0 controls but not C1 ones (U+009B is CSI): show() cleans on a terminal.
    const text = JSON.stringify(page.body);
    if (!opts.slurp) {
      show(text);
      continue;
    }
    size += text.length;
    if (size > MAX_SLURP_CHARS)
      throw new UsageError(`--slurp: the pages exceed ${MAX_SLURP_CHARS} characters; drop --slurp to stream them`);
    all.push(text);
  }
  if (opts.slurp) show(`[${all.join(',')}]`);
}
