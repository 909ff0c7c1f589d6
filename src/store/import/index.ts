export type { ImportedCredentials, ImportScan } from './imported-credentials.js';
export { parseYamlSubset, stringifyYamlSubset, YamlSubsetError, YAML_LIMITS, type YamlValue } from './mini-yaml.js';
export { readTwurlrc, twurlrcWithout } from './twurlrc.js';
export { readXurl, xurlWithout } from './xurl.js';
