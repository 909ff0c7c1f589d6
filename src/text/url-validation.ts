/**
 * Whether a whole string is a URL X would link (twitter-text `isValidUrl`):
 * RFC 3986 syntax (§3) restricted to http and https, with a host that is an
 * IPv4 address (each part 0–255), a bracketed IPv6 address, or a domain name
 * whose labels neither begin nor end with `-`. An underscore may appear in
 * subdomains but not in the registered name or the top-level domain, which is
 * letters only. With `unicodeDomains` (the default) a label may hold
 * non-ASCII letters (IDN); percent-encoding is never allowed in the host.
 * Path, query and fragment take RFC 3986 characters, and non-ASCII letters
 * (X links https://example.com/Русские_слова); a space or `"` ends a URL.
 */

export interface UrlValidationOptions {
  /** allow non-ASCII domain labels (default true) */
  unicodeDomains?: boolean;
  /** the scheme must be there (default true); without it, http(s) is assumed */
  requireProtocol?: boolean;
}

const UNRESERVED = 'A-Za-z0-9\\-._~';
const SUB_DELIMS = "!$&'()*+,;=";
const PCT = '%[0-9A-Fa-f]{2}';
const NON_ASCII = '\\u00A0-\\uFFFF'; // UTF-16 units, surrogates included: any non-ASCII character

function build(unicode: boolean): RegExp {
  const userinfo = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*`;
  const decOctet = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
  const ipv4 = `${decOctet}(?:\\.${decOctet}){3}`;
  const ipv6 = '\\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\\]';
  const letter = unicode ? `A-Za-z${NON_ASCII}` : 'A-Za-z';
  const alnum = `0-9${letter}`;
  const label = (extra: string) => `[${alnum}${extra}](?:[${alnum}${extra}-]*[${alnum}${extra}])?`;
  const subdomain = label('_');
  const domainLabel = label('');
  const tld = `[${letter}](?:[${alnum}-]*[${alnum}])?`;
  const domain = `(?:${subdomain}\\.)*${domainLabel}\\.${tld}`;
  const host = `(?:${ipv4}|${ipv6}|${domain})`;
  const pchar = `(?:[${UNRESERVED}${SUB_DELIMS}:@${NON_ASCII}]|${PCT})`;
  return new RegExp(
    `^(?:(https?):\\/\\/)?` + // 1 scheme
      `(?:${userinfo}@)?${host}(?::[0-9]*)?` +
      `(?:\\/${pchar}*)*` + // path
      `(?:\\?(?:${pchar}|[/?])*)?` + // query
      `(?:#(?:${pchar}|[/?])*)?$`,
    'i',
  );
}

const compiled = new Map<boolean, RegExp>();

export function isValidUrl(url: string, options: UrlValidationOptions = {}): boolean {
  const unicode = options.unicodeDomains ?? true;
  const requireProtocol = options.requireProtocol ?? true;
  let re = compiled.get(unicode);
  if (re === undefined) compiled.set(unicode, (re = build(unicode)));
  const m = re.exec(url);
  if (m === null) return false;
  return m[1] !== undefined || !requireProtocol;
}
