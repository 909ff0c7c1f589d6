// Runs the whole test suite with vitest once on each supported Node version (20, 22, 24: what
// package.json "engines" says), one after the other, and ends with exactly one summary line, the
// one CI reads, summed over the three:
//   N passed, N failed
// Per version, failed = failed tests + test files that failed without running any test (an
// import error, say) + 1 if vitest itself failed in a way the counts do not show (an unhandled
// error, a crash, a missing report), or 1 if that Node is missing (run scripts/setup.sh).
// + 1 if the format and lint check (`npm run lint`, Biome: biome.json) fails; it runs first
// (about 1 s of CPU), so CI (.ci/run) checks both. Exits non-zero if failed > 0. Extra arguments go to vitest. TWAUTH_TEST_NODES=22,24 runs only
// those versions (a developer's shortcut; CI runs all three).
//
// Each run puts its Node first on PATH, so everything the tests start (bin/twauth through
// process.execPath, `node` and `npx` in scripts) runs on that version.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Format and lint: the binary from node_modules (npx would add ~0.5 s of its own).
const lint = spawnSync(join(root, 'node_modules', '.bin', 'biome'), ['check', '--max-diagnostics=20', '.'], {
  cwd: root,
  stdio: 'inherit',
});
const lintFailed = lint.status !== 0;
if (lintFailed) {
  console.error(
    `scripts/test.mjs: npm run lint failed (${lint.error?.message ?? `exit status ${lint.status}`}): counting it as a failed test; npm run format fixes the formatting`,
  );
}

const MAJORS = (process.env.TWAUTH_TEST_NODES ?? '20,22,24')
  .split(',')
  .map((m) => m.trim())
  .filter(Boolean);

/** The system's node serves its own major; the others come from .node/<major> (scripts/setup.sh). */
function nodeFor(major) {
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  return join(root, '.node', major, 'bin', 'node');
}

function runOn(major) {
  const node = nodeFor(major);
  const report = join(root, 'test-output', `vitest-node${major}.json`);
  mkdirSync(dirname(report), { recursive: true });
  rmSync(report, { force: true }); // never read a previous run's report
  if (!existsSync(node)) {
    console.error(`scripts/test.mjs: no Node ${major} at ${node}: run scripts/setup.sh`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\n=== Node ${version} (${node})\n`);
  const started = Date.now();
  const args = [
    join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${report}`,
    ...process.argv.slice(2),
  ];
  const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  const run = spawnSync(node, args, { cwd: root, stdio: 'inherit', env });
  const vitestCode = run.status ?? 1;
  if (run.error) console.error(`scripts/test.mjs: could not run vitest on Node ${version}: ${run.error.message}`);
  if (run.signal) console.error(`scripts/test.mjs: vitest on Node ${version} was killed by ${run.signal}`);

  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (!existsSync(report)) {
    console.error(`scripts/test.mjs: vitest on Node ${version} wrote no report (${report}); exit status ${vitestCode}`);
    failed = 1;
  } else {
    try {
      const json = JSON.parse(readFileSync(report, 'utf8'));
      passed = json.numPassedTests ?? 0;
      const files = Array.isArray(json.testResults) ? json.testResults : [];
      const brokenFiles = files.filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0);
      for (const f of brokenFiles)
        console.error(
          `scripts/test.mjs: ${f.name} failed to run on Node ${version}: ${(f.message ?? '').split('\n')[0]}`,
        );
      failed = (json.numFailedTests ?? 0) + brokenFiles.length;
      if (failed === 0 && vitestCode !== 0) {
        console.error(
          `scripts/test.mjs: vitest on Node ${version} exited with status ${vitestCode} although no test failed (unhandled error?): counting it as a failure`,
        );
        failed = 1;
      }
      skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    } catch (err) {
      console.error(`scripts/test.mjs: unreadable report ${report}: ${err.message}`);
      failed = 1;
    }
  }
  return { version, passed, failed, skipped, seconds: Math.round((Date.now() - started) / 1000) };
}

const results = MAJORS.map((major) => ({ major, ...runOn(major) }));
console.log('');
// Not in the "N passed, N failed" form: CI reads only the combined line below.
for (const r of results) {
  console.log(
    `Node ${r.version ?? r.major}: passed ${r.passed}, failed ${r.failed}${r.skipped ? `, skipped or todo ${r.skipped}` : ''}${r.seconds !== undefined ? ` (${r.seconds} s)` : ''}`,
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0) + (lintFailed ? 1 : 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
