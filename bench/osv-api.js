// Benchmark: advisories from the OSV API (a loopback fake serving the real records of ../shared/data/osv)
// beside the local database, for the same 2,000 package versions of a scan (drawn from the data: 1,000
// named by advisories, 1,000 that no advisory names, as in a real lockfile).
//
// 1. Cold: querybatch (2 batches) and every advisory id hydrated, with an empty cache.
// 2. Cached re-scan: the same queries answered from <cache>/osv-api.sqlite.
// 3. The peer: the same refs resolved against a local database built from the same records (opened
//    fresh each run). Each is run BENCH_RUNS times (default 3); medians are compared.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { importOsv } from '../dist/vulndb/import.js';
import { fetchOsvAdvisories, queriesFor } from '../dist/vulndb/osv-api.js';
import { resolveAdvisories } from '../dist/vulndb/resolve.js';
import { VulnDatabase } from '../dist/vulndb/store.js';
import { fmt, ratio } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = resolve(ROOT, '../shared/data/osv');
const WORK = join(ROOT, 'bench/.work/osv-api');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FILES = ['npm.osv.jsonl.gz', 'ghsa-npm.osv.jsonl.gz', 'PyPI.osv.jsonl.gz'];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function loadRecords() {
  const records = [];
  for (const name of FILES) {
    const text = gunzipSync(readFileSync(join(DATA, name))).toString('utf8');
    for (const line of text.split('\n')) if (line) records.push(JSON.parse(line));
  }
  return records;
}

/** Refs a scan would hold: versions the advisories name, and as many packages no advisory names. */
function drawRefs(records) {
  const refs = [];
  const ref = (ecosystem, name, version) => ({
    ecosystem,
    name,
    version,
    source: 'locked',
    extractor: 'bench',
    location: { file: 'lockfile', line: refs.length + 1 },
  });
  for (const record of records) {
    if (refs.length >= 1000) break;
    if (record.id.startsWith('MAL-') || record.withdrawn) continue;
    const affected = record.affected?.[0];
    const event = affected?.ranges?.[0]?.events?.find((e) => e.introduced && e.introduced !== '0');
    if (affected?.package && event)
      refs.push(ref(affected.package.ecosystem, affected.package.name, event.introduced));
  }
  for (let i = 0; i < 1000; i++) refs.push(ref(i % 2 ? 'npm' : 'PyPI', `bench-clean-${i}`, '1.0.0'));
  return refs;
}

/** The OSV API as a loopback server: querybatch answers with the ids naming each package. */
function fakeApi(records) {
  const byPackage = new Map();
  const byId = new Map();
  for (const record of records) {
    byId.set(record.id, JSON.stringify(record));
    for (const affected of record.affected ?? []) {
      if (!affected.package) continue;
      const key = `${affected.package.ecosystem}\0${affected.package.name.toLowerCase()}`;
      const list = byPackage.get(key) ?? [];
      list.push({ id: record.id, modified: record.modified });
      byPackage.set(key, list);
    }
  }
  const counts = { batches: 0, vulns: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/v1/querybatch') {
        counts.batches++;
        const { queries } = JSON.parse(body);
        const results = queries.map((q) => {
          const vulns = byPackage.get(`${q.package.ecosystem}\0${q.package.name.toLowerCase()}`);
          return vulns ? { vulns } : {};
        });
        res.end(JSON.stringify({ results }));
        return;
      }
      counts.vulns++;
      const record = byId.get(decodeURIComponent(req.url.replace('/v1/vulns/', '')));
      if (record) res.end(record);
      else res.writeHead(404).end('{}');
    });
  });
  return { server, counts };
}

export async function run() {
  if (!existsSync(DATA)) {
    console.log(`skipped: ${DATA} is not there (the shared OSV data)`);
    return;
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const records = loadRecords();
  const refs = drawRefs(records);
  const queries = queriesFor(refs);
  const { server, counts } = fakeApi(records);
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const database = join(WORK, 'osv.sqlite');
  await importOsv(
    FILES.map((f) => join(DATA, f)),
    database,
  );

  const cold = [];
  const cached = [];
  const local = [];
  let findings = {};
  try {
    for (let run = 0; run < RUNS; run++) {
      const cacheDir = join(WORK, `cache-${run}`);
      let started = performance.now();
      const first = await fetchOsvAdvisories(queries, { baseUrl, cacheDir, env: {} });
      const apiFacts = resolveAdvisories(refs, first.lookup);
      cold.push(performance.now() - started);
      started = performance.now();
      const again = await fetchOsvAdvisories(queries, { baseUrl, cacheDir, env: {} });
      resolveAdvisories(refs, again.lookup);
      cached.push(performance.now() - started);
      started = performance.now();
      const db = VulnDatabase.open(database);
      const dbFacts = resolveAdvisories(refs, db);
      db.close();
      local.push(performance.now() - started);
      const matched = (facts) => refs.filter((r) => facts.forRef(r)?.exact?.groups.length).length;
      findings = { api: matched(apiFacts), local: matched(dbFacts), records: first.stats.records };
    }
  } finally {
    server.close();
  }
  console.log(
    `${refs.length} package versions (${queries.length} queries), ${findings.records} advisories hydrated`,
  );
  console.log(`vulnerable versions found: OSV API ${findings.api}, local database ${findings.local}`);
  console.log(
    `requests per cold run: ${counts.batches / RUNS} querybatch, ${counts.vulns / RUNS} advisories`,
  );
  const c = median(cold);
  const k = median(cached);
  const l = median(local);
  console.log(`OSV API, cold cache (loopback): ${fmt(c)} ms`);
  console.log(`OSV API, cached re-scan:        ${fmt(k)} ms`);
  console.log(`local database:                 ${fmt(l)} ms`);
  console.log(`ratio cold API / local database: ${ratio(c, l)}; cached API / local database: ${ratio(k, l)}`);
}
