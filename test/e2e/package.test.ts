// Issue 2: `npm install -g` of the package and `npx twauth` work (the published files, the bin
// link, the CommonJS bin beside an ES module package, the runtime dependencies).
// Issue 15: and it installs without a compiler: the keychain module (@github/keytar) ships N-API
// prebuilds, its install script only copies the one for the platform. The install runs with a
// PATH that has node, npm and a shell but no compiler, make or python: tripwires stand in for
// them and record any call, so a build that was attempted is seen even if it was not needed.
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';

const exec = promisify(execFile);
const TRIPWIRES = ['cc', 'gcc', 'g++', 'c++', 'clang', 'make', 'python3', 'python', 'node-gyp', 'pkg-config'];

/** The real file behind a command on PATH (npm and npx are JavaScript files run by node). */
function which(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, command))) return realpathSync(join(dir, command));
  }
  throw new Error(`${command} is not on PATH`);
}

/** A bin folder with node, npm, npx and the basic tools npm's scripts use; tripwires for the rest. */
function noCompilerPath(work: string, calls: string): string {
  const bin = join(work, 'bin-without-compiler');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const tool of ['npm', 'npx'])
    writeFileSync(join(bin, tool), `#!/bin/sh\nexec "${join(bin, 'node')}" "${which(tool)}" "$@"\n`, { mode: 0o755 });
  for (const tool of ['sh', 'env', 'readlink', 'cp', 'mkdir', 'rm', 'uname', 'cat'])
    if (existsSync(`/bin/${tool}`)) symlinkSync(`/bin/${tool}`, join(bin, tool));
  for (const tool of TRIPWIRES) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> '${calls}'\nexit 127\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  return bin;
}

describe('the npm package', () => {
  it('packs only bin and dist (no sources, tests or secrets) and installs globally without a compiler', async () => {
    const work = tempConfigDir('twauth-pack-');
    const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: repoRoot,
      maxBuffer: 1 << 24,
    });
    const [info] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = info.files.map((f) => f.path);
    expect(paths).toContain('bin/twauth');
    expect(paths).toContain('dist/cli/main.cjs');
    expect(paths).toContain('dist/lib/index.d.ts');
    expect(paths.filter((p) => !/^(bin\/|dist\/|package\.json$|README\.md$|LICENSE)/.test(p))).toEqual([]);

    const calls = join(work, 'tripwire-calls');
    const bin = noCompilerPath(work, calls);
    const prefix = join(work, 'prefix');
    // The caller's environment (npm's registry settings, certificates), with PATH replaced.
    const env = { ...process.env, PATH: bin, npm_config_update_notifier: 'false' };
    const install = await exec(
      join(bin, 'npm'),
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--foreground-scripts',
        '--loglevel=verbose',
        '--no-audit',
        '--no-fund',
        join(work, info.filename),
      ],
      { cwd: work, env, timeout: 240_000, maxBuffer: 1 << 26 },
    );
    const log = install.stdout + install.stderr;
    writeFileSync(join(work, 'install.log'), log);
    expect(existsSync(calls) ? readFileSync(calls, 'utf8') : '').toBe('');
    expect(log).not.toMatch(/node-gyp|gyp info|g\+\+|\bmake\b|Compiling/);
    // The keychain module came with it, from its prebuilt binary, and loads on this Node.
    const keytarDir = join(prefix, 'lib', 'node_modules', 'twauth', 'node_modules', '@github', 'keytar');
    expect(existsSync(join(keytarDir, 'package.json'))).toBe(true);
    const loaded = await exec(
      process.execPath,
      ['-e', `console.log(Object.keys(require(${JSON.stringify(keytarDir)})).sort().join(' '))`],
      { env },
    );
    expect(loaded.stdout).toBe('deletePassword findCredentials findPassword getPassword setPassword\n');

    const twauth = join(prefix, 'bin', 'twauth');
    const version = await exec(twauth, ['--version'], { env: { PATH: bin, HOME: work } });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    // Without the optional keychain module, a command that needs no keychain still works.
    rmSync(keytarDir, { recursive: true });
    const help = await exec(twauth, ['exit-codes'], { env: { PATH: bin, HOME: work } });
    expect(help.stdout).toMatch(/130\s+interrupted/);
  }, 300_000);

  it('npx twauth runs the local bin', async () => {
    const r = await exec('npx', ['--no-install', 'twauth', '--version'], { cwd: repoRoot });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 60_000);
});
