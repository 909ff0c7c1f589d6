// Issue 14, "Done when": adding a command touches one new file plus one line in the registry
// (src/cli/commands/index.ts). In a copy of the sources, a command is added exactly so; the build
// and the type check pass, and the built bin/twauth runs it, lists it in --help under its topic,
// documents it (help, man page, --json) and keeps its code out of the command-line bundle. A
// registry line whose key is not the command's name fails the type check.
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempConfigDir, twauthEnv } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';

const exec = promisify(execFile);
const NEW_COMMAND = `import type { Context } from '../context.js';
import { defineCommand, type Values } from '../command-spec.js';

export const spec = defineCommand({
  name: 'echo-words',
  topic: 'shell',
  description: 'print its words back (added by a test)',
  args: { words: { description: 'the words', required: true, variadic: true } },
  options: { upper: { type: 'boolean', flags: '--upper', description: 'in capitals' } },
  examples: ['twauth echo-words hello there --upper'],
  json: '{"words": [string]}',
});

export async function run(ctx: Context, values: Values<typeof spec>): Promise<void> {
  const words = values.upper ? values.words.map((w) => w.toUpperCase()) : values.words;
  ctx.io.out(ctx.settings.json ? JSON.stringify({ words }) : words.join(' ') + ' (ECHO_WORDS_RUN)');
}
`;
const LINE = "export * as echoWords from './echo-words.js';\n";

let copy: string;
let env: Record<string, string>;
const tw = (args: string[]) => exec(process.execPath, [join(copy, 'bin', 'twauth'), ...args], { env });

beforeAll(async () => {
  copy = tempConfigDir('twauth-add-command-');
  for (const part of ['src', 'scripts', 'bin', 'package.json', 'tsconfig.json'])
    cpSync(join(repoRoot, part), join(copy, part), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
  // The whole change: one new file, one line.
  writeFileSync(join(copy, 'src', 'cli', 'commands', 'echo-words.ts'), NEW_COMMAND);
  appendFileSync(join(copy, 'src', 'cli', 'commands', 'index.ts'), LINE);
  await exec(process.execPath, ['scripts/build.mjs'], { cwd: copy });
  env = twauthEnv({ TWAUTH_CONFIG_DIR: join(copy, 'config') });
}, 120_000);
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('a command added with one file and one registry line', () => {
  it('type-checks', async () => {
    await exec(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'], {
      cwd: copy,
    });
  }, 60_000);

  it('runs, with its options typed and --json', async () => {
    expect((await tw(['echo-words', 'hello', 'there', '--upper'])).stdout).toBe('HELLO THERE (ECHO_WORDS_RUN)\n');
    expect(JSON.parse((await tw(['echo-words', 'a', 'b', '--json'])).stdout)).toEqual({ words: ['a', 'b'] });
  });

  it('is in --help under its topic, with its own help and man page', async () => {
    const help = (await tw(['--help'])).stdout;
    const shell = /^Shell:\n([\s\S]*?)\n\n/m.exec(help)![1]!;
    expect(shell).toMatch(/^ {2}echo-words \[options\] <words\.\.\.> +print its words back/m);
    const own = (await tw(['help', 'echo-words'])).stdout;
    expect(own).toContain('--upper');
    expect(own).toContain('$ twauth echo-words hello there --upper');
    expect(readFileSync(join(copy, 'dist', 'man', 'man1', 'twauth-echo-words.1'), 'utf8')).toContain('\\-\\-upper');
    // The build keeps package.json's man list (what npm installs) in step.
    expect(JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')).man).toContain(
      './dist/man/man1/twauth-echo-words.1',
    );
  });

  it('its run is in the commands bundle, not in the command line that --help and --version load', async () => {
    expect(readFileSync(join(copy, 'dist', 'cli', 'main.cjs'), 'utf8')).not.toContain('ECHO_WORDS_RUN');
    const dispatch = readFileSync(join(copy, 'dist', 'cli', 'dispatch.cjs'), 'utf8');
    expect(dispatch).toContain('ECHO_WORDS_RUN');
  });

  it('a registry line whose key is not the command name in camelCase fails the type check', async () => {
    const index = join(copy, 'src', 'cli', 'commands', 'index.ts');
    const good = readFileSync(index, 'utf8');
    writeFileSync(index, good.replace(LINE, "export * as echo from './echo-words.js';\n"));
    try {
      const tsc = exec(
        process.execPath,
        [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'],
        {
          cwd: copy,
        },
      );
      await expect(tsc).rejects.toMatchObject({
        stdout: expect.stringMatching(/registry\.ts[^\n]*'Checked'\.\n *Types of property 'echo'/),
      });
    } finally {
      writeFileSync(index, good);
    }
  }, 60_000);
});
