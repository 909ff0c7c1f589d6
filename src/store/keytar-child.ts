import { childEnv } from './child-env.js';

// Runs in the child: one keytar write, the request (secret included) read from stdin so that it
// never shows in the process list, the outcome written to stdout as JSON.
const CHILD = `
const keytar = require(process.argv[1]);
let input = '';
process.stdin.setEncoding('utf8').on('data', (d) => (input += d)).on('end', async () => {
  const { op, service, account, secret } = JSON.parse(input);
  try {
    const result = op === 'set' ? await keytar.setPassword(service, account, secret) : await keytar.deletePassword(service, account);
    process.stdout.write(JSON.stringify({ ok: true, result: result ?? null }));
  } catch (err) {
    process.stdout.write(JSON.stringify({ ok: false, message: String((err && err.message) || err) }));
  }
});
`;

export type ChildOutcome =
  | { ok: true; result: boolean | null }
  | { ok: false; message: string }
  | { timedOut: true }
  | { aborted: true };

/**
 * One keychain write in a child process that is killed at the deadline. A write stuck in a
 * keychain that never answers holds a libuv thread, and Node waits for that thread before it
 * exits (measured: ~49 s after the timeout had already been reported). Writes happen at login
 * and logout only, where the child's start-up (~80 ms) does not matter; reads stay in-process.
 */
export async function keytarWriteInChild(
  keytarPath: string,
  request: { op: 'set' | 'delete'; service: string; account: string; secret?: string },
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<ChildOutcome> {
  // Loaded here, not at start-up: commands that only read the keychain never spawn (~3 ms).
  const { spawn } = await import('node:child_process');
  if (signal?.aborted) return { aborted: true };
  return new Promise((resolve) => {
    // The secret travels on stdin; the environment keeps only what libsecret needs (childEnv).
    const child = spawn(process.execPath, ['-e', CHILD, keytarPath], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: childEnv(env),
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ timedOut: true });
    }, timeoutMs);
    // Interrupted (Ctrl-C, SIGTERM, SIGHUP): the helper is killed at once, never left running.
    const onAbort = () => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ aborted: true });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('close', () => signal?.removeEventListener('abort', onAbort));
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, message: err.message });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return; // our own deadline: already resolved
      try {
        resolve(JSON.parse(out) as ChildOutcome);
      } catch {
        resolve({
          ok: false,
          message: `the keychain helper process ended (${signal ?? `status ${code}`}) without an answer`,
        });
      }
    });
    child.stdin.on('error', () => {});
    child.stdin.end(JSON.stringify(request));
  });
}
