import { isCredentialText, label, type ImportedCredentials, type ImportScan } from './imported-credentials.js';
import { parseYamlSubset, stringifyYamlSubset, type YamlMap, type YamlValue } from './mini-yaml.js';

/**
 * twurl's ~/.twurlrc (twurl's lib/twurl/rcfile.rb): YAML with
 *   profiles: { <screen name>: { <consumer key>: { username, consumer_key, consumer_secret, token, secret } } }
 *   configuration: { default_profile: [<screen name>, <consumer key>] }
 * and other sections (aliases, bearer_tokens) that are not OAuth 1.0a user credentials.
 */
export function readTwurlrc(text: string): ImportScan {
  const doc = parseYamlSubset(text);
  if (!isMap(doc) || !isMap(doc.profiles)) throw new TypeError('no "profiles" section: not a twurl configuration');
  const found: ImportedCredentials[] = [];
  const skipped: string[] = [];
  for (const [name, apps] of Object.entries(doc.profiles)) {
    if (!isMap(apps)) {
      skipped.push(`profile "${label(name)}": not a mapping`);
      continue;
    }
    for (const [consumerKey, p] of Object.entries(apps)) {
      const where = `profile "${label(name)}" (app ${label(consumerKey)})`;
      if (!isMap(p)) {
        skipped.push(`${where}: not a mapping`);
        continue;
      }
      const key = p.consumer_key ?? consumerKey;
      if (
        !isCredentialText(key) ||
        !isCredentialText(p.consumer_secret) ||
        !isCredentialText(p.token) ||
        !isCredentialText(p.secret)
      ) {
        skipped.push(`${where}: consumer_key, consumer_secret, token or secret missing or malformed`);
        continue;
      }
      const screenName = typeof p.username === 'string' ? p.username : name;
      found.push({
        screenName: /^[A-Za-z0-9_]{1,15}$/.test(screenName) ? screenName : undefined,
        consumerKey: key,
        consumerSecret: p.consumer_secret,
        accessToken: p.token,
        accessTokenSecret: p.secret,
        where: ['profiles', name, consumerKey],
      });
    }
  }
  return { found, skipped };
}

/**
 * The same file without the given profiles (and without a default_profile naming one of them):
 * what is left for twurl. Comments and layout are not kept; everything else is.
 */
export function twurlrcWithout(text: string, removed: readonly ImportedCredentials[]): string {
  const doc = parseYamlSubset(text) as YamlMap;
  const profiles = doc.profiles as YamlMap;
  for (const r of removed) {
    const [, name, key] = r.where as [string, string, string];
    const apps = profiles[name];
    if (!isMap(apps)) continue;
    delete apps[key];
    if (Object.keys(apps).length === 0) delete profiles[name];
  }
  const conf = doc.configuration;
  if (isMap(conf) && Array.isArray(conf.default_profile)) {
    const [name, key] = conf.default_profile as string[];
    const left = profiles[name ?? ''];
    if (!isMap(left) || !isMap(left[key ?? ''])) delete conf.default_profile;
  }
  return stringifyYamlSubset(doc);
}

function isMap(v: YamlValue | undefined): v is YamlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
