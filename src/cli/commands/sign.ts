import { resolveUrl } from '../../api/client.js';
import { formatUrlEncoded } from '../../oauth1/index.js';
import type { Context } from '../context.js';
import { parseKeyValue } from '../kv-args.js';
import { shellQuote } from '../shell-quote.js';
import { UsageError } from '../usage-error.js';

export async function run(ctx: Context, [method, target]: unknown[], opts: { data?: string[]; curl?: boolean }): Promise<void> {
  const m = String(method).toUpperCase();
  if (!/^[A-Z]+$/.test(m)) throw new UsageError(`expected an HTTP method such as GET or POST, got "${String(method)}"`);
  const form = (opts.data ?? []).map((d) => parseKeyValue(d, '-d'));
  const creds = await ctx.credentials();
  const client = ctx.client(creds);
  const url = resolveUrl(creds.apiBase, String(target));
  const authorization = client.sign(m, url, { form });
  if (!opts.curl) return ctx.io.out(authorization);
  const parts = ['curl', '-sS', '-X', m, '-H', shellQuote(`Authorization: ${authorization}`)];
  if (form.length) parts.push('-H', shellQuote('Content-Type: application/x-www-form-urlencoded'), '--data-raw', shellQuote(formatUrlEncoded(form)));
  parts.push(shellQuote(url.href));
  ctx.io.out(parts.join(' '));
}
