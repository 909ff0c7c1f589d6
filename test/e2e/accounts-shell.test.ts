// Issue 5: shell completion (loaded into a real bash and exercised; zsh and fish loaded for real
// when installed, otherwise checked as text) and output purity: with stdout and stderr as pipes,
// no command prints an ANSI escape or a prompt, with or without NO_COLOR, whatever TERM says.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTwauth, tempConfigDir, twauthEnv, type EnvPatch, type TwauthResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';
import { ANSI, SANDBOX_BROWSER, startSandbox, type Sandbox, twauthBinDir } from './support.js';

// The emulator runs in this process: child processes are awaited, never run synchronously.
const exec = promisify(execFile);

let sb: Sandbox;
let binDir: string;

const PROMPT =
  /The app's consumer (key|secret)|PIN shown by X|Waiting for the browser|Paste the URL|Waiting for authorization/;

async function sh(shell: string, args: string[], patch: EnvPatch = {}): Promise<TwauthResult> {
  const env = twauthEnv({ ...sb.env, ...patch });
  env.PATH = `${binDir}:${env.PATH}`;
  try {
    const r = await exec(shell, args, { env, cwd: repoRoot, timeout: 30_000 });
    return { code: 0, signal: null, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number | string; signal?: string | null; stdout?: string; stderr?: string };
    if (typeof e.code === 'string') throw err; // ENOENT: no such shell
    return { code: e.code ?? 1, signal: e.signal ?? null, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function have(shell: string): Promise<boolean> {
  return (await sh('bash', ['-c', `command -v ${shell}`])).code === 0;
}

/**
 * Loads `twauth completion bash` into bash (twauth on PATH is a wrapper around the built binary)
 * and calls the completion function as bash's programmable completion would for `words`, the
 * last being the word under the cursor. Returns COMPREPLY.
 */
async function complete(words: string[], patch: EnvPatch = {}): Promise<string[]> {
  const script = `source <(twauth completion bash) || exit 9
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}
_twauth twauth "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await sh('bash', ['-c', script, 'bash', ...words], patch);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter((l) => l !== '');
}

const COMMANDS = [
  'login',
  'whoami',
  'tweet',
  'api',
  'sign',
  'accounts',
  'switch',
  'status',
  'logout',
  'token',
  'sandbox',
  'doctor',
  'completion',
  'exit-codes',
  'help',
];

beforeAll(async () => {
  sb = await startSandbox();
  binDir = await twauthBinDir();
  await sb.login('sandbox_alice');
  await sb.login('sandbox_bob');
});
afterAll(() => sb?.stop());

describe('completion: bash', () => {
  it('source <(twauth completion bash) registers it: complete -p twauth', async () => {
    const r = await sh('bash', ['-c', `source <(${process.execPath} bin/twauth completion bash); complete -p twauth`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('complete -o default -F _twauth twauth\n');
    expect(r.stderr).toBe('');
    const script = (await runTwauth(['completion', 'bash'])).stdout;
    const syntax = await sh('bash', ['-n', '-c', script]);
    expect(syntax.code, syntax.stderr).toBe(0);
  });

  it('completes command names', async () => {
    expect(await complete(['twauth', 'sw'])).toEqual(['switch']);
    expect(await complete(['twauth', 'lo'])).toEqual(['login', 'logout']);
    expect(await complete(['twauth', 'to'])).toEqual(['token']);
    const all = await complete(['twauth', '']);
    for (const c of COMMANDS) expect(all).toContain(c);
    expect(all).toContain('--account');
    // After global options too.
    expect(await complete(['twauth', '--json', 'sw'])).toEqual(['switch']);
    expect(await complete(['twauth', 'help', 'sw'])).toEqual(['switch']);
  });

  it('switch and --account complete the stored account names (from TWAUTH_CONFIG_DIR)', async () => {
    expect(await complete(['twauth', 'switch', ''])).toEqual(['sandbox_alice', 'sandbox_bob']);
    expect(await complete(['twauth', 'switch', 'sandbox_b'])).toEqual(['sandbox_bob']);
    expect(await complete(['twauth', '--account', ''])).toEqual(['sandbox_alice', 'sandbox_bob']);
    expect(await complete(['twauth', 'whoami', '--account', 'sandbox_a'])).toEqual(['sandbox_alice']);
    // Another config dir, another list; none at all is no error.
    const empty = join(tempConfigDir('twauth-e2e-empty-'), 'config');
    expect(await complete(['twauth', 'switch', ''], { TWAUTH_CONFIG_DIR: empty })).toEqual([]);
    // Completing touches neither the keychain nor the network.
    const before = sb.emu.requests().length;
    expect(
      await complete(['twauth', 'switch', ''], {
        DBUS_SESSION_BUS_ADDRESS: undefined,
        TWAUTH_API_BASE: 'http://127.0.0.1:9',
      }),
    ).toEqual(['sandbox_alice', 'sandbox_bob']);
    expect(sb.emu.requests().length).toBe(before);
  });

  it('a global option with a value before the command does not hide the command', async () => {
    expect(await complete(['twauth', '--account', 'sandbox_bob', 'sw'])).toEqual(['switch']);
    expect(await complete(['twauth', '--account', 'sandbox_bob', 'logout', '--l'])).toEqual(['--local-only']);
    expect(await complete(['twauth', '--api-base', sb.emu.url, 'switch', ''])).toEqual([
      'sandbox_alice',
      'sandbox_bob',
    ]);
    expect(await complete(['twauth', '--timeout', '5', 'login', '--p'])).toEqual(['--pin', '--port']);
  });

  it("completes each command's options, and completion's shells", async () => {
    const logout = await complete(['twauth', 'logout', '--']);
    expect(logout).toEqual(expect.arrayContaining(['--all', '--local-only', '--json', '--account']));
    expect(logout).not.toContain('--pin');
    expect(await complete(['twauth', 'login', '--p'])).toEqual(['--pin', '--port']);
    expect(await complete(['twauth', 'token', '--e'])).toEqual(['--env']);
    expect(await complete(['twauth', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(await complete(['twauth', 'switch', '--j'])).toEqual(['--json']);
  });
});

describe('completion: zsh and fish', () => {
  /** The command each script runs to list account names, run here by bash (it is POSIX sh). */
  async function accountNames(command: string): Promise<string[]> {
    const r = await sh('bash', ['-c', command]);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.split('\n').filter(Boolean);
  }

  it('zsh: loaded into zsh when installed; otherwise a plausible #compdef script', async () => {
    const script = (await runTwauth(['completion', 'zsh'])).stdout;
    expect(script.startsWith('#compdef twauth\n')).toBe(true);
    expect(script.trimEnd().endsWith('compdef _twauth twauth')).toBe(true);
    // Descriptions are double-quoted (issue 16: single quotes lost the apostrophe in "account's").
    for (const c of COMMANDS) expect(script).toMatch(new RegExp(`^    "${c}:[^"]+"$`, 'm'));
    expect(script).toContain(`"token:print the current account's credentials (the only command that prints secrets)"`);
    expect(script).toMatch(/"logout"\) opts=\(--all --local-only\) ;;/);
    for (const line of script.split('\n').filter((l) => !l.includes('"')))
      expect((line.match(/'/g) ?? []).length % 2, `unbalanced quote: ${line}`).toBe(0);
    expect(script.split('{').length).toBe(script.split('}').length); // (case patterns leave parentheses unbalanced)
    const names = /accounts=\(\$\{\(f\)"\$\((.*)\)"\}\)$/m.exec(script);
    expect(names, 'the account-name command').not.toBeNull();
    expect(await accountNames(names![1]!)).toEqual(['sandbox_alice', 'sandbox_bob']);

    if (await have('zsh')) {
      const r = await sh('zsh', [
        '-f',
        '-c',
        'autoload -U compinit && compinit -u -D && source <(twauth completion zsh) && print -r -- ${_comps[twauth]} && _twauth_names=(${(f)"$(twauth accounts --json | sed -n \'s/.*"username": "\\([^"]*\\)".*/\\1/p\')"}) && print -r -- $_twauth_names',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('_twauth\nsandbox_alice sandbox_bob\n');
      const syntax = await sh('zsh', ['-n', '-c', script]);
      expect(syntax.code, syntax.stderr).toBe(0);
    }
  });

  /**
   * Loads `twauth completion zsh` into a real zsh and calls _twauth as zsh's completion system
   * would for `words` (the last being the word under the cursor). compadd, _describe and compdef
   * exist only inside a completion widget, so stand-ins print what would have been offered.
   */
  async function zshComplete(words: string[]): Promise<string[]> {
    const script = `compdef() { :; }
_describe() { local e; for e in "\${(@P)2}"; do print -r -- "\${e%%:*}"; done; }
compadd() { if [[ $1 == -a ]]; then print -rl -- "\${(@P)2}"; return; fi; [[ $1 == -- ]] && shift; print -rl -- "$@"; }
source <(twauth completion zsh) || exit 9
words=("$@"); CURRENT=$#
_twauth`;
    const r = await sh('zsh', ['-f', '-c', script, 'zsh', ...words]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter((l) => l !== '');
  }

  it('zsh: finds the command after global options, and completes what bash does', async (ctx) => {
    if (!(await have('zsh'))) return ctx.skip();
    const names = await zshComplete(['twauth', '']);
    for (const c of COMMANDS) expect(names).toContain(c);
    expect(await zshComplete(['twauth', '--account', 'sandbox_bob', ''])).toEqual(expect.arrayContaining(COMMANDS));
    expect(await zshComplete(['twauth', '--account', ''])).toEqual(['sandbox_alice', 'sandbox_bob']);
    expect(await zshComplete(['twauth', '--account', 'sandbox_bob', '--json', 'logout', '--'])).toEqual(
      expect.arrayContaining(['--all', '--local-only', '--json']),
    );
    expect(await zshComplete(['twauth', '--timeout', '5', 'switch', ''])).toEqual(
      expect.arrayContaining(['sandbox_alice', 'sandbox_bob']),
    );
    expect(await zshComplete(['twauth', '--json', 'completion', ''])).toEqual(
      expect.arrayContaining(['bash', 'zsh', 'fish']),
    );
    expect(await zshComplete(['twauth', 'help', ''])).toEqual(expect.arrayContaining(['login', 'whoami']));
    expect(await zshComplete(['twauth', '--api-base', 'http://x', 'tweet', '--'])).toEqual(
      expect.arrayContaining(['--dry-run', '--reply-to']),
    );
  });

  it('fish: loaded into fish when installed; otherwise plausible complete lines', async () => {
    const script = (await runTwauth(['completion', 'fish'])).stdout;
    const lines = script.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^# /);
    for (const line of lines.slice(1)) {
      expect(line).toMatch(/^complete -c twauth( |$)/);
      // fish single-quoted strings: \' and \\ are the only escapes.
      expect((line.replace(/\\[\\']/g, '').match(/'/g) ?? []).length % 2, `unbalanced quote: ${line}`).toBe(0);
    }
    for (const c of COMMANDS) expect(lines).toContain(lines.find((l) => l.includes(`-a ${c} -d '`)));
    expect(script).toContain("complete -c twauth -n '__fish_seen_subcommand_from logout' -l local-only");
    expect(script).toContain("complete -c twauth -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'");
    const sub = /__fish_seen_subcommand_from switch' -a '\((.*)\)'$/m.exec(script);
    expect(sub, 'the account-name command').not.toBeNull();
    expect(await accountNames(sub![1]!.replace(/\\([\\'])/g, '$1'))).toEqual(['sandbox_alice', 'sandbox_bob']);

    if (await have('fish')) {
      const r = await sh('fish', [
        '--no-config',
        '-c',
        'twauth completion fish | source; complete -C "twauth sw"; complete -C "twauth switch "',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const got = r.stdout.split('\n').map((l) => l.split('\t')[0]);
      expect(got).toContain('switch');
      expect(got).toEqual(expect.arrayContaining(['sandbox_alice', 'sandbox_bob']));
    }
  });

  it('reports which shells are available', async () => {
    const shells = { bash: await have('bash'), zsh: await have('zsh'), fish: await have('fish') };
    console.log(`completion shells available: ${JSON.stringify(shells)}`);
    expect(shells.bash).toBe(true);
  });

  it('an unknown shell: exit 2', async () => {
    const r = await runTwauth(['completion', 'tcsh'], { env: sb.env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown shell "tcsh": use bash, zsh or fish/);
  });
});

describe('output purity', () => {
  const carolBrowser = `${SANDBOX_BROWSER} --user sandbox_carol`;
  /** Every command of the suite, success and failure paths, as [args, extra env, stdin]. */
  function suite(): [string[], EnvPatch, string?][] {
    const empty = { TWAUTH_CONFIG_DIR: join(tempConfigDir('twauth-e2e-none-'), 'config') };
    return [
      [['login', '--port', '0'], { BROWSER: carolBrowser }],
      [['login', '--port', '0', '--no-browser', '--timeout', '1'], {}],
      [['login'], { TWAUTH_CONSUMER_KEY: undefined, TWAUTH_CONSUMER_SECRET: undefined }],
      [['login', '--with-token'], empty, 'garbage'],
      [['whoami'], {}],
      [['whoami', '--json'], {}],
      [['--verbose', 'whoami'], {}],
      [['whoami'], empty],
      [['--account', 'nobody', 'whoami'], {}],
      [['tweet', '--dry-run', 'pure'], {}],
      [['tweet', 'x'.repeat(300)], {}],
      [['api', '/2/users/me'], {}],
      [['api', '/2/nothing'], {}],
      [['accounts'], {}],
      [['accounts', '--json'], {}],
      [['switch', 'sandbox_bob'], {}],
      [['switch', 'nobody'], {}],
      [['status'], {}],
      [['status', '--json'], {}],
      [['status'], empty],
      [['doctor'], {}],
      [['completion', 'bash'], {}],
      [['completion', 'zsh'], {}],
      [['completion', 'fish'], {}],
      [['exit-codes'], {}],
      [['--help'], {}],
      [['help', 'login'], {}],
      [['nosuchcommand'], {}],
      [['logout', '--account', 'sandbox_carol'], {}],
      [['logout'], empty],
    ];
  }

  for (const [label, colour] of [
    ['plain', {}],
    ['NO_COLOR=1', { NO_COLOR: '1' }],
    ['a colour terminal named, FORCE_COLOR', { TERM: 'xterm-256color', COLORTERM: 'truecolor', FORCE_COLOR: '1' }],
  ] as const) {
    it(`no ANSI escape and no prompt on pipes (${label})`, { timeout: 180_000 }, async () => {
      const codes: string[] = [];
      for (const [args, env, input] of suite()) {
        const r = await sb.tw(args, { env: { ...colour, ...env }, input });
        const what = `twauth ${args.join(' ')} (${label})`;
        expect(ANSI.test(r.stdout), `${what}: ANSI on stdout`).toBe(false);
        expect(ANSI.test(r.stderr), `${what}: ANSI on stderr`).toBe(false);
        expect(PROMPT.test(r.stdout) || PROMPT.test(r.stderr), `${what}: prompt text\n${r.stderr}`).toBe(false);
        expect(r.stderr, `${what}: control characters`).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
        codes.push(`${args[0]}=${r.code}`);
      }
      // The runs did what they should (so the output checked is the real one).
      expect(codes.slice(0, 4)).toEqual(['login=0', 'login=7', 'login=2', 'login=2']);
      // token and sign print secrets on purpose: checked here without the leak check.
      for (const args of [['token'], ['token', '--json'], ['sign', 'GET', `${sb.emu.url}/2/users/me`]]) {
        const r = await runTwauth(args, { env: { ...sb.env, ...colour } });
        expect(r.code).toBe(0);
        expect(ANSI.test(r.stdout + r.stderr)).toBe(false);
      }
    });
  }
});
