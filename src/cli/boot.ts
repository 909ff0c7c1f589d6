// The CLI's entry (bin/twauth): the compile cache first, so that it sees every bundle compiled.
import { installCompileCache } from './compile-cache.js';

// The bundles' import() of ES-module-only packages (see scripts/build.mjs) comes here: this file
// is compiled by Node's own loader, so its import() works whether the bundles came from the
// compile cache or not; it resolves from dist/cli, as theirs would.
(globalThis as { [key: symbol]: unknown })[Symbol.for('twauth.import')] = (specifier: string) => import(specifier);
installCompileCache(__dirname);
void import('./main.js');
