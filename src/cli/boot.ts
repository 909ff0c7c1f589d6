// The CLI's entry (bin/twauth): Node's compile cache first, so that it sees every bundle compiled.
import { rerunWithoutNodeCompileCache, startCompileCache } from './node-compile-cache.js';

const cache = startCompileCache();
if (cache.kind === 'refused' && process.argv.includes('--verbose')) {
  process.stderr.write(`twauth: note: no compile cache: ${cache.dir} (from ${cache.from}) ${cache.why}\n`);
}
if (cache.kind === 'refused' && cache.from === 'NODE_COMPILE_CACHE') rerunWithoutNodeCompileCache();
else void import('./main.js');
