// What dist/ is built from, as one hash: every file under src/, the build script and the
// manifests. scripts/build.mjs writes it to dist/build-stamp.json; the tests' global setup
// (test/global-setup.ts) compares, so that no test runs against a dist/ older than the source.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const INPUTS = [
  'src',
  'scripts/build.mjs',
  'scripts/bundle-plugin.mjs',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];

function files(root, path) {
  const full = join(root, path);
  try {
    return readdirSync(full, { withFileTypes: true }).flatMap((e) => files(root, join(path, e.name)));
  } catch (err) {
    if (err.code === 'ENOTDIR') return [path];
    if (err.code === 'ENOENT') return [];
    throw err;
  }
}

/** The hash of the build's inputs under `root` (the repository). */
export function sourceHash(root) {
  const hash = createHash('sha256');
  for (const path of INPUTS.flatMap((p) => files(root, p)).sort()) {
    hash.update(`${relative(root, join(root, path))}\0`);
    hash.update(readFileSync(join(root, path)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export const STAMP = 'dist/build-stamp.json';
