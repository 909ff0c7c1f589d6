// Issue 14: no input a person can type makes twauth fail with exit 1 ("unexpected error": a bug).
// Seeded random command lines — words, every declared option and global option with random
// values, `--`, `-` — random TWAUTH_* variables, and standard input up to several MB, run through
// the built bin/twauth, several at once, against the emulator. Everything invalid must be
// answered with a documented exit code (2 for the person's input) and a message, never exit 1,
// never a crash, never a hang. A failure prints the inputs to replay (TWAUTH_FUZZ_SEED).
//
// Not fuzzed, with the reason: `login` without --with-token, `sandbox` and `sandbox run` wait for a
// person or run until stopped; `sandbox approve` fetches the URL it is given; `doctor` exits 1 by
// design when a check of the machine fails; TWAUTH_CONFIG_DIR, HOME and TWAUTH_STORE stay fixed
// (where the config lives and whether a keychain exists are the machine's, not input); the
// config file's content is fuzzed. Requests
// that do not go to the emulator go to a closed proxy port on 127.0.0.1: nothing leaves this host.
import fc from 'fast-check';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CommandSpec, GroupSpec } from '../../src/cli/command-spec.js';
import { GLOBAL_OPTIONS, optionFlags } from '../../src/cli/global-options.js';
import { COMMANDS } from '../../src/cli/registry.js';
import { runTwauth, tempConfigDir } from '../helpers/cli.js';
import { pool, startSandbox, type Sandbox } from '../e2e/support.js';

const SEED = Number(process.env.TWAUTH_FUZZ_SEED ?? 1414);
const RUNS = Number(process.env.TWAUTH_FUZZ_RUNS ?? 300);
const PARALLEL = 4;
const DOCUMENTED = [0, 2, 3, 4, 5, 6, 7];

const SKIPPED = new Set(['sandbox', 'sandbox run', 'sandbox approve', 'doctor']);
const WAITS = 'login'; // without --with-token: for the person at the browser
const commands = (COMMANDS as readonly (CommandSpec | GroupSpec)[]).filter(
  (c): c is CommandSpec => !('group' in c) && !SKIPPED.has(c.name),
);
const login = commands.find((c) => c.name === 'login')!;

let sb: Sandbox;
let withAccount: string;
beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file', emulator: { rateLimits: false } });
  // A config folder with one stored account, copied for the runs that start logged in.
  withAccount = join(tempConfigDir('twauth-fuzz-'), 'config');
  const alice = sb.issue('sandbox_alice');
  const token = JSON.stringify({ ...tokenFields(alice), api_base: sb.emu.url });
  const r = await sb.tw(['login', '--with-token'], { env: { TWAUTH_CONFIG_DIR: withAccount }, input: token });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => sb?.stop());

function tokenFields(t: { token: string; secret: string }) {
  return {
    consumer_key: String(sb.env.TWAUTH_CONSUMER_KEY),
    consumer_secret: String(sb.env.TWAUTH_CONSUMER_SECRET),
    access_token: t.token,
    access_token_secret: t.secret,
  };
}

/** Text a person can put in an argument or a variable: anything but NUL (execve refuses it). */
const noNul = (s: string) => s.replace(/\0/g, '');
const word = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc.string({
        unit: fc.integer({ min: 1, max: 0xffff }).map((c) => String.fromCharCode(c)),
        maxLength: 30,
      }),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1000, maxLength: 20_000 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '-',
        '--',
        '0',
        '-1',
        '65536',
        '1e309',
        'NaN',
        '0x10',
        '99999999999999999999',
        '1.5',
        'GET',
        'post',
        'a=b',
        '=b',
        'a:b',
        'Authorization: x',
        '@/dev/null',
        '@/nonexistent',
        '@/etc',
        '{"text":"hi"}',
        '{',
        '/2/users/me',
        '/2/tweets',
        'http://127.0.0.1:9/x',
        'https://api.x.com/2/users/me',
        'ftp://x',
        '//x',
        'sandbox_alice',
        '1000000001',
        'bash',
        'read',
        'write',
        '\u202e',
        '\x1b[2J',
        'é',
        '🐦',
      ),
    },
  )
  .map(noNul);

/** A command line for `spec`: its words, then options (its own and global) and arguments mixed. */
function commandLine(spec: CommandSpec) {
  const own = Object.values(spec.options).map((o) => ({ flags: optionFlags(o.flags), value: /[<[]/.test(o.flags) }));
  const global = Object.values(GLOBAL_OPTIONS).map((o) => ({
    flags: optionFlags(o.flags),
    value: /[<[]/.test(o.flags),
  }));
  const option = fc
    .constantFrom(...own, ...global)
    .chain((o) => fc.tuple(fc.constantFrom(...o.flags), o.value ? word.map((v) => [v]) : fc.constant([] as string[])));
  const token = fc.oneof(
    { weight: 3, arbitrary: option.map(([flag, value]) => [flag, ...value]) },
    { weight: 1, arbitrary: option.map(([flag, value]) => (value.length ? [`${flag}=${value[0]}`] : [flag])) },
    { weight: 2, arbitrary: word.map((w) => [w]) },
    { weight: 1, arbitrary: fc.constantFrom(['--'], ['-'], ['--help'], ['-h'], ['--version'], ['--nope'], ['-Z']) },
  );
  return fc.array(token, { maxLength: 6 }).map((tokens) => [...spec.name.split(' '), ...tokens.flat()]);
}

const args = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...commands.filter((c) => c.name !== WAITS)).chain(commandLine) },
  // `login --with-token` reads credentials from stdin.
  { weight: 2, arbitrary: commandLine(login).map((a) => [...a, '--with-token']) },
  // Words that are no command, and `help …`.
  { weight: 1, arbitrary: fc.array(word, { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.array(word, { maxLength: 3 }).map((w) => ['help', ...w]) },
);

const VARIABLES = [
  'TWAUTH_API_BASE',
  'TWAUTH_CONSUMER_KEY',
  'TWAUTH_CONSUMER_SECRET',
  'TWAUTH_ACCESS_TOKEN',
  'TWAUTH_ACCESS_TOKEN_SECRET',
  'TWAUTH_ACCOUNT',
  'TWAUTH_USER_ID',
  'TWAUTH_SCREEN_NAME',
  'TWAUTH_KEYCHAIN_TIMEOUT',
  'NO_COLOR',
  'TERM',
];
const env = fc.dictionary(
  fc.constantFrom(...VARIABLES),
  word.map((w) => w.slice(0, 2000)),
  { maxKeys: 4 },
);

const stdin = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '{"consumer_key":"a"}',
      'export TWAUTH_CONSUMER_KEY=a\n',
      '-\n',
      '\n',
      '\r\n',
      '1234567\n',
    ),
  },
  // Up to several MB: more than every bound twauth sets on standard input.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 6 * 1024 * 1024 }), fc.constantFrom('a', 'é', '🐦', '\n'))
      .map(([n, c]) => c.repeat(Math.ceil(n / Buffer.byteLength(c)))),
  },
);

/** Sometimes config.json is replaced: the config is the person's file too (edited by hand, cut short). */
const config = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((j) => Buffer.from(j)) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        '{"version":1}',
        '{"version":1,"accounts":[{}]}',
        '{"version":1,"accounts":[],"defaultAccount":7}',
        '{"version":1,"accounts":[],"clockOffsets":{"x":"y"}}',
        '[]',
        'null',
      )
      .map((t) => Buffer.from(t)),
  },
);

const input = fc.record({ args, env, stdin, loggedIn: fc.boolean(), valid: fc.boolean(), config });

it(`${RUNS} random command lines, variables and inputs: never exit 1, never a crash or a hang (seed ${SEED})`, async () => {
  const cases = fc.sample(input, { seed: SEED, numRuns: RUNS });
  const alice = sb.issue('sandbox_alice');
  const failures: string[] = [];
  const codes = new Map<number, number>();
  const started = Date.now();
  await pool(cases, PARALLEL, async (c, i) => {
    const configDir = join(tempConfigDir('twauth-fuzz-'), 'config');
    if (c.loggedIn) cpSync(withAccount, configDir, { recursive: true });
    if (c.config) {
      mkdirSync(configDir, { recursive: true, mode: 0o700 });
      writeFileSync(join(configDir, 'config.json'), c.config, { mode: 0o600 });
    }
    const runEnv = {
      // Half of the runs start from working credentials in the environment, for the fuzzed
      // values to reach deeper than "not logged in".
      ...(c.valid ? { TWAUTH_ACCESS_TOKEN: alice.token, TWAUTH_ACCESS_TOKEN_SECRET: alice.secret } : {}),
      ...c.env,
      TWAUTH_CONFIG_DIR: configDir,
      TWAUTH_STORE: 'file',
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '127.0.0.1',
    };
    // runTwauth, not sb.tw: this test is about exit codes (sb.tw also checks output purity).
    const r = await runTwauth(c.args, {
      env: { ...sb.env, ...runEnv },
      timeoutMs: 40_000,
      ...(c.stdin !== undefined ? { input: c.stdin } : {}),
    }).catch((err: Error) => ({ code: -1, signal: null, stdout: '', stderr: err.message }));
    codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    // A documented exit code, never "unexpected" (the help's exit-code table names it, so only
    // as a message), and a failure always says something.
    const silent = r.code !== 0 && r.stderr.trim() === '' && r.stdout.trim() === '';
    const bad =
      !DOCUMENTED.includes(r.code) || /^twauth: (unexpected|internal) error|"exit_code":1\b/m.test(r.stderr) || silent;
    if (bad) {
      const shown = (s: string | undefined) =>
        s === undefined
          ? 'none'
          : s.length > 200
            ? `${JSON.stringify(s.slice(0, 200))}… (${s.length} chars)`
            : JSON.stringify(s);
      failures.push(
        `case ${i}: exit ${r.code}\n  args ${JSON.stringify(c.args.map((a) => (a.length > 200 ? `${a.slice(0, 200)}…` : a)))}\n  env ${JSON.stringify(c.env)} loggedIn ${c.loggedIn} valid ${c.valid} config ${c.config ? JSON.stringify(c.config.toString('latin1')) : 'as is'}\n  stdin ${shown(c.stdin)}\n  stderr ${r.stderr.slice(0, 600)}`,
      );
    }
  });
  const summary = [...codes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([code, n]) => `exit ${code}: ${n}`)
    .join(', ');
  console.log(`cli fuzz (seed ${SEED}): ${RUNS} runs in ${Date.now() - started} ms, ${PARALLEL} at a time: ${summary}`);
  expect(failures, `seed ${SEED} (replay: TWAUTH_FUZZ_SEED=${SEED})\n${failures.join('\n')}`).toEqual([]);
  // The inputs reached past the parser: some runs succeeded and some were refused as invalid.
  expect(codes.get(0) ?? 0).toBeGreaterThan(0);
  expect(codes.get(2) ?? 0).toBeGreaterThan(0);
}, 600_000);
