// Issue 16: man pages generated from the same declarations as --help, shipped in the package,
// and found by `man` after `npm install -g` of the packed tarball (man-db finds <prefix>/share/man
// from <prefix>/bin on PATH; MANPATH works too).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandSpec, GroupSpec } from '../../src/cli/command-spec.js';
import { COMMANDS } from '../../src/cli/registry.js';
import { optionFlags } from '../../src/cli/global-options.js';
import { runTwauth, tempConfigDir } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';

const exec = promisify(execFile);
let prefix: string;
let work: string;

/** What `man -P cat PAGE` prints, as a person's terminal would (80 columns), plain text. */
async function man(page: string, env: Record<string, string>): Promise<string> {
  const r = await exec('man', ['-P', 'cat', page], {
    env: { LANG: 'C.UTF-8', MANWIDTH: '80', HOME: work, ...env },
    maxBuffer: 1 << 22,
  });
  return r.stdout.replace(/.\x08/g, '').replace(/‐\n\s*/g, '');
}

beforeAll(async () => {
  work = tempConfigDir('twauth-man-');
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: repoRoot,
    maxBuffer: 1 << 24,
  });
  const [info] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  expect(info.files.map((f) => f.path)).toContain('dist/man/man1/twauth.1');
  prefix = join(work, 'prefix');
  await exec(
    'npm',
    ['install', '-g', '--prefix', prefix, '--omit=optional', '--no-audit', '--no-fund', join(work, info.filename)],
    { cwd: work, timeout: 240_000 },
  );
}, 300_000);

describe('man pages after npm install -g', () => {
  it('man twauth works with the prefix on PATH alone, and with MANPATH', async () => {
    const viaPath = await man('twauth', { PATH: `${join(prefix, 'bin')}:${process.env.PATH}` });
    expect(viaPath).toMatch(/^TWAUTH\(1\)/);
    expect(viaPath).toMatch(/EXIT STATUS[\s\S]*130\s+interrupted/);
    expect(viaPath).toMatch(/ENVIRONMENT[\s\S]*TWAUTH_API_BASE/);
    const viaManpath = await man('twauth', { PATH: process.env.PATH!, MANPATH: join(prefix, 'share', 'man') });
    expect(viaManpath).toBe(viaPath);
  });

  it('one page per command, with every option --help lists, its examples and its help text', async () => {
    const env = { PATH: process.env.PATH!, MANPATH: join(prefix, 'share', 'man') };
    for (const c of COMMANDS as readonly (CommandSpec | GroupSpec)[]) {
      const page = await man(`twauth-${c.name.replace(/ /g, '-')}`, env);
      expect(page, c.name).toMatch(new RegExp(`^TWAUTH-${c.name.replace(/ /g, '-').toUpperCase()}\\(1\\)`));
      const help = (await runTwauth(['help', ...c.name.split(' ')])).stdout;
      if ('options' in c) {
        for (const o of Object.values(c.options)) {
          for (const flag of optionFlags(o.flags)) {
            expect(help, `${c.name} --help lists ${flag}`).toContain(flag);
            expect(page, `man twauth-${c.name} lists ${flag}`).toContain(flag);
          }
        }
      }
      for (const e of c.examples)
        expect(page.replace(/\s+/g, ' '), `${c.name}: example ${e}`).toContain(e.replace(/\s+/g, ' '));
      if (c.help)
        expect(page.replace(/\s+/g, ' '), c.name).toContain(c.help.split('\n')[0]!.replace(/\s+/g, ' ').trim());
    }
  }, 120_000);

  it('package.json "man" lists exactly the pages the build made', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { man: string[] };
    expect(pkg.man).toContain('./dist/man/man1/twauth.1');
    expect(pkg.man).toHaveLength(COMMANDS.length + 1);
  });
});
