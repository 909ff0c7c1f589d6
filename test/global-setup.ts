// Before any test: the end-to-end tests run bin/twauth, which loads dist/. A dist/ built from
// other sources than the working tree's would test old code, so it is rebuilt first (the stamp
// scripts/build.mjs writes says what it was built from).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceHash, STAMP } from '../scripts/source-hash.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function builtFrom(): string | undefined {
  const file = join(root, STAMP);
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { source?: string }).source;
}

export default function setup(): void {
  if (builtFrom() === sourceHash(root)) return;
  console.error('test/global-setup.ts: dist/ was not built from these sources: running npm run build first');
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  if (builtFrom() !== sourceHash(root))
    throw new Error('dist/ is still not built from these sources (were they edited during the build?)');
}
