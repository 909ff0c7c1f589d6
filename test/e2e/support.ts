// Shared set-up for end-to-end tests: the built bin/twauth as a subprocess, against the emulator,
// with a real Secret Service (gnome-keyring on a private bus) unless a test asks otherwise.
// Every command run through `tw` is checked for leaked secrets (issue: "Secrets").
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { SANDBOX_APP, startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import {
  runTwauth,
  spawnTwauth,
  tempConfigDir,
  type EnvPatch,
  type TwauthOptions,
  type TwauthProcess,
  type TwauthResult,
} from '../helpers/cli.js';
import { noSecretServiceEnv, repoRoot, startSecretService, type SecretService } from '../helpers/secret-service.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';

export const TWAUTH = join(repoRoot, 'bin', 'twauth');
/** BROWSER for logins without a real browser: the sandbox's own "person" presses Authorize. */
export const SANDBOX_BROWSER = `${process.execPath} ${TWAUTH} sandbox approve`;

export type KeychainMode = 'real' | 'none' | 'file';

export interface Sandbox {
  readonly emu: Emulator;
  readonly configDir: string;
  /** The environment every command of this sandbox gets (API base, app, config dir, keychain). */
  readonly env: EnvPatch;
  readonly secretService?: SecretService | undefined;
  /** Runs twauth; checks its output leaks no known secret (except `twauth token`) and is pipe-clean. */
  tw(args: string[], opts?: TwauthOptions): Promise<TwauthResult>;
  spawn(args: string[], opts?: TwauthOptions): TwauthProcess;
  /** A full loopback login through the sandbox's headless person; returns the account's secrets. */
  login(username?: string, extraArgs?: string[], env?: EnvPatch): Promise<{ token: string; secret: string }>;
  /** Issues a token directly at the emulator (no login), remembered as a secret. */
  issue(username: string, access?: 'read' | 'read-write'): { token: string; secret: string; env: EnvPatch };
  /** Values that must never appear in output (tokens: only `sign` may show one, in its header). */
  secrets(): string[];
  addSecret(...values: string[]): void;
  stop(): Promise<void>;
}

export function assertNoSecrets(r: TwauthResult, secrets: readonly string[], label: string): void {
  for (const s of secrets) {
    if (s.length < 8) continue;
    expect(r.stdout.includes(s), `${label}: a secret leaked to stdout`).toBe(false);
    expect(r.stderr.includes(s), `${label}: a secret leaked to stderr`).toBe(false);
  }
}

export async function startSandbox(
  options: { emulator?: EmulatorOptions; keychain?: KeychainMode } = {},
): Promise<Sandbox> {
  const emu = await startEmulator(options.emulator);
  const mode = options.keychain ?? 'real';
  const secretService = mode === 'real' ? await startSecretService() : undefined;
  const configDir = join(tempConfigDir('twauth-e2e-'), 'config');
  const app = emu.apps[0] ?? SANDBOX_APP;
  const base: EnvPatch = {
    TWAUTH_API_BASE: emu.url,
    TWAUTH_CONSUMER_KEY: app.consumerKey,
    TWAUTH_CONSUMER_SECRET: app.consumerSecret,
    TWAUTH_CONFIG_DIR: configDir,
  };
  const env: EnvPatch =
    mode === 'real'
      ? { ...base, ...secretService!.env }
      : mode === 'none'
        ? noSecretServiceEnv(base)
        : { ...base, TWAUTH_STORE: 'file' };
  // Secrets never appear; access tokens appear only in `twauth sign`'s header (it must carry
  // oauth_token), and everything appears in `twauth token`'s output, which exists to print them.
  const known = new Set<string>(emu.apps.map((a) => a.consumerSecret));
  const tokens = new Set<string>();
  const userId = (username: string) => {
    const u = emu.users.find((x) => x.username === username);
    if (!u) throw new Error(`no emulator user ${username}`);
    return u.id;
  };

  const sandbox: Sandbox = {
    emu,
    configDir,
    env,
    secretService,
    secrets: () => [...known, ...tokens],
    addSecret: (...values) => values.forEach((v) => known.add(v)),
    async tw(args, opts = {}) {
      const r = await runTwauth(args, { ...opts, env: { ...env, ...opts.env } });
      // runTwauth never gives twauth a terminal: every run is also a check of output purity.
      assertPipeClean(r, `twauth ${args.join(' ')}`);
      if (!args.includes('token'))
        assertNoSecrets(r, args.includes('sign') ? [...known] : [...known, ...tokens], `twauth ${args.join(' ')}`);
      return r;
    },
    spawn: (args, opts = {}) => spawnTwauth(args, { ...opts, env: { ...env, ...opts.env } }),
    async login(username = 'sandbox_alice', extraArgs = [], extraEnv = {}) {
      const r = await sandbox.tw(['login', '--port', '0', ...extraArgs], {
        env: { BROWSER: `${SANDBOX_BROWSER} --user ${username}`, ...extraEnv },
      });
      expect(r.code, `login as ${username} failed:\n${r.stderr}`).toBe(0);
      expect(r.stderr).toContain(`Logged in as @${username}`);
      const t = await runTwauth(['token', '--json', '--account', username], { env: { ...env, ...extraEnv } });
      expect(t.code, t.stderr).toBe(0);
      const creds = JSON.parse(t.stdout) as { access_token: string; access_token_secret: string };
      tokens.add(creds.access_token);
      known.add(creds.access_token_secret);
      return { token: creds.access_token, secret: creds.access_token_secret };
    },
    issue(username, access = 'read-write') {
      const t = emu.issueAccessToken(userId(username), app.consumerKey, access);
      tokens.add(t.token);
      known.add(t.secret);
      return { ...t, env: { TWAUTH_ACCESS_TOKEN: t.token, TWAUTH_ACCESS_TOKEN_SECRET: t.secret } };
    },
    async stop() {
      await emu.close();
      await secretService?.stop();
    },
  };
  return sandbox;
}

/** ANSI escape sequences: never in output that is not going to a terminal. */
export const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/;

/** Prompt texts twauth shows only on a terminal: never in piped output. */
export const PROMPT =
  /The app's consumer (key|secret)|PIN shown by X|Waiting for the browser|Paste the URL|Waiting for authorization/;

/** Output that goes to pipes: no ANSI escape and no prompt text, on either stream. */
export function assertPipeClean(r: TwauthResult, label: string): void {
  expect(ANSI.test(r.stdout) || ANSI.test(r.stderr), `${label}: ANSI escape in piped output`).toBe(false);
  expect(PROMPT.test(r.stdout + r.stderr), `${label}: prompt text in piped output`).toBe(false);
}

/** A folder holding a `twauth` command that runs this checkout's bin/twauth: put it on PATH. */
export async function twauthBinDir(): Promise<string> {
  const dir = join(tempConfigDir('twauth-e2e-bin-'), 'bin');
  await mkdir(dir);
  await writeFile(join(dir, 'twauth'), `#!/bin/sh\nexec '${process.execPath}' '${TWAUTH}' "$@"\n`);
  await chmod(join(dir, 'twauth'), 0o755);
  return dir;
}

/** Maps items through fn with at most `limit` running at once; results keep the items' order. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (t: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

/**
 * twauth ARGS in a terminal (tmux), with the sandbox's environment (+ `env`) and a config dir of
 * its own unless `env` names one. The caller kills the session.
 */
export async function twauthOnTerminal(
  sb: Sandbox,
  args: string[],
  env: EnvPatch = {},
  width = 220, // the authorize URL stays on one line
): Promise<{ tty: TmuxSession; configDir: string }> {
  const configDir = env.TWAUTH_CONFIG_DIR ?? join(tempConfigDir('twauth-tty-'), 'config');
  const tty = await startInTmux([process.execPath, TWAUTH, ...args], {
    env: {
      PATH: process.env.PATH,
      LANG: 'C.UTF-8',
      HOME: tempConfigDir('twauth-tty-home-'),
      ...sb.env,
      TWAUTH_CONFIG_DIR: configDir,
      ...env,
    },
    cwd: repoRoot,
    width,
    height: 50,
  });
  return { tty, configDir };
}
