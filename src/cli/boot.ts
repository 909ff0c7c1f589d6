// The CLI's entry (bin/twauth): the compile cache first, so that it sees every bundle compiled.
import { installCompileCache } from './compile-cache.js';

installCompileCache(__dirname);
void import('./main.js');
