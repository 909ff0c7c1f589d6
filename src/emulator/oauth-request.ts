import { parseAuthorizationHeader } from './authorization-header.js';
import type { Param } from './url-encoded.js';

/** What a signed request says about itself (RFC 5849 §3.1). */
export interface OAuthRequestParts {
  /** The protocol parameters (oauth_*), each exactly once, decoded. */
  protocol: ReadonlyMap<string, string>;
  /** Every parameter entering the signature base string (§3.4.1.3.1). */
  signedParams: Param[];
}

export type OAuthExtraction = { ok: true; parts: OAuthRequestParts } | { ok: false; reason: string };

export interface OAuthSources {
  authorization: string | undefined;
  query: readonly Param[];
  /** Body parameters; only given for application/x-www-form-urlencoded bodies (§3.4.1.3.1). */
  form: readonly Param[];
}

/**
 * Collects the protocol parameters from the Authorization header (§3.5.1) or, without one, from
 * the form body (§3.5.2) and the query (§3.5.3), and the full parameter list of §3.4.1.3.1:
 * query + form body + header parameters, without "realm" (header only) and "oauth_signature".
 * MalformedEncodingError from the header propagates (the server answers 400).
 */
export function extractOAuthRequest(sources: OAuthSources): OAuthExtraction {
  const header = parseAuthorizationHeader(sources.authorization);
  if (header.kind === 'garbled') return { ok: false, reason: 'unreadable Authorization header' };
  const headerParams = header.kind === 'oauth' ? header.params.filter(([n]) => n !== 'realm') : [];
  const protocolSource =
    header.kind === 'oauth'
      ? headerParams
      : [...sources.form, ...sources.query].filter(([n]) => n.startsWith('oauth_'));

  const protocol = new Map<string, string>();
  for (const [name, value] of protocolSource) {
    // §3.5: each protocol parameter is sent once; two values would make the request ambiguous.
    if (protocol.has(name)) return { ok: false, reason: `duplicate ${name}` };
    protocol.set(name, value);
  }
  if (protocol.size === 0) return { ok: false, reason: 'no OAuth parameters' };

  const signedParams = [...sources.query, ...sources.form, ...headerParams].filter(([n]) => n !== 'oauth_signature');
  return { ok: true, parts: { protocol, signedParams } };
}
