// Summarizes a V8 .cpuprofile (node --cpu-prof): self time by category, by source module (the
// esbuild bundle's `// node_modules/...` / `// src/...` markers map its lines back to the files
// they came from), and the top functions.
// usage: node bench/profile-summary.mjs FILE.cpuprofile [TOP=15]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [TOP]');
  process.exit(2);
}
const top = Number(topArg ?? 15);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const fnKeyOf = (cf) =>
  `${cf.functionName || '(anonymous)'}  ${cf.url ? `${cf.url.replace(/^file:\/\/.*\/(?=(dist|node_modules|bench|bin)\/)/, '')}:${cf.lineNumber + 1}` : ''}`;

// Self time per node: each sample is charged the time until the next one.
const self = new Map();
const { samples, timeDeltas } = profile;
for (let i = 0; i < samples.length; i++) {
  const dt = (timeDeltas[i + 1] ?? 0) / 1000;
  self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
}
const total = (profile.endTime - profile.startTime) / 1000;

// esbuild writes paths relative to the working directory, e.g. ../../x/node_modules/... when
// node_modules is a symlink: keep them from node_modules/ on.
function normPath(p) {
  const i = p.indexOf('node_modules/');
  return i >= 0 ? p.slice(i) : p.replace(/^(\.\.\/)+/, '');
}

// Bundle line → source module, from esbuild's path comments.
const markers = new Map(); // url → [{ line, module }] sorted
function moduleOf(url, line) {
  if (!url.startsWith('file://')) return undefined;
  if (!markers.has(url)) {
    const list = [];
    try {
      readFileSync(fileURLToPath(url), 'utf8')
        .split('\n')
        .forEach((text, i) => {
          const m = /^\/\/ (\S+\.(?:[cm]?[jt]s|json))$/.exec(text);
          if (m) list.push({ line: i, module: normPath(m[1]) });
        });
    } catch {}
    markers.set(url, list);
  }
  const list = markers.get(url);
  let found;
  for (const m of list) {
    if (m.line <= line) found = m.module;
    else break;
  }
  return found;
}

function packageOf(module) {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  return m ? m[1] : module.startsWith('src/') ? module.split('/').slice(0, 2).join('/') : module;
}

const cats = new Map();
const mods = new Map();
const pkgs = new Map();
const fns = new Map();
const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
for (const [id, ms] of self) {
  const { callFrame: cf } = byId.get(id);
  const url = cf.url;
  let cat;
  if (!url) cat = cf.functionName.startsWith('(') ? cf.functionName : '(native / builtin)';
  else if (url.startsWith('node:')) cat = 'node internals (node:*)';
  else {
    const mod = moduleOf(url, cf.lineNumber);
    const where = mod ?? url.replace(/^file:\/\/.*?\/(node_modules|dist|bench|bin)\//, '$1/');
    cat = mod ? 'bundle (dist/cli)' : 'other JS files';
    add(mods, where, ms);
    add(pkgs, mod ? packageOf(mod) : where.replace(/^(node_modules\/(?:@[^/]+\/)?[^/]+).*/, '$1'), ms);
  }
  add(cats, cat, ms);
  add(fns, fnKeyOf(cf), ms);
}

// Inclusive time per function (each function counted once per sample, so recursion does not
// inflate it): where whole phases go, e.g. compiling the bundle or instantiating a parser.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (let i = 0; i < samples.length; i++) {
  const dt = (timeDeltas[i + 1] ?? 0) / 1000;
  const seen = new Set();
  for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
    const cf = byId.get(id).callFrame;
    if (cf.functionName === '(root)') continue;
    const key = fnKeyOf(cf);
    if (!seen.has(key)) {
      seen.add(key);
      add(incl, key, dt);
    }
  }
}

const sorted = (map) => [...map].sort((a, b) => b[1] - a[1]);
const pct = (ms) => `${ms.toFixed(1).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${total.toFixed(1)} ms profiled, ${samples.length} samples`);
console.log('\nself time by category:');
for (const [k, v] of sorted(cats)) console.log(`  ${pct(v)}  ${k}`);
console.log('\nself time by package / source directory (JS only):');
for (const [k, v] of sorted(pkgs).slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
console.log('\nself time by source module (JS only):');
for (const [k, v] of sorted(mods).slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
console.log('\ntop functions by self time:');
for (const [k, v] of sorted(fns).slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
// esbuild names each bundled module's wrapper (__esm / __commonJS) after its path, so these
// functions' inclusive time is what evaluating that module cost, its own imports included.
const inits = sorted(incl)
  .map(([k, v]) => [k.split('  ')[0], v])
  .filter(([name]) => /^(\.\.\/)*(src|node_modules)\/|\/node_modules\//.test(name))
  .map(([name, v]) => [normPath(name), v]);
if (inits.length) {
  console.log('\nbundled module initialisation (inclusive: the module and what it pulls in):');
  for (const [k, v] of inits.slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
}
console.log('\ntop functions by inclusive time:');
for (const [k, v] of sorted(incl).slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
