import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import type { AnyToken, ConsumerCredentials } from './credentials.js';
import { OAuthInputError } from './errors.js';
import { baseStringUri } from './base-url.js';
import { parseUrlEncoded, type Param } from './params.js';
import { percentEncode } from './percent-encode.js';

// oauth-1.0a (the package twauth signs with) computes the base string (§3.4.1) and the signature
// with the hash function we give it. Its own URL and parameter handling is wrong in several ways
// (README: "The signer"), so only normalised inputs ever reach it (see prepareParameters).
type OAuthData = Record<string, string | string[]>;

export interface SignInput {
  readonly method: string;
  /** Absolute URL; its query enters the signature (§3.4.1.3.1). */
  readonly url: string | URL;
  readonly consumer: ConsumerCredentials;
  readonly token?: AnyToken | undefined;
  /**
   * Parameters of an application/x-www-form-urlencoded body, decoded. Only such bodies are
   * signed (§3.4.1.3.1); a JSON body (X's POST /2/tweets) is never passed here.
   */
  readonly form?: readonly Param[] | undefined;
  /** Protocol parameters beyond the standard ones: oauth_callback, oauth_verifier. */
  readonly extra?: Readonly<Record<`oauth_${string}`, string>> | undefined;
  /** Seconds since the epoch, from the caller's (possibly offset-corrected) clock. */
  readonly timestamp: number;
  readonly nonce: string;
  /** RFC 5849 makes oauth_version optional; X's examples send "1.0". null omits it. */
  readonly version?: '1.0' | null;
}

export interface SignedRequest {
  /** The value of the Authorization header: `OAuth oauth_consumer_key="…", …`. */
  readonly authorization: string;
  readonly baseString: string;
  readonly signature: string;
}

function oauthFor(consumer: ConsumerCredentials): OAuth {
  return new OAuth({ consumer, signature_method: 'HMAC-SHA1', hash_function: hmacSha1 });
}

function hmacSha1(baseString: string, key: string): string {
  return createHmac('sha1', key).update(baseString).digest('base64');
}

/** Signs a request with HMAC-SHA1 (RFC 5849 §3.4.2) and builds its Authorization header (§3.5.1). */
export function signRequest(input: SignInput): SignedRequest {
  // baseStringUri first: it refuses a non-URL with OAuthInputError('bad-url'), not new URL's TypeError.
  const baseUri = baseStringUri(input.url);
  const url = new URL(String(input.url));
  const oauth: Record<string, string> = {
    oauth_consumer_key: input.consumer.key,
    oauth_nonce: input.nonce,
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.trunc(input.timestamp)),
    ...(input.token ? { oauth_token: input.token.token } : {}),
    ...(input.version === null ? {} : { oauth_version: '1.0' }),
    ...input.extra,
  };
  const request = {
    method: baseStringMethod(input.method),
    url: baseUri,
    data: prepareParameters([...parseUrlEncoded(url.search), ...(input.form ?? [])]),
  };
  // §3.4.1.3.1: a request parameter sharing a protocol parameter's name is signed alongside it;
  // oauth-1.0a's merge would let it replace the protocol value (e.g. ?oauth_nonce= unsigning the nonce).
  for (const [name, value] of Object.entries(oauth)) {
    const prior = Object.hasOwn(request.data, name) ? request.data[name] : undefined;
    if (prior !== undefined) request.data[name] = [value, ...(Array.isArray(prior) ? prior : [prior])];
  }
  // Validate every string with our encoder first: oauth-1.0a's would throw a bare URIError.
  percentEncode(input.consumer.secret);
  percentEncode(input.token?.secret ?? '');
  for (const text of [...Object.entries(oauth), ...(input.form ?? [])].flat()) percentEncode(text);
  const o = oauthFor(input.consumer);
  // oauth-1.0a merges request.data into the object it is given: hand it throwaway copies.
  const baseString = o.getBaseString(request, { ...oauth } as unknown as OAuth.Data);
  const signature = o.getSignature(request, input.token?.secret ?? '', { ...oauth } as unknown as OAuth.Data);
  const header = Object.entries({ ...oauth, oauth_signature: signature })
    .map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`)
    .join(', ');
  return { authorization: `OAuth ${header}`, baseString, signature };
}

// RFC 9110 §5.6.2 token: what an HTTP method may be.
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * §3.4.1.1: the method in uppercase, and a custom method "MUST be encoded (Section 3.6)":
 * percent-encoded, so a token character outside the unreserved set (e.g. "!") enters the base
 * string as %XX. The standard methods are letters only and stay as they are. (oauth-1.0a
 * upper-cases what it is given, which leaves an encoded method unchanged: hex digits are upper case.)
 */
export function baseStringMethod(method: string): string {
  if (!METHOD_TOKEN.test(method))
    throw new OAuthInputError('bad-method', 'the HTTP method is not a token (RFC 9110 §5.6.2) and cannot be signed');
  return percentEncode(method.toUpperCase());
}

/**
 * Reshapes decoded pairs for oauth-1.0a: repeated names become arrays (it would otherwise keep
 * only the last value of a name found in both query and body, losing §3.4.1.1's "a3"), and a
 * name that would be an object's prototype setter is refused rather than silently dropped.
 * Every name starting with "oauth_" is a protocol parameter (§3.4.1.3.1 excludes oauth_signature).
 */
function prepareParameters(params: readonly Param[]): OAuthData {
  const data: OAuthData = {};
  for (const [name, value] of params) {
    if (name === '__proto__')
      throw new OAuthInputError('reserved-name', 'a parameter named "__proto__" cannot be signed');
    if (name === 'oauth_signature') continue;
    const prior = Object.hasOwn(data, name) ? data[name] : undefined;
    if (prior === undefined) data[name] = value;
    else data[name] = Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return data;
}
