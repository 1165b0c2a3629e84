// Shared helpers of the benchmarks: timing child processes, peak memory, formatting.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TIME = '/usr/bin/time';

/**
 * Runs a command and returns its wall time (ms), peak resident memory (KiB, when /usr/bin/time is
 * there), exit status and output.
 */
export function timed(command, args, options = {}) {
  const useTime = existsSync(TIME);
  const started = process.hrtime.bigint();
  const child = useTime
    ? spawnSync(TIME, ['-f', '__PEAK_KB__%M', command, ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        ...options,
      })
    : spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let stderr = child.stderr ?? '';
  let peakKb;
  const match = /__PEAK_KB__(\d+)\s*$/.exec(stderr);
  if (match) {
    peakKb = Number(match[1]);
    stderr = stderr.slice(0, match.index);
  }
  return { ms, peakKb, status: child.status, stdout: child.stdout ?? '', stderr };
}

export function fmt(n, digits = 1) {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function ratio(theirs, ours) {
  return `${fmt(theirs / ours, 2)}×`;
}

/** How many measured rounds each benchmark makes, after one warm-up round (BENCH_RUNS, default 3). */
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `1,234 ms (1,200–1,300 over 3 runs)`: the median, then the spread of the runs. */
export function spread(values, unit = 'ms', digits = 0) {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const runs = values.length === 1 ? '1 run' : `${values.length} runs`;
  return `${fmt(median(values), digits)} ${unit} (${fmt(low, digits)}–${fmt(high, digits)} over ${runs})`;
}

/**
 * Runs every measure once to warm up (discarded: disk cache, JIT, lazy loading), then RUNS rounds in which
 * each measure runs once, in an order rotated every round so that none always goes first or last while the
 * machine's load drifts. `measures` maps a name to an async function returning its figure; the result maps
 * each name to its RUNS figures.
 */
export async function interleaved(measures, runs = RUNS) {
  const names = Object.keys(measures);
  for (const name of names) await measures[name]();
  const figures = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length];
      figures[name].push(await measures[name]());
    }
  }
  return figures;
}
/** p-th percentile (0–100) of a list of numbers, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * A fake npm registry on 127.0.0.1 serving full packuments for the given names (three versions each, old
 * enough to be neither new nor unmaintained), for the benchmarks of the surfaces. Resolves to its URL and close().
 */
export async function startBenchRegistry(names) {
  const { createServer } = await import('node:http');
  const documents = new Map();
  for (const name of names) {
    const versions = {};
    const time = { created: '2018-01-01T00:00:00.000Z', modified: '2025-01-01T00:00:00.000Z' };
    for (const [v, year] of [
      ['1.0.0', 2019],
      ['1.1.0', 2022],
      ['2.0.0', 2025],
    ]) {
      versions[v] = {
        name,
        version: v,
        description: `Benchmark package ${name}`,
        dist: { tarball: `https://registry.example.org/${name}/-/${name}-${v}.tgz`, shasum: '0'.repeat(40) },
      };
      time[v] = `${year}-03-01T00:00:00.000Z`;
    }
    documents.set(
      `/${name}`,
      JSON.stringify({
        _id: name,
        name,
        description: `Benchmark package ${name}`,
        'dist-tags': { latest: '2.0.0' },
        versions,
        time,
        maintainers: [
          { name: 'bench', email: 'bench@example.org' },
          { name: 'b2', email: 'b2@example.org' },
        ],
        repository: { type: 'git', url: `git+https://git.example.org/${name}.git` },
      }),
    );
  }
  const server = createServer((req, res) => {
    const body = documents.get(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(body ?? '{"error":"Not found"}');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(done);
      }),
  };
}
