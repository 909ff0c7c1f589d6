// The CLI's outermost wrapper (src/cli/run-cli.ts): exit 0 only when the command's promise
// resolved; a command whose promise can never settle is an internal error, exit 1.
import { describe, expect, it } from 'vitest';
import { runCli, type CliDeps } from '../../src/cli/run-cli.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { reportError } from '../../src/cli/report-error.js';

/** Deps whose "event loop" empties when `idle()` is called, as Node's 'beforeExit' would. */
function fakes(parse: () => Promise<number>) {
  const lines: string[] = [];
  let listener: (() => void) | undefined;
  let removed = false;
  const deps: CliDeps = {
    err: (line) => void lines.push(line),
    parse,
    report: async (err) => reportError(err),
    onIdle: (l) => {
      listener = l;
      return () => void (removed = true);
    },
  };
  return { deps, lines, idle: () => listener?.(), removed: () => removed };
}

describe('runCli', () => {
  it('a command that never settles: exit 1, "internal error: the command ended without finishing"', async () => {
    const f = fakes(() => new Promise<number>(() => {}));
    const code = runCli(f.deps);
    await new Promise((r) => setImmediate(r));
    f.idle();
    expect(await code).toBe(1);
    expect(f.lines).toEqual(['twauth: internal error: the command ended without finishing']);
    expect(f.removed()).toBe(true);
  });

  it('under --json, that too is one JSON object', async () => {
    const f = fakes(() => new Promise<number>(() => {}));
    f.deps = { ...f.deps, report: async (err) => reportError(err, false, true) };
    const code = runCli(f.deps);
    await new Promise((r) => setImmediate(r));
    f.idle();
    expect(await code).toBe(1);
    expect(f.lines.map((l) => JSON.parse(l))).toEqual([
      { error: { message: 'internal error: the command ended without finishing', exit_code: 1, hint: null } },
    ]);
  });

  it('a command that resolves: its exit code, nothing printed, the idle listener removed', async () => {
    const f = fakes(async () => 4);
    expect(await runCli(f.deps)).toBe(4);
    expect(f.lines).toEqual([]);
    expect(f.removed()).toBe(true);
  });

  it('a command that throws: reported in one place with its exit code and hint', async () => {
    const f = fakes(async () => {
      throw new UsageError('--port expects 0-65535 (got "x")', 'try --port 0');
    });
    expect(await runCli(f.deps)).toBe(2);
    expect(f.lines).toEqual(['twauth: --port expects 0-65535 (got "x")', 'twauth: try --port 0']);
  });

  it('a bug: exit 1 "unexpected error", the stack only under --verbose', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'key')");
    expect(reportError(bug)).toEqual({
      code: 1,
      lines: [`twauth: unexpected error: ${bug.message}`, 'twauth: run again with --verbose for details'],
    });
    expect(reportError(bug, true).lines[1]).toBe(`twauth: ${bug.stack}`);
  });
});
