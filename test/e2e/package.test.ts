// Issue 2: `npm install -g` of the package and `npx twauth` work (the published files, the bin
// link, the CommonJS bin beside an ES module package, the runtime dependencies).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';

const exec = promisify(execFile);

describe('the npm package', () => {
  it('packs only bin and dist (no sources, tests or secrets) and installs globally', async () => {
    const work = tempConfigDir('twauth-pack-');
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], { cwd: repoRoot, maxBuffer: 1 << 24 });
    const [info] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = info.files.map((f) => f.path);
    expect(paths).toContain('bin/twauth');
    expect(paths).toContain('dist/cli/main.cjs');
    expect(paths).toContain('dist/lib/index.d.ts');
    expect(paths.filter((p) => !/^(bin\/|dist\/|package\.json$|README\.md$|LICENSE)/.test(p))).toEqual([]);

    const prefix = join(work, 'prefix');
    await exec('npm', ['install', '-g', '--prefix', prefix, '--omit=optional', '--no-audit', '--no-fund', join(work, info.filename)], { cwd: work, timeout: 240_000 });
    const version = await exec(join(prefix, 'bin', 'twauth'), ['--version'], { env: { PATH: process.env.PATH!, HOME: work } });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // Without the optional keychain module, a command that needs no keychain still works.
    const help = await exec(join(prefix, 'bin', 'twauth'), ['exit-codes'], { env: { PATH: process.env.PATH!, HOME: work } });
    expect(help.stdout).toMatch(/130\s+interrupted/);
  }, 300_000);

  it('npx twauth runs the local bin', async () => {
    const r = await exec('npx', ['--no-install', 'twauth', '--version'], { cwd: repoRoot });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 60_000);
});
