import { resolveUrl } from '../../api/client.js';
import { parseAllowedHost } from '../../api/request-target.js';
import { formatUrlEncoded } from '../../oauth1/index.js';
import type { Context } from '../context.js';
import { parseKeyValue } from '../kv-args.js';
import { shellQuote } from '../shell-quote.js';
import { UsageError } from '../usage-error.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'sign',
  topic: 'request',
  description: 'print the Authorization header for a request, without sending it',
  args: {
    method: { required: true, description: 'HTTP method' },
    url: { required: true, description: 'the full URL, query included' },
  },
  options: {
    data: {
      flags: '-d, --data <key=value>',
      type: 'list',
      description: 'form field that will be sent (signed); repeatable',
    },
    curl: { flags: '--curl', type: 'boolean', description: 'print a ready curl command line instead' },
    allowHost: {
      flags: '--allow-host <host>',
      type: 'list',
      description: "sign for this host although it is not the API base's (never http: off this machine); repeatable",
    },
  },
  examples: [
    'curl -H "Authorization: $(twauth sign GET https://api.x.com/2/users/me)" \\\n      https://api.x.com/2/users/me',
    'twauth sign --curl GET https://api.x.com/2/users/me | sh',
    'twauth sign POST https://api.x.com/1.1/statuses/update.json \\\n      -d status=hello',
  ],
  json: '{"authorization", "method", "url"}; with --curl also "curl" (the command line)',
});

export async function run(ctx: Context, opts: Values<typeof spec>): Promise<void> {
  const { method, url: target } = opts;
  const m = method.toUpperCase();
  if (!/^[A-Z]+$/.test(m)) throw new UsageError(`expected an HTTP method such as GET or POST, got "${method}"`);
  const form = opts.data.map((d) => parseKeyValue(d, '-d'));
  const allowHosts = opts.allowHost.map(parseAllowedHost);
  const creds = await ctx.credentials();
  const client = ctx.client(creds, { allowHosts });
  const url = resolveUrl(creds.apiBase, target);
  const authorization = client.sign(m, url, { form });
  const json = ctx.settings.json ? { authorization, method: m, url: url.href } : undefined;
  if (!opts.curl) return ctx.io.out(json ? JSON.stringify(json) : authorization);
  const parts = ['curl', '-sS', '-X', m, '-H', shellQuote(`Authorization: ${authorization}`)];
  if (form.length)
    parts.push(
      '-H',
      shellQuote('Content-Type: application/x-www-form-urlencoded'),
      '--data-raw',
      shellQuote(formatUrlEncoded(form)),
    );
  parts.push(shellQuote(url.href));
  ctx.io.out(json ? JSON.stringify({ ...json, curl: parts.join(' ') }) : parts.join(' '));
}
