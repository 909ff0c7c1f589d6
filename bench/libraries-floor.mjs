// The libraries floor: bench/floor.cjs (the same signed GET /2/users/me, unchanged) with its
// request made by undici, loaded as twauth loads it (bench/undici-as-http.mjs), behind a
// one-command commander program. What the two libraries twauth keeps cost on their own, bundled
// the way twauth bundles them (bench/build-libraries-floor.mjs): twauth does all of this and more,
// so no twauth command that sends a request can start faster. A yardstick, not a tool.
import { Command } from 'commander';

new Command('twauth')
  .command('whoami')
  .option('--json', 'print JSON')
  .action(() => import('./floor.cjs'))
  .parent.parse();
