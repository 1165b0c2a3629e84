// Benchmark: whole-process time of a scan of small real repositories (a few hundred files), where start-up
// and set-up dominate: Vouch against knip, and against a floor (bench/floor.js: Node's start, reading the
// same files and parsing them with oxc), all measured in the same run, taking turns, median of N.
//
// The repositories are the checkouts of the real-repository benchmark (VOUCH_REAL_REPOS, default
// /work/bench-cache/repos, pinned in bench/real-repos/repos.json when that benchmark is there); the small
// ones are those with at most VOUCH_SMALL_FILES JS/TS files (default 800). Without checkouts it says so.
//
//   npm run bench -- speed     (VOUCH_SPEED_RUNS, default 5)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, ratio, timed } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REPOS = process.env.VOUCH_REAL_REPOS ?? '/work/bench-cache/repos';
const RUNS = Number(process.env.VOUCH_SPEED_RUNS ?? 5);
const SMALL = Number(process.env.VOUCH_SMALL_FILES ?? 800);
const vouchBin = join(ROOT, 'bin/vouch.js');
const knipBin = join(ROOT, 'node_modules/knip/bin/knip.js');
const floorBin = join(ROOT, 'bench/floor.js');
const SKIP = new Set(['node_modules', '.git', '.yarn', 'vendor']);

function sourceCount(dir) {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP.has(entry.name)) count += sourceCount(join(dir, entry.name));
    } else if (/\.(?:[mc]?[jt]sx?)$/.test(entry.name)) count++;
  }
  return count;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

export async function run() {
  if (!existsSync(REPOS)) {
    console.log(`no checkouts in ${REPOS} (set VOUCH_REAL_REPOS): nothing measured`);
    return;
  }
  const repos = readdirSync(REPOS)
    .filter((name) => existsSync(join(REPOS, name, 'package.json')))
    .map((name) => ({ name, dir: join(REPOS, name), files: sourceCount(join(REPOS, name)) }))
    .filter((repo) => repo.files <= SMALL)
    .sort((a, b) => a.files - b.files);
  const tools = {
    vouch: (dir) =>
      timed('node', [vouchBin, 'scan', '.', '--no-registry', '--no-database', '--format', 'json'], {
        cwd: dir,
      }),
    knip: (dir) =>
      timed(
        'node',
        [knipBin, '--include', 'unlisted', '--reporter', 'json', '--no-progress', '--no-exit-code'],
        { cwd: dir },
      ),
    floor: (dir) => timed('node', [floorBin, dir], { cwd: dir }),
  };
  console.log(
    `${repos.length} repositories with at most ${SMALL} JS/TS files; median of ${RUNS} runs, tools taking turns`,
  );
  console.log('repository            files   vouch ms    knip ms   floor ms   knip/vouch   vouch/floor');
  const ratios = { knip: [], floor: [] };
  for (const repo of repos) {
    const times = { vouch: [], knip: [], floor: [] };
    for (let i = 0; i < RUNS; i++)
      for (const [name, tool] of Object.entries(tools)) times[name].push(tool(repo.dir).ms);
    const [v, k, f] = [median(times.vouch), median(times.knip), median(times.floor)];
    ratios.knip.push(k / v);
    ratios.floor.push(v / f);
    console.log(
      `${repo.name.padEnd(20)} ${String(repo.files).padStart(6)} ${fmt(v, 0).padStart(10)} ${fmt(k, 0).padStart(10)} ${fmt(f, 0).padStart(10)} ${ratio(k, v).padStart(12)} ${ratio(v, f).padStart(13)}`,
    );
  }
  if (repos.length > 0)
    console.log(
      `slowest against knip: ${fmt(Math.min(...ratios.knip), 2)}× faster (goal ≥ 3×); furthest from the floor: ${fmt(Math.max(...ratios.floor), 2)}× (goal ≤ 1.5×)`,
    );
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
