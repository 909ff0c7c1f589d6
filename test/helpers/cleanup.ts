// Cleanup that runs after the current test file however its tests ended: helpers register here what
// they started (daemons, temp dirs, child processes), so a test that forgets to stop something
// does not leave it behind. vitest ends its workers without running process 'exit' handlers, so
// this hooks vitest's afterAll (registered when this module is evaluated, i.e. once per test file;
// it runs after the file's own afterAll hooks). Outside vitest it falls back to process 'exit'
// (synchronous work only).
import { afterAll } from 'vitest';

type Cleanup = () => unknown;
const pending = new Set<Cleanup>();

async function runAll(): Promise<void> {
  const all = [...pending];
  pending.clear();
  await Promise.allSettled(all.map(async (fn) => fn()));
}

try {
  afterAll(runAll);
} catch {
  process.on('exit', () => void runAll());
}

/** Registers `fn` to run after this test file; returns a function that unregisters it. */
export function atFileEnd(fn: Cleanup): () => void {
  pending.add(fn);
  return () => pending.delete(fn);
}
