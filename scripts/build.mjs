// Builds twauth: one esbuild bundle for the CLI (start-up time: one file to read instead of
// hundreds of modules; heavy optional modules stay external and are imported only by the commands
// that use them), and tsc's output for the library entry point with its type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const external = ['keytar', 'open', '@inquirer/*', 'playwright-core'];
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  minifySyntax: true,
  legalComments: 'none',
  define: { __TWAUTH_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
  // CommonJS dependencies (commander, undici, oauth-1.0a) call require() for Node built-ins.
  banner: { js: "import { createRequire as __twauthRequire } from 'node:module'; const require = __twauthRequire(import.meta.url);" },
});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
