import type { OptionSpec } from './command-spec.js';

/**
 * Options every command takes (README "Global options"), declared like a command's own
 * (command-spec.ts); settings.ts turns their values into Settings.
 */
export const GLOBAL_OPTIONS = {
  apiBase: {
    flags: '--api-base <url>',
    type: 'string',
    description: 'API base URL (env TWAUTH_API_BASE; default https://api.x.com)',
  },
  account: {
    flags: '--account <name|id>',
    type: 'string',
    description: 'act as this stored account (env TWAUTH_ACCOUNT)',
  },
  json: { flags: '--json', type: 'boolean', description: 'machine-readable output on stdout' },
  verbose: { flags: '--verbose', type: 'boolean', description: 'trace requests on stderr (secrets redacted)' },
  timeout: {
    flags: '--timeout <sec>',
    type: 'string',
    description: 'longest wait: for X on requests (30), for the person on login (300)',
  },
  wait: {
    flags: '--wait',
    type: 'boolean',
    description: 'when rate limited, sleep until the limit resets and retry (safe requests only)',
  },
} as const satisfies { readonly [name: string]: OptionSpec };

/** The flags an option declaration spells ("-d, --data <v>" → ["-d", "--data"]), long first. */
export function optionFlags(flags: string): string[] {
  const words = flags
    .replace(/[<[].*$/, '')
    .split(/[ ,]+/)
    .filter((w) => w.startsWith('-'));
  return [...words.filter((w) => w.startsWith('--')), ...words.filter((w) => !w.startsWith('--'))];
}

/** Whether the option takes a value (the word after it is not a command). */
export function takesValue(flags: string): boolean {
  return /[<[]/.test(flags);
}
