import type { Param } from '../oauth1/index.js';
import { UsageError } from './usage-error.js';

/** `-d key=value` / `-q key=value`: split at the first "="; the value may be empty or contain "=". */
export function parseKeyValue(arg: string, flag: string): Param {
  const eq = arg.indexOf('=');
  if (eq <= 0)
    throw new UsageError(`${flag} expects key=value (got "${arg.length > 60 ? arg.slice(0, 57) + '...' : arg}")`);
  return [arg.slice(0, eq), arg.slice(eq + 1)];
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // RFC 9110 §5.6.2 field-name

/** `-H name:value`: a valid header name, and no line breaks (header injection) in the value. */
export function parseHeader(arg: string): [string, string] {
  const colon = arg.indexOf(':');
  const name = colon === -1 ? '' : arg.slice(0, colon).trim();
  const value = colon === -1 ? '' : arg.slice(colon + 1).trim();
  if (!TOKEN.test(name))
    throw new UsageError(
      `-H expects name:value with a valid header name (got "${arg.length > 60 ? arg.slice(0, 57) + '...' : arg}")`,
    );
  if (/[\r\n\0]/.test(value)) throw new UsageError(`-H ${name}: the value may not contain line breaks or NUL`);
  // RFC 9110 §5.5: a field value is visible ASCII, space, tab and obs-text (bytes 0x80-0xFF, which
  // HTTP libraries send as Latin-1); anything else cannot be sent as it is.
  const bad = /[^\t\x20-\x7e\x80-\xff]/u.exec(value);
  if (bad) {
    const cp = bad[0].codePointAt(0)!;
    throw new UsageError(
      `-H ${name}: the value has a character that cannot be sent in an HTTP header (U+${cp.toString(16).toUpperCase().padStart(4, '0')}); percent-encode it (RFC 8187) or send it in the body; nothing was sent`,
    );
  }
  if (name.toLowerCase() === 'authorization')
    throw new UsageError('-H Authorization would replace twauth\'s signature; use curl with "twauth sign" for that');
  return [name, value];
}
