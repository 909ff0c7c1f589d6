// The command line built from the declarations (src/cli/program.ts, src/cli/registry.ts): what
// each command's run receives, by the names its declaration gives, with the declared defaults.
import { describe, expect, it } from 'vitest';
import { buildProgram, type ParsedValues } from '../../src/cli/program.js';
import { COMMANDS, type CommandName } from '../../src/cli/registry.js';

async function parse(
  ...args: string[]
): Promise<{ name: CommandName; values: ParsedValues; globals: Record<string, unknown> }> {
  let got: { name: CommandName; values: ParsedValues; globals: Record<string, unknown> } | undefined;
  const program = buildProgram(
    async (name, values, command) => void (got = { name, values, globals: command.optsWithGlobals() }),
    (c) => c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} }),
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
