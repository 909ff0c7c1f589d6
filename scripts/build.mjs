// Builds twauth: one esbuild bundle for the CLI (start-up time: one file to read instead of
// hundreds of modules; the optional and heavy modules — keytar, open, the prompts — stay
// external and are loaded only by the commands that use them), and tsc's output for the library
// entry point with its type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';

const external = ['keytar', 'open', '@inquirer/*', 'playwright-core'];
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

mkdirSync('dist/cli', { recursive: true });
await build({
  entryPoints: { main: 'src/cli/main.ts' },
  // Written beside the old bundle and renamed over it: a CLI running meanwhile never sees half a file.
  outfile: `dist/cli/main.cjs.${process.pid}.tmp`,
  bundle: true,
  // CommonJS: Node 20 loads one CommonJS file faster than ES modules, and esbuild turns each
  // command's dynamic import() into a lazily evaluated require of code in the same file.
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external,
  minifySyntax: true,
  legalComments: 'none',
  define: { __TWAUTH_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
});
renameSync(`dist/cli/main.cjs.${process.pid}.tmp`, 'dist/cli/main.cjs');
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
