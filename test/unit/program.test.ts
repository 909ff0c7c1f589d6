// The command line built from the declarations (src/cli/program.ts, src/cli/registry.ts): what
// each command's run receives, by the names its declaration gives, with the declared defaults.
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram, commandToRun, type ParsedValues } from '../../src/cli/program.js';
import { COMMANDS, type CommandName } from '../../src/cli/registry.js';

async function parse(
  ...args: string[]
): Promise<{ name: CommandName; values: ParsedValues; globals: Record<string, unknown> }> {
  let got: { name: CommandName; values: ParsedValues; globals: Record<string, unknown> } | undefined;
  const program = buildProgram(
    async (name, values, command) => void (got = { name, values, globals: command.optsWithGlobals() }),
    (c) => c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} }),
    // As bin/twauth builds it: only the command the words name, when they say which.
    commandToRun(args),
  );
  await program.parseAsync(['node', 'twauth', ...args]);
  if (!got) throw new Error('no command ran');
  return got;
}

describe('values from declarations', () => {
  it('login: switches false unless given, --no-browser true unless given, the port default, a choice', async () => {
    expect((await parse('login')).values).toEqual({
      pin: false,
      browser: true,
      port: '8736',
      callbackUrl: undefined,
      access: undefined,
      forceLogin: false,
      screenName: undefined,
      consumerKey: undefined,
      consumerSecret: undefined,
      withToken: false,
    });
    const v = (await parse('login', '--no-browser', '--pin', '--port', '0', '--access', 'read')).values;
    expect(v).toMatchObject({ browser: false, pin: true, port: '0', access: 'read' });
  });

  it('api: a required argument by its name, repeatable options as lists ([] when absent)', async () => {
    expect((await parse('api', '/2/users/me')).values).toEqual({
      path: '/2/users/me',
      method: undefined,
      data: [],
      query: [],
      jsonBody: undefined,
      header: [],
      input: undefined,
      include: false,
      paginate: false,
      slurp: false,
      allowHost: [],
    });
    const v = (await parse('api', '-d', 'a=1', '--data', 'b=2', '-H', 'X-A: 1', '-X', 'post', '/1.1/x.json')).values;
    expect(v).toMatchObject({ path: '/1.1/x.json', data: ['a=1', 'b=2'], header: ['X-A: 1'], method: 'post' });
  });

  it('an optional argument is undefined when absent; a group runs its default command', async () => {
    expect((await parse('tweet')).values).toEqual({
      text: undefined,
      replyTo: undefined,
      file: undefined,
      media: [],
      alt: [],
      mediaId: [],
      mediaTimeout: undefined,
      maxVideoMb: undefined,
      dryRun: false,
    });
    expect((await parse('logout', 'sandbox_bob', '--local-only')).values).toEqual({
      account: 'sandbox_bob',
      all: false,
      localOnly: true,
    });
    expect(await parse('sandbox', '--no-rate-limits')).toMatchObject({
      name: 'sandbox run',
      values: { port: '8737', rateLimits: false, state: undefined },
    });
    // An optional option value given bare is '' (login --from-twurlrc: the default file).
    expect((await parse('login', '--from-twurlrc')).values).toMatchObject({ fromTwurlrc: '', fromXurl: undefined });
    expect((await parse('login', '--from-xurl', '/tmp/x')).values).toMatchObject({ fromXurl: '/tmp/x' });
    expect(await parse('sandbox', 'approve', '--user', 'bob', 'http://x/')).toMatchObject({
      name: 'sandbox approve',
      values: { url: 'http://x/', user: 'bob', cancel: false },
    });
  });

  it('a variadic argument: every remaining word, in order ([] when absent); options around it', async () => {
    expect((await parse('thread')).values).toMatchObject({ parts: [], mediaId: [], dryRun: false });
    expect((await parse('thread', 'one', '--reply-to', '5', 'two', 'three')).values).toMatchObject({
      parts: ['one', 'two', 'three'],
      replyTo: '5',
    });
    expect((await parse('delete', '1', '2')).values).toEqual({ ids: ['1', '2'] });
    await expect(parse('delete')).rejects.toThrow(/missing required argument 'ids'/);
  });

  it('sandbox: the 2026 account switches', async () => {
    expect((await parse('sandbox', '--credits-depleted', '--usage-capped', 'Daily')).values).toMatchObject({
      creditsDepleted: true,
      usageCapped: 'Daily',
      notEnrolled: false,
      replyRestricted: false,
    });
    await expect(parse('sandbox', '--usage-capped', 'Yearly')).rejects.toThrow(/Allowed choices are Monthly, Daily/);
  });

  it('global options reach every command, before or after its name', async () => {
    expect((await parse('--account', 'bob', 'whoami', '--json')).globals).toMatchObject({ account: 'bob', json: true });
  });

  it('every declaration: unique names, no argument and option of the same name, examples given', () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of COMMANDS) {
      expect(c.examples.length, c.name).toBeGreaterThan(0);
      if ('group' in c) continue;
      for (const a of Object.keys(c.args)) expect(Object.keys(c.options), `${c.name}: ${a}`).not.toContain(a);
    }
  });
});

describe('only the command that runs (start-up time)', () => {
  it('tells the command from the words, past global options and their values, and nothing else', () => {
    expect(commandToRun(['whoami'])).toBe('whoami');
    expect(commandToRun(['--account', 'bob', '--json', 'tweet', 'hi'])).toBe('tweet');
    expect(commandToRun(['--account=bob', '--timeout', '5', 'sandbox', 'approve'])).toBe('sandbox');
    expect(commandToRun(['--api-base', 'whoami', 'sign'])).toBe('sign'); // "whoami" is --api-base's value
    for (const words of [
      [],
      ['--help', 'whoami'],
      ['-V'],
      ['help', 'whoami'],
      ['whoam'],
      ['--bogus', 'whoami'],
      ['--', 'whoami'],
      ['--json'],
    ])
      expect(commandToRun(words), words.join(' ')).toBeUndefined();
  });

  it('a command built alone parses, fails and helps exactly as in the whole program', async () => {
    const build = (only?: string) => {
      const errors: string[] = [];
      const ran: unknown[] = [];
      const program = buildProgram(
        async (name, values, command) => void ran.push({ name, values, globals: command.optsWithGlobals() }),
        (c) =>
          c
            .exitOverride()
            .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: (t) => void errors.push(t) }),
        only,
      );
      return { program, errors, ran };
    };
    const helpOf = (program: Command, words: string[]) => {
      let c = program;
      for (const w of words) c = c.commands.find((x) => x.name() === w)!;
      return c.helpInformation();
    };
    const tops = [...new Set(COMMANDS.map((c) => c.name.split(' ')[0]!))];
    expect(tops.length).toBeGreaterThan(10);
    for (const top of tops) {
      const alone = build(top).program;
      // only its own words: nothing of the others was built
      expect(alone.commands.map((c) => c.name())).toEqual([top]);
      for (const spec of COMMANDS.filter((c) => c.name.split(' ')[0] === top)) {
        const words = spec.name.split(' ');
        expect(helpOf(alone, words), spec.name).toBe(helpOf(build().program, words));
      }
    }
    // The same values, and the same errors, word for word.
    for (const words of [
      ['--account', 'bob', 'whoami', '--json'],
      ['whoami', 'extra'],
      ['whoami', '--jsn'],
      ['tweet', '--dry-run', 'hi', '--media', 'a.png'],
      ['sandbox', 'approve', '--user', 'bob', 'http://x/'],
      ['sandbox', 'bogus'],
      ['media', 'bogus'],
      ['media'],
    ]) {
      const whole = build();
      const alone = build(commandToRun(words));
      const outcome = async (b: ReturnType<typeof build>) => {
        try {
          await b.program.parseAsync(['node', 'twauth', ...words]);
          return { ran: b.ran, errors: b.errors };
        } catch (err) {
          return { ran: b.ran, errors: b.errors, code: (err as { code?: string }).code };
        }
      };
      const got = await outcome(alone);
      expect(got, words.join(' ')).toEqual(await outcome(whole));
      if (words[1] === '--jsn') expect(got.errors.join('')).toMatch(/unknown option '--jsn'[\s\S]*--json/);
      if (words[0] === 'media' && words[1] === 'bogus') expect(got.errors.join('')).toMatch(/unknown command 'bogus'/);
    }
  });
});
