// Benchmark: registry checks of 1,000 distinct npm packages against a local fake registry (127.0.0.1),
// cold (every packument fetched, 16 at a time) and warm (every answer from the SQLite cache), plus a whole
// `vouch scan` of a package.json with the same 1,000 dependencies, warm.
//
// Peers, measured in the same run against the same server: `npm view <name> --json` (what a person does to
// check one package; one process per package, so it is timed on a sample and the rate extrapolated), and a
// bare fetch() + JSON.parse loop with the same concurrency, no cache and no normalisation (the floor any
// client pays on the network). There is no peer for the warm figure: npm view has no offline answer for a
// packument it has not cached under its own rules, and a bare loop has no cache at all.
//
// Every measure runs once to warm up (discarded), then BENCH_RUNS times (default 3), interleaved in an
// order rotated every round; each figure is the median with the spread of the runs. A cold run starts from
// an empty cache file of its own.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, interleaved, median, RUNS, ratio, spread } from './lib.js';

const COUNT = Number(process.env.BENCH_REGISTRY_PACKAGES ?? 1000);
const NPM_VIEW_SAMPLE = Number(process.env.BENCH_NPM_VIEW_SAMPLE ?? 20);
const CONCURRENCY = 16;

function packument(name, i) {
  const versions = {};
  const time = { created: '2018-01-01T00:00:00.000Z', modified: '2025-01-01T00:00:00.000Z' };
  for (let v = 1; v <= 8; v++) {
    const version = `${v}.${i % 5}.0`;
    versions[version] = {
      name,
      version,
      description: `Benchmark package ${i}`,
      dependencies: {
        [`bench-pkg-${(i + 1) % COUNT}`]: '^1.0.0',
        [`bench-pkg-${(i + 7) % COUNT}`]: '^2.0.0',
      },
      dist: {
        tarball: `https://registry.example.org/${name}/-/${name}-${version}.tgz`,
        shasum: '0'.repeat(40),
      },
    };
    time[version] = `${2017 + v}-0${1 + (i % 9)}-01T00:00:00.000Z`;
  }
  return JSON.stringify({
    _id: name,
    name,
    description: `Benchmark package ${i}`,
    'dist-tags': { latest: `8.${i % 5}.0` },
    versions,
    time,
    maintainers: [{ name: 'bench', email: 'bench@example.org' }],
    repository: { type: 'git', url: `git+https://git.example.org/${name}.git` },
    readme: 'x'.repeat(2000),
  });
}

async function startRegistry() {
  const documents = new Map();
  for (let i = 0; i < COUNT; i++) {
    const name = `bench-pkg-${i}`;
    const body = packument(name, i);
    documents.set(`/${name}`, { body, etag: `"${createHash('sha1').update(body).digest('hex')}"` });
  }
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const doc = documents.get(decodeURIComponent(req.url.split('?')[0]));
    if (!doc) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"Not found"}');
      return;
    }
    if (req.headers['if-none-match'] === doc.etag) {
      res.writeHead(304, { etag: doc.etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', etag: doc.etag });
    res.end(doc.body);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    requests: () => requests,
    close: () => new Promise((done) => server.close(done)),
  };
}

async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export async function run() {
  const { resolveRegistry } = await import('../dist/registry/resolve.js');
  const { scan } = await import('../dist/pipeline/scan.js');
  const { silentLogger } = await import('../dist/core/log.js');
  const registry = await startRegistry();
  const work = mkdtempSync(join(tmpdir(), 'vouch-bench-registry-'));
  try {
    const refs = Array.from({ length: COUNT }, (_, i) => ({
      ecosystem: 'npm',
      name: `bench-pkg-${i}`,
      spec: '^8.0.0',
      source: 'declared',
      extractor: 'bench',
      location: { file: 'package.json', line: i + 2 },
    }));
    let fresh = 0;
    const options = (cache, mode) => ({
      npmRegistry: registry.url,
      cache,
      mode,
      env: { HOME: work },
      concurrency: CONCURRENCY,
      popular: { npm: { reason: 'not needed here' } },
    });
    const warmCache = join(work, 'warm.sqlite');
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'bench', dependencies: Object.fromEntries(refs.map((r) => [r.name, r.spec])) }),
    );
    const npmCache = join(work, 'npm-cache');
    const sample = Math.min(NPM_VIEW_SAMPLE, COUNT);
    let coldRequests = 0;
    let coldUnchecked = 0;
    let scanFindings = 0;
    let viewed = 0;

    const figures = await interleaved({
      cold: async () => {
        const before = registry.requests();
        const cold = await timed(() =>
          resolveRegistry(refs, options(join(work, `cold-${fresh++}.sqlite`), 'default'), silentLogger),
        );
        coldRequests = registry.requests() - before;
        coldUnchecked = cold.value.facts.unchecked.length;
        return cold.ms;
      },
      // The warm-up run of these fills the shared cache; the measured runs answer from it.
      warm: async () =>
        (await timed(() => resolveRegistry(refs, options(warmCache, 'default'), silentLogger))).ms,
      revalidated: async () =>
        (await timed(() => resolveRegistry(refs, options(warmCache, 'prefer-online'), silentLogger))).ms,
      scan: async () => {
        const result = await timed(() =>
          scan(['.'], { cwd: project, database: false, registry: options(warmCache, 'default') }),
        );
        scanFindings = result.value.findings.length;
        return result.ms;
      },
      fetch: async () =>
        (
          await timed(async () => {
            let next = 0;
            await Promise.all(
              Array.from({ length: CONCURRENCY }, async () => {
                while (next < COUNT) {
                  const response = await fetch(`${registry.url}bench-pkg-${next++}`);
                  JSON.parse(await response.text());
                }
              }),
            );
          })
        ).ms,
      npmView: async () => {
        const view = await timed(async () => {
          let ok = 0;
          for (let i = 0; i < sample; i++) {
            // Asynchronously: the fake registry answers from this very process.
            const status = await new Promise((done) =>
              execFile(
                'npm',
                [
                  'view',
                  `bench-pkg-${i}`,
                  '--json',
                  '--registry',
                  registry.url,
                  '--cache',
                  npmCache,
                  '--prefer-online',
                  '--no-update-notifier',
                ],
                { timeout: 60_000 },
                (error) => done(error ? 1 : 0),
              ),
            );
            if (status === 0) ok++;
          }
          return ok;
        });
        viewed = view.value;
        // Per package, so that a run where npm failed for some packages still compares like with like.
        return view.value === 0 ? Number.NaN : view.ms / view.value;
      },
    });

    const rates = (runs, n = COUNT) => runs.map((ms) => (n / ms) * 1000);
    const line = (label, runs, note) =>
      console.log(`  ${label.padEnd(12)} ${spread(rates(runs), 'packages/s')}  ${note}`);
    console.log(
      `${COUNT} distinct npm packages, fake registry on 127.0.0.1, concurrency ${CONCURRENCY}; one warm-up, then ${RUNS} interleaved runs`,
    );
    line(
      'vouch cold',
      figures.cold,
      `(${coldRequests} requests, ${coldUnchecked} unchecked; an empty cache each run)`,
    );
    const warmRate = median(rates(figures.warm));
    line(
      'vouch warm',
      figures.warm,
      `(from the cache; target ≥ 5,000/s: ${warmRate >= 5000 ? 'met' : 'NOT met'})`,
    );
    line('vouch 304s', figures.revalidated, '(prefer-online: every entry revalidated with its ETag)');
    line(
      'vouch scan',
      figures.scan,
      `(whole scan of a package.json with ${COUNT} dependencies, warm cache, ${scanFindings} findings)`,
    );
    line('bare fetch', figures.fetch, '(fetch + JSON.parse, same concurrency, no cache)');
    const coldRate = median(rates(figures.cold));
    if (viewed === 0) console.log('  npm view     could not run here (npm missing or failing): no ratio');
    else {
      const viewRates = figures.npmView.map((msPerPackage) => 1000 / msPerPackage);
      console.log(
        `  ${'npm view'.padEnd(12)} ${spread(viewRates, 'packages/s', 1)}  (${sample} packages a run, one process per package, sequential)`,
      );
      console.log(`  ratio cold vouch / npm view: ${ratio(coldRate, median(viewRates))}`);
    }
    const perRound = figures.fetch.map((ms, i) => ms / figures.cold[i]);
    console.log(
      `  ratio cold vouch / bare fetch: ${ratio(coldRate, median(rates(figures.fetch)))} (per round ${perRound.map((r) => `${fmt(r, 2)}×`).join(', ')})`,
    );
    console.log(`  ratio warm / cold: ${ratio(warmRate, coldRate)}`);
  } finally {
    await registry.close();
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
