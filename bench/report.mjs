// Prints bench/run.sh's table and target checks, and writes them as Markdown.
// usage: node bench/report.mjs HYPERFINE_JSON RSS_TSV NAMES_TSV FAILED_TXT OUT_MD
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [jsonPath, rssPath, namesPath, failedPath, mdPath] = process.argv.slice(2);
const rows = (path) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));

const names = rows(namesPath); // [key, display name] in the order of the benchmark
const keyOf = new Map(names.map(([key, name]) => [name, key])); // hyperfine's --command-name is the display name
const rss = new Map(rows(rssPath).map(([key, median, all]) => [key, { median: Number(median), all }]));
const failed = readFileSync(failedPath, 'utf8').split('\n').filter(Boolean);
const timing = new Map();
if (existsSync(jsonPath)) {
  for (const r of JSON.parse(readFileSync(jsonPath, 'utf8')).results) {
    timing.set(keyOf.get(r.command) ?? r.command, {
      mean: r.mean * 1000,
      stddev: (r.stddev ?? 0) * 1000,
      median: r.median * 1000,
      cpu: (r.user + r.system) * 1000,
    });
  }
}

const t = (key) => timing.get(key);
const m = (key) => rss.get(key)?.median;
const fmtRatio = (a, b) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : 'n/a');
const node0 = t('node0')?.mean;
const floor = t('floor')?.mean;
const rss0 = m('node0');

const header = [
  'command',
  'mean ± σ (ms)',
  'median (ms)',
  'CPU user+sys (ms)',
  '× node -e 0',
  '× floor',
  'peak RSS (KB)',
  'RSS × node -e 0',
];
const table = names.map(([key, name]) => {
  const x = t(key);
  return [
    name,
    x ? `${x.mean.toFixed(1)} ± ${x.stddev.toFixed(1)}` : 'FAILED',
    x ? x.median.toFixed(1) : '',
    x ? x.cpu.toFixed(1) : '',
    fmtRatio(x?.mean, node0),
    fmtRatio(x?.mean, floor),
    m(key) !== undefined ? String(m(key)) : 'n/a',
    fmtRatio(m(key), rss0),
  ];
});

function check(label, ok, detail) {
  return { label, verdict: ok === undefined ? 'N/A' : ok ? 'PASS' : 'FAIL', detail };
}
const ratio = (a, b) => (a !== undefined && b !== undefined ? a / b : undefined);
const within = (r, limit) => (r === undefined ? undefined : r <= limit);
const show = (r, limit) => (r === undefined ? 'a command failed' : `${r.toFixed(2)}× (limit ${limit}×)`);
const faster = (key) => {
  const me = t(key)?.mean;
  const peers = [t('tweepy')?.mean, t('twitter-v2')?.mean];
  if (me === undefined || peers.includes(undefined)) return [undefined, 'a command failed'];
  return [
    peers.every((p) => me < p),
    `${me.toFixed(1)} ms vs tweepy ${peers[0].toFixed(1)} ms, twitter-api-v2 ${peers[1].toFixed(1)} ms`,
  ];
};
const rVersion = ratio(t('version')?.mean, node0);
const rEnv = ratio(t('whoami-env')?.mean, floor);
const rKc = ratio(t('whoami-kc')?.mean, floor);
const rRssEnv = ratio(m('whoami-env'), rss0);
const rRssKc = ratio(m('whoami-kc'), rss0);
const checks = [
  check('twauth --version ≤ 1.2 × node -e 0', within(rVersion, 1.2), show(rVersion, 1.2)),
  check('twauth whoami (env) ≤ 1.25 × floor', within(rEnv, 1.25), show(rEnv, 1.25)),
  check('twauth whoami (keychain) ≤ 1.4 × floor', within(rKc, 1.4), show(rKc, 1.4)),
  check('twauth whoami (env) faster than both peers', ...faster('whoami-env')),
  check('twauth whoami (keychain) faster than both peers', ...faster('whoami-kc')),
  check('peak RSS of twauth whoami (env) ≤ 1.5 × node -e 0', within(rRssEnv, 1.5), show(rRssEnv, 1.5)),
  check('peak RSS of twauth whoami (keychain) ≤ 1.5 × node -e 0', within(rRssKc, 1.5), show(rRssKc, 1.5)),
];

// What the libraries twauth keeps (undici, commander) cost on their own, and what is twauth's.
const libs = t('libraries')?.mean;
const rLibs = ratio(libs, floor);
const readings = [];
if (libs !== undefined && rLibs !== undefined) {
  readings.push(
    `libraries floor: ${rLibs.toFixed(2)}× floor (${libs.toFixed(1)} ms): floor.cjs with undici and commander as twauth bundles them, the least any twauth command that sends a request can cost${rLibs > 1.25 ? '; above the 1.25× target for whoami (env) on its own' : ''}`,
  );
  for (const [key, label] of [
    ['whoami-env', 'twauth whoami (env)'],
    ['whoami-kc', 'twauth whoami (keychain)'],
  ]) {
    const x = t(key)?.mean;
    if (x !== undefined)
      readings.push(`${label}: ${(x / libs).toFixed(2)}× the libraries floor (+${(x - libs).toFixed(1)} ms)`);
  }
}

// ------------------------------------------------------------------ machine and versions
const quiet = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
};
const pkgVersion = (p) => {
  try {
    return JSON.parse(readFileSync(p, 'utf8')).version;
  } catch {
    return '?';
  }
};
const cpuModel = cpus()[0]?.model?.trim() ?? '?';
const commit = quiet('git', ['rev-parse', '--short', 'HEAD']);
const dirty =
  commit !== '?' && quiet('git', ['status', '--porcelain', '--untracked-files=no'])
    ? ' (with uncommitted changes)'
    : '';
const py = process.env.BENCH_PYTHON || 'python3';
const machine = [
  `nproc ${availableParallelism()}`,
  `CPU ${cpuModel}`,
  `${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
  quiet('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
  `load average ${process.env.BENCH_LOAD_BEFORE ?? '?'} before timing, ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} after`,
].join(', ');
const versions = [
  `Node ${process.version}`,
  `twauth ${pkgVersion('package.json')} @ ${commit}${dirty}`,
  quiet('hyperfine', ['--version']),
  `${quiet(py, ['--version'])} + tweepy ${quiet(py, ['-c', 'import tweepy; print(tweepy.__version__)'])}`,
  `twitter-api-v2 ${pkgVersion('node_modules/twitter-api-v2/package.json')}`,
].join(', ');
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const startUpVars = process.env.BENCH_START_UP_VARS?.trim() || 'none';
const environment =
  process.env.BENCH_ENV === 'minimal'
    ? `env -i with PATH, HOME, LANG, the bus, XDG_CACHE_HOME and the command's own variables (BENCH_ENV=minimal); left out from the caller's: ${startUpVars}`
    : `the caller's (BENCH_ENV=inherit) less TWAUTH_* and BROWSER; start-up variables in it: ${startUpVars}`;
const perRound = Math.ceil(Number(process.env.BENCH_RUNS) / rounds);
const runs = `hyperfine -N, ${rounds} round${rounds === 1 ? '' : 's'} of --runs ${perRound} (all commands in each round; warm-up ${process.env.BENCH_WARMUP} in the first), merged: ${perRound * rounds} runs per command; peak RSS: median of ${process.env.BENCH_RSS_RUNS} runs of GNU time %M`;

// ------------------------------------------------------------------ terminal
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(`twauth start-up benchmark — ${date}`);
console.log(`machine: ${machine}`);
console.log(`versions: ${versions}`);
console.log(`runs: ${runs}`);
console.log(`environment: ${environment}`);
const busy = Number(process.env.BENCH_LOAD_BEFORE?.split(' ')[0]) > availableParallelism();
const busyNote = `the machine was busy (load average ${process.env.BENCH_LOAD_BEFORE} on ${availableParallelism()} CPUs): wall-clock ratios are unreliable; the CPU column is less affected`;
if (busy) console.log(`WARNING: ${busyNote}`);
console.log('');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table) console.log(line(r));
console.log('');
console.log('targets:');
for (const c of checks) console.log(`  ${c.verdict.padEnd(4)}  ${c.label}: ${c.detail}`);
if (readings.length) console.log(`\nreading:\n${readings.map((r) => `  ${r}`).join('\n')}`);
if (failed.length) console.log(`\nfailed: ${failed.join('; ')}`);

// ------------------------------------------------------------------ Markdown
/** 'twauth whoami (env)' → '`twauth whoami` (env)': the command as code, a trailing note not. */
function codeName(name) {
  const [, cmd, note] = name.match(/^(.*?)(?: (\(.*\)))?$/);
  return `\`${cmd}\`${note ? ` ${note}` : ''}`;
}
const md = [
  '## Start-up benchmark',
  '',
  `Measured ${date} by \`npm run bench\` (bench/run.sh).`,
  '',
  `- Machine: ${machine}`,
  `- Versions: ${versions}`,
  `- Method: ${runs}. Environment of the timed commands: ${environment}. Every command runs through \`env\` (it sets the command's variables), on a private D-Bus session bus with an unlocked gnome-keyring; the API is the local X emulator (\`twauth sandbox --no-rate-limits\`) on 127.0.0.1. "floor" is bench/floor.cjs: the same signed GET /2/users/me with node:crypto and node:http only; "libraries floor" is floor.cjs with its request made by undici behind a one-command commander program, bundled as twauth bundles them (bench/libraries-floor.mjs). On Node >= 22, Node's compile cache for twauth starts empty in a private folder: the warm-up runs write it, the timed runs use it (the row "no compile cache" runs without; Node 20 has none).`,
  '',
  `| ${header.join(' | ')} |`,
  `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
  ...table.map((r) => `| ${r.map((c, i) => (i === 0 ? codeName(c) : c)).join(' | ')} |`),
  '',
  '| target | result | |',
  '| --- | --- | --- |',
  ...checks.map((c) => `| ${c.label} | **${c.verdict}** | ${c.detail} |`),
  ...(readings.length ? ['', ...readings.map((r) => `- ${r}`)] : []),
  ...(busy ? ['', `Warning: ${busyNote}.`] : []),
  ...(failed.length ? ['', `Failed: ${failed.join('; ')}`] : []),
  '',
].join('\n');
writeFileSync(mdPath, md);
console.log(`\nwrote ${mdPath} and ${jsonPath}`);
