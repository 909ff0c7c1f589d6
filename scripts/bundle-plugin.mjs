// How twauth's bundles take undici and commander (scripts/build.mjs; also bench/libraries-floor:
// the same libraries, bundled the same way, as a yardstick): only the parts a command runs, and
// undici's HTTP parser as .wasm files beside the bundle.
import { renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
// undici's HTTP parser is WebAssembly shipped as base64 in a 72 KB JavaScript file; the bundles
// read the bytes from a .wasm file beside them instead (~2 ms less per request: no 72 KB of
// source to scan and decode). Copied from the same undici the bundles contain.
const UNDICI_CORE = join(dirname(require.resolve('undici/package.json')), 'lib', 'core');
const LLHTTP = { 'llhttp_simd-wasm.js': 'llhttp_simd.wasm', 'llhttp-wasm.js': 'llhttp.wasm' };

const STUBS = {
  'client-h2': "module.exports = function connectH2() { throw new Error('twauth: HTTP/2 is not enabled'); };",
  assert: `function assert(value, message) {
  if (value) return;
  if (message instanceof Error) throw message;
  const err = new Error(typeof message === 'string' ? message : 'assertion failed');
  err.code = 'ERR_ASSERTION';
  throw err;
}
module.exports = Object.assign(assert, { ok: assert });`,
  tree: `const { headerNameLowerCasedRecord } = require('./constants');
// What undici's tree.lookup(buffer) answers: the interned lower-case name of a well-known header
// (matched without regard to case), else null.
const tree = { lookup: (key) => headerNameLowerCasedRecord[Buffer.from(key).toString('latin1').toLowerCase()] ?? null };
module.exports = { tree };`,
  child_process:
    "let m; module.exports = new Proxy({}, { get: (_, key) => (m ??= require('node:child_process'))[key] });",
};

/** Sends imports of another bundle's entry to that bundle's file. */
export function siblings(map) {
  return {
    name: 'siblings',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        for (const [suffix, file] of Object.entries(map)) {
          if (args.path.endsWith(suffix) && args.importer) return { path: `./${file}`, external: true };
        }
        // The whole undici package is needed only behind a proxy (src/api/http-transport.ts).
        if (args.path === 'undici' && args.kind === 'dynamic-import') return { path: 'undici', external: true };
        // Parts of undici a string-bodied HTTP/1.1 request never runs, kept out of every start:
        // the fetch body machinery (FormData/Blob bodies; required lazily) stays in node_modules,
        // and HTTP/2 (never negotiated: allowH2 is off) is replaced by a stub, which also spares
        // loading node:http2.
        if (args.importer.includes('/undici/') && args.path.endsWith('/web/fetch/body.js'))
          return { path: 'undici/lib/web/fetch/body.js', external: true };
        if (args.importer.includes('/undici/') && args.path === './client-h2.js')
          return { path: 'client-h2', namespace: 'twauth-stub' };
        // undici interns well-known header names through a ternary search tree it builds from
        // ~100 names at load time (~4 ms of every network command, Node 24 profile); the same
        // answers from the plain lookup table undici already has.
        if (args.importer.includes('/undici/lib/core/') && args.path === './tree')
          return { path: 'tree', namespace: 'twauth-stub' };
        // undici's invariant checks are all plain assert(value): a two-line function instead of
        // node:assert (~3 ms of start-up for every network command).
        if (args.importer.includes('/undici/') && (args.path === 'node:assert' || args.path === 'assert'))
          return { path: 'assert', namespace: 'twauth-stub' };
        // commander spawns only for executable subcommands, which twauth has none of: load
        // node:child_process (and node:net with it, ~4 ms) on first use, not at every start.
        if (args.importer.includes('/commander/') && args.path === 'node:child_process')
          return { path: 'child_process', namespace: 'twauth-stub' };
        // undici requires its parser by a relative path; keep it a package path for node_modules.
        const wasm = /\/llhttp\/(llhttp(?:_simd)?-wasm\.js)$/.exec(args.path);
        if (wasm && args.importer.includes('/undici/'))
          return { path: `llhttp:${LLHTTP[wasm[1]]}`, namespace: 'twauth-stub' };
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'twauth-stub' }, (args) => ({
        contents: args.path.startsWith('llhttp:')
          ? `module.exports = require('node:fs').readFileSync(require('node:path').join(__dirname, ${JSON.stringify(args.path.slice(7))}));`
          : STUBS[args.path],
        loader: 'js',
        // the tree stub requires undici's own constants, beside the file it replaces
        resolveDir: args.path === 'tree' ? UNDICI_CORE : undefined,
      }));
    },
  };
}

/** Writes undici's llhttp parsers as the .wasm files the bundles read, into `dir`. */
export function writeLlhttpWasm(dir) {
  for (const [js, wasm] of Object.entries(LLHTTP)) {
    writeFileSync(join(dir, `${wasm}.tmp`), require(`undici/lib/llhttp/${js}`));
    renameSync(join(dir, `${wasm}.tmp`), join(dir, wasm));
  }
}

/**
 * A bundle's import() of a built-in module, loaded on first use, as a require: in a CommonJS
 * bundle import() would start the ES module loader for it.
 */
export function requireBuiltins(code) {
  return code.replace(/\bimport\("(node:[a-z0-9_/]+)"\)/g, 'Promise.resolve().then(() => require("$1"))');
}
