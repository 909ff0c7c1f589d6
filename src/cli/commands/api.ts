import { readFileSync, statSync } from 'node:fs';
import type { ApiRequest, XClient } from '../../api/client.js';
import { statusAndHeaders } from '../api-output.js';
import { XApiError } from '../../api/errors.js';
import type { Context } from '../context.js';
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
    input: { flags: '--input <file|->', type: 'string', description: 'the JSON request body from a file (- for stdin), at most 5 MiB' },
    include: { flags: '-i, --include', type: 'boolean', description: 'print the status line and headers (rate limits too) before the body' },
    paginate: { flags: '--paginate', type: 'boolean', description: "follow X's meta.next_token: every page, one JSON document per line" },
    slurp: { flags: '--slurp', type: 'boolean', description: 'with --paginate: all pages as one JSON array' },
  },
  help:
    '--paginate (GET only) sends each page\'s meta.next_token back as pagination_token\n' +
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

async function jsonBody(source: string | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  let text: string;
  if (source === '-') text = await readStdin(1 << 20, 'twauth sends JSON bodies of at most 1 MiB');
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

/** --input's bound: X's largest JSON bodies (a post with polls and media ids) are a few KiB. */
const MAX_INPUT_BYTES = 5 * 1024 * 1024;
/** --slurp holds every page in memory: bounded. */
const MAX_SLURP_CHARS = 64 * 1024 * 1024;

async function inputBody(source: string | undefined): Promise<string | undefined> {
  if (source === undefined) return undefined;
  let text: string;
  if (source === '-') text = await readStdin(MAX_INPUT_BYTES, '--input takes bodies of at most 5 MiB');
  else {
    let size: number;
    try {
      size = statSync(source).size;
    } catch (err) {
      throw new UsageError(`--input: cannot read ${source} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (size > MAX_INPUT_BYTES) throw new UsageError(`--input: ${source} is larger than ${MAX_INPUT_BYTES} bytes; nothing was sent`);
    text = readFileSync(source, 'utf8');
  }
  try {
    JSON.parse(text);
  } catch {
    throw new UsageError(`--input: ${source === '-' ? 'standard input' : source} is not JSON (X API v2 bodies are JSON; use -d key=value for a form); nothing was sent`);
  }
  return text;
}

export async function run(ctx: Context, opts: Values<typeof spec>): Promise<void> {
  const form = opts.data.map((d) => parseKeyValue(d, '-d'));
  const query = opts.query.map((q) => parseKeyValue(q, '-q'));
  const headers = Object.fromEntries(opts.header.map(parseHeader));
  if (opts.input !== undefined && opts.jsonBody !== undefined) throw new UsageError('use either --input or --json-body, not both');
  const json = opts.input !== undefined ? await inputBody(opts.input) : await jsonBody(opts.jsonBody);
  if (json !== undefined && form.length) throw new UsageError('use either -d (form) or --json-body, not both');
  const method = (opts.method ?? (form.length || json !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`-X expects an HTTP method, got "${opts.method}"`);
  if (opts.slurp && !opts.paginate) throw new UsageError('--slurp goes with --paginate');
  if (opts.paginate && method !== 'GET') throw new UsageError(`--paginate is for GET requests (a ${method} would be repeated for every page)`);
  const creds = await ctx.credentials();
  const client = ctx.client(creds);
  const req: ApiRequest = { method, path: opts.path, query, form: form.length ? form : undefined, json, headers };
  try {
    if (opts.paginate) return await pages(ctx, client, req, opts);
    const res = await client.request(req);
    if (opts.include) ctx.io.out(statusAndHeaders(res));
    if (res.body !== '') ctx.io.out(res.body);
  } catch (err) {
    if (opts.include && err instanceof XApiError) ctx.io.out(statusAndHeaders(err));
    // Like `gh api`: X's own error body is the command's output; the explanation goes to stderr.
    if (err instanceof XApiError && err.rawBody !== '') ctx.io.out(err.rawBody);
    throw err;
  }
}

/**
 * --paginate: each page's body on a line of its own as it arrives (a JSON stream, as gh api
 * --paginate prints), or with --slurp one array of the pages at the end.
 */
async function pages(ctx: Context, client: XClient, req: ApiRequest, opts: Values<typeof spec>): Promise<void> {
  const { paginate } = await import('../../api/paginate.js');
  const all: string[] = [];
  let size = 0;
  for await (const page of paginate(client, req)) {
    if (opts.include) ctx.io.out(statusAndHeaders(page.response));
    const text = JSON.stringify(page.body);
    if (!opts.slurp) {
      ctx.io.out(text);
      continue;
    }
    size += text.length;
    if (size > MAX_SLURP_CHARS) throw new UsageError(`--slurp: the pages exceed ${MAX_SLURP_CHARS} characters; drop --slurp to stream them`);
    all.push(text);
  }
  if (opts.slurp) ctx.io.out(`[${all.join(',')}]`);
}
