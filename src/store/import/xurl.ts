import { isCredentialText, label, type ImportedCredentials, type ImportScan } from './imported-credentials.js';
import { parseYamlSubset, stringifyYamlSubset, type YamlMap, type YamlValue } from './mini-yaml.js';

/**
 * xurl's ~/.xurl (xdevplatform/xurl, store/tokens.go). Current versions write YAML:
 *   apps: { <name>: { client_id, client_secret, oauth1_token: { type: oauth1, oauth1: {
 *     access_token, token_secret, consumer_key, consumer_secret } }, oauth2_tokens, bearer_token } }
 *   default_app: <name>
 * Older versions wrote JSON with one top-level "oauth1_tokens" of the same shape. Only the
 * OAuth 1.0a entries are twauth's business; OAuth 2.0 and bearer tokens stay where they are.
 */
export function readXurl(text: string): ImportScan {
  const doc = parseDoc(text);
  const found: ImportedCredentials[] = [];
  const skipped: string[] = [];
  const take = (token: YamlValue | undefined, where: string[], name: string) => {
    if (token === undefined || token === null) return;
    const o = isMap(token) ? token.oauth1 : undefined;
    if (
      !isMap(o) ||
      !isCredentialText(o.access_token) ||
      !isCredentialText(o.token_secret) ||
      !isCredentialText(o.consumer_key) ||
      !isCredentialText(o.consumer_secret)
    ) {
      skipped.push(`${name}: its OAuth 1.0a entry lacks access_token, token_secret, consumer_key or consumer_secret`);
      return;
    }
    found.push({
      consumerKey: o.consumer_key,
      consumerSecret: o.consumer_secret,
      accessToken: o.access_token,
      accessTokenSecret: o.token_secret,
      where,
    });
  };
  if (isMap(doc.apps)) {
    for (const [name, app] of Object.entries(doc.apps))
      if (isMap(app)) take(app.oauth1_token, ['apps', name, 'oauth1_token'], `app "${label(name)}"`);
  } else if ('oauth1_tokens' in doc) {
    take(doc.oauth1_tokens, ['oauth1_tokens'], 'the file');
  } else if (!('oauth2_tokens' in doc) && !('bearer_token' in doc) && !('default_app' in doc)) {
    throw new TypeError('neither "apps" nor "oauth1_tokens": not an xurl token file');
  }
  return { found, skipped };
}

/** The file without the given OAuth 1.0a entries, in the format it came in (YAML or legacy JSON). */
export function xurlWithout(text: string, removed: readonly ImportedCredentials[]): string {
  const doc = parseDoc(text);
  for (const r of removed) {
    if (r.where.length === 1) delete doc[r.where[0]!];
    else {
      const app = (doc.apps as YamlMap)[r.where[1]!];
      if (isMap(app)) delete app[r.where[2]!];
    }
  }
  return isJson(text) ? JSON.stringify(doc, null, 2) + '\n' : stringifyYamlSubset(doc);
}

function isJson(text: string): boolean {
  return text.trimStart().startsWith('{');
}

function parseDoc(text: string): YamlMap {
  let doc: unknown;
  if (isJson(text)) {
    if (text.length > 1024 * 1024) throw new TypeError('larger than 1 MiB');
    try {
      doc = JSON.parse(text);
    } catch {
      throw new TypeError('not valid JSON');
    }
  } else doc = parseYamlSubset(text);
  if (!isMap(doc as YamlValue)) throw new TypeError('not a mapping: not an xurl token file');
  return doc as YamlMap;
}

function isMap(v: YamlValue | undefined): v is YamlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
