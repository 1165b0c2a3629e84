// Benchmark: Vouch's phantom-import scan against knip and depcheck on real code.
//
// The largest packages of the project's own node_modules are real projects (a package.json plus its
// sources). Each is copied out of node_modules (knip ignores files under node_modules) and scanned by all
// three tools, one process per package. Per package, each tool runs once to warm up (discarded), then
// BENCH_RUNS times (default 3), the tools interleaved in an order rotated every round; a tool's figure is
// the median over the rounds of its total time over all packages, printed with the spread. Prints files/s,
// MB/s, peak memory, the ratios, and every difference between Vouch's undeclared/transitive-only names and
// knip's `unlisted` / depcheck's `missing`, with the reason for each.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, interleaved, median, RUNS, ratio, spread, timed } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORK = join(ROOT, 'bench/.work/scan');
const COUNT = Number(process.env.BENCH_PACKAGES ?? 30);
const SOURCE = /\.(?:[mc]?[jt]sx?)$/;

function sourceSize(dir) {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = sourceSize(path);
      bytes += sub.bytes;
      files += sub.files;
    } else if (entry.isFile() && SOURCE.test(entry.name)) {
      bytes += statSync(path).size;
      files++;
    }
  }
  return { bytes, files };
}

function candidates() {
  const nm = join(ROOT, 'node_modules');
  const dirs = [];
  for (const name of readdirSync(nm)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) for (const sub of readdirSync(join(nm, name))) dirs.push(join(nm, name, sub));
    else dirs.push(join(nm, name));
  }
  return dirs
    .filter((dir) => {
      try {
        return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
      } catch {
        return false;
      }
    })
    .map((dir) => ({ dir, ...sourceSize(dir) }))
    .filter((p) => p.files > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, COUNT);
}

function copyOut(packages) {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  return packages.map((p) => {
    const name = relative(join(ROOT, 'node_modules'), p.dir);
    const dest = join(WORK, name.replace('/', '__'));
    cpSync(p.dir, dest, {
      recursive: true,
      filter: (src) => !src.slice(p.dir.length).includes('/node_modules'),
    });
    return { ...p, name, dir: dest };
  });
}

const vouchBin = join(ROOT, 'bin/vouch.js');
const knipBin = join(ROOT, 'node_modules/knip/bin/knip.js');
const depcheckBin = join(ROOT, 'node_modules/depcheck/bin/depcheck.js');

function runVouch(dir) {
  const run = timed(
    process.execPath,
    [
      vouchBin,
      'scan',
      '.',
      '--format',
      'json',
      '--fail-on',
      'none',
      '--no-gitignore',
      '--no-registry',
      '--no-database',
    ],
    {
      cwd: dir,
    },
  );
  const result = JSON.parse(run.stdout);
  const names = new Map();
  for (const f of result.findings) {
    if (f.kind !== 'undeclared' && f.kind !== 'transitive-only') continue;
    if (!names.has(f.name)) names.set(f.name, []);
    names.get(f.name).push(f);
  }
  return { ...run, names, result };
}

function runKnip(dir) {
  const run = timed(
    process.execPath,
    [knipBin, '--include', 'unlisted,files', '--reporter', 'json', '--no-progress', '--no-gitignore'],
    { cwd: dir },
  );
  let report = { issues: [] };
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = { issues: [], failed: run.stderr.split('\n')[0] || run.stdout.split('\n')[0] };
  }
  const names = new Map();
  const unusedFiles = new Set();
  for (const issue of report.issues ?? []) {
    for (const u of issue.unlisted ?? []) {
      if (!names.has(u.name)) names.set(u.name, []);
      names.get(u.name).push(issue.file);
    }
    if (issue.files?.length) unusedFiles.add(issue.file);
  }
  for (const f of report.files ?? []) unusedFiles.add(f);
  return { ...run, names, unusedFiles, failed: report.failed };
}

function runDepcheck(dir) {
  const run = timed(process.execPath, [depcheckBin, '.', '--json'], { cwd: dir });
  let report = {};
  try {
    report = JSON.parse(run.stdout);
  } catch {
    report = { failed: run.stderr.split('\n')[0] };
  }
  const names = new Map(
    Object.entries(report.missing ?? {}).map(([n, files]) => [n, files.map((f) => relative(dir, f))]),
  );
  return { ...run, names, failed: report.failed };
}

/**
 * Why only one side reports a package: `reporter` is the tool that reports it (`vouch`, `knip` or
 * `depcheck`), `peer` the tool it is compared with, which does not.
 */
function explain(name, pkg, { ours, knip, depcheck }, reporter, peer) {
  const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
  const declared = new Set(
    ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) =>
      Object.keys(manifest[k] ?? {}),
    ),
  );
  if (name === manifest.name)
    return 'self-reference: the package imports its own name, which resolves to itself';
  if (reporter !== 'vouch') {
    if (declared.has(name))
      return `declared in package.json; ${reporter} reports it for another reason (peer/optional handling)`;
    const files = (reporter === 'knip' ? knip.names.get(name) : depcheck.names.get(name)) ?? [];
    if (files.length > 0 && files.every((f) => onlyInComments(join(pkg.dir, f), name))) {
      return `${reporter} reads a JSDoc type reference (import('${name}') inside a comment); Vouch reports imports the code executes or compiles`;
    }
    if (files.some((f) => !SOURCE.test(f)))
      return `${reporter} reads it from a non-source file (${files.join(', ')}); Vouch reads imports only`;
    if (name.startsWith('@types/'))
      return `${reporter} wants a @types package for a JS import; Vouch treats missing types as a build concern`;
    return `${reporter} resolves a specifier Vouch treats as not a package, or reads a file Vouch skips (${files.slice(0, 3).join(', ')})`;
  }
  const findings = ours.names.get(name) ?? [];
  const files = [...new Set(findings.map((f) => f.location.file))];
  if (peer === 'knip' && files.every((f) => knip.unusedFiles.has(f))) {
    return `only in files knip considers unreachable from the entry points (${files.slice(0, 3).join(', ')}); knip skips their imports, Vouch does not`;
  }
  if (
    files.every((f) => /(^|\/)(tests?|__tests__|benchmarks?)\/|\.(test|spec|bench)\.[mc]?[jt]sx?$/.test(f))
  ) {
    return `imported only by test or benchmark files (${files.slice(0, 2).join(', ')}) that ship in the package while its published package.json lists no devDependencies: undeclared indeed; ${peer} does not analyse test files without a plugin for their runner`;
  }
  if (findings.every((f) => f.evidence?.typeOnly)) {
    return `type-only import (reported at low severity): the package's types need it, ${peer} ${peer === 'knip' ? 'counts peer dependencies and types differently' : 'does not read type imports'}`;
  }
  if (findings.every((f) => /\.d\.[mc]?ts$/.test(f.location.file)))
    return 'imported only from .d.ts declaration files';
  return `imported in ${files.slice(0, 3).join(', ')}`;
}

/** Whether every import of the package (`import('x')`, `from 'x'`, `require('x')`) in a file stands in a comment line (JSDoc). */
function onlyInComments(path, name) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false;
  }
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const quoted = new RegExp(`(?:import\\s*\\(|require\\s*\\(|from)\\s*['"\`]${escaped}['"\`]`);
  const lines = text.split('\n').filter((line) => quoted.test(line));
  return lines.length > 0 && lines.every((line) => /^\s*(\*|\/\/|\/\*)/.test(line));
}

export async function run() {
  const packages = copyOut(candidates());
  const tools = ['vouch', 'knip', 'depcheck'];
  /** Per tool, its total time over all packages in each round; its peak memory over all runs. */
  const rounds = Object.fromEntries(tools.map((tool) => [tool, Array(RUNS).fill(0)]));
  const peakKb = Object.fromEntries(tools.map((tool) => [tool, 0]));
  const totals = { files: 0, bytes: 0 };
  const differences = [];
  console.log(
    `scan benchmark: ${packages.length} largest packages of node_modules, copied to ${relative(ROOT, WORK)}; ` +
      `per package one warm-up run of each tool, then ${RUNS} interleaved rounds`,
  );
  for (const pkg of packages) {
    const runs = await interleaved({
      vouch: () => runVouch(pkg.dir),
      knip: () => runKnip(pkg.dir),
      depcheck: () => runDepcheck(pkg.dir),
    });
    for (const tool of tools) {
      runs[tool].forEach((run, round) => {
        rounds[tool][round] += run.ms;
        peakKb[tool] = Math.max(peakKb[tool], run.peakKb ?? 0);
      });
    }
    // The findings do not change from run to run; the differences are read off the last round.
    const [ours, knip, depcheck] = tools.map((tool) => runs[tool].at(-1));
    totals.files += ours.result.stats.filesScanned;
    totals.bytes += ours.result.stats.bytesScanned;
    const all = { ours, knip, depcheck };
    for (const [peer, other] of [
      ['knip', knip],
      ['depcheck', depcheck],
    ]) {
      if (other.failed) {
        differences.push(`${pkg.name}: ${peer} failed (${other.failed}); not compared`);
        continue;
      }
      for (const name of ours.names.keys()) {
        if (!other.names.has(name))
          differences.push(
            `${pkg.name}: only Vouch reports ${name} (vs ${peer}): ${explain(name, pkg, all, 'vouch', peer)}`,
          );
      }
      for (const name of other.names.keys()) {
        if (!ours.names.has(name))
          differences.push(
            `${pkg.name}: only ${peer} reports ${name}: ${explain(name, pkg, all, peer, 'vouch')}`,
          );
      }
    }
    const ms = (tool) => fmt(median(runs[tool].map((r) => r.ms)), 0).padStart(5);
    console.log(
      `  ${pkg.name.padEnd(28)} ${String(ours.result.stats.filesScanned).padStart(5)} files ${fmt(ours.result.stats.bytesScanned / 1e6, 2).padStart(6)} MB  median vouch ${ms('vouch')} ms  knip ${ms('knip')} ms  depcheck ${ms('depcheck')} ms`,
    );
  }
  const vouch = median(rounds.vouch);
  const seconds = vouch / 1000;
  console.log('');
  console.log(
    `vouch:    ${spread(rounds.vouch)}  ${fmt(totals.files / seconds, 0)} files/s  ${fmt(totals.bytes / 1e6 / seconds, 2)} MB/s  peak ${fmt(peakKb.vouch / 1024, 0)} MiB`,
  );
  for (const peer of ['knip', 'depcheck']) {
    const perRound = rounds[peer].map((ms, i) => ms / rounds.vouch[i]);
    console.log(
      `${`${peer}:`.padEnd(9)} ${spread(rounds[peer])}  peak ${fmt(peakKb[peer] / 1024, 0)} MiB  → vouch is ${ratio(median(rounds[peer]), vouch)} faster (per round ${perRound.map((r) => `${fmt(r, 2)}×`).join(', ')}; target ≥ 3×)`,
    );
  }

  const all = [join(WORK)];
  const once = timed(
    process.execPath,
    [
      vouchBin,
      'scan',
      ...all,
      '--format',
      'json',
      '--fail-on',
      'none',
      '--no-gitignore',
      '--no-registry',
      '--no-database',
    ],
    { cwd: WORK },
  );
  const onceResult = JSON.parse(once.stdout);
  console.log(
    `vouch, all ${packages.length} packages in one process: ${fmt(once.ms, 0)} ms  ${fmt(onceResult.stats.filesScanned / (once.ms / 1000), 0)} files/s  ${fmt(onceResult.stats.bytesScanned / 1e6 / (once.ms / 1000), 2)} MB/s  peak ${fmt((once.peakKb ?? 0) / 1024, 0)} MiB`,
  );
  console.log(`\ndifferences (${differences.length}):`);
  for (const d of differences) console.log(`  ${d}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
