/**
 * One entry point for the property-based tests of the pure parsers: each *.fuzz.ts registers its
 * describe() blocks on import. One file means one worker start-up instead of nine (the folder's
 * time is otherwise mostly module loading). The live-server properties are in callback-server.test.ts.
 * Run one target with -t, e.g. `npx vitest run test/fuzz -t parseErrorBody`.
 */
import './percent-encode.fuzz.js';
import './params.fuzz.js';
import './token-response.fuzz.js';
import './sign.fuzz.js';
import './verifier-input.fuzz.js';
import './error-body.fuzz.js';
import './rate-limit.fuzz.js';
import './config.fuzz.js';
import './cli-input.fuzz.js';
import './import-files.fuzz.js';
