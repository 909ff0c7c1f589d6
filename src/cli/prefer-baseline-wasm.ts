/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it at once with its
 * baseline compiler (Liftoff) and then again, in the background, with its optimising one; a
 * short-lived CLI never benefits from the second, but pays for it: the process waits for that
 * compilation before exiting (measured on Node 20: whoami 460 → 220 ms, peak RSS 93 → 57 MB; on
 * 2026-11-30, Node 20.20: 268 → 96 ms of CPU).
 *
 * A process-wide setting, so the CLI's alone (undiciTransport's beforeFirstRequest hook), set on
 * the first request, after undici and the Node modules it needs are loaded: V8 rejects code caches
 * made under other flags, Node's built-in one included, so built-in modules loaded after the
 * change were compiled from scratch (measured on Node 20: whoami +25 ms when undici was loaded
 * after it). Node's own compile cache (Node ≥ 22, src/cli/node-compile-cache.ts) is not disturbed
 * by a change made at run time: its folder is named after the flags the process started with, and
 * code cached after the change was accepted at every later start (checked on Node 22.23 and
 * 24.22 with NODE_DEBUG_NATIVE=COMPILE_CACHE); a process started with other flags uses a folder
 * of its own.
 */
export async function preferBaselineWasm(): Promise<void> {
  // Node ≥ 22 (V8 ≥ 12.4) no longer makes the process wait for that optimising compile: whoami
  // took the same CPU time with and without the flag there (Node 22.23: 93 vs 95 ms, Node 24.22:
  // 102 vs 103 ms user+sys, hyperfine, 30 runs), and loading node:v8 alone costs ~7 ms of CPU.
  if (Number(process.versions.node.split('.')[0]) >= 22) return;
  const { setFlagsFromString } = await import('node:v8'); // only commands that send a request
  setFlagsFromString('--liftoff-only');
}
