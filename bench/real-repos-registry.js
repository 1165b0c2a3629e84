// Live check (opt-in, never part of `npm test` or `npm run bench`): Vouch with registry checks ON over the
// pinned real repositories of bench/real-repos, every high or critical finding listed and scored against the
// hand-judged verdicts in bench/real-repos/registry-verdicts.json. These repositories install and build, so a
// high `nonexistent`/`typosquat` finding on them is a false alarm unless a verdict says otherwise.
//
//   node bench/real-repos-registry.js [--only a,b] [--json out.json]
//
// It asks the registries Vouch's users would (npm's configuration names the npm registry; pip's the PyPI
// index) through Vouch's registry cache, so it needs the network the first time. Where a registry cannot be
// reached, its packages are `unchecked` (the honest output) and the count is printed per repository.
// Environment: VOUCH_REAL_REPOS (checkouts, as for bench/real-repos.js), VOUCH_REAL_REPOS_TIMEOUT (seconds).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, timed } from './lib.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HERE = join(ROOT, 'bench/real-repos');
const vouchBin = join(ROOT, 'bin/vouch.js');
const SERIOUS = new Set(['high', 'critical']);
/** Medium registry findings are listed too (not scored): they are what a `--fail-on medium` gate sees. */
const LISTED_MEDIUM = new Set(['unknown-version', 'suspicious-new', 'typosquat', 'nonexistent']);

function parseArgs(argv) {
  const args = { only: undefined, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') args.only = new Set(argv[++i].split(','));
    else if (a === '--json') args.json = argv[++i];
    else if (a === '--help' || a === '-h') args.help = true;
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  return args;
}

/** The registry's address stays out of what is printed or kept: findings name the package, kind and place. */
function unit(repo, f) {
  return {
    repo,
    kind: f.kind,
    severity: f.severity,
    ecosystem: f.ecosystem,
    name: f.name,
    where: `${f.location?.file ?? ''}:${f.location?.line ?? 0}`,
  };
}

function scanWithRegistry(dir) {
  const seconds = Number(process.env.VOUCH_REAL_REPOS_TIMEOUT ?? 600);
  const run = timed(
    process.execPath,
    [vouchBin, 'scan', '.', '--no-database', '--format', 'json', '--fail-on', 'none'],
    { cwd: dir, timeout: seconds * 1000 },
  );
  try {
    return { ms: run.ms, result: JSON.parse(run.stdout) };
  } catch {
    return { ms: run.ms, failed: `exit ${run.status}: ${(run.stderr || run.stdout).split('\n')[0]}` };
  }
}

export function run(argv = []) {
  const args = parseArgs(argv);
  if (args.help) {
    console.log('node bench/real-repos-registry.js [--only a,b] [--json out.json]   (env: VOUCH_REAL_REPOS)');
    return;
  }
  const base = process.env.VOUCH_REAL_REPOS ?? '/work/bench-cache/repos';
  if (!existsSync(base)) {
    console.log(
      `registry check on real repositories: no checkouts in ${base} (see bench/real-repos/README.md)`,
    );
    return;
  }
  const repos = JSON.parse(readFileSync(join(HERE, 'repos.json'), 'utf8'));
  const verdicts = JSON.parse(readFileSync(join(HERE, 'registry-verdicts.json'), 'utf8'));
  const judged = new Map(verdicts.map((v) => [`${v.repo} ${v.kind} ${v.name}`, v]));
  const out = [];
  const totals = { real: 0, false: 0, unjudged: 0 };
  for (const repo of repos) {
    if (args.only && !args.only.has(repo.name)) continue;
    const dir = join(base, repo.name);
    if (!existsSync(dir)) {
      console.log(`  ${repo.name.padEnd(20)} not checked out (skipped)`);
      continue;
    }
    const scan = scanWithRegistry(dir);
    if (scan.failed) {
      console.log(`  ${repo.name.padEnd(20)} FAILED ${scan.failed}`);
      out.push({ repo: repo.name, failed: scan.failed });
      continue;
    }
    const findings = scan.result.findings ?? [];
    // One unit per (kind, name): the same package reported in its manifest, lockfile and imports is one claim.
    const serious = new Map();
    for (const f of findings.filter((f) => SERIOUS.has(f.severity))) {
      const key = `${repo.name} ${f.kind} ${f.name}`;
      if (!serious.has(key)) serious.set(key, unit(repo.name, f));
    }
    const medium = findings.filter((f) => f.severity === 'medium' && LISTED_MEDIUM.has(f.kind));
    const unchecked = (scan.result.unchecked ?? []).filter((u) => u.check === 'registry');
    const uncheckedBy = {};
    for (const u of unchecked) uncheckedBy[u.ecosystem] = (uncheckedBy[u.ecosystem] ?? 0) + 1;
    const scored = [...serious.values()].map((u) => ({
      ...u,
      verdict: judged.get(`${u.repo} ${u.kind} ${u.name}`),
    }));
    for (const u of scored) {
      if (!u.verdict) totals.unjudged++;
      else if (u.verdict.verdict === 'real') totals.real++;
      else totals.false++;
    }
    const falseCount = scored.filter((u) => u.verdict?.verdict === 'false').length;
    console.log(
      `  ${repo.name.padEnd(20)} ${fmt(scan.ms / 1000, 1)} s, ${scored.length} high/critical (${falseCount} false), ` +
        `${medium.length} medium registry findings, registry unchecked: ${
          Object.entries(uncheckedBy)
            .map(([e, n]) => `${e} ${n}`)
            .join(', ') || 'none'
        }`,
    );
    for (const u of scored)
      console.log(
        `      ${u.severity} ${u.kind} ${u.name} (${u.where}): ${
          u.verdict
            ? `${u.verdict.verdict}: ${u.verdict.reason}`
            : 'NOT JUDGED: judge it and add it to registry-verdicts.json'
        }`,
      );
    const mediumKinds = {};
    for (const f of medium) mediumKinds[f.kind] = (mediumKinds[f.kind] ?? 0) + 1;
    if (medium.length > 0)
      console.log(
        `      medium: ${Object.entries(mediumKinds)
          .map(([k, n]) => `${k} ${n}`)
          .join(
            ', ',
          )} (${[...new Set(medium.map((f) => f.name))].slice(0, 8).join(', ')}${medium.length > 8 ? ', …' : ''})`,
      );
    const reasons = [...new Set(unchecked.map((u) => `${u.ecosystem}: ${u.reason}`))].slice(0, 2);
    for (const r of reasons) console.log(`      unchecked ${r.replace(/https?:\/\/\S+/g, '<registry>')}`);
    out.push({
      repo: repo.name,
      ms: scan.ms,
      serious: scored,
      medium: medium.map((f) => unit(repo.name, f)),
      unchecked: uncheckedBy,
    });
  }
  console.log(
    `\nhigh/critical findings: ${totals.real} real, ${totals.false} false, ${totals.unjudged} not judged (goal: 0 false)`,
  );
  if (args.json) writeFileSync(args.json, `${JSON.stringify(out, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) run(process.argv.slice(2));
