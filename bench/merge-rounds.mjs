// Merges hyperfine --export-json files of several rounds of the same commands into one file of
// the same shape (results[]: command, mean, stddev, median, min, max, user, system, times), as if
// one hyperfine run had made every sample. bench/run.sh times in rounds so that a burst of noise
// on a shared machine falls on every command rather than on the one being timed then.
// usage: node bench/merge-rounds.mjs OUT.json ROUND1.json ROUND2.json ...
import { readFileSync, writeFileSync } from 'node:fs';

const [out, ...inputs] = process.argv.slice(2);
if (!out || inputs.length === 0) {
  console.error('usage: node bench/merge-rounds.mjs OUT.json ROUND.json...');
  process.exit(2);
}
const merged = new Map(); // command → { times, user, system } (user/system: per-run sums)
for (const file of inputs) {
  for (const r of JSON.parse(readFileSync(file, 'utf8')).results) {
    const m = merged.get(r.command) ?? { times: [], user: 0, system: 0 };
    m.times.push(...r.times);
    m.user += r.user * r.times.length;
    m.system += r.system * r.times.length;
    merged.set(r.command, m);
  }
}
const results = [...merged].map(([command, { times, user, system }]) => {
  const n = times.length;
  const mean = times.reduce((a, b) => a + b, 0) / n;
  const sorted = [...times].sort((a, b) => a - b);
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  const stddev = n > 1 ? Math.sqrt(times.reduce((a, t) => a + (t - mean) ** 2, 0) / (n - 1)) : 0;
  return {
    command,
    mean,
    stddev,
    median,
    min: sorted[0],
    max: sorted[n - 1],
    user: user / n,
    system: system / n,
    times,
    rounds: inputs.length,
  };
});
writeFileSync(out, JSON.stringify({ results }, null, 2));
