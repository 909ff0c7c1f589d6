// Issue 14 (phase A) and issue 16 items 6 and 8, through the built bin/twauth: inputs that used to
// end in "unexpected error" (exit 1) are usage errors; logout takes an account like switch;
// parse errors name the command's own help; bare twauth is a short overview; help fits in 80
// columns for every declared command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/registry.js';
import { startSandbox, type Sandbox } from './support.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ keychain: 'file' });
});
afterAll(() => sb.stop());

describe('inputs that were exit 1', () => {
  it('switch "": exit 2 saying the name is empty, the default unchanged', async () => {
    await sb.login('sandbox_alice');
    await sb.login('sandbox_bob');
    for (const name of ['', '  ']) {
      const r = await sb.tw(['switch', name]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        'twauth: switch needs a username or user id, got an empty one; twauth accounts lists them\n',
      );
    }
    const who = await sb.tw(['whoami']);
    expect(who.stdout).toBe('sandbox_bob\n');
  });

  it('1.1 MB piped into tweet: exit 2 naming the bound, nothing sent', async () => {
    const alice = sb.issue('sandbox_alice');
    const before = sb.emu.requests().length;
    const r = await sb.tw(['tweet'], { env: alice.env, input: 'a'.repeat(1_100_000) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "twauth: standard input is larger than 100000 bytes (X's longest post is 25,000 characters); nothing was sent\n",
    );
    expect(sb.emu.requests().length).toBe(before);
  });

  it('just under the bound is read whole and refused for its length (exit 2), nothing sent', async () => {
    const alice = sb.issue('sandbox_alice');
    const before = sb.emu.requests().length;
    const r = await sb.tw(['tweet', '-'], { env: alice.env, input: 'a'.repeat(100_000) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the text is too long: 100000\/280 weighted characters/);
    expect(sb.emu.requests().length).toBe(before);
  });

  it('a text of only invisible characters (a zero-width space) is refused as such, not as too long', async () => {
    const alice = sb.issue('sandbox_alice');
    const before = sb.emu.requests().length;
    const r = await sb.tw(['tweet', '\u200b \u200b'], { env: alice.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('twauth: the text is only whitespace or invisible characters; nothing was sent\n');
    expect(sb.emu.requests().length).toBe(before);
  });
});

describe('logout NAME|ID', () => {
  it('logs out the account named by username or id, not the default', async () => {
    await sb.login('sandbox_alice');
    await sb.login('sandbox_carol'); // the default now
    const r = await sb.tw(['logout', 'sandbox_alice']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^Logged out @sandbox_alice \(id 1000000001\); the token is revoked/);
    const by = await sb.tw(['logout', '1000000003', '--local-only']);
    expect(by.code).toBe(0);
    expect(by.stderr).toMatch(/^Logged out @sandbox_carol \(id 1000000003\) locally/);
    const list = JSON.parse((await sb.tw(['accounts', '--json'])).stdout) as { username: string }[];
    expect(list.map((a) => a.username)).not.toContain('sandbox_alice');
    expect(list.map((a) => a.username)).not.toContain('sandbox_carol');
  });

  it('an unknown name: exit 2 listing the known accounts; an empty one, or a name with --all: exit 2', async () => {
    const unknown = await sb.tw(['logout', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^twauth: no stored account matches "nosuch"; known accounts: /);
    const empty = await sb.tw(['logout', '']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/logout needs a username or user id, got an empty one/);
    const both = await sb.tw(['logout', 'sandbox_bob', '--all']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe('twauth: give either an account or --all, not both\n');
  });
});

describe('the command line', () => {
  it.each([
    [['tweet', '--bogus'], `twauth: unknown option '--bogus' (see "twauth tweet --help")\n`],
    [['sandbox', 'approve'], `twauth: missing required argument 'url' (see "twauth sandbox approve --help")\n`],
    [
      ['logout', 'a', 'b'],
      `twauth: too many arguments for 'logout'. Expected 1 argument but got 2. (see "twauth logout --help")\n`,
    ],
    [['nosuch'], `twauth: unknown command 'nosuch' (see "twauth --help")\n`],
  ])("%j: exit 2, pointing at that command's help", async (args, stderr) => {
    const r = await sb.tw(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(stderr);
  });

  it('bare twauth: a short overview with every command on stderr, exit 2', async () => {
    const r = await sb.tw([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    const top = COMMANDS.filter((c) => !c.name.includes(' '));
    // One line per command (and help) plus 8 of description, usage and the pointer: nothing more.
    expect(lines.length).toBeLessThanOrEqual(top.length + 1 + 8);
    for (const c of top) expect(lines.some((l) => l.startsWith(`  ${c.name} `))).toBe(true);
    expect(r.stderr).toMatch(/Run "twauth help <command>"/);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
  });

  it('no help line is wider than 80 columns, for twauth and every declared command', async () => {
    const names = ['', ...COMMANDS.map((c) => c.name)];
    for (const name of names) {
      const r = await sb.tw(['help', ...name.split(' ').filter(Boolean)]);
      expect(r.code, name).toBe(0);
      for (const line of r.stdout.split('\n'))
        expect(line.length, `twauth help ${name}: ${line}`).toBeLessThanOrEqual(80);
      // The declaration's examples are what the help shows.
      const spec = COMMANDS.find((c) => c.name === name);
      for (const example of spec?.examples ?? []) expect(r.stdout).toContain(`  $ ${example}`);
    }
  });
});
