// Calls one keytar function in a child node process with an explicit environment, as twauth
// would, so a test never loads keytar (or risks its segfaults) in the test process itself.
// findCredentials is deliberately not offered: it segfaults on a locked keyring.
import { repoRoot } from './secret-service.js';
import { run } from './run.js';
import { tmpdir } from 'node:os';

export type KeytarCall =
  | { method: 'getPassword'; service: string; account: string }
  | { method: 'setPassword'; service: string; account: string; password: string }
  | { method: 'deletePassword'; service: string; account: string };

export interface KeytarResult {
  /** 'resolved' with `value`, 'rejected' with `error`, or 'pending' if the call had not settled by `settleMs`. */
  outcome: 'resolved' | 'rejected' | 'pending';
  value?: string | boolean | null;
  error?: string;
  /** Time the call itself took inside the child (ms). */
  ms: number;
  /** The child's exit code (139 would be a segfault) and stderr, for diagnostics. */
  code: number | null;
  stderr: string;
}

const SCRIPT = `
import keytar from '@github/keytar';
const call = JSON.parse(process.argv[1]);
const settleMs = Number(process.argv[2]);
const args = call.method === 'setPassword' ? [call.service, call.account, call.password] : [call.service, call.account];
const t0 = performance.now();
const settled = keytar[call.method](...args).then(
  (value) => ({ outcome: 'resolved', value: value ?? null }),
  (err) => ({ outcome: 'rejected', error: String(err && err.message || err) }),
);
const pending = new Promise((r) => setTimeout(() => r({ outcome: 'pending' }), settleMs));
const result = await Promise.race([settled, pending]);
result.ms = Math.round(performance.now() - t0);
process.stdout.write(JSON.stringify(result) + '\\n'); // synchronous for pipes on Linux
// With a call still in flight on a hung Secret Service, process.exit() blocks until libsecret's
// own D-Bus timeout (~50 s): only a signal ends the process at once.
if (result.outcome === 'pending') process.kill(process.pid, 'SIGKILL');
process.exit(0);
`;

export async function keytarInChild(
  env: Record<string, string | undefined>,
  call: KeytarCall,
  settleMs = 10_000,
): Promise<KeytarResult> {
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tmpdir(),
    LANG: 'C.UTF-8',
  };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete childEnv[k];
    else childEnv[k] = v;
  }
  const r = await run(process.execPath, ['--input-type=module', '-e', SCRIPT, JSON.stringify(call), String(settleMs)], {
    env: childEnv,
    cwd: repoRoot,
    timeoutMs: settleMs + 10_000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as Omit<KeytarResult, 'code' | 'stderr'>;
    return { ...parsed, code: r.code, stderr: r.stderr };
  } catch {
    throw new Error(`keytar child gave no result (exit ${r.code}, signal ${r.signal}): ${r.stderr.trim()}`);
  }
}
