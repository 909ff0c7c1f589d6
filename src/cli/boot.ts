// The CLI's entry (bin/twauth): Node's compile cache first, so that it sees every bundle compiled.
import { writeSync } from 'node:fs';
import { rerunWithoutNodeCompileCache, startCompileCache } from './node-compile-cache.js';
import { VERSION } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Exactly what commander prints for these (src/cli/program.ts), without loading the command
  // line: scripts call `twauth --version` to check the installation, and it was most of its cost.
  try {
    writeSync(1, `${VERSION}\n`);
  } catch {
    // stdout closed (EPIPE): as commander's write, nothing to report
  }
} else {
  const cache = startCompileCache();
  if (cache.kind === 'refused' && args.includes('--verbose')) {
    process.stderr.write(`twauth: note: no compile cache: ${cache.dir} (from ${cache.from}) ${cache.why}\n`);
  }
  if (cache.kind === 'refused' && cache.from === 'NODE_COMPILE_CACHE') void rerunWithoutNodeCompileCache();
  else void import('./main.js');
}
