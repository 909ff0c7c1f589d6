// What a newcomer reads first: `twauth --help`, `twauth help <command>`, `twauth <command> --help`
// and the exit-code table — each command's options and examples, checked against README.md — and
// what they get for a typo: exit 2 and one line on stderr that says where to look.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../src/cli/command-spec.js';
import { runTwauth } from '../helpers/cli.js';
import { repoRoot } from '../helpers/secret-service.js';

const README = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** Each command's own options, as README "Commands" (and "Login options") documents them. */
const OWN_OPTIONS: Record<string, string[]> = {
  login: [
    '--pin',
    '--no-browser',
    '--port <n>',
    '--callback-url <url>',
    '--access <level>',
    '--force-login',
    '--screen-name <name>',
    '--consumer-key <key>',
    '--consumer-secret <secret>',
    '--with-token',
    '--from-twurlrc [path]',
    '--from-xurl [path]',
  ],
  whoami: [],
  tweet: [
    '--reply-to <id>',
    '--file <path>',
    '--media <file>',
    '--alt <text>',
    '--media-id <id>',
    '--media-timeout <sec>',
    '--max-video-mb <mb>',
    '--dry-run',
  ],
  media: [],
  'media upload': [
    '--alt <text>',
    '--category <category>',
    '--media-timeout <sec>',
    '--max-video-mb <mb>',
    '--dry-run',
  ],
  thread: [
    '--file <path>',
    '--reply-to <id>',
    '--skip <n>',
    '--media <file>',
    '--alt <text>',
    '--media-id <id>',
    '--media-timeout <sec>',
    '--dry-run',
  ],
  delete: [],
  api: [
    '-X, --method <method>',
    '-d, --data <key=value>',
    '-q, --query <key=value>',
    '--json-body <json|@file|->',
    '-H, --header <name:value>',
    '--input <file|->',
    '-i, --include',
    '--paginate',
    '--slurp',
  ],
  sign: ['-d, --data <key=value>', '--curl'],
  accounts: [],
  switch: [],
  status: [],
  logout: ['--all', '--local-only'],
  token: ['--env'],
  sandbox: [],
  'sandbox run': [
    '--port <n>',
    '--no-rate-limits',
    '--state <file>',
    '--media-processing-ms <ms>',
    '--fail-media-processing <n>',
    '--max-video-mb <mb>',
    '--credits-depleted',
    '--usage-capped <period>',
    '--not-enrolled',
    '--reply-restricted',
  ],
  'sandbox approve': ['--cancel', '--user <name>'],
  doctor: [],
  completion: [],
  'exit-codes': [],
  environment: [],
};
/** README "Global options": every command's help lists them. */
const GLOBAL_OPTIONS = ['--api-base <url>', '--account <name|id>', '--json', '--verbose', '--timeout <sec>', '--wait'];

/** The names in a help text's command sections: "Commands:", or one per topic in `twauth --help`. */
function commandsIn(help: string): string[] {
  const headings = ['Commands', ...Object.values(TOPICS)].join('|');
  const sections = [...help.matchAll(new RegExp(`^(?:${headings}):\\n([\\s\\S]*?)(?:\\n\\n|\\n?(?![\\s\\S]))`, 'gm'))];
  if (!sections.length) throw new Error(`no command section in\n${help}`);
  return sections.flatMap((s) => [...s[1]!.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]!));
}

/** A section ("Options:", "Examples:") of a help text: its lines up to the next blank line. */
function section(help: string, title: string): string {
  const m = new RegExp(`^${title}:\\n([\\s\\S]*?)(?:\\n\\n|\\n?(?![\\s\\S]))`, 'm').exec(help);
  return m ? m[1]! : '';
}

function examplesIn(help: string): string[] {
  return section(help, 'Examples')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('$ '));
}

/** README "Commands" table: the first word after `twauth` in each row's first cell. */
function readmeCommands(): string[] {
  const table = /^## Commands\n+(\|[\s\S]*?)\n\n/m.exec(README)![1]!;
  const names = new Set<string>();
  for (const row of table.split('\n').slice(2)) {
    for (const m of row.split('|')[1]!.matchAll(/`twauth ([a-z-]+)/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

async function helpBothWays(path: string[]): Promise<string> {
  const a = await runTwauth(['help', ...path]);
  const b = await runTwauth([...path, '--help']);
  for (const [how, r] of [
    [`twauth help ${path.join(' ')}`, a],
    [`twauth ${path.join(' ')} --help`, b],
  ] as const) {
    expect(r.code, `${how}: ${r.stderr}`).toBe(0);
    expect(r.stderr, how).toBe('');
  }
  expect(a.stdout, 'help X and X --help show the same text').toBe(b.stdout);
  return a.stdout;
}

describe('twauth --help', () => {
  it('lists exactly the commands README documents, with examples and the exit codes', async () => {
    const r = await runTwauth(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const listed = commandsIn(r.stdout);
    expect(listed.filter((c) => c !== 'help').sort()).toEqual(readmeCommands());
    expect(listed).toContain('help');
    expect(examplesIn(r.stdout).filter((e) => e.startsWith('$ twauth')).length).toBeGreaterThanOrEqual(2);
    expect(r.stdout).toContain('twauth help <command>');
    expect(r.stdout).toMatch(/^Exit codes:/m);
    for (const o of GLOBAL_OPTIONS) expect(section(r.stdout, 'Options'), o).toContain(o);
  });

  it('"twauth help" and "twauth help help" show the same', async () => {
    const main = await runTwauth(['--help']);
    for (const args of [['help'], ['help', 'help'], ['help', '--help']]) {
      const r = await runTwauth(args);
      expect(r.code, `twauth ${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout, `twauth ${args.join(' ')}`).toBe(main.stdout);
    }
  });
});

describe('every command has its own help, with options and examples', () => {
  const names = Object.keys(OWN_OPTIONS).filter((n) => !n.includes(' '));

  it('the table above covers every command twauth lists', async () => {
    const listed = commandsIn((await runTwauth(['--help'])).stdout).filter((c) => c !== 'help');
    expect(names.sort()).toEqual([...listed].sort());
  });

  for (const name of Object.keys(OWN_OPTIONS)) {
    const path = name.split(' ');
    it(`twauth help ${name} / twauth ${name} --help`, async () => {
      const help = await helpBothWays(path);
      expect(help).toMatch(new RegExp(`^Usage: twauth ${name} `));
      const own = section(help, 'Options');
      expect(own).toContain('-h, --help');
      for (const o of OWN_OPTIONS[name]!) expect(own, `${name}: ${o}`).toContain(o);
      const global = section(help, 'Global Options');
      for (const o of GLOBAL_OPTIONS) expect(global, `${name}: global ${o}`).toContain(o);
      const examples = examplesIn(help).filter(
        (e) => e.startsWith('$ twauth ') || e.startsWith(`$ BROWSER="twauth sandbox approve" twauth `),
      );
      expect(examples.length, `${name} examples:\n${section(help, 'Examples')}`).toBeGreaterThanOrEqual(2);
      if (name === 'sandbox') {
        expect(commandsIn(help)).toEqual(['approve', 'run', 'help']);
        expect(help).toContain('twauth help sandbox run');
      }
    });
  }

  it('examples only use options that exist', async () => {
    const known = new Set<string>(['-h', '--help', '-V', '--version']);
    const all = await runTwauth(['--help']);
    for (const o of section(all.stdout, 'Options').matchAll(/(?:^|\s)(--?[a-zA-Z][\w-]*)/g)) known.add(o[1]!);
    const texts: string[] = [];
    for (const name of Object.keys(OWN_OPTIONS)) {
      const help = (await runTwauth([...name.split(' '), '--help'])).stdout;
      for (const o of section(help, 'Options').matchAll(/(?:^|[\s,])(--?[a-zA-Z][\w-]*)/g)) known.add(o[1]!);
      texts.push(...examplesIn(help));
    }
    for (const ex of texts) {
      // Options given to twauth itself (not to curl, jq, ssh or sh in the same line).
      for (const part of ex.split(/\||\$\(|;|&&/)) {
        const m = /twauth\s+(.*)$/.exec(part);
        if (!m) continue;
        for (const flag of m[1]!.matchAll(/(?:^|\s)(--?[a-zA-Z][\w-]*)/g))
          expect(known, `${ex}: ${flag[1]}`).toContain(flag[1]!);
      }
    }
  });
});

describe('exit codes', () => {
  const readmeTable = (): Array<[string, string]> => {
    const table = /^## Exit codes\n+(\|[\s\S]*?)\n\n/m.exec(README)![1]!;
    return table
      .split('\n')
      .slice(2)
      .map((row) => row.split('|').map((c) => c.trim()))
      .map((cells) => [cells[1]!, cells[2]!] as [string, string]);
  };

  it('twauth help exit-codes and twauth exit-codes show the table README documents', async () => {
    const help = await runTwauth(['help', 'exit-codes']);
    expect(help.code).toBe(0);
    const table = await runTwauth(['exit-codes']);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const rows = readmeTable();
    expect(rows.map(([c]) => c)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '129', '130']);
    for (const out of [help.stdout, table.stdout]) {
      for (const [code, meaning] of rows) {
        // The help's wording is shorter; its first words are README's.
        const start = meaning.split(/[;(]/)[0]!.trim().split(' ').slice(0, 3).join(' ');
        expect(out, `exit code ${code}`).toMatch(
          new RegExp(`^ {2}${code} +${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'),
        );
      }
      expect(out).toMatch(/143 terminated/);
    }
  });
});

describe('typos: exit 2 with a single-line hint on stderr', () => {
  const cases: Array<[string[], RegExp]> = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['logni'], /unknown command 'logni'.*Did you mean login\?/],
    [['help', 'frobnicate'], /unknown command 'frobnicate'/],
    [['help', 'sandbox', 'frob'], /unknown command 'sandbox frob'/],
    [['--frob'], /unknown option '--frob'/],
    [['whoami', '--frob'], /unknown option '--frob'/],
    [['tweet', '--reply-to'], /'--reply-to <id>' argument missing/],
    [['login', '--access', 'admin'], /'admin' is invalid.*read, write/],
    [['login', '--port', 'abc'], /--port expects 0-65535/],
    [['tweet', 'a', 'b'], /too many arguments for 'tweet'/],
    [['completion'], /missing required argument 'shell'/],
  ];
  for (const [args, re] of cases) {
    it(`twauth ${args.join(' ')}`, async () => {
      const r = await runTwauth(args, {
        env: { TWAUTH_CONSUMER_KEY: 'k', TWAUTH_CONSUMER_SECRET: 's', TWAUTH_API_BASE: 'http://127.0.0.1:9' },
      });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.endsWith('\n')).toBe(true);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/^twauth: /);
      expect(lines[0]).toMatch(re);
    });
  }
});
