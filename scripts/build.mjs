// Builds twauth.
//
// The CLI is four CommonJS bundles (Node 20 loads CommonJS faster than ES modules, and reading
// and compiling source is most of a short command's cost — README "Performance"):
//   dist/cli/boot.cjs      bin/twauth's entry: Node's compile cache (src/cli/node-compile-cache.ts);
//   dist/cli/main.cjs      the command line (commander, options, help): all `--version` reads;
//   dist/cli/dispatch.cjs  the commands, the API client, the stores — loaded when a command runs;
//   dist/cli/emulator.cjs  the X emulator — loaded only by `twauth sandbox`.
// Optional or heavy modules stay in node_modules and load on first use: keytar, open, the
// prompts. undici's WebAssembly HTTP parser is read from dist/cli/*.wasm on the first request.
// The library (`import … from 'twauth'`) is tsc's ES module output with type declarations.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { requireBuiltins, siblings, writeLlhttpWasm } from './bundle-plugin.mjs';
import { sourceHash, STAMP } from './source-hash.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
// Hashed before building: a source edited during the build leaves a stamp that no longer matches.
const stampedHash = sourceHash('.');
const external = ['@github/keytar', 'open', '@inquirer/*', 'playwright-core'];
const require = createRequire(import.meta.url);

/**
 * For the command-line bundle: every import is free of side effects, so a module none of whose
 * exports is used is left out whole. Each command's file declares it (read by main.cjs) and runs
 * it (read by dispatch.cjs); this keeps its run, and everything that imports, out of main.cjs.
 */
const declarationsOnly = {
  name: 'declarations-only',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === 'declarations-only' || args.kind !== 'import-statement') return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'declarations-only',
      });
      if (resolved.errors.length || resolved.external) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/**
 * The registry, src/cli/commands/index.ts: one `export * as <key> from './<file>.js'` per command.
 * As written, importing it evaluates every command. The bundles get what each needs instead:
 * main.cjs the declarations only (each file's `spec`; the rest is tree-shaken away), and
 * dispatch.cjs, in place of src/cli/load-command.ts, one import() per command, so that only the
 * command that runs is evaluated. A line of any other form fails the build.
 */
function commandRegistry(part) {
  const registry = 'src/cli/commands/index.ts';
  const entries = () =>
    readFileSync(registry, 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('//'))
      .map((line) => {
        const m = /^export \* as (\w+) from '(\.\/[\w-]+\.js)';$/.exec(line);
        if (!m) throw new Error(`${registry}: not a registry line: ${line}`);
        return { key: m[1], file: m[2] };
      });
  const contents =
    part === 'declarations'
      ? () => {
          const list = entries();
          return [
            ...list.map((e, i) => `import { spec as spec${i} } from '${e.file}';`),
            ...list.map((_, i) => `const m${i} = { spec: spec${i} };`),
            `export { ${list.map((e, i) => `m${i} as ${e.key}`).join(', ')} };`,
          ].join('\n');
        }
      : () =>
          `const loaders = { ${entries()
            .map((e) => `${e.key}: () => import('./commands/${e.file.slice(2)}')`)
            .join(', ')} };\nexport const loadCommand = (key) => loaders[key]();`;
  const filter = part === 'declarations' ? /\/src\/cli\/commands\/index\.ts$/ : /\/src\/cli\/load-command\.ts$/;
  return {
    name: 'command-registry',
    setup(b) {
      b.onLoad({ filter }, (args) => ({ contents: contents(), loader: 'js', resolveDir: dirname(args.path) }));
    },
  };
}

/** What main.cjs may contain besides its own files: a command's declaration must stay data. */
const MAIN_MAY_CONTAIN = /^(src\/cli\/|(?:.*\/)?node_modules\/commander\/|twauth-stub:child_process$)/;
const MAIN_MUST_NOT_CONTAIN = /^src\/cli\/(context|prompts|spinner|browser|report-error|dispatch)\.ts$/;

async function bundle(entry, file, map) {
  const tmp = `dist/cli/${file}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external,
    plugins:
      file === 'main.cjs'
        ? [siblings(map), declarationsOnly, commandRegistry('declarations')]
        : file === 'dispatch.cjs'
          ? [siblings(map), commandRegistry('loaders')]
          : [siblings(map)],
    metafile: file === 'main.cjs',
    // Smaller files compile faster: --version 114 → 111 ms, main.cjs 125 → 50 KB (hyperfine, 40 runs).
    minify: process.env.TWAUTH_NO_MINIFY !== '1', // 1: esbuild's path comments stay, for bench/profile-summary.mjs
    legalComments: 'none',
    define: { __TWAUTH_VERSION__: JSON.stringify(version) },
    logLevel: 'warning',
    // keychain-store.ts uses import.meta only in the ES module library build (see there).
    logOverride: { 'empty-import-meta': 'silent' },
  });
  if (result.metafile) {
    const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([k]) => k);
    const stray = inputs.filter((k) => !MAIN_MAY_CONTAIN.test(k) || MAIN_MUST_NOT_CONTAIN.test(k));
    if (stray.length)
      throw new Error(`${file}: the command line must not contain command code, but has ${stray.join(', ')}`);
  }
  // esbuild keeps import() of an external file; a sibling CommonJS bundle is loaded faster (and
  // without starting the ES module loader) by require.
  let code = readFileSync(tmp, 'utf8');
  for (const target of Object.values(map)) {
    const dynamic = `import("./${target}")`;
    if (!code.includes(dynamic)) throw new Error(`${file}: expected ${dynamic} in the bundle`);
    code = code.replaceAll(dynamic, `Promise.resolve().then(() => require("./${target}"))`);
  }
  // Likewise a built-in module loaded on first use.
  code = requireBuiltins(code);
  writeFileSync(tmp, code);
  // Renamed over the old file: a CLI running meanwhile never reads half a bundle.
  renameSync(tmp, `dist/cli/${file}`);
}

mkdirSync('dist/cli', { recursive: true });
writeLlhttpWasm('dist/cli');
await Promise.all([
  bundle('src/cli/boot.ts', 'boot.cjs', { '/main.js': 'main.cjs' }),
  bundle('src/cli/main.ts', 'main.cjs', { '/dispatch.js': 'dispatch.cjs' }),
  bundle('src/cli/dispatch.ts', 'dispatch.cjs', { '/emulator/index.js': 'emulator.cjs' }),
  bundle('src/emulator/index.ts', 'emulator.cjs', {}),
]);
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });

// Man pages (README "Install"): generated from the same command declarations as --help, by
// src/cli/man-pages.ts bundled for this one run, into dist/man/man1 (package.json "man").
{
  const gen = `dist/.man-pages.${process.pid}.cjs`;
  await build({
    entryPoints: ['src/cli/man-pages.ts'],
    outfile: gen,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external,
    define: { __TWAUTH_VERSION__: JSON.stringify(version) },
    logLevel: 'warning',
    logOverride: { 'empty-import-meta': 'silent' },
  });
  try {
    const { description } = JSON.parse(readFileSync('package.json', 'utf8'));
    const pages = require(`${process.cwd()}/${gen}`).manPages(version, description);
    mkdirSync('dist/man/man1', { recursive: true });
    for (const old of readdirSync('dist/man/man1')) if (!(old in pages)) rmSync(`dist/man/man1/${old}`);
    for (const [name, text] of Object.entries(pages)) writeFileSync(`dist/man/man1/${name}`, text);
    // npm installs only the pages package.json lists ("directories.man" is not read on install,
    // npm 11): the list follows the commands, so that adding one takes no edit here.
    const pkgText = readFileSync('package.json', 'utf8');
    const pkg = JSON.parse(pkgText);
    const want = Object.keys(pages)
      .map((n) => `./dist/man/man1/${n}`)
      .sort();
    if (JSON.stringify(pkg.man) !== JSON.stringify(want)) {
      writeFileSync('package.json.tmp', `${JSON.stringify({ ...pkg, man: want }, null, 2)}\n`);
      renameSync('package.json.tmp', 'package.json');
      console.error(`build: package.json "man" now lists the ${want.length} generated pages (commit it)`);
    }
  } finally {
    rmSync(gen, { force: true });
  }
}
// Last, once everything is built: what it was built from (test/global-setup.ts compares).
writeFileSync(STAMP, `${JSON.stringify({ source: stampedHash })}\n`);
