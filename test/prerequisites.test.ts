/**
 * The guard on missing evidence (test/prerequisites.ts, test/skip-reporter.ts), run as CI and a developer
 * run it: vitest in a child process, with the project's configuration, pointed at a ../shared that does not
 * exist.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const VITEST = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const MISSING = '/nonexistent/vouch-shared';

interface Run {
  code: number | null;
  output: string;
}

/** `vitest run ARGS` with the given CI setting, as a fresh process would see it (no inherited VITEST_*). */
function vitest(args: string[], ci: boolean): Promise<Run> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('VITEST') && key !== 'CI' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  Object.assign(env, { VOUCH_TEST_SHARED_DIR: MISSING, NO_COLOR: '1', FORCE_COLOR: '0' });
  if (ci) env.CI = 'true';
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [VITEST, 'run', ...args], { cwd: ROOT, env });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

/** The fixtures: a suite needing ../shared/corpus, and a test skipped with a bare it.skip. */
const FIXTURES = ['--config', 'test/fixtures/prerequisites/vitest.config.ts'];
const NEEDS_SHARED = `needs the reference corpus in ../shared (${MISSING}/corpus is absent)`;
/** A vitest start in a child process can take a minute on a loaded two-core machine. */
const CHILD_RUN_MS = 120_000;

describe('tests that cannot run', () => {
  it(
    'fail the run in CI, naming the missing evidence and any other skip',
    async () => {
      const run = await vitest(FIXTURES, true);
      expect(run.code).toBe(1);
      expect(run.output).toContain(`missing evidence in CI (CI=true): ${NEEDS_SHARED}`);
      expect(run.output).toContain('CI=true, yet 1 test skipped: the run fails');
      expect(run.output).toContain('stray-skip.fixture.ts > a check someone turned off: no reason given');
    },
    CHILD_RUN_MS,
  );

  it(
    'are skipped elsewhere, and the summary lists each skip with its reason',
    async () => {
      const run = await vitest(FIXTURES, false);
      expect(run.code).toBe(0);
      expect(run.output).toContain('Skipped 2 tests (in CI, with CI=true, each fails instead):');
      expect(run.output).toContain(
        `needs-shared.fixture.ts > a check on the shared corpus > has the evidence it needs: ${NEEDS_SHARED}`,
      );
      expect(run.output).toContain('stray-skip.fixture.ts > a check someone turned off: no reason given');
    },
    CHILD_RUN_MS,
  );
});
