// Benchmark: the vulnerability database on the real OSV data in ../shared/data/osv.
//
// 1. Import: `importOsv` of the whole folder into a fresh database, against the floor of gunzipping and
//    JSON.parse-ing the same records in the same process (target: import ≤ 3× the floor). Each runs once
//    to warm up, then BENCH_RUNS times (default 3), interleaved; the medians are compared.
// 2. Cold lookups: a fresh process opens the database and looks up up to 100,000 distinct (ecosystem,
//    name, version) keys named by the data, each once, so that no in-process cache can answer; one
//    discarded process, then BENCH_RUNS processes (the operating system's file cache is warm by then).
// 3. Warm lookups: 100,000 lookups drawn from the data (a package named by the data, uniformly, and a
//    version its advisories name; keys repeat), in one process after a discarded pass, BENCH_RUNS passes
//    (target ≥ 200,000/s); and 100,000 lookups of names no advisory mentions, the common case in a scan.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { importOsv } from '../dist/vulndb/import.js';
import { VulnDatabase } from '../dist/vulndb/store.js';
import { fmt, interleaved, median, spread } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = resolve(ROOT, '../shared/data/osv');
const WORK = join(ROOT, 'bench/.work/vulndb');
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
  // Every distinct key once, in a fixed shuffled order, for the cold lookups.
  const distinct = pool.flatMap((p) => p.versions.map((version) => [p.ecosystem, p.name, version]));
  const order = random(7);
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = Math.floor(order() * (i + 1));
    [distinct[i], distinct[j]] = [distinct[j], distinct[i]];
  }
  return { lookups, misses, distinct: distinct.slice(0, LOOKUPS), packages: pool.length };
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

  let report;
  const { import: importMs, floor: floorMs } = await interleaved({
    floor: async () => {
      const started = performance.now();
      parseAll(false);
      return performance.now() - started;
    },
    import: async () => {
      const started = performance.now();
      report = await importOsv([DATA], database, { replace: true });
      return performance.now() - started;
    },
  });
  const source = report.sources[0];
  const ratio = median(importMs) / median(floorMs);
  console.log(
    `import: ${source.records.toLocaleString('en-US')} records (${source.skipped} skipped: ${source.problems.map((p) => p.where.replace(`${DATA}/`, '')).join(', ')}), ` +
      `${source.gitRanges.toLocaleString('en-US')} GIT ranges not evaluated`,
  );
  console.log(`import time: ${spread(importMs)}; database ${fmt(statSync(database).size / 1024 ** 2)} MB`);
  console.log(`floor (gunzip + JSON.parse): ${spread(floorMs)}`);
  console.log(`import / floor: ${fmt(ratio, 2)}× (target ≤ 3×: ${ratio <= 3 ? 'met' : 'MISSED'})`);
  console.log(
    `(load average while measuring: ${loadavg()
      .map((n) => fmt(n, 1))
      .join(', ')} on ${availableParallelism()} CPUs)`,
  );

  const { lookups, misses, distinct, packages } = drawLookups(parseAll(true));
  const keys = join(WORK, 'distinct-keys.json');
  writeFileSync(keys, JSON.stringify(distinct));
  const here = fileURLToPath(import.meta.url);
  const { cold } = await interleaved({
    cold: async () =>
      JSON.parse(execFileSync(process.execPath, [here, '--cold', database, keys], { encoding: 'utf8' })),
  });
  console.log(
    `cold lookups: ${distinct.length.toLocaleString('en-US')} distinct keys from ${packages.toLocaleString('en-US')} packages, ` +
      `each once, in a fresh process (${cold[0].matched.toLocaleString('en-US')} with advisories): ${spread(
        cold.map((r) => r.perSecond),
        '/s',
      )}`,
  );

  const db = VulnDatabase.open(database);
  try {
    const { warm, negative } = await interleaved({
      warm: async () => timeLookups(db, lookups).perSecond,
      negative: async () => timeLookups(db, misses).perSecond,
    });
    console.log(
      `warm lookups: ${LOOKUPS.toLocaleString('en-US')} drawn from the same packages (keys repeat), one process: ` +
        `${spread(warm, '/s')} (target ≥ 200,000/s: ${median(warm) >= 200_000 ? 'met' : 'MISSED'})`,
    );
    console.log(`  names no advisory mentions: ${spread(negative, '/s')}`);
  } finally {
    db.close();
  }
}

/** The child of the cold measure: opens the database and looks up every key once. */
function coldLookups(database, keys) {
  const db = VulnDatabase.open(database);
  try {
    process.stdout.write(JSON.stringify(timeLookups(db, JSON.parse(readFileSync(keys, 'utf8')))));
  } finally {
    db.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--cold') coldLookups(process.argv[3], process.argv[4]);
  else await run();
}
