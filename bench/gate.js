// Benchmark: a pull request's changed-only scan (`vouch scan --changed-since REF`) on a repository of 10,000
// source files whose last commit changes 3 (two modified, one added with an undeclared import). The goal is
// under 1 s of scan time (the result's stats.durationMs: Vouch's own work, without Node's start-up).
//
// Peers, measured in the same run on the same repository: the full scan of the same tree (what a gate
// without a changed-only mode does on every pull request), and `git diff --name-only REF` (the floor: only
// listing what changed, reading nothing). Every measure runs once to warm up, then BENCH_RUNS times
// (default 3), interleaved; each figure is the median with the spread of the runs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, interleaved, median, ratio, spread, timed } from './lib.js';

const FILES = Number(process.env.BENCH_GATE_FILES ?? 10_000);
const VOUCH = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'vouch.js');
const DEPENDENCIES = ['express', 'lodash', 'dayjs', 'zod', 'pino', 'undici', 'yaml', 'semver'];

function write(root, path, text) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function module(i) {
  const dep = DEPENDENCIES[i % DEPENDENCIES.length];
  const next = `./file-${(i + 1) % 100}.js`;
  const body = Array.from({ length: 20 }, (_, n) => `  total += ${dep}Value(${n}, input);`).join('\n');
  return `import ${dep.replace(/\W/g, '')} from '${dep}';\nimport { helper } from '${next}';\n\nexport function run${i}(input) {\n  let total = 0;\n${body}\n  return helper(total);\n}\n`;
}

function makeRepository() {
  const root = mkdtempSync(join(tmpdir(), 'vouch-bench-gate-'));
  const deps = Object.fromEntries(DEPENDENCIES.map((name) => [name, '1.0.0']));
  write(
    root,
    'package.json',
    JSON.stringify({ name: 'big-app', version: '1.0.0', dependencies: deps }, null, 2),
  );
  const packages = { '': { name: 'big-app', version: '1.0.0', dependencies: deps } };
  for (const name of DEPENDENCIES) packages[`node_modules/${name}`] = { version: '1.0.0' };
  write(
    root,
    'package-lock.json',
    JSON.stringify({ name: 'big-app', lockfileVersion: 3, packages }, null, 2),
  );
  for (let i = 0; i < FILES; i++)
    write(root, `src/area-${Math.floor(i / 100)}/file-${i % 100}.js`, module(i));
  const git = (...args) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.org', ...args], {
      cwd: root,
      stdio: 'pipe',
      maxBuffer: 1 << 26,
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  // The pull request: two files edited, one added with an import nobody declared.
  write(root, 'src/area-3/file-7.js', `${module(307)}// reviewed\n`);
  write(root, 'src/area-42/file-1.js', `// moved down\n${module(4201)}`);
  write(root, 'src/area-42/mailer.js', "import nodemailer from 'nodemailer';\nexport default nodemailer;\n");
  git('add', '-A');
  git('commit', '-q', '-m', 'pull request');
  return root;
}

function scan(root, extra) {
  const run = timed(
    process.execPath,
    [VOUCH, 'scan', '--no-registry', '--no-database', '--no-config', '--format', 'json', ...extra],
    { cwd: root },
  );
  if (run.status !== 0 && run.status !== 1) throw new Error(`vouch exited ${run.status}: ${run.stderr}`);
  const result = JSON.parse(run.stdout);
  return { wall: run.ms, scan: result.stats.durationMs, result };
}

export async function run() {
  console.log(`Building a repository of ${fmt(FILES, 0)} source files with a 3-file pull request…`);
  const root = makeRepository();
  try {
    const seen = {};
    const figures = await interleaved({
      changed: async () => {
        const out = scan(root, ['--changed-since', 'HEAD~1']);
        seen.changed = out.result;
        return out;
      },
      full: async () => {
        const out = scan(root, []);
        seen.full = out.result;
        return out;
      },
      'git diff': async () => ({ wall: timed('git', ['diff', '--name-only', 'HEAD~1'], { cwd: root }).ms }),
    });
    const changedFindings = seen.changed.findings.map((f) => `${f.kind} ${f.name} ${f.location.file}`);
    console.log(`changed-only findings: ${changedFindings.join('; ') || 'none'}`);
    console.log(
      `changed files: ${seen.changed.changed.files.join(', ')}; files scanned: ${seen.changed.stats.filesScanned} (full scan: ${fmt(seen.full.stats.filesScanned, 0)})`,
    );
    const changedScan = figures.changed.map((f) => f.scan);
    const fullScan = figures.full.map((f) => f.scan);
    const changedWall = figures.changed.map((f) => f.wall);
    const fullWall = figures.full.map((f) => f.wall);
    const gitWall = figures['git diff'].map((f) => f.wall);
    console.log(
      `changed-only scan time: ${spread(changedScan)} — goal under 1,000 ms: ${median(changedScan) < 1000 ? 'met' : 'NOT met'}`,
    );
    console.log(
      `full scan time:         ${spread(fullScan)} (${ratio(median(fullScan), median(changedScan))} the changed-only scan)`,
    );
    console.log(
      `whole process, changed-only: ${spread(changedWall)}; full: ${spread(fullWall)} (${ratio(median(fullWall), median(changedWall))})`,
    );
    console.log(
      `floor, git diff --name-only: ${spread(gitWall)} (changed-only is ${ratio(median(changedWall), median(gitWall))} of it)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
