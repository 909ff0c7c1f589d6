// Builds twauth: one esbuild bundle for the CLI (start-up time: one file to read instead of
// hundreds of modules; the optional and heavy modules — keytar, open, the prompts — stay
// external and are loaded only by the commands that use them), and tsc's output for the library
// entry point with its type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const external = ['keytar', 'open', '@inquirer/*', 'playwright-core'];
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outfile: 'dist/cli/main.cjs',
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
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
