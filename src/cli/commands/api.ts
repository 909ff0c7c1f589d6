import { readFileSync } from 'node:fs';
import { XApiError } from '../../api/errors.js';
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
  const json = await jsonBody(opts.jsonBody);
  if (json !== undefined && form.length) throw new UsageError('use either -d (form) or --json-body, not both');
  const method = (opts.method ?? (form.length || json !== undefined ? 'POST' : 'GET')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`-X expects an HTTP method, got "${opts.method}"`);
  const creds = await ctx.credentials();
  const client = ctx.client(creds);
  try {
    const res = await client.request({ method, path: String(path), query, form: form.length ? form : undefined, json, headers });
    if (res.body !== '') ctx.io.out(res.body);
  } catch (err) {
    // Like `gh api`: X's own error body is the command's output; the explanation goes to stderr.
    if (err instanceof XApiError && err.rawBody !== '') ctx.io.out(err.rawBody);
    throw err;
  }
}
