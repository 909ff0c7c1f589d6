// README.md is the contract: every ```sh block in it runs here as a person would type it — each in
// a fresh `bash -eo pipefail`, in an empty directory, with `twauth` on PATH, against a running
// sandbox (the emulator, in this process) and a real Secret Service, with an account logged in
// beforehand — and must exit 0 and have its effect. `https://api.x.com` in a block becomes the
// emulator's URL. Explicit exceptions: the CI block (checked against .ci/run, not run again), the
// set-up + demo block (the demo runs; set-up is CI's job), ```text blocks (an allow-list: install
// commands and the login that needs a real X app), and the ```ts block (test/e2e/library.test.ts).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempConfigDir } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';
import { jpeg, mp4, png } from '../helpers/media-files.js';
import { assertNoSecrets, startSandbox, TWAUTH, type Sandbox } from './support.js';

const README = readFileSync(join(repoRoot, 'README.md'), 'utf8');

interface Block {
  lang: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`README.md:${start + 1}: unclosed fence`);
    blocks.push({ lang: open[1]!, text: body.join('\n') + '\n', line: start + 1 });
  }
  return blocks;
}

const BLOCKS = fencedBlocks(README);
const CI_LINE = 'bash scripts/setup.sh && npm test';
const DEMO_LINE = 'bash scripts/setup.sh && npm run demo';

/** ```text blocks are not run. Each is here, word for word, with the reason. */
const TEXT_ALLOWED: Record<string, string> = {
  // Installing: from the npm registry (a network and a published package), or globally from a
  // clone (changes this machine's global node_modules).
  install: `npm install -g twauth           # from the npm registry
git clone … && cd twauth && npm install && npm install -g .    # from a clone
`,
  // A login against the real X: needs an app's consumer key and secret and a person.
  'real-x-login': `export TWAUTH_CONSUMER_KEY=…  TWAUTH_CONSUMER_SECRET=…
twauth login
`,
};

interface BashResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `script` with `bash -eo pipefail -c` in its own process group (the sandbox block starts a
 * background job): after bash exits, or on timeout, whatever is left of the group is ended.
 */
function bash(
  script: string,
  opts: { env: Record<string, string>; cwd: string; timeoutMs?: number },
): Promise<BashResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script], {
      env: opts.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const endGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is gone
      }
    };
    let exit: { code: number | null; signal: string | null } | undefined;
    const timer = setTimeout(() => {
      endGroup('SIGKILL');
      reject(
        new Error(
          `still running after ${opts.timeoutMs ?? 60_000} ms:\n${script}\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, opts.timeoutMs ?? 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      // A block must clean up after itself; anything it left running is stopped here.
      setTimeout(() => endGroup('SIGKILL'), 2000).unref();
    });
    child.once('close', () => {
      clearTimeout(timer);
      resolve({ ...exit!, stdout, stderr });
    });
  });
}

let sb: Sandbox;
let env: Record<string, string>;
let binDir: string;
const ran = new Set<string>();

/** A fresh, empty working directory for one block. */
const workDir = () => tempConfigDir('twauth-readme-');

beforeAll(async () => {
  sb = await startSandbox({ keychain: 'real' });
  const root = tempConfigDir('twauth-readme-env-');
  binDir = join(root, 'bin');
  mkdirSync(binDir);
  writeFileSync(
    join(binDir, 'twauth'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(TWAUTH)} "$@"\n`,
  );
  chmodSync(join(binDir, 'twauth'), 0o755);
  const home = join(root, 'home');
  mkdirSync(home, { mode: 0o700 });
  env = { PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, LANG: 'C.UTF-8' };
  for (const [k, v] of Object.entries(sb.env)) if (v !== undefined) env[k] = v;
  // Logged in beforehand, the way README says to (the sandbox's person presses Authorize).
  const login = await bash('BROWSER="twauth sandbox approve" twauth login --port 0', { env, cwd: workDir() });
  expect(login.code, login.stderr).toBe(0);
  expect(login.stderr).toContain('Logged in as @sandbox_alice');
  const token = await bash('twauth token --json', { env, cwd: workDir() });
  const creds = JSON.parse(token.stdout) as { access_token: string; access_token_secret: string };
  sb.addSecret(creds.access_token, creds.access_token_secret);
}, 60_000);
afterAll(() => sb?.stop());

/** Runs one README ```sh block as written (but for the API base); it must exit 0 and leak nothing. */
async function runBlock(
  block: Block,
  timeoutMs = 60_000,
  prepare?: (cwd: string) => void,
): Promise<BashResult & { cwd: string }> {
  const cwd = workDir();
  prepare?.(cwd);
  const script = block.text.replaceAll('https://api.x.com', sb.emu.url);
  const r = await bash(script, { env, cwd, timeoutMs });
  expect(
    r.code,
    `README.md:${block.line} exited ${r.code} (${r.signal ?? 'no signal'}):\n${block.text}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
  ).toBe(0);
  assertNoSecrets(
    { code: r.code ?? 0, signal: r.signal, stdout: r.stdout, stderr: r.stderr },
    sb.secrets(),
    `README.md:${block.line}`,
  );
  ran.add(block.text);
  return { ...r, cwd };
}

const shBlock = (needle: string): Block => {
  const found = BLOCKS.filter((b) => b.lang === 'sh' && b.text.includes(needle));
  expect(found, `exactly one sh block containing ${JSON.stringify(needle)}`).toHaveLength(1);
  return found[0]!;
};

const ALICE_ID = '1000000001';

/** The JSON values written one after the other in `text`. */
function splitJson(text: string): unknown[] {
  const values: unknown[] = [];
  let rest = text.trim();
  while (rest) {
    let end = rest.indexOf('}') + 1;
    for (; end > 0; end = rest.indexOf('}', end) + 1) {
      try {
        values.push(JSON.parse(rest.slice(0, end)));
        break;
      } catch {
        // not the end of this value yet
      }
    }
    if (end <= 0) throw new Error(`not a sequence of JSON objects: ${rest}`);
    rest = rest.slice(end).trim();
  }
  return values;
}
/** A sandbox post's address is the sandbox's own page (x.com would not know it). */
const TWEET_LINE = /^(\d+) http:\/\/127\.0\.0\.1:\d+\/\S+\/status\/(\d+)$/;

describe('README.md fenced blocks', () => {
  it('every block is sh, text (allow-listed) or the one ts example', () => {
    expect(BLOCKS.length).toBeGreaterThan(0);
    for (const b of BLOCKS)
      expect(['sh', 'text', 'ts'], `README.md:${b.line}: a \`\`\`${b.lang} block`).toContain(b.lang);
    const allowed = Object.values(TEXT_ALLOWED);
    for (const b of BLOCKS.filter((x) => x.lang === 'text')) {
      expect(
        allowed,
        `README.md:${b.line}: a new \`\`\`text block is not run by any test; run it (make it sh) or allow-list it here:\n${b.text}`,
      ).toContain(b.text);
    }
    // Every allow-listed block is still there (no stale entries).
    for (const [name, text] of Object.entries(TEXT_ALLOWED))
      expect(
        BLOCKS.some((b) => b.lang === 'text' && b.text === text),
        `allow-listed text block "${name}"`,
      ).toBe(true);
    // The ts block is the library example, run by test/e2e/library.test.ts, not here.
    const ts = BLOCKS.filter((b) => b.lang === 'ts');
    expect(ts).toHaveLength(1);
    expect(ts[0]!.text).toMatch(/from 'twauth'/);
  });

  it('the install block installs the package this repository is', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      name: string;
      bin: Record<string, string>;
      engines: { node: string };
    };
    expect(TEXT_ALLOWED.install).toContain(`npm install -g ${pkg.name} `);
    expect(Object.keys(pkg.bin)).toEqual(['twauth']);
    // The Node versions the suite runs on (scripts/test.mjs), stated in engines and in README.
    expect(pkg.engines.node).toBe('^20.19.0 || ^22.12.0 || ^24.0.0');
    expect(README).toContain('**Node 20, 22 and 24**');
    expect(README).toContain(`\`engines\`: \`${pkg.engines.node}\``);
  });

  it('the test block is exactly what CI runs (.ci/run), and is not run again here', () => {
    const block = shBlock(CI_LINE);
    expect(block.text).toBe(`${CI_LINE}\n`);
    const ci = readFileSync(join(repoRoot, '.ci', 'run'), 'utf8').split('\n');
    expect(ci).toContain(CI_LINE);
    ran.add(block.text);
  });

  it('set-up + demo: `npm run demo` ends with "demo: OK" (set-up is CI\'s job)', async () => {
    const block = shBlock(DEMO_LINE);
    expect(block.text).toBe(`${DEMO_LINE}\n`);
    // npm's "new version available" notice would otherwise be the last line on some machines.
    const r = await bash('npm run demo', {
      env: { ...env, npm_config_update_notifier: 'false' },
      cwd: repoRoot,
      timeoutMs: 240_000,
    });
    expect(r.code, `npm run demo exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    const lastLine =
      (r.stdout + '\n' + r.stderr)
        .trimEnd()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .pop() ?? '';
    expect(r.stderr.trimEnd().split('\n').pop()).toMatch(/^demo: OK\b/);
    expect(lastLine).toMatch(/^demo: OK\b/);
    // The demo really did the job: login, a tweet, logout.
    expect(r.stderr).toMatch(/Logged in as @sandbox_alice/);
    // The sandbox's own post pages (x.com would not know these posts).
    expect(r.stdout).toMatch(/^\d+ http:\/\/127\.0\.0\.1:\d+\/\S+\/status\/\d+$/m);
    // Two posts: the text one, then a generated image with its alt text.
    expect(r.stdout.match(/^\d+ http:\/\/127\.0\.0\.1:\d+\/\S+\/status\/\d+$/gm)).toHaveLength(2);
    expect(r.stderr).toMatch(
      /^\$ twauth tweet a generated image, posted with alt text --media \S+\/gradient\.png --alt A square colour gradient/m,
    );
    ran.add(block.text);
  }, 300_000);

  it('quick start: whoami prints the username, tweet posts "hello"', async () => {
    const block = shBlock('twauth tweet "hello"\n');
    const before = sb.emu.tweets().length;
    const r = await runBlock(block);
    const [who, tweet] = r.stdout.trimEnd().split('\n');
    expect(who).toBe('sandbox_alice');
    const m = TWEET_LINE.exec(tweet ?? '');
    expect(m, r.stdout).not.toBeNull();
    expect(m![1]).toBe(m![2]);
    const posted = sb.emu.tweets().slice(before);
    expect(posted).toEqual([expect.objectContaining({ id: m![1], text: 'hello', authorId: ALICE_ID })]);
  });

  it('the sandbox block: its own emulator in the background, a login, a tweet, and the emulator stopped', async () => {
    const block = shBlock('twauth sandbox --port 0 > sandbox.env &');
    const before = sb.emu.tweets().length;
    const r = await runBlock(block);
    expect(r.stdout.trimEnd()).toMatch(TWEET_LINE);
    expect(r.stderr).toContain('Logged in as @sandbox_alice');
    const written = readFileSync(join(r.cwd, 'sandbox.env'), 'utf8');
    const base = /^export TWAUTH_API_BASE=(http:\/\/127\.0\.0\.1:(\d+))$/m.exec(written);
    expect(base, written).not.toBeNull();
    expect(written).toMatch(/^export TWAUTH_CONSUMER_KEY=\S+$/m);
    expect(written).toMatch(/^export TWAUTH_CONSUMER_SECRET=\S+$/m);
    expect(base![1]).not.toBe(sb.emu.url);
    // The tweet went to the block's own sandbox, not to ours.
    expect(sb.emu.tweets().length).toBe(before);
    // `kill %1` stopped it: nothing listens on its port any more.
    await new Promise((r2) => setTimeout(r2, 500));
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: Number(base![2]) });
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    expect(refused, 'the background sandbox still listens after the block').toBe(true);
  });

  it('in pipelines: tweet from stdin, whoami --json | jq, curl with twauth sign, api | jq', async () => {
    const block = shBlock('twauth whoami --json | jq -r .id');
    const before = sb.emu.tweets().length;
    const r = await runBlock(block);
    const lines = r.stdout.split('\n');
    const tweet = TWEET_LINE.exec(lines[0]!);
    expect(tweet, r.stdout).not.toBeNull();
    const posted = sb.emu.tweets().slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ id: tweet![1], authorId: ALICE_ID });
    expect(posted[0]!.text).toMatch(/^deployed (build|[0-9a-f]{7,})$/);
    // whoami --json | jq -r .id
    expect(lines[1]).toBe(ALICE_ID);
    // curl with the header from twauth sign: X's answer to GET /2/users/me (as X sends it, with no
    // newline at the end, so jq's output of the next line follows on the same line).
    const [curlBody, jqOut] = splitJson(lines.slice(2).join('\n'));
    expect(curlBody).toEqual({ data: { id: ALICE_ID, name: 'Alice Sandbox', username: 'sandbox_alice' } });
    // twauth api -q user.fields=created_at /2/users/me | jq .data: the signed query was accepted
    // (the emulator verifies the signature over it) and answered, created_at included.
    expect(jqOut).toMatchObject({
      id: ALICE_ID,
      username: 'sandbox_alice',
      created_at: expect.stringMatching(/^20\d\d-\d\d-\d\dT[\d:.]+Z$/),
    });
    const meCalls = sb.emu.requests().filter((q) => q.method === 'GET' && q.path === '/2/users/me');
    expect(meCalls.at(-1)?.status).toBe(200);
  });

  it('in CI: token --env to a file, sourced, whoami, file removed', async () => {
    const block = shBlock('twauth token --env > ci-credentials.env');
    const r = await runBlock(block);
    expect(r.stdout).toBe('sandbox_alice\n');
    expect(existsSync(join(r.cwd, 'ci-credentials.env'))).toBe(false);
  });

  it('provisioning: token --json | login --with-token checks and stores the credentials', async () => {
    const block = shBlock('twauth login --with-token');
    const r = await runBlock(block);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Logged in as @sandbox_alice \(id 1000000001\)/m);
    // The account works afterwards.
    const who = await bash('twauth whoami', { env, cwd: workDir() });
    expect(who).toMatchObject({ code: 0, stdout: 'sandbox_alice\n' });
  });

  it('media: an image with alt text, four images, a video with text from a file, upload then --media-id, a dry run', async () => {
    const block = shBlock('--media cat.jpg --alt');
    const before = sb.emu.tweets().length;
    const uploads = sb.emu.media().length;
    const r = await runBlock(block, 90_000, (cwd) => {
      writeFileSync(join(cwd, 'cat.jpg'), jpeg(30_000));
      for (const n of [1, 2, 3, 4]) writeFileSync(join(cwd, `${n}.png`), png(1000 * n));
      writeFileSync(join(cwd, 'post.txt'), 'a clip from a file\n');
      writeFileSync(join(cwd, 'clip.mp4'), mp4(200_000));
    });
    const posted = sb.emu.tweets().slice(before);
    expect(posted.map((t) => [t.text, t.mediaIds?.length])).toEqual([
      ['look at this', 1],
      ['', 4],
      ['a clip from a file', 1],
      ['look', 1],
    ]);
    const media = sb.emu.media().slice(uploads);
    expect(media.map((m) => [m.category, m.altText])).toEqual([
      ['tweet_image', 'a grey cat asleep on a keyboard'],
      ['tweet_image', undefined],
      ['tweet_image', undefined],
      ['tweet_image', undefined],
      ['tweet_image', undefined],
      ['tweet_video', undefined],
      ['tweet_image', 'a cat'],
    ]);
    expect(posted[3]!.mediaIds).toEqual([media[6]!.id]);
    expect(r.stdout).toContain(
      'would upload clip.mp4: video/mp4 as tweet_video, 200000 bytes in 1 segment, no alt text',
    );
    expect(sb.emu.tweets().length).toBe(before + 4);
  }, 120_000);

  // Any other ```sh block (one added later) still runs and must exit 0.
  it('every other sh block runs and exits 0', async () => {
    for (const b of BLOCKS.filter((x) => x.lang === 'sh')) {
      // The CI and demo blocks have tests of their own above.
      if (ran.has(b.text) || b.text === `${CI_LINE}\n` || b.text === `${DEMO_LINE}\n`) continue;
      await runBlock(b);
    }
    const special = [`${CI_LINE}\n`, `${DEMO_LINE}\n`];
    expect(
      BLOCKS.filter((x) => x.lang === 'sh' && !special.includes(x.text)).every((b) => ran.has(b.text)),
      'every sh block ran',
    ).toBe(true);
  }, 180_000);
});
