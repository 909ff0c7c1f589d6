// Issue 16, item 7: shell completion installed from `twauth completion --help` as a person on a
// stock Debian would (real bash, with and without the bash-completion package; zsh with fpath;
// fish), and the completions that were missing: sandbox subcommands, --access, --user; --version
// once; zsh keeps apostrophes. Account names completing on a real terminal (tmux).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTwauth, tempConfigDir, twauthEnv, type EnvPatch, type TwauthResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';
import { startSandbox, type Sandbox, twauthBinDir } from './support.js';

const exec = promisify(execFile);
let sb: Sandbox;
let binDir: string;
const sessions: TmuxSession[] = [];

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
  binDir = await twauthBinDir();
  await sb.login('sandbox_alice');
  await sb.login('sandbox_bob');
});
afterAll(async () => {
  await Promise.all(sessions.map((s) => s.kill()));
  await sb.stop();
});

function shellEnv(patch: EnvPatch = {}): Record<string, string> {
  const env = twauthEnv({ ...sb.env, ...patch });
  env.PATH = `${binDir}:${env.PATH}`;
  return env;
}

async function sh(shell: string, args: string[], patch: EnvPatch = {}): Promise<TwauthResult> {
  try {
    const r = await exec(shell, args, { env: shellEnv(patch), cwd: repoRoot, timeout: 30_000 });
    return { code: 0, signal: null, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, signal: null, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** bash's programmable completion for `words` (the last under the cursor), as in accounts-shell.test.ts. */
async function bashComplete(words: string[]): Promise<string[]> {
  const script = `source <(twauth completion bash) || exit 9
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}
_twauth twauth "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await sh('bash', ['-c', script, 'bash', ...words]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

/** zsh: _twauth with stand-ins for compadd and _describe (they exist only inside a widget). */
async function zshComplete(words: string[]): Promise<string[]> {
  const script = `compdef() { :; }
_describe() { local e; for e in "\${(@P)2}"; do print -r -- "$e"; done; }
_files() { print -r -- '<files>'; }
compadd() { if [[ $1 == -a ]]; then print -rl -- "\${(@P)2}"; return; fi; [[ $1 == -- ]] && shift; print -rl -- "$@"; }
source <(twauth completion zsh) || exit 9
words=("$@"); CURRENT=$#
_twauth`;
  const r = await sh('zsh', ['-f', '-c', script, 'zsh', ...words]);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

async function fishComplete(line: string): Promise<string[]> {
  const r = await sh('fish', [
    '--no-config',
    '-c',
    `twauth completion fish | source; complete -C ${JSON.stringify(line)}`,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]!);
}

describe('what completes', () => {
  it('bash: sandbox subcommands, --access read|write, --user NAME; --version once', async () => {
    expect(await bashComplete(['twauth', 'sandbox', ''])).toEqual(expect.arrayContaining(['run', 'approve', '--port']));
    expect(await bashComplete(['twauth', 'sandbox', 'approve', '--'])).toEqual(
      expect.arrayContaining(['--cancel', '--user']),
    );
    expect(await bashComplete(['twauth', 'sandbox', 'approve', '--user', 'sandbox_c'])).toEqual(['sandbox_carol']);
    expect(await bashComplete(['twauth', 'sandbox', 'run', '--'])).not.toContain('--user');
    expect(await bashComplete(['twauth', 'login', '--access', ''])).toEqual(['read', 'write']);
    const top = await bashComplete(['twauth', '--']);
    expect(top.filter((w) => w === '--version')).toHaveLength(1);
  });

  it('zsh: the same, and descriptions keep their apostrophes', async () => {
    const described = await zshComplete(['twauth', '']);
    expect(described).toContain("token:print the current account's credentials (the only command that prints secrets)");
    expect((await zshComplete(['twauth', '--'])).filter((w) => w === '--version')).toHaveLength(1);
    expect(await zshComplete(['twauth', 'sandbox', ''])).toEqual(expect.arrayContaining(['run', 'approve']));
    expect(await zshComplete(['twauth', 'login', '--access', ''])).toEqual(['read', 'write']);
    expect(await zshComplete(['twauth', 'sandbox', 'approve', '--user', ''])).toEqual([
      'sandbox_alice',
      'sandbox_bob',
      'sandbox_carol',
    ]);
    expect(await zshComplete(['twauth', 'sandbox', 'approve', '--'])).toEqual(
      expect.arrayContaining(['--cancel', '--user']),
    );
  });

  it('fish: the same', async () => {
    expect(await fishComplete('twauth sandbox ')).toEqual(expect.arrayContaining(['run', 'approve']));
    expect(await fishComplete('twauth login --access ')).toEqual(['read', 'write']);
    expect(await fishComplete('twauth sandbox approve --user ')).toEqual([
      'sandbox_alice',
      'sandbox_bob',
      'sandbox_carol',
    ]);
    expect(await fishComplete('twauth switch ')).toEqual(expect.arrayContaining(['sandbox_alice', 'sandbox_bob']));
    const help = await sh('fish', [
      '--no-config',
      '-c',
      'twauth completion fish | source; complete -C "twauth " | string match -r "^token\\t.*"',
    ]);
    expect(help.stdout).toContain("print the current account's credentials");
  });
});

/** The install steps printed by `twauth completion --help`, by shell: the lines to run, and ~/.zshrc's lines. */
async function installSteps(): Promise<Record<string, { run: string[]; rc: string[] }>> {
  const r = await runTwauth(['completion', '--help']);
  expect(r.code).toBe(0);
  const steps: Record<string, { run: string[]; rc: string[] }> = {};
  let current: { run: string[]; rc: string[] } | undefined;
  for (const line of r.stdout.split('\n')) {
    const head = /^ {2}(\S.*):$/.exec(line);
    if (head) steps[head[1]!] = current = { run: [], rc: [] };
    else if (current && /^ {6}\S/.test(line)) current.rc.push(line.trim());
    else if (current && /^ {4}\S/.test(line) && !/^ {4}and in /.test(line)) current.run.push(line.trim());
    else if (line.trim() === '' && current && current.run.length) current = undefined;
  }
  return steps;
}

describe('installed as `twauth completion --help` says, in real shells with a fresh HOME', () => {
  async function freshHome(): Promise<string> {
    const home = join(tempConfigDir('twauth-home-'), 'home');
    await mkdir(home, { recursive: true });
    return home;
  }

  it('lists the four ways, each with commands', async () => {
    const steps = await installSteps();
    expect(Object.keys(steps)).toEqual([
      expect.stringMatching(/^bash, with the bash-completion package/),
      'bash, without it',
      'zsh',
      'fish',
    ]);
    for (const s of Object.values(steps)) expect(s.run.length).toBeGreaterThan(0);
    for (const line of (await runTwauth(['completion', '--help'])).stdout.split('\n'))
      expect(line.length).toBeLessThanOrEqual(80);
  });

  it('bash with the bash-completion package: loaded on first use in an interactive shell', async (ctx) => {
    if (!existsSync('/usr/share/bash-completion/bash_completion')) return ctx.skip();
    const steps = Object.entries(await installSteps()).find(([k]) => k.startsWith('bash, with'))![1];
    const home = await freshHome();
    // Debian's default ~/.bashrc (from /etc/skel) loads bash-completion.
    await writeFile(join(home, '.bashrc'), '. /usr/share/bash-completion/bash_completion\n');
    const install = await sh('bash', ['-c', steps.run.join('\n')], { HOME: home });
    expect(install.code, install.stderr).toBe(0);
    const r = await sh('bash', ['-i', '-c', '__load_completion twauth; complete -p twauth'], { HOME: home });
    expect(r.stdout).toContain('-F _twauth twauth');
  });

  it('bash without the package: ~/.bashrc sources it', async () => {
    const steps = (await installSteps())['bash, without it']!;
    const home = await freshHome();
    const install = await sh('bash', ['-c', steps.run.join('\n')], { HOME: home });
    expect(install.code, install.stderr).toBe(0);
    const r = await sh('bash', ['-i', '-c', 'complete -p twauth'], { HOME: home });
    expect(r.stdout).toBe('complete -o default -F _twauth twauth\n');
  });

  it('zsh with fpath: compinit finds _twauth', async () => {
    const steps = (await installSteps()).zsh!;
    const home = await freshHome();
    const install = await sh('bash', ['-c', steps.run.join('\n')], { HOME: home });
    expect(install.code, install.stderr).toBe(0);
    await appendFile(join(home, '.zshrc'), steps.rc.join('\n') + '\n');
    const r = await sh('zsh', ['-i', '-c', 'print -r -- ${_comps[twauth]}'], { HOME: home, ZDOTDIR: home });
    expect(r.stdout.trim()).toBe('_twauth');
  });

  it('fish: ~/.config/fish/completions', async () => {
    const steps = (await installSteps()).fish!;
    const home = await freshHome();
    const install = await sh('bash', ['-c', steps.run.join('\n')], { HOME: home });
    expect(install.code, install.stderr).toBe(0);
    const r = await sh('fish', ['-c', 'complete -C "twauth sw"'], { HOME: home, XDG_CONFIG_HOME: undefined });
    expect(r.stdout.split('\n').map((l) => l.split('\t')[0])).toContain('switch');
  });
});

describe('on a terminal', () => {
  it('bash: Tab Tab after "twauth switch " lists the stored accounts', async () => {
    const home = join(tempConfigDir('twauth-home-'), 'home');
    await mkdir(home, { recursive: true });
    await writeFile(join(home, '.bashrc'), `PS1='$ '\nsource <(twauth completion bash)\n`);
    const env = shellEnv({ HOME: home });
    const tty = await startInTmux(['bash', '-i'], { env, cwd: repoRoot, width: 100, height: 20 });
    sessions.push(tty);
    await tty.waitFor(/^\$$/m);
    await tty.sendKeys('twauth switch sandbox_');
    await tty.press('Tab');
    await tty.press('Tab');
    const screen = await tty.waitFor(/sandbox_alice\s+sandbox_bob/);
    expect(screen).toMatch(/\$ twauth switch sandbox_/);
    await tty.sendKeys('b');
    await tty.press('Tab');
    await tty.waitFor(/\$ twauth switch sandbox_bob$/m);
  });
});
