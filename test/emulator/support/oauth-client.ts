// A deliberately small OAuth 1.0a client for the emulator tests, written separately from the
// emulator's verifier (and from src/oauth1) so the two check each other. RFC 5849 §3.4.
import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';

export interface Consumer {
  key: string;
  secret: string;
}
export interface Token {
  token: string;
  secret: string;
}
export type Pair = [string, string];

export const SANDBOX_CONSUMER: Consumer = { key: 'sandbox-consumer-key', secret: 'sandbox-consumer-secret' };

/** §3.6, byte by byte: unreserved characters stay, every other UTF-8 byte becomes %XX. */
export function enc(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function formEncode(pairs: readonly Pair[]): string {
  return pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

export interface SignInput {
  method: string;
  /** Absolute URL; its query is signed. */
  url: string;
  consumer: Consumer;
  token?: Token;
  form?: readonly Pair[];
  oauth?: Record<string, string>;
  timestamp?: number;
  nonce?: string;
  /** null: omit oauth_version. */
  version?: string | null;
  signatureMethod?: string;
}

export interface Signed {
  /** Protocol parameters including oauth_signature. */
  oauth: Pair[];
  baseString: string;
  signature: string;
  header: string;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function freshNonce(): string {
  return randomBytes(12).toString('hex');
}

export function sign(input: SignInput): Signed {
  const url = new URL(input.url);
  const oauth: Pair[] = [
    ['oauth_consumer_key', input.consumer.key],
    ['oauth_nonce', input.nonce ?? freshNonce()],
    ['oauth_signature_method', input.signatureMethod ?? 'HMAC-SHA1'],
    ['oauth_timestamp', String(input.timestamp ?? nowSeconds())],
  ];
  if (input.token) oauth.push(['oauth_token', input.token.token]);
  if (input.version !== null) oauth.push(['oauth_version', input.version ?? '1.0']);
  for (const [k, v] of Object.entries(input.oauth ?? {})) oauth.push([k, v]);

  const all: Pair[] = [...url.searchParams.entries(), ...(input.form ?? []), ...oauth];
  const normalized = all
    .map(([k, v]) => [enc(k), enc(v)] as Pair)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const baseUri = `${url.protocol}//${url.host.toLowerCase()}${url.pathname}`;
  const baseString = `${input.method.toUpperCase()}&${enc(baseUri)}&${enc(normalized)}`;
  const key = `${enc(input.consumer.secret)}&${enc(input.token?.secret ?? '')}`;
  const signature = createHmac('sha1', key).update(baseString).digest('base64');
  const withSig: Pair[] = [...oauth, ['oauth_signature', signature]];
  const header = `OAuth ${withSig.map(([k, v]) => `${enc(k)}="${enc(v)}"`).join(', ')}`;
  return { oauth: withSig, baseString, signature, header };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = any>(): T;
}

export interface RawRequest {
  method?: string;
  /** Request-target, e.g. '/2/users/me?x=1'. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One request over node:http to the emulator's port. */
export function raw(port: number, r: RawRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: r.method ?? 'GET',
        path: r.path,
        headers: {
          ...(body && !r.headers?.['transfer-encoding'] ? { 'content-length': String(body.length) } : {}),
          ...r.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface CallOptions {
  method?: string;
  /** Path, optionally with a query string (signed). */
  path: string;
  consumer?: Consumer;
  token?: Token;
  form?: Pair[];
  json?: unknown;
  /** A body sent as is (not signed). */
  rawBody?: string;
  contentType?: string;
  oauth?: Record<string, string>;
  timestamp?: number;
  nonce?: string;
  version?: string | null;
  signatureMethod?: string;
  /** Where the protocol parameters travel (§3.5). */
  placement?: 'header' | 'query' | 'form';
  /** The Host header actually sent (default 127.0.0.1:port). */
  host?: string;
  /** Sign something other than what is sent. */
  signAs?: {
    method?: string;
    host?: string;
    path?: string;
    consumerSecret?: string;
    tokenSecret?: string;
    form?: Pair[];
  };
  headers?: Record<string, string>;
}

/** Signs and sends a request to the emulator. */
export function call(port: number, o: CallOptions): Promise<Answer> {
  const method = o.method ?? 'GET';
  const consumer = o.consumer ?? SANDBOX_CONSUMER;
  const host = o.host ?? `127.0.0.1:${port}`;
  const signedPath = o.signAs?.path ?? o.path;
  const signed = sign({
    method: o.signAs?.method ?? method,
    url: `http://${o.signAs?.host ?? host}${signedPath}`,
    consumer: { key: consumer.key, secret: o.signAs?.consumerSecret ?? consumer.secret },
    ...(o.token ? { token: { token: o.token.token, secret: o.signAs?.tokenSecret ?? o.token.secret } } : {}),
    ...((o.signAs?.form ?? o.form) ? { form: o.signAs?.form ?? o.form } : {}),
    ...(o.oauth ? { oauth: o.oauth } : {}),
    ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}),
    ...(o.nonce !== undefined ? { nonce: o.nonce } : {}),
    ...(o.version !== undefined ? { version: o.version } : {}),
    ...(o.signatureMethod !== undefined ? { signatureMethod: o.signatureMethod } : {}),
  });
  const placement = o.placement ?? 'header';
  const headers: Record<string, string> = { host, ...o.headers };
  let path = o.path;
  let form = o.form;
  if (placement === 'header') headers.authorization ??= signed.header;
  else if (placement === 'query') path += (path.includes('?') ? '&' : '?') + formEncode(signed.oauth);
  else form = [...(form ?? []), ...signed.oauth];

  let body: string | undefined;
  if (form) {
    body = formEncode(form);
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['content-type'] ??= 'application/json';
  } else if (o.rawBody !== undefined) {
    body = o.rawBody;
  }
  if (o.contentType) headers['content-type'] = o.contentType;
  return raw(port, { method, path, headers, ...(body !== undefined ? { body } : {}) });
}

/** Parses a form-encoded answer (request_token, access_token). */
export function parseTokenAnswer(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}
