// Runs a command on a real terminal (a tmux pane) so a test can type into it and read the screen,
// as a person would. Each session has its own tmux server on a private socket in a temp dir,
// started in the foreground (`tmux -D`) under `setpriv --pdeathsig KILL` so it cannot outlive the
// test process. The command runs under `env -i` with exactly the given environment (tmux servers
// otherwise hand panes their own, inherited environment), and a wrapper writes its exit status to
// a file.
import { writeFile, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnDaemon, pollUntil, type Daemon } from './daemon.js';
import { makeTempDir } from './session-bus.js';
import { run } from './run.js';
import { atFileEnd } from './cleanup.js';

export interface TmuxSession {
  /** Types `text` literally; then presses Enter if `enter` is true (default false). */
  sendKeys(text: string, enter?: boolean): Promise<void>;
  /** Presses tmux key names, e.g. 'Enter', 'C-c', 'Up', 'BSpace', 'Escape'. */
  press(...keys: string[]): Promise<void>;
  /** The screen and its scrollback as plain text, trailing blanks trimmed. */
  capture(): Promise<string>;
  /** Polls the screen until `re` matches it; resolves to the screen. Default timeout 10 s. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Waits for the command to exit and returns its exit status (128+n if killed by signal n). */
  exitCode(timeoutMs?: number): Promise<number>;
  /** Kills the tmux server (and so the command) and removes the temp dir. Idempotent. */
  kill(): Promise<void>;
}

export interface TmuxOptions {
  /** The command's exact environment. TERM=tmux-256color is added if it has no TERM. */
  env: Record<string, string | undefined>;
  cwd: string;
  width?: number;
  height?: number;
}

/** Quotes one word for POSIX sh. */
export function shQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const TMUX_CONF = `set -g exit-empty off
set -g remain-on-exit on
set -g remain-on-exit-format ""
set -g status off
set -g history-limit 10000
set -g escape-time 0
`;

export async function startInTmux(command: string[], opts: TmuxOptions): Promise<TmuxSession> {
  if (command.length === 0) throw new Error('startInTmux: empty command');
  const dir = await makeTempDir('twauth-tmux-');
  const sock = join(dir, 'sock');
  const conf = join(dir, 'tmux.conf');
  const exitFile = join(dir, 'exit');
  const script = join(dir, 'run.sh');
  await writeFile(conf, TMUX_CONF);

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
  env.TERM ??= 'tmux-256color';
  const envWords = Object.entries(env).map(([k, v]) => shQuote(`${k}=${v}`));
  await writeFile(
    script,
    [
      // A Ctrl-C or Ctrl-\ typed into the pane reaches this shell too (it has no job control):
      // catch it (a handler, unlike an ignore, is reset for the command) and record the status.
      `trap : INT QUIT`,
      `cd ${shQuote(opts.cwd)} || exit 127`,
      `env -i ${envWords.join(' ')} ${command.map(shQuote).join(' ')}`,
      `echo $? > ${shQuote(exitFile + '.tmp')} && mv ${shQuote(exitFile + '.tmp')} ${shQuote(exitFile)}`,
      '',
    ].join('\n'),
  );

  const clientEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: dir };
  const server: Daemon = spawnDaemon('tmux', ['-u', '-S', sock, '-f', conf, '-D'], { env: clientEnv, cwd: dir });
  const tmux = async (...args: string[]) => {
    const r = await run('tmux', ['-u', '-S', sock, ...args], { env: clientEnv, cwd: dir, timeoutMs: 10_000 });
    if (r.code !== 0) throw new Error(`tmux ${args[0]} failed (${r.code}): ${r.stderr.trim()}`);
    return r.stdout;
  };

  let killed: Promise<void> | undefined;
  const kill = () => {
    killed ??= (async () => {
      await tmux('kill-server').catch(() => {});
      await server.stop(1000);
      await rm(dir, { recursive: true, force: true });
    })();
    return killed;
  };
  atFileEnd(kill);

  try {
    // `list-sessions` fails with "no server running"/"error connecting" until the server listens,
    // then with "no sessions": that is the moment to create ours.
    await pollUntil(
      async () => {
        if (server.child.exitCode !== null || server.child.signalCode !== null) throw new Error('tmux server exited');
        const r = await run('tmux', ['-S', sock, 'list-sessions'], { env: clientEnv, cwd: dir });
        return r.code === 0 || /no sessions/i.test(r.stderr);
      },
      { timeoutMs: 10_000, what: 'the tmux server to listen', details: () => server.output() },
    );
    await tmux(
      'new-session',
      '-d',
      '-s',
      'main',
      '-x',
      String(opts.width ?? 100),
      '-y',
      String(opts.height ?? 30),
      '-c',
      opts.cwd,
      `/bin/sh ${shQuote(script)}`,
    );
  } catch (err) {
    await kill();
    throw err;
  }

  const capture = async () => {
    const out = await tmux('capture-pane', '-p', '-t', 'main', '-S', '-', '-E', '-');
    return out
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trimEnd();
  };

  return {
    async sendKeys(text, enter = false) {
      if (text.length > 0) await tmux('send-keys', '-t', 'main', '-l', '--', text);
      if (enter) await tmux('send-keys', '-t', 'main', 'Enter');
    },
    async press(...keys) {
      if (keys.length > 0) await tmux('send-keys', '-t', 'main', ...keys);
    },
    capture,
    async waitFor(re, timeoutMs = 10_000) {
      let last = '';
      return pollUntil(
        async () => {
          last = await capture();
          return re.test(last) ? last : undefined;
        },
        { timeoutMs, intervalMs: 50, what: `${re} on the screen`, details: () => `screen:\n${last}` },
      );
    },
    async exitCode(timeoutMs = 10_000) {
      const text = await pollUntil(() => readFile(exitFile, 'utf8').catch(() => undefined), {
        timeoutMs,
        intervalMs: 50,
        what: 'the command to exit',
        details: () => 'the command is still running',
      });
      return Number(text.trim());
    },
    kill,
  };
}
