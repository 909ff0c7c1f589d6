// Runs the whole test suite with vitest and ends with exactly one summary line, the one CI reads:
//   N passed, N failed
// failed = failed tests + test files that failed without running any test (an import error, say)
// + 1 if vitest itself failed in a way the counts do not show (an unhandled error, a crash, a
// missing report) + 1 if the format and lint check (`npm run lint`, Biome: biome.json) fails;
// it runs first (about 1 s of CPU), so CI (.ci/run) checks both. Exits non-zero if failed > 0.
// Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const report = join(root, 'test-output', 'vitest.json');
mkdirSync(dirname(report), { recursive: true });
rmSync(report, { force: true }); // never read a previous run's report

// Format and lint: the binary from node_modules (npx would add ~0.5 s of its own).
const lint = spawnSync(join(root, 'node_modules', '.bin', 'biome'), ['check', '--max-diagnostics=20', '.'], {
  cwd: root,
  stdio: 'inherit',
});
const lintFailed = lint.status !== 0;
if (lintFailed)
  console.error(
    `scripts/test.mjs: npm run lint failed (${lint.error?.message ?? `exit status ${lint.status}`}): counting it as a failed test; npm run format fixes the formatting`,
  );

const args = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile=${report}`,
  ...process.argv.slice(2),
];
const run = spawnSync('npx', args, { cwd: root, stdio: 'inherit' });
const vitestCode = run.status ?? 1;
if (run.error) console.error(`scripts/test.mjs: could not run vitest: ${run.error.message}`);
if (run.signal) console.error(`scripts/test.mjs: vitest was killed by ${run.signal}`);

let passed = 0;
let failed = 0;
if (!existsSync(report)) {
  console.error(`scripts/test.mjs: vitest wrote no report (${report}); exit status ${vitestCode}`);
  failed = 1;
} else {
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests ?? 0;
    const files = Array.isArray(json.testResults) ? json.testResults : [];
    const brokenFiles = files.filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0);
    for (const f of brokenFiles)
      console.error(`scripts/test.mjs: ${f.name} failed to run: ${(f.message ?? '').split('\n')[0]}`);
    failed = (json.numFailedTests ?? 0) + brokenFiles.length;
    if (failed === 0 && vitestCode !== 0) {
      console.error(
        `scripts/test.mjs: vitest exited with status ${vitestCode} although no test failed (unhandled error?): counting it as a failure`,
      );
      failed = 1;
    }
    const skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    if (skipped > 0) console.log(`(${skipped} skipped or todo)`);
  } catch (err) {
    console.error(`scripts/test.mjs: unreadable report ${report}: ${err.message}`);
    failed = 1;
  }
}
if (lintFailed) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
