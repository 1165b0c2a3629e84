// `npm run mutate [module...] [-- stryker flags]`: StrykerJS (vitest runner) over the modules whose mistakes
// would mislead users most, one Stryker run per module with that module's tests only (a whole-suite run per
// mutant is hours on two cores), then the mutation score per module. Not part of `npm test` or CI.
//
//   npm run mutate                        every module, one after the other
//   npm run mutate -- policy sarif-json   some of them
//   npm run mutate -- versions-order --concurrency 2
//
// Reports: reports/mutation/<module>.json (the mutation-testing-report schema) and <module>-survivors.txt.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STRYKER = join(ROOT, 'node_modules/@stryker-mutator/core/bin/stryker.js');
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
const REPORTS = join(ROOT, 'reports/mutation');

/** Each module: the files mutated, and the tests that are meant to catch their mistakes. */
const MODULES = {
  'versions-order': {
    mutate: [
      'src/versions/{index,shared,types,semver-order,npm,crates,go,pypi,rubygems,maven,nuget,packagist,valid}.ts',
    ],
    tests: [
      'test/versions/versions.test.ts',
      'test/versions/valid.test.ts',
      'test/conformance/versions.test.ts',
      'test/registry/names-and-versions.test.ts',
    ],
  },
  'versions-ranges': {
    mutate: ['src/versions/{ranges,pick}.ts'],
    tests: [
      'test/versions/*.test.ts',
      'test/registry/names-and-versions.test.ts',
      'test/registry/scan.test.ts',
      'test/analyzers/range-allows-vulnerable.test.ts',
    ],
  },
  'osv-match': {
    mutate: ['src/versions/osv-match.ts'],
    tests: [
      'test/versions/osv-match.test.ts',
      'test/analyzers/vulnerable.test.ts',
      'test/analyzers/range-allows-vulnerable.test.ts',
      'test/vulndb/resolve.test.ts',
      // Not test/vulndb/real-data.test.ts: its set-up imports all of ../shared/data/osv, which every mutant
      // would pay again (a minute each on a loaded two-core machine).
    ],
  },
  policy: {
    mutate: ['src/pipeline/policy.ts'],
    tests: ['test/pipeline/policy.test.ts', 'test/cli/cli.test.ts'],
  },
  phantom: {
    mutate: ['src/project/phantom.ts'],
    // The resolver's own tests (fixture scans and a hand-built index) and the analyzer that asks it about
    // answers; the whole-pipeline scans reach it too, but cost every mutant seconds each.
    tests: ['test/project/*.test.ts', 'test/analyzers/undisclosed-risk.test.ts'],
  },
  disclosure: {
    mutate: ['src/analyzers/answer-warnings.ts', 'src/analyzers/undisclosed-risk.ts'],
    tests: ['test/analyzers/undisclosed-risk.test.ts', 'test/analyzers/undisclosed-risk-labelled.test.ts'],
    // The labelled-answers test runs the whole pipeline over eighty answers, and only undisclosed-risk can
    // differ between mutants: it runs once on the unmutated source and saves what undisclosed-risk was
    // given; each mutant then judges that (test/analyzers/answer-snapshot.ts).
    snapshot: {
      env: 'VOUCH_DISCLOSURE_SNAPSHOT',
      tests: ['test/analyzers/undisclosed-risk-labelled.test.ts'],
    },
  },
  'sarif-json': {
    mutate: ['src/reporters/sarif.ts', 'src/reporters/json.ts'],
    tests: ['test/reporters/*.test.ts'],
  },
};

const args = process.argv.slice(2);
const flagAt = args.findIndex((a) => a.startsWith('--'));
const names = flagAt === -1 ? args : args.slice(0, flagAt);
const flags = flagAt === -1 ? [] : args.slice(flagAt);
const unknown = names.filter((n) => !(n in MODULES));
if (unknown.length > 0) {
  console.error(`unknown module ${unknown.join(', ')}; modules: ${Object.keys(MODULES).join(', ')}`);
  process.exit(2);
}
if (!existsSync(STRYKER)) {
  console.error('StrykerJS is not installed (a devDependency): npm install');
  process.exit(2);
}
mkdirSync(REPORTS, { recursive: true });
const base = JSON.parse(readFileSync(join(ROOT, 'stryker.config.json'), 'utf8'));
// Stryker runs the tests in a sandbox below the project; ../shared is where the project's own is.
const shared = process.env.VOUCH_TEST_SHARED_DIR ?? resolve(ROOT, '../shared');

/** Counts by status and the survivors of a mutation-testing-report JSON. */
function summarise(report) {
  const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
  const survivors = [];
  for (const [file, { mutants, source }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    for (const m of mutants) {
      if (m.status in counts) counts[m.status]++;
      else counts.other++;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        const { line, column } = m.location.start;
        survivors.push(
          `${file}:${line}:${column} ${m.status} ${m.mutatorName}: ${JSON.stringify(m.replacement ?? '')}\n    ${lines[line - 1]?.trim()}`,
        );
      }
    }
  }
  const valid = counts.Killed + counts.Timeout + counts.Survived + counts.NoCoverage;
  return {
    counts,
    valid,
    score: valid === 0 ? 100 : ((counts.Killed + counts.Timeout) / valid) * 100,
    survivors,
  };
}

const rows = [];
for (const name of names.length > 0 ? names : Object.keys(MODULES)) {
  const module = MODULES[name];
  const report = join(REPORTS, `${name}.json`);
  const config = join(REPORTS, `${name}.stryker.json`);
  writeFileSync(
    config,
    JSON.stringify(
      {
        ...base,
        mutate: module.mutate,
        jsonReporter: { fileName: report },
        // With `--incremental`, a run reuses the results of the last (of this module) for mutants whose code
        // and covering tests did not change.
        incrementalFile: join(REPORTS, `${name}-incremental.json`),
        // Outside the project: inside it, the project's .gitignore would hide the sandbox from the scans
        // the tests run.
        tempDirName: join(tmpdir(), `vouch-stryker-${name}`),
      },
      null,
      2,
    ),
  );
  console.log(`\n=== ${name}: ${module.mutate.join(' ')} (tests: ${module.tests.join(' ')})`);
  const env = { ...process.env, VOUCH_MUTATE_TESTS: module.tests.join(','), VOUCH_TEST_SHARED_DIR: shared };
  if (module.snapshot) {
    const dir = join(REPORTS, `${name}-snapshot`);
    rmSync(dir, { recursive: true, force: true });
    console.log(`saving the snapshot in ${dir}`);
    const saved = spawnSync(process.execPath, [VITEST, 'run', '--config', 'vitest.mutate.config.ts'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...env,
        VOUCH_MUTATE_TESTS: module.snapshot.tests.join(','),
        [module.snapshot.env]: `write:${dir}`,
      },
    });
    if (saved.status !== 0) {
      rows.push({ name, failed: `the snapshot's tests failed (exit ${saved.status})` });
      continue;
    }
    env[module.snapshot.env] = `read:${dir}`;
  }
  const run = spawnSync(process.execPath, [STRYKER, 'run', config, ...flags], {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  });
  if (run.status !== 0 || !existsSync(report)) {
    rows.push({ name, failed: `stryker exited with ${run.status}` });
    continue;
  }
  const summary = summarise(JSON.parse(readFileSync(report, 'utf8')));
  writeFileSync(join(REPORTS, `${name}-survivors.txt`), `${summary.survivors.join('\n')}\n`);
  rows.push({ name, ...summary });
}

console.log('\nmutation score per module (killed + timed out, of mutants that compile):');
console.log('  module            mutants  killed  timeout  survived  no cov  score');
for (const row of rows) {
  if (row.failed) {
    console.log(`  ${row.name.padEnd(16)}  ${row.failed}`);
    continue;
  }
  const { counts, valid, score } = row;
  console.log(
    `  ${row.name.padEnd(16)}  ${String(valid).padStart(7)}  ${String(counts.Killed).padStart(6)}  ${String(counts.Timeout).padStart(7)}  ${String(counts.Survived).padStart(8)}  ${String(counts.NoCoverage).padStart(6)}  ${score.toFixed(1).padStart(5)}%`,
  );
}
process.exitCode = rows.some((r) => r.failed) ? 1 : 0;
