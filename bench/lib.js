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
