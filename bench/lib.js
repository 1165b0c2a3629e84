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
