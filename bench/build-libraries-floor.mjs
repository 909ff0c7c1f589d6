// Builds the libraries floor (bench/libraries-floor.mjs) into a folder, with twauth's own bundling
// of undici and commander (scripts/bundle-plugin.mjs): DIR/libraries-floor.cjs, which turns on
// Node's compile cache as twauth's boot does and loads DIR/bundle.cjs; undici's .wasm files beside.
// usage: node bench/build-libraries-floor.mjs DIR
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireBuiltins, siblings, writeLlhttpWasm } from '../scripts/bundle-plugin.mjs';

const [dir] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node bench/build-libraries-floor.mjs DIR');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** floor.cjs's node:http is undici here; nothing else of the floor changes. */
const httpOnUndici = {
  name: 'http-on-undici',
  setup(b) {
    b.onResolve({ filter: /^node:http$/ }, (args) =>
      args.importer === here('floor.cjs') ? { path: here('undici-as-http.mjs') } : undefined,
    );
  },
};

const result = await build({
  entryPoints: [here('libraries-floor.mjs')],
  write: false,
  outfile: join(dir, 'bundle.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [httpOnUndici, siblings({})],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(join(dir, 'bundle.cjs'), requireBuiltins(result.outputFiles[0].text));
writeLlhttpWasm(dir);
writeFileSync(
  join(dir, 'libraries-floor.cjs'),
  `'use strict';
// Node's compile cache (Node >= 22.1), in the folder twauth's would be in, as twauth's boot turns it on.
const { enableCompileCache } = require('node:module');
const cache = process.env.XDG_CACHE_HOME;
if (enableCompileCache && cache) enableCompileCache(require('node:path').join(cache, 'twauth-libraries-floor'));
require('./bundle.cjs');
`,
);
