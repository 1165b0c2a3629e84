// Benchmark: phantom-import accuracy and speed on real public repositories, Vouch against knip and depcheck.
//
// The repositories are listed (with pinned commits) in bench/real-repos/repos.json; their checkouts live
// outside the project, in VOUCH_REAL_REPOS (default /work/bench-cache/repos), one folder per short name.
// Every name a tool reports as undeclared / transitive-only (Vouch), unlisted (knip) or missing (depcheck)
// becomes a unit (repo, governing package folder, name) and is scored against the hand-judged verdicts in
// bench/real-repos/verdicts.json: precision and recall per tool, every false positive with the reason it is
// false, and every unit nobody has judged yet. Then each tool's whole-process wall time per repository,
// the median of several runs with the tools taking turns.
//
//   node bench/real-repos.js [--only a,b] [--tools vouch,knip,depcheck] [--runs N] [--no-timing] [--json out.json]
//
// Environment: VOUCH_REAL_REPOS (checkouts), VOUCH_REAL_REPOS_RUNS (timed runs per tool, default 3),
// VOUCH_REAL_REPOS_TIMEOUT (seconds per tool run, default 300).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, ratio, timed } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HERE = join(ROOT, 'bench/real-repos');
const vouchBin = join(ROOT, 'bin/vouch.js');
const knipBin = join(ROOT, 'node_modules/knip/bin/knip.js');
const depcheckBin = join(ROOT, 'node_modules/depcheck/bin/depcheck.js');

const PY_MANIFEST = /^(?:pyproject\.toml|setup\.py|setup\.cfg|Pipfile|requirements[\w.-]*\.txt)$/;
const PY_SOURCE = /\.pyi?$/;
// Folders never worth walking to find manifests: version control and caches. Committed node_modules
// folders are walked on purpose (a package committed inside the tree is a package folder of its own).
const SKIP_DIRS = new Set(['.git', '.hg', '.svn', '.yarn', '.pnpm-store', '__pycache__', '.venv', '.tox']);

function parseArgs(argv) {
  const args = {
    only: undefined,
    tools: undefined,
    runs: Number(process.env.VOUCH_REAL_REPOS_RUNS ?? 3),
    json: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') args.only = new Set(argv[++i].split(','));
    else if (a === '--tools') args.tools = new Set(argv[++i].split(','));
    else if (a === '--runs') args.runs = Number(argv[++i]);
    else if (a === '--no-timing') args.runs = 1;
    else if (a === '--json') args.json = argv[++i];
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  return args;
}

/** PEP 503 for Python names; npm names are compared as written. */
export function normalise(language, name) {
  return language === 'python' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

export function unitKey(repo, pkg, name) {
  return `${repo} ${pkg} ${name}`;
}

/** The folders of a checkout that hold a package.json and those that hold a Python manifest. */
function manifestFolders(repoDir) {
  const js = new Set();
  const py = new Set();
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop();
    let entries;
    try {
      entries = readdirSync(join(repoDir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) stack.push(rel ? `${rel}/${e.name}` : e.name);
      } else if (e.name === 'package.json') js.add(rel || '.');
      else if (PY_MANIFEST.test(e.name)) py.add(rel || '.');
    }
  }
  return { js, py };
}

/** The package folder whose manifest governs a file: the nearest folder above it with a manifest of its language. */
function governing(folders, file) {
  const set = PY_SOURCE.test(file) ? folders.py : folders.js;
  let dir = dirname(file.split(sep).join('/'));
  for (;;) {
    if (dir === '' || dir === '.') return '.';
    if (set.has(dir)) return dir;
    dir = dirname(dir);
  }
}

function firstLine(text) {
  return (
    (text ?? '')
      .split('\n')
      .find((l) => l.trim())
      ?.trim()
      .slice(0, 200) ?? ''
  );
}

const TIMEOUT = ['/usr/bin/timeout', '/bin/timeout'].find((p) => existsSync(p));

/** A tool run bounded in time: through timeout(1) when it is there, so the whole process tree stops. */
function bounded(args, cwd) {
  const seconds = Number(process.env.VOUCH_REAL_REPOS_TIMEOUT ?? 300);
  return TIMEOUT
    ? timed(TIMEOUT, ['-k', '5', String(seconds), process.execPath, ...args], { cwd })
    : timed(process.execPath, args, { cwd, timeout: seconds * 1000 });
}

function runVouch(repo) {
  const run = bounded(
    [vouchBin, 'scan', '.', '--no-registry', '--no-database', '--format', 'json', '--fail-on', 'none'],
    repo.dir,
  );
  const units = [];
  let result;
  try {
    result = JSON.parse(run.stdout);
  } catch {
    return {
      ms: run.ms,
      units,
      failed: `exit ${run.status}: ${firstLine(run.stderr) || firstLine(run.stdout)}`,
    };
  }
  let noted = 0;
  for (const f of result.findings ?? []) {
    if (f.kind !== 'undeclared' && f.kind !== 'transitive-only') continue;
    // An info finding (an optional import: try/except ImportError, importorskip, an IPython-only import) is
    // a note the default gate never fails on, not a claim that the import is a phantom: counted apart.
    if (f.severity === 'info') {
      noted++;
      continue;
    }
    const file = f.location?.file ?? '';
    units.push({
      pkg: governing(repo.folders, file),
      name: normalise(f.ecosystem === 'PyPI' ? 'python' : 'js', f.name),
      where: `${file}:${f.location?.line ?? 0}`,
      kind: f.kind,
    });
  }
  const high = (result.findings ?? []).filter(
    (f) => f.severity === 'high' || f.severity === 'critical',
  ).length;
  return {
    ms: run.ms,
    units,
    status: run.status,
    errors: (result.errors ?? []).length,
    noted,
    high,
    files: result.stats?.filesScanned ?? 0,
  };
}

function runKnip(repo) {
  const run = bounded(
    [
      knipBin,
      '--include',
      'unlisted',
      '--reporter',
      'json',
      '--no-progress',
      '--no-config-hints',
      '--no-exit-code',
    ],
    repo.dir,
  );
  const units = [];
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return {
      ms: run.ms,
      units,
      failed: `exit ${run.status}: ${firstLine(run.stderr) || firstLine(run.stdout)}`,
    };
  }
  for (const issue of report.issues ?? []) {
    for (const u of issue.unlisted ?? []) {
      units.push({
        pkg: governing(repo.folders, issue.file),
        name: u.name,
        where: `${issue.file}:${u.line ?? 0}`,
        kind: 'unlisted',
      });
    }
  }
  const warning = run.status !== 0 ? firstLine(run.stderr) : undefined;
  return { ms: run.ms, units, warning };
}

/** depcheck once per package folder, each ignoring the package folders nested in it (they get their own run). */
function runDepcheck(repo) {
  const folders = [...repo.folders.js].filter((f) => !f.split('/').includes('node_modules')).sort();
  const units = [];
  const failures = [];
  let ms = 0;
  for (const folder of folders) {
    const nested = folders
      .filter((f) => f !== folder && (folder === '.' || f.startsWith(`${folder}/`)))
      .map((f) => `/${folder === '.' ? f : f.slice(folder.length + 1)}/`);
    const args = [depcheckBin, '.', '--json'];
    if (nested.length > 0) args.push(`--ignore-patterns=${nested.join(',')}`);
    const run = bounded(args, join(repo.dir, folder));
    ms += run.ms;
    let report;
    try {
      report = JSON.parse(run.stdout);
    } catch {
      failures.push(`${folder}: exit ${run.status}: ${firstLine(run.stderr)}`);
      continue;
    }
    for (const [name, files] of Object.entries(report.missing ?? {})) {
      for (const abs of files) {
        const file = relative(repo.dir, abs);
        units.push({ pkg: governing(repo.folders, file), name, where: `${file}:0`, kind: 'missing' });
      }
    }
  }
  return {
    ms,
    units,
    runs: folders.length,
    warning: failures.length > 0 ? `${failures.length} package folder(s) failed: ${failures[0]}` : undefined,
  };
}

const TOOLS = {
  vouch: { run: runVouch, covers: () => true },
  knip: { run: runKnip, covers: (repo) => repo.language !== 'python' },
  depcheck: { run: runDepcheck, covers: (repo) => repo.language !== 'python' },
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs every tool on a repository `runs` times, rotating the order each round. depcheck runs once per
 * package folder and takes minutes on a big monorepo, so VOUCH_REAL_REPOS_DEPCHECK_RUNS can bound its rounds.
 */
function measure(repo, runs, only) {
  const names = Object.keys(TOOLS).filter((t) => TOOLS[t].covers(repo) && (!only || only.has(t)));
  const times = Object.fromEntries(names.map((t) => [t, []]));
  const first = {};
  const depcheckRuns = Number(process.env.VOUCH_REAL_REPOS_DEPCHECK_RUNS ?? runs);
  for (let round = 0; round < runs; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const tool of order) {
      if (tool === 'depcheck' && round >= depcheckRuns) continue;
      const out = TOOLS[tool].run(repo);
      times[tool].push(out.ms);
      first[tool] ??= out;
    }
  }
  return Object.fromEntries(names.map((t) => [t, { ...first[t], ms: median(times[t]) }]));
}

/** Units of one tool, deduplicated, each with its first example. */
function dedupe(repoName, units) {
  const map = new Map();
  for (const u of units) {
    const key = unitKey(repoName, u.pkg, u.name);
    if (!map.has(key))
      map.set(key, { repo: repoName, pkg: u.pkg, name: u.name, where: u.where, kinds: new Set() });
    map.get(key).kinds.add(u.kind);
  }
  return map;
}

function pct(n) {
  return Number.isFinite(n) ? fmt(n, 2) : '–';
}

export function run(argv = []) {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(
      'node bench/real-repos.js [--only a,b] [--tools vouch,knip,depcheck] [--runs N] [--no-timing] [--json out.json]',
    );
    console.log(
      'env: VOUCH_REAL_REPOS, VOUCH_REAL_REPOS_RUNS, VOUCH_REAL_REPOS_DEPCHECK_RUNS, VOUCH_REAL_REPOS_TIMEOUT',
    );
    return;
  }
  const base = process.env.VOUCH_REAL_REPOS ?? '/work/bench-cache/repos';
  const repos = JSON.parse(readFileSync(join(HERE, 'repos.json'), 'utf8'));
  if (!existsSync(base)) {
    console.log(
      `real-repos benchmark: no checkouts in ${base}. Clone each repository of bench/real-repos/repos.json at its ` +
        'pinned commit into <folder>/<short name> (the `get` field says how) and set VOUCH_REAL_REPOS=<folder>.',
    );
    return;
  }
  const verdicts = JSON.parse(readFileSync(join(HERE, 'verdicts.json'), 'utf8'));
  const judged = new Map(verdicts.map((v) => [unitKey(v.repo, v.pkg, v.name), v]));

  const results = [];
  const missing = [];
  for (const repo of repos) {
    if (args.only && !args.only.has(repo.name)) continue;
    const dir = join(base, repo.name);
    if (!existsSync(dir)) {
      missing.push(repo.name);
      continue;
    }
    const folders = manifestFolders(dir);
    const r = { ...repo, dir, folders };
    const out = measure(r, Math.max(1, args.runs), args.tools);
    const line = Object.entries(out)
      .map(([t, o]) => `${t} ${fmt(o.ms, 0)} ms${o.failed ? ' (failed)' : ''}`)
      .join('  ');
    console.log(`  ${repo.name.padEnd(20)} ${line}`);
    results.push({ repo, out });
  }
  if (missing.length > 0) console.log(`  not checked out (skipped): ${missing.join(', ')}`);

  const inScope = new Set(results.map((r) => r.repo.name));
  const phantoms = verdicts.filter((v) => v.verdict === 'phantom' && inScope.has(v.repo));
  const report = { tools: {}, unjudged: new Map(), falsePositives: [] };
  for (const tool of Object.keys(TOOLS).filter((t) => !args.tools || args.tools.has(t))) {
    const covered = results.filter((r) => r.out[tool]);
    const coveredNames = new Set(covered.map((r) => r.repo.name));
    const units = new Map();
    for (const r of covered) for (const [k, u] of dedupe(r.repo.name, r.out[tool].units)) units.set(k, u);
    let tp = 0;
    let fp = 0;
    let unjudged = 0;
    for (const [key, u] of units) {
      const v = judged.get(key);
      if (!v) {
        unjudged++;
        const entry = report.unjudged.get(key) ?? { ...u, tools: [] };
        entry.tools.push(tool);
        report.unjudged.set(key, entry);
      } else if (v.verdict === 'phantom') tp++;
      else {
        fp++;
        report.falsePositives.push({ tool, ...v, where: u.where });
      }
    }
    const relevant = phantoms.filter((v) => coveredNames.has(v.repo)).length;
    report.tools[tool] = {
      repos: covered.length,
      failedRepos: covered
        .filter((r) => r.out[tool].failed)
        .map((r) => `${r.repo.name} (${r.out[tool].failed})`),
      reported: units.size,
      tp,
      fp,
      unjudged,
      precision: tp / (tp + fp),
      recall: tp / relevant,
      recallAll: tp / phantoms.length,
      phantomsInScope: relevant,
      found: new Set([...units.keys()].filter((k) => judged.get(k)?.verdict === 'phantom')),
      units: new Set(units.keys()),
    };
  }

  console.log(
    '\nphantom findings against hand-judged verdicts (units: repo, governing package folder, name)',
  );
  console.log(
    `  ${'tool'.padEnd(9)} ${'repos'.padStart(5)} ${'reported'.padStart(8)} ${'real'.padStart(5)} ${'false'.padStart(5)} ${'unjudged'.padStart(8)} ${'precision'.padStart(9)} ${'recall'.padStart(7)}  recall/all`,
  );
  for (const [tool, s] of Object.entries(report.tools)) {
    console.log(
      `  ${tool.padEnd(9)} ${String(s.repos).padStart(5)} ${String(s.reported).padStart(8)} ${String(s.tp).padStart(5)} ${String(s.fp).padStart(5)} ${String(s.unjudged).padStart(8)} ${pct(s.precision).padStart(9)} ${pct(s.recall).padStart(7)}  ${pct(s.recallAll)} (of ${phantoms.length} real phantoms; ${s.phantomsInScope} in the repos it covers)`,
    );
    for (const f of s.failedRepos) console.log(`      ${tool} failed on ${f}`);
  }
  // The brief's strict reading of pnpm: only the file's own workspace manifest counts, so a name declared
  // only by an enclosing manifest (pnpm links it into that folder's node_modules, which Node walks up to)
  // would be a phantom too. Those verdicts carry pnpmEnclosing: true; show the figures under that reading.
  const strict = verdicts.filter((v) => v.pnpmEnclosing && inScope.has(v.repo));
  if (strict.length > 0) {
    const strictKeys = new Set(strict.map((v) => unitKey(v.repo, v.pkg, v.name)));
    const cells = Object.entries(report.tools).map(([tool, s]) => {
      const extra = [...s.units].filter((k) => strictKeys.has(k)).length;
      const tp = s.tp + extra;
      const relevant =
        s.phantomsInScope +
        strict.filter((v) => results.find((r) => r.repo.name === v.repo)?.out[tool]).length;
      return `${tool} precision ${pct(tp / (tp + s.fp - extra))} recall ${pct(tp / relevant)}`;
    });
    console.log(
      `  strict pnpm reading (${strict.length} root/ancestor-declared units under pnpm count as phantoms): ${cells.join('; ')}`,
    );
  }
  const foundByAny = new Set(Object.values(report.tools).flatMap((s) => [...s.found]));
  const foundByNone = phantoms.filter((v) => !foundByAny.has(unitKey(v.repo, v.pkg, v.name)));
  console.log(`  real phantoms no tool reports (found by reading the repositories): ${foundByNone.length}`);

  console.log(
    '\nper repository: units reported (real / false / unjudged), wall time (median) and ratio to knip',
  );
  for (const { repo, out } of results) {
    const cells = Object.entries(out).map(([tool, o]) => {
      const keys = [...dedupe(repo.name, o.units).keys()];
      const real = keys.filter((k) => judged.get(k)?.verdict === 'phantom').length;
      const no = keys.filter((k) => judged.get(k)?.verdict === 'false').length;
      const un = keys.length - real - no;
      const vsKnip = tool !== 'knip' && out.knip ? ` (knip ${ratio(out.knip.ms, o.ms)})` : '';
      return `${tool} ${real}/${no}/${un} ${fmt(o.ms, 0)} ms${vsKnip}${o.failed ? ' FAILED' : ''}`;
    });
    const v = out.vouch;
    console.log(`  ${repo.name.padEnd(20)} ${cells.join('  ')}`);
    console.log(
      `  ${''.padEnd(20)} vouch (registry off): ${v.files ?? 0} files, ${v.errors ?? 0} parse errors, ${v.high ?? 0} high findings, ${v.noted ?? 0} info-only phantom notes (not counted), exit ${v.status}`,
    );
    for (const [tool, o] of Object.entries(out)) {
      if (o.failed) console.log(`  ${''.padEnd(20)} ${tool} failed: ${o.failed}`);
      else if (o.warning) console.log(`  ${''.padEnd(20)} ${tool}: ${o.warning}`);
    }
  }
  const totals = {};
  for (const { out } of results)
    for (const [t, o] of Object.entries(out)) totals[t] = (totals[t] ?? 0) + o.ms;
  if (totals.knip)
    console.log(
      `  total                vouch ${fmt(totals.vouch, 0)} ms, knip ${fmt(totals.knip, 0)} ms (vouch ${ratio(totals.knip, totals.vouch)} faster), depcheck ${fmt(totals.depcheck ?? 0, 0)} ms`,
    );

  console.log(`\nfalse positives (${report.falsePositives.length}), with the reason each is false:`);
  for (const f of report.falsePositives.sort((a, b) =>
    `${a.tool}${a.repo}`.localeCompare(`${b.tool}${b.repo}`),
  ))
    console.log(`  ${f.tool.padEnd(8)} ${f.repo} ${f.pkg} ${f.name} (${f.where}): ${f.reason}`);
  console.log('\nreal phantoms missed, per tool (in the repositories it covers):');
  for (const [tool, s] of Object.entries(report.tools)) {
    const covered = new Set(results.filter((r) => r.out[tool]).map((r) => r.repo.name));
    const missed = phantoms.filter(
      (v) => covered.has(v.repo) && !s.found.has(unitKey(v.repo, v.pkg, v.name)),
    );
    console.log(`  ${tool}: ${missed.map((v) => `${v.repo}:${v.pkg}:${v.name}`).join(', ') || 'none'}`);
  }
  console.log(
    `\nreported but not judged yet (${report.unjudged.size}): add them to bench/real-repos/verdicts.json`,
  );
  for (const u of report.unjudged.values())
    console.log(`  ${u.repo} ${u.pkg} ${u.name} (${u.where}) by ${u.tools.join(', ')}`);

  if (args.json) {
    const serial = {
      tools: Object.fromEntries(
        Object.entries(report.tools).map(([t, s]) => [t, { ...s, found: [...s.found], units: [...s.units] }]),
      ),
      unjudged: [...report.unjudged.values()].map((u) => ({ ...u, kinds: [...u.kinds] })),
      falsePositives: report.falsePositives,
      repos: results.map(({ repo, out }) => ({
        name: repo.name,
        tools: Object.fromEntries(Object.entries(out).map(([t, o]) => [t, { ...o, units: o.units }])),
      })),
    };
    writeFileSync(args.json, `${JSON.stringify(serial, null, 2)}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) run(process.argv.slice(2));
