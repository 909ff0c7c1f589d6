import { UsageError } from './usage-error.js';

export interface TokenInput {
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly accessToken: string;
  readonly accessTokenSecret: string;
  readonly apiBase?: string | undefined;
}

/** Undoes shellQuote for the `export NAME='value'` lines `twauth token --env` prints. */
function unquote(value: string): string {
  const v = value.trim();
  if (!v.startsWith("'")) return v.replace(/^"(.*)"$/, '$1');
  let out = '';
  const re = /'([^']*)'|\\'/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(v))) out += m[1] ?? "'";
  return out;
}

/**
 * Reads the output of `twauth token --json` or `--env` (what `twauth login --with-token`
 * accepts). Never echoes values in errors: they are secrets.
 */
export function parseTokenInput(text: string): TokenInput {
  let fields: Record<string, string> = {};
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let o: unknown;
    try {
      o = JSON.parse(trimmed);
    } catch {
      throw new UsageError(
        'standard input looks like JSON but does not parse; expected the output of twauth token --json',
      );
    }
    if (typeof o !== 'object' || o === null) throw new UsageError('expected a JSON object from twauth token --json');
    fields = Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  } else {
    for (const line of trimmed.split(/\r?\n/)) {
      const m = /^\s*(?:export\s+)?TWAUTH_([A-Z_]+)=(.*)$/.exec(line);
      if (m) fields[m[1]!.toLowerCase()] = unquote(m[2]!);
    }
  }
  const need = ['consumer_key', 'consumer_secret', 'access_token', 'access_token_secret'];
  const missing = need.filter((k) => !fields[k]);
  if (missing.length)
    throw new UsageError(
      `standard input lacks ${missing.join(', ')}; pipe in the output of twauth token --json or --env`,
    );
  return {
    consumerKey: fields.consumer_key!,
    consumerSecret: fields.consumer_secret!,
    accessToken: fields.access_token!,
    accessTokenSecret: fields.access_token_secret!,
    apiBase: fields.api_base || undefined,
  };
}
