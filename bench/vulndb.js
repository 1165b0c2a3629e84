// Benchmark: the vulnerability database on the real OSV data in ../shared/data/osv.
//
// 1. Import: `importOsv` of the whole folder into a fresh database, against the floor of gunzipping and
//    JSON.parse-ing the same records in the same process (target: import ≤ 3× the floor). Each is run
//    BENCH_RUNS times (default 3), interleaved; the medians are compared.
// 2. Lookups: 100,000 (ecosystem, name, version) lookups drawn from the data (a package named by the data,
//    uniformly, and a version its advisories name), first on a freshly opened database (cold), then
//    BENCH_RUNS times again (warm, median: target ≥ 200,000/s); and 100,000 lookups of names no advisory
//    mentions, the common case in a real scan.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { importOsv } from '../dist/vulndb/import.js';
import { VulnDatabase } from '../dist/vulndb/store.js';
import { fmt } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = resolve(ROOT, '../shared/data/osv');
const WORK = join(ROOT, 'bench/.work/vulndb');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LOOKUPS = 100_000;
const SUPPORTED = new Set(['npm', 'PyPI', 'Go', 'crates.io', 'RubyGems', 'Maven', 'NuGet', 'Packagist']);

/** Every record of the data; with `keep` false, parsed and dropped: the floor any importer must pay. */
function parseAll(keep) {
  const records = [];
  let count = 0;
  const take = (record) => {
    count++;
    if (keep) records.push(record);
  };
  for (const name of readdirSync(DATA).sort()) {
    if (!name.endsWith('.jsonl.gz')) continue;
    const text = gunzipSync(readFileSync(join(DATA, name))).toString('utf8');
    for (const line of text.split('\n')) if (line) take(JSON.parse(line));
  }
  const ghsa = join(DATA, 'ghsa');
  for (const name of readdirSync(ghsa).sort()) {
    if (name.endsWith('.json')) take(JSON.parse(readFileSync(join(ghsa, name), 'utf8')));
  }
  return keep ? records : count;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Deterministic, so that every run looks up the same things. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function drawLookups(records) {
  const packages = new Map();
  for (const record of records) {
    if (record.withdrawn) continue;
    for (const affected of record.affected ?? []) {
      const pkg = affected.package;
      if (!pkg || !SUPPORTED.has(pkg.ecosystem)) continue;
      const key = `${pkg.ecosystem}\0${pkg.name}`;
      let entry = packages.get(key);
      if (!entry) {
        entry = { ecosystem: pkg.ecosystem, name: pkg.name, versions: new Set() };
        packages.set(key, entry);
      }
      for (const range of affected.ranges ?? []) {
        if (range.type === 'GIT') continue;
        for (const event of range.events) {
          const version = event.introduced ?? event.fixed ?? event.last_affected;
          if (version && version !== '0') entry.versions.add(version);
        }
      }
      for (const version of affected.versions ?? []) entry.versions.add(version);
    }
  }
  const pool = [...packages.values()].map((p) => ({
    ...p,
    versions: p.versions.size ? [...p.versions] : ['1.0.0'],
  }));
  const next = random(42);
  const lookups = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const pkg = pool[Math.floor(next() * pool.length)];
    lookups.push([pkg.ecosystem, pkg.name, pkg.versions[Math.floor(next() * pkg.versions.length)]]);
  }
  const misses = lookups.map(([ecosystem, name, version]) => [
    ecosystem,
    `${name}-not-in-any-advisory`,
    version,
  ]);
  return { lookups, misses, packages: pool.length };
}

function timeLookups(db, lookups) {
  const started = performance.now();
  let matched = 0;
  for (const [ecosystem, name, version] of lookups)
    if (db.advisoriesFor(ecosystem, name, version).length) matched++;
  const ms = performance.now() - started;
  return { ms, perSecond: (lookups.length / ms) * 1000, matched };
}

export async function run() {
  if (!existsSync(DATA)) {
    console.log(`skipped: ${DATA} is not there (the shared OSV data)`);
    return;
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const database = join(WORK, 'osv.sqlite');

  const importMs = [];
  const floorMs = [];
  let report;
  for (let i = 0; i < RUNS; i++) {
    let started = performance.now();
    parseAll(false);
    floorMs.push(performance.now() - started);
    started = performance.now();
    report = await importOsv([DATA], database, { replace: true });
    importMs.push(performance.now() - started);
  }
  const source = report.sources[0];
  const ratio = median(importMs) / median(floorMs);
  console.log(
    `import: ${source.records.toLocaleString('en-US')} records (${source.skipped} skipped: ${source.problems.map((p) => p.where.replace(`${DATA}/`, '')).join(', ')}), ` +
      `${source.gitRanges.toLocaleString('en-US')} GIT ranges not evaluated`,
  );
  console.log(
    `import time: median ${fmt(median(importMs), 0)} ms (runs: ${importMs.map((ms) => fmt(ms, 0)).join(', ')}); ` +
      `database ${fmt(statSync(database).size / 1024 ** 2)} MB`,
  );
  console.log(
    `floor (gunzip + JSON.parse): median ${fmt(median(floorMs), 0)} ms (runs: ${floorMs.map((ms) => fmt(ms, 0)).join(', ')})`,
  );
  console.log(`import / floor: ${fmt(ratio, 2)}× (target ≤ 3×: ${ratio <= 3 ? 'met' : 'MISSED'})`);
  console.log(
    `(load average while measuring: ${loadavg()
      .map((n) => fmt(n, 1))
      .join(', ')} on ${availableParallelism()} CPUs)`,
  );

  const { lookups, misses, packages } = drawLookups(parseAll(true));
  const db = VulnDatabase.open(database);
  try {
    const cold = timeLookups(db, lookups);
    const warmRuns = Array.from({ length: RUNS }, () => timeLookups(db, lookups));
    const warm = { ...warmRuns[0], perSecond: median(warmRuns.map((r) => r.perSecond)) };
    const negative = timeLookups(db, misses);
    console.log(
      `lookups: ${LOOKUPS.toLocaleString('en-US')} drawn from ${packages.toLocaleString('en-US')} packages, ` +
        `${warm.matched.toLocaleString('en-US')} with advisories`,
    );
    console.log(`  cold (first pass, fresh caches): ${fmt(cold.perSecond, 0)}/s`);
    console.log(
      `  warm (median of ${RUNS} more passes: ${warmRuns.map((r) => fmt(r.perSecond, 0)).join(', ')}): ` +
        `${fmt(warm.perSecond, 0)}/s (target ≥ 200,000/s: ${warm.perSecond >= 200_000 ? 'met' : 'MISSED'})`,
    );
    console.log(`  names no advisory mentions: ${fmt(negative.perSecond, 0)}/s`);
  } finally {
    db.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
