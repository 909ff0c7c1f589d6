// Issue 7: no command loads the prompt, browser-opener or keychain modules (or undici's whole
// package) unless it uses them; `--version` and `--help` load none of the commands' code; nothing
// loads undici's parser without sending a request, nor the Node modules twauth's bundles stub out
// (node:assert for undici, node:child_process for commander); a keychain read on Linux loads no
// keytar.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/secret-service.js';
import { tempConfigDir } from '../helpers/cli.js';
import { startSandbox, SANDBOX_BROWSER, type Sandbox } from './support.js';

let sb: Sandbox;
let env: Record<string, string | undefined>;
beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
  env = sb.issue('sandbox_alice').env;
});
afterAll(() => sb.stop());

async function traced(
  args: string[],
  extraEnv: Record<string, string | undefined> = {},
  input?: string,
): Promise<{ code: number; modules: string[] }> {
  const log = join(tempConfigDir('twauth-trace-'), 'modules.log');
  const r = await sb.tw(args, {
    env: {
      ...env,
      NODE_OPTIONS: `--require ${join(repoRoot, 'test/fixtures/module-trace.cjs')}`,
      TWAUTH_MODULE_TRACE: log,
      ...extraEnv,
    },
    input,
  });
  // The fixture writes "trace started" before anything loads: no file, or no such line, means the
  // trace did not run, and an empty list would prove nothing.
  if (!existsSync(log))
    throw new Error(`twauth ${args.join(' ')}: no module trace at ${log} (was module-trace.cjs preloaded?)`);
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  if (lines[0] !== 'trace started')
    throw new Error(`twauth ${args.join(' ')}: the module trace does not start with "trace started"`);
  return { code: r.code, modules: lines.filter((l) => l !== 'trace started') };
}

const loads = (modules: string[], re: RegExp) => modules.some((m) => re.test(m));
const PROMPTS = /node_modules\/@inquirer\/|node_modules\/inquirer\//;
const OPEN = /node_modules\/open\//;
const KEYTAR = /node_modules\/keytar\//;
const UNDICI_WHOLE = /node_modules\/undici\/index\.js/;
const LLHTTP = /node_modules\/undici\/lib\/llhttp\/|^read .*\/llhttp(_simd)?\.wasm$/;
const CHILD_PROCESS = /^cjs (node:)?child_process$/;
const ASSERT = /^cjs (node:)?assert$/;

describe('lazy loading', () => {
  it('a run whose trace is missing fails the guard (it is not "nothing loaded")', async () => {
    await expect(traced(['--version'], { NODE_OPTIONS: undefined })).rejects.toThrow(/no module trace/);
  });

  it('--version reads only the entry bundle; --help only the command-line bundle', async () => {
    for (const args of [['--version'], ['-V'], ['--help'], ['help', 'tweet']]) {
      const { code, modules } = await traced(args);
      expect(code).toBe(0);
      expect(modules.filter((m) => /dist\/cli\//.test(m)).map((m) => m.replace(/.*dist\/cli\//, ''))).toEqual(
        args.length === 1 && args[0] !== '--help' ? ['boot.cjs'] : ['boot.cjs', 'main.cjs'],
      );
      expect(loads(modules, CHILD_PROCESS)).toBe(false);
      expect(loads(modules, /node_modules\//)).toBe(false);
    }
  });

  it.each([
    [['whoami']],
    [['tweet', '--dry-run', 'hello']],
    // (a path: the sandbox's token may not be signed for https://api.x.com, another origin)
    [['sign', 'GET', '/2/users/me']],
    [['api', '/2/users/me']],
    [['token', '--json']],
    [['accounts']],
  ])('%j loads no prompt, browser opener, keychain or whole undici', async (args) => {
    const { code, modules } = await traced(args);
    expect(code).toBe(0);
    expect(loads(modules, PROMPTS)).toBe(false);
    expect(loads(modules, OPEN)).toBe(false);
    expect(loads(modules, KEYTAR)).toBe(false);
    expect(loads(modules, UNDICI_WHOLE)).toBe(false);
    expect(loads(modules, /dist\/cli\/emulator\.cjs/)).toBe(false);
    expect(loads(modules, CHILD_PROCESS)).toBe(false);
    expect(loads(modules, ASSERT)).toBe(false);
    // undici's parser only where a request is sent
    expect(loads(modules, LLHTTP)).toBe(args[0] === 'whoami' || args[0] === 'api');
  });

  it("the command-line bundle holds every command's declaration and none of their run code", () => {
    // Each command's file declares it and runs it; the build keeps only the declarations in
    // main.cjs (scripts/build.mjs checks its inputs too). A phrase of each kind, both bundles:
    const main = readFileSync(join(repoRoot, 'dist/cli/main.cjs'), 'utf8');
    const dispatch = readFileSync(join(repoRoot, 'dist/cli/dispatch.cjs'), 'utf8');
    const declared = [
      'check and show the request without sending it',
      'forget without revoking at X',
      'the authorize URL twauth login printed',
    ];
    const ran = [
      'default account is now @',
      'no text: twauth tweet',
      'Logged out @',
      'an X emulator is listening on',
      'is free (register http',
      '--with-token reads credentials from standard input',
    ];
    for (const text of declared) expect(main, text).toContain(text);
    for (const text of ran) {
      expect(dispatch, text).toContain(text);
      expect(main, text).not.toContain(text);
    }
  });

  it('login with BROWSER set and stdin not a terminal loads neither prompts nor the opener', async () => {
    const { code, modules } = await traced(['login', '--port', '0'], { BROWSER: SANDBOX_BROWSER });
    expect(code).toBe(0);
    expect(loads(modules, PROMPTS)).toBe(false);
    expect(loads(modules, OPEN)).toBe(false);
  });

  it('the guard sees the opener when login does use it (control)', async () => {
    // No BROWSER: the `open` package is used (and fails without a desktop: only a note), then the
    // login times out waiting for the person.
    const { modules } = await traced(['login', '--port', '0', '--timeout', '1'], {
      BROWSER: undefined,
      DISPLAY: undefined,
    });
    expect(loads(modules, OPEN)).toBe(true);
  });

  it('an account kept in the file store is read without loading keytar', async () => {
    // The login above stored an account in this sandbox's file store (TWAUTH_STORE=file).
    const { code, modules } = await traced(['whoami'], {
      TWAUTH_ACCESS_TOKEN: undefined,
      TWAUTH_ACCESS_TOKEN_SECRET: undefined,
    });
    expect(code).toBe(0);
    expect(loads(modules, KEYTAR)).toBe(false);
  });
});

describe('lazy loading with the real keychain', () => {
  let kc: Sandbox;
  beforeAll(async () => {
    kc = await startSandbox({ keychain: 'real' });
  });
  afterAll(() => kc?.stop());

  it('an account kept in the keychain is read over the session bus, without loading keytar', async () => {
    const login = await kc.tw(['login', '--with-token'], {
      input: (await kc.tw(['token', '--env'], { env: kc.issue('sandbox_alice').env })).stdout,
    });
    expect(login.code, login.stderr).toBe(0);
    const log = join(tempConfigDir('twauth-trace-'), 'modules.log');
    const r = await kc.tw(['whoami', '--json'], {
      env: { NODE_OPTIONS: `--require ${join(repoRoot, 'test/fixtures/module-trace.cjs')}`, TWAUTH_MODULE_TRACE: log },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ username: 'sandbox_alice', credential_source: 'keychain' });
    expect(loads(readFileSync(log, 'utf8').split('\n'), KEYTAR)).toBe(false);
  });
});
