import { readFileSync, statSync } from 'node:fs';
import { XApiError } from '../../api/errors.js';
import type { ApiRequest, XClient } from '../../api/client.js';
import { statusAndHeaders } from '../api-output.js';
import type { Context } from '../context.js';
import { parseHeader, parseKeyValue } from '../kv-args.js';
import { readStdin } from '../read-stdin.js';
import { UsageError } from '../usage-error.js';

interface ApiOptions {
  method?: string;
  data?: string[];
  query?: string[];
  jsonBody?: string;
  header?: string[];
  /** --paginate: follow meta.next_token; --slurp: the pages as one JSON array. */
  paginate?: boolean;
  slurp?: boolean;
  /** -i / --include: the status line and headers before the body. */
  include?: boolean;
  /** --input FILE (or -): the request body, from a file. */
  input?: string;
}

/** --input's bound: X's largest JSON bodies (a post with polls and media ids) are a few KiB. */
const MAX_INPUT_BYTES = 5 * 1024 * 1024;
/** --slurp holds every page in memory: bounded. */
const MAX_SLURP_CHARS = 64 * 1024 * 1024;

async function inputBody(spec: string | undefined): Promise<string | undefined> {
  if (spec === undefined) return undefined;
  let text: string;
  if (spec === '-') text = await readStdin(MAX_INPUT_BYTES).catch((err: Error) => {
    throw new UsageError(`--input -: ${err.message}; nothing was sent`);
  });
  else {
    let size: number;
    try {
      size = statSync(spec).size;
    } catch (err) {
      throw new UsageError(`--input: cannot read ${spec} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (size > MAX_INPUT_BYTES) throw new UsageError(`--input: ${spec} is larger than ${MAX_INPUT_BYTES} bytes; nothing was sent`);
    text = readFileSync(spec, 'utf8');
  }
  try {
    JSON.parse(text);
  } catch {
    throw new UsageError(`--input: ${spec === '-' ? 'standard input' : spec} is not JSON (X API v2 bodies are JSON; use -d key=value for a form); nothing was sent`);
  }
  return text;
}

async function jsonBody(spec: string | undefined): Promise<string | undefined> {
  if (spec === undefined) return undefined;
  let text: string;
  if (spec === '-') text = await readStdin();
  else if (spec.startsWith('@')) {
    try {
      text = readFileSync(spec.slice(1), 'utf8');
    } catch (err) {
      throw new UsageError(`--json-body: cannot read ${spec.slice(1)} (${(err as NodeJS.ErrnoException).code})`);
    }
  } else text = spec;
  try {
    JSON.parse(text);
  } catch {
    throw new UsageError('--json-body is not valid JSON; nothing was sent');
  }
  return text;
}

export async function run(ctx: Context, [path]: unknown[], opts: ApiOptions): Promise<void> {
  const form = (opts.data ?? []).map((d) => parseKeyValue(d, '-d'));
  const query = (opts.query ?? []).map((q) => parseKeyValue(q, '-q'));
  const headers = Object.fromEntries((opts.header ?? []).map(parseHeader));
  if (opts.input !== undefined && opts.jsonBody !== undefined) throw new UsageError('use either --input or --json-body, not both');
  const json = opts.input !== undefined ? await inputBody(opts.input) : await jsonBody(opts.jsonBody);
  if (json !== undefined && form.length) throw new UsageError('use either -d (form) or --json-body, not both');
  const method = (opts.method ?? (form.length || json !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`-X expects an HTTP method, got "${opts.method}"`);
  if (opts.slurp && !opts.paginate) throw new UsageError('--slurp goes with --paginate');
  if (opts.paginate && method !== 'GET') throw new UsageError(`--paginate is for GET requests (a ${method} would be repeated for every page)`);
  const creds = await ctx.credentials();
  const client = ctx.client(creds);
  const req = { method, path: String(path), query, form: form.length ? form : undefined, json, headers };
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
async function pages(ctx: Context, client: XClient, req: ApiRequest, opts: ApiOptions): Promise<void> {
  const { paginate } = await import('../../api/paginate.js');
  const all: string[] = [];
  let size = 0;
  for await (const page of paginate(client, req)) {
    if (opts.include) ctx.io.out(statusAndHeaders(page.response));
    if (!opts.slurp) {
      ctx.io.out(JSON.stringify(page.body));
      continue;
    }
    const text = JSON.stringify(page.body);
    size += text.length;
    if (size > MAX_SLURP_CHARS) throw new UsageError(`--slurp: the pages exceed ${MAX_SLURP_CHARS} characters; drop --slurp to stream them`);
    all.push(text);
  }
  if (opts.slurp) ctx.io.out(`[${all.join(',')}]`);
}
