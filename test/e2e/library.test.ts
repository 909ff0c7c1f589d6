// README "Library API": its ```ts example is the contract. It is extracted from README.md, type
// checked and transpiled, and run with node from inside the repository so that `import … from
// 'twauth'` resolves to this package through package.json "exports" (dist/lib), against the
// emulator. The documented exports are checked in the built library too.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { repoRoot } from '../helpers/secret-service.js';

// The emulator runs in this process: child processes are awaited, never run synchronously.
const exec = promisify(execFile);

const DOCUMENTED = [
  'signRequest',
  'accessToken',
  'XClient',
  'undiciTransport',
  'systemClock',
  'login',
  'startCallbackServer',
  'Accounts',
  'keychainStore',
  'fileStore',
  'memoryStore',
  'tweetLength',
  'parseUrlEncoded',
  'percentEncode',
] as const;

const outDir = join(repoRoot, 'test-output');
const stem = `readme-example-${process.pid}`;
const written: string[] = [];
let emu: Emulator;
let example: string;

async function readmeExample(): Promise<string> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  expect(blocks, 'README.md has exactly one ```ts block').toHaveLength(1);
  return blocks[0]!;
}

async function put(name: string, text: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, name);
  await writeFile(path, text);
  written.push(path);
  return path;
}

beforeAll(async () => {
  emu = await startEmulator();
  example = await readmeExample();
});
afterAll(async () => {
  await emu?.close();
  for (const p of written) await rm(p, { force: true });
});

describe("README's library example", () => {
  it('imports from the package itself and addresses https://api.x.com', () => {
    expect(example).toMatch(/from 'twauth';/);
    expect(example.match(/https:\/\/api\.x\.com/g)).toHaveLength(2);
    expect(example).toMatch(/console\.log\(authorization\.startsWith\('OAuth '\), data\.data\.username\);/);
  });

  it('type-checks against dist/lib/index.d.ts (strict, NodeNext), with every documented export', async () => {
    expect(existsSync(join(repoRoot, 'dist/lib/index.d.ts'))).toBe(true);
    const probe = `\nimport * as twauthLib from 'twauth';\nexport const documented: unknown[] = [${DOCUMENTED.map((n) => `twauthLib.${n}`).join(', ')}];\n`;
    const file = await put(`${stem}.mts`, example + probe);
    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const args = [
      '--ignoreConfig',
      '--noEmit',
      '--strict',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--lib',
      'es2022',
      '--types',
      'node',
      '--skipLibCheck',
      file,
    ];
    const r = await exec(process.execPath, [tsc, ...args], { cwd: repoRoot, timeout: 120_000 }).catch(
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    expect('code' in r ? `${r.stdout}${r.stderr}` : '').toBe('');
  }, 120_000);

  it('transpiled with esbuild and run with node against the emulator, prints "true sandbox_alice"', async () => {
    const { code, warnings } = await transform(example, { loader: 'ts', format: 'esm', target: 'node20' });
    expect(warnings).toEqual([]);
    expect(code).toMatch(/from "twauth"/);
    const pointed = code.replaceAll('https://api.x.com', emu.url);
    expect(pointed).not.toContain('api.x.com');
    // One more line after the example: the signed header, to check it against the emulator too.
    const file = await put(`${stem}.mjs`, `${pointed}\nprocess.stderr.write(authorization);\n`);

    const app = emu.apps[0]!;
    const alice = emu.issueAccessToken('1000000001', app.consumerKey);
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'C.UTF-8',
      HOME: outDir,
      TWAUTH_CONSUMER_KEY: app.consumerKey,
      TWAUTH_CONSUMER_SECRET: app.consumerSecret,
      TWAUTH_ACCESS_TOKEN: alice.token,
      TWAUTH_ACCESS_TOKEN_SECRET: alice.secret,
    };
    const before = emu.requests().length;
    const r = await exec(process.execPath, [file], { cwd: outDir, env, timeout: 30_000 });
    expect(r.stdout).toBe('true sandbox_alice\n');
    const calls = emu.requests().slice(before);
    expect(calls).toEqual([expect.objectContaining({ method: 'GET', path: '/2/users/me', status: 200 })]);

    // signRequest's header is a valid one: the emulator (its own verifier) accepts it once.
    const header = r.stderr;
    expect(header).toMatch(/^OAuth oauth_consumer_key="sandbox-consumer-key", .*oauth_signature="[^"]+"$/);
    expect(header).not.toContain(alice.secret);
    expect(header).not.toContain(app.consumerSecret);
    const curl = await exec('curl', ['-sS', '-H', `Authorization: ${header}`, `${emu.url}/2/users/me`]);
    expect(JSON.parse(curl.stdout).data.username).toBe('sandbox_alice');
  });

  it('with a revoked token the example fails with a typed XApiError (401, code 89)', async () => {
    const { code } = await transform(example, { loader: 'ts', format: 'esm' });
    const wrapped = `try {\n${code.replace(/^import .*$/gm, '')}\n} catch (err) { console.log(err.name, err.status, err.code); process.exitCode = 3; }`;
    const imports = code.match(/^import .*$/gm)!.join('\n');
    const file = await put(
      `${stem}-revoked.mjs`,
      `${imports}\nimport { XApiError } from 'twauth';\n${wrapped.replaceAll('https://api.x.com', emu.url).replace('console.log(err.name', 'console.log(err instanceof XApiError, err.name')}`,
    );
    const app = emu.apps[0]!;
    const t = emu.issueAccessToken('1000000002', app.consumerKey);
    emu.revokeAccessToken(t.token);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: outDir,
      TWAUTH_CONSUMER_KEY: app.consumerKey,
      TWAUTH_CONSUMER_SECRET: app.consumerSecret,
      TWAUTH_ACCESS_TOKEN: t.token,
      TWAUTH_ACCESS_TOKEN_SECRET: t.secret,
    };
    const r = await exec(process.execPath, [file], { cwd: outDir, env, timeout: 30_000 }).catch(
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    expect('code' in r ? r.code : 0).toBe(3);
    expect(r.stdout).toBe('true XApiError 401 89\n');
  });
});

describe('process-wide settings belong to the CLI, not the library (issue 15)', () => {
  const spy = join(repoRoot, 'test/fixtures/v8-flag-spy.cjs');
  const flagsOf = (stderr: string) => JSON.parse(/^V8FLAGS (.*)$/m.exec(stderr)?.[1] ?? 'null') as string[] | null;

  it('importing the library and sending requests through undiciTransport leaves V8 flags alone', async () => {
    const file = await put(
      `${stem}-v8.mjs`,
      `import { undiciTransport } from 'twauth';
const send = undiciTransport();
const raw = await send({ method: 'GET', url: process.argv[2] + '/2/users/me', headers: {}, timeoutMs: 10000 });
console.log(raw.status);
`,
    );
    const before = emu.requests().length;
    const r = await exec(process.execPath, ['--require', spy, file, emu.url], {
      cwd: outDir,
      env: { PATH: process.env.PATH ?? '', HOME: outDir },
      timeout: 30_000,
    });
    expect(r.stdout).toBe('401\n'); // unsigned: the request reached the emulator
    expect(emu.requests().length).toBe(before + 1);
    expect(flagsOf(r.stderr)).toEqual([]);
  });

  it("the spy sees a flag set through import('node:v8'), as the library once did", async () => {
    const r = await exec(
      process.execPath,
      ['--require', spy, '--input-type=module', '-e', "(await import('node:v8')).setFlagsFromString('--liftoff-only')"],
      { cwd: outDir, env: { PATH: process.env.PATH ?? '' } },
    );
    expect(flagsOf(r.stderr)).toEqual(['--liftoff-only']);
  });

  it('the CLI sets its flag where it pays (Node 20), through the same spy', async () => {
    const app = emu.apps[0]!;
    const alice = emu.issueAccessToken('1000000001', app.consumerKey);
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: outDir,
      NODE_DISABLE_COMPILE_CACHE: '1',
      TWAUTH_CONFIG_DIR: join(outDir, `${stem}-config`),
      TWAUTH_API_BASE: emu.url,
      TWAUTH_CONSUMER_KEY: app.consumerKey,
      TWAUTH_CONSUMER_SECRET: app.consumerSecret,
      TWAUTH_ACCESS_TOKEN: alice.token,
      TWAUTH_ACCESS_TOKEN_SECRET: alice.secret,
    };
    const r = await exec(process.execPath, ['--require', spy, join(repoRoot, 'bin/twauth'), 'whoami'], {
      cwd: outDir,
      env,
      timeout: 30_000,
    });
    expect(r.stdout).toBe('sandbox_alice\n');
    // src/cli/prefer-baseline-wasm.ts: measured to help on Node 20 only.
    expect(flagsOf(r.stderr)).toEqual(Number(process.versions.node.split('.')[0]) < 22 ? ['--liftoff-only'] : []);
  });
});

describe('the built library (dist/lib)', () => {
  it('exports what the README documents, with declarations', async () => {
    expect(existsSync(join(repoRoot, 'dist/lib/index.d.ts'))).toBe(true);
    const lib = (await import(pathToFileURL(join(repoRoot, 'dist/lib/index.js')).href)) as Record<string, unknown>;
    for (const name of DOCUMENTED) expect(typeof lib[name], `export ${name}`).toBe('function');
    // package.json points at the same files.
    const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
      exports: { '.': { types: string; import: string } };
    };
    expect(pkg.exports['.']).toEqual({ types: './dist/lib/index.d.ts', import: './dist/lib/index.js' });
  });

  it('the pieces behave as documented', async () => {
    const lib = await import(pathToFileURL(join(repoRoot, 'dist/lib/index.js')).href);
    // X's "Creating a signature" example (README "The signer").
    const x = {
      method: 'POST',
      form: [['status', 'Hello Ladies + Gentlemen, a signed OAuth request!']],
      consumer: { key: 'xvz1evFS4wEEPTGEFPHBog', secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw' },
      token: lib.accessToken(
        '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
        'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      ),
      timestamp: 1318622958,
      nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
    };
    expect(
      lib.signRequest({ ...x, url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true' })
        .signature,
    ).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    expect(
      lib.signRequest({ ...x, url: 'https://api.x.com/1.1/statuses/update.json?include_entities=true' }).signature,
    ).toBe('Ls93hJiZbQ3akF3HF3x1Bz8/zU4=');
    expect(lib.percentEncode('Ladies + Gentlemen')).toBe('Ladies%20%2B%20Gentlemen');
    expect(lib.parseUrlEncoded('a=1&b=x+y&a=%E2%98%83')).toEqual([
      ['a', '1'],
      ['b', 'x y'],
      ['a', '☃'],
    ]);
    expect(lib.tweetLength('x'.repeat(280))).toMatchObject({ weightedLength: 280, valid: true });
    expect(lib.tweetLength('漢'.repeat(141))).toMatchObject({ weightedLength: 282, valid: false });
    // A memory-backed account store, as the CLI's tests use.
    const store = lib.memoryStore();
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
  });
});
