import { defineGroup } from '../command-spec.js';

/** "twauth sandbox": the group of sandbox-run.ts (its default) and sandbox-approve.ts. */
export const spec = defineGroup({
  name: 'sandbox',
  topic: 'try',
  group: true,
  description: 'the local X emulator: try twauth (or your scripts) without an X account',
  help: '"twauth sandbox" alone is "twauth sandbox run". Their options:\n"twauth help sandbox run", "twauth help sandbox approve".',
  examples: ['twauth sandbox --port 0 > sandbox.env &', 'BROWSER="twauth sandbox approve" twauth login --port 0'],
});
