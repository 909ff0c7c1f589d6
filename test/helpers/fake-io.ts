// An Io (src/cli/io.ts) with no terminal and no process behind it, and the whole command line run
// in-process with it: the declarations, the parser, dispatch, the command and report-error, as
// bin/twauth runs them (src/cli/main.ts), minus the process. For fast unit tests of commands.
import { PassThrough, Readable } from 'node:stream';
import { CommanderError } from 'commander';
import type { HttpRequest, HttpResponse, HttpSend } from '../../src/api/http-transport.js';
import type { ContextServices } from '../../src/cli/context.js';
import { runCommand } from '../../src/cli/dispatch.js';
import type { Io, SignalName } from '../../src/cli/io.js';
import { buildProgram } from '../../src/cli/program.js';
import { reportError } from '../../src/cli/report-error.js';

export interface FakeIo extends Io {
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Delivers a signal to whoever listens (as the process would). */
  signal(name: SignalName): void;
  /** How many listen now. */
  listeners(): number;
}

export interface FakeIoOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Standard input: text or bytes piped in; absent, an empty pipe. */
  readonly stdin?: string | Buffer;
  readonly tty?: boolean;
}

export function fakeIo(opts: FakeIoOptions = {}): FakeIo {
  let out = '';
  let err = '';
  const listening = new Set<{ signals: readonly SignalName[]; listener: (s: SignalName) => void }>();
  const promptOutput = new PassThrough();
  promptOutput.on('data', (chunk: Buffer) => void (err += chunk.toString('utf8')));
  const tty = opts.tty ?? false;
  return {
    out: (text) => void (out += text.endsWith('\n') ? text : text + '\n'),
    err: (text) => void (err += text.endsWith('\n') ? text : text + '\n'),
    errRaw: (text) => void (err += text),
    stdinIsTTY: tty,
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    fancy: tty,
    env: opts.env ?? {},
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    promptOutput,
    terminal: { rows: () => (tty ? 24 : undefined), onResize: () => () => {} },
    onSignal(signals, listener) {
      const entry = { signals, listener };
      listening.add(entry);
      return () => void listening.delete(entry);
    },
    stdout: () => out,
    stderr: () => err,
    signal(name) {
      for (const l of [...listening]) if (l.signals.includes(name)) l.listener(name);
    },
    listeners: () => listening.size,
  };
}

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `twauth ARGS…` in this process with `io` and `services`; resolves with its exit code. */
export async function runInProcess(
  args: readonly string[],
  io: FakeIo,
  services: ContextServices = {},
): Promise<InProcessResult> {
  let code = 0;
  let globals: Record<string, unknown> = {};
  const program = buildProgram(
    async (name, values, command) => {
      globals = command.optsWithGlobals();
      code = await runCommand(io, name, values, globals, services);
    },
    (c) => c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.errRaw(s) }),
  );
  try {
    await program.parseAsync(['node', 'twauth', ...args]);
  } catch (err) {
    if (err instanceof CommanderError) code = err.exitCode === 0 ? 0 : 2;
    else {
      const report = reportError(err, Boolean(globals.verbose), Boolean(globals.json));
      for (const line of report.lines) io.err(line);
      code = report.code;
    }
  }
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** A network that answers from `routes` ("GET /2/users/me") and records every request. */
export function fakeX(
  routes: Record<string, (req: HttpRequest) => Partial<HttpResponse> & { json?: unknown }>,
): HttpSend & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    requests.push(req);
    const route = routes[`${req.method} ${new URL(req.url).pathname}`];
    if (!route) return { status: 404, headers: { 'content-type': 'application/json' }, body: '{"title":"Not Found"}' };
    const r = route(req);
    return {
      status: r.status ?? 200,
      headers: { 'content-type': 'application/json', ...r.headers },
      body: r.body ?? JSON.stringify(r.json ?? {}),
    };
  };
  return Object.assign(send, { requests });
}
