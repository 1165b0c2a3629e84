/**
 * The GitHub Action's scan step (action/run.js) in a simulated GitHub environment: a pull request of two
 * commits on the review fixture repository, its event payload, GITHUB_STEP_SUMMARY and GITHUB_OUTPUT files,
 * the action’s inputs as the runner passes them (INPUT_*), and a shallow checkout that lacks the base commit.
 * action.yml and .pre-commit-hooks.yaml are validated against their SchemaStore schemas.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixturePath, gitIn } from '../helpers.js';
import { fixtureDatabase } from '../vulndb/helpers.js';

const ROOT = fixturePath('..', '..');
const SCRIPT = join(ROOT, 'action/run.js');
let database: string;
let dir: string;
let repo: string;

beforeAll(async () => {
  database = await fixtureDatabase();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-action-'));
  repo = join(dir, 'pr');
  cpSync(fixturePath('cli/review/repo'), repo, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Two commits: the base (the fixture repository) and the pull request (a new module importing nodemailer). */
function pullRequest(): { base: string; head: string } {
  const git = gitIn(() => repo);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const base = git('rev-parse', 'HEAD').toString().trim();
  writeFileSync(
    join(repo, 'src/mailer.js'),
    "import nodemailer from 'nodemailer';\nexport default nodemailer;\n",
  );
  git('add', '-A');
  git('commit', '-q', '-m', 'mailer');
  return { base, head: git('rev-parse', 'HEAD').toString().trim() };
}

interface Step {
  exit: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

/** The scan step as the runner runs it, in `workspace`, with the action's inputs and a pull_request event. */
function runStep(workspace: string, inputs: Record<string, string>, event?: unknown): Step {
  const summaryPath = join(dir, 'step_summary.md');
  const outputPath = join(dir, 'output.txt');
  const eventPath = join(dir, 'event.json');
  writeFileSync(summaryPath, '# Earlier step\n\n');
  writeFileSync(outputPath, '');
  if (event) writeFileSync(eventPath, JSON.stringify(event));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    RUNNER_TEMP: dir,
    GITHUB_EVENT_NAME: event ? 'pull_request' : 'push',
    ...(event ? { GITHUB_EVENT_PATH: eventPath } : {}),
    INPUT_ARGS: `--no-registry --database ${database}`,
    ...inputs,
  };
  const run = spawnSync(process.execPath, [SCRIPT], { cwd: workspace, env, encoding: 'utf8' });
  const outputs = Object.fromEntries(
    readFileSync(outputPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return {
    exit: run.status ?? -1,
    stdout: run.stdout,
    stderr: run.stderr,
    summary: readFileSync(summaryPath, 'utf8'),
    outputs,
  };
}

const prEvent = (base: string, head: string) => ({
  action: 'opened',
  number: 7,
  pull_request: {
    number: 7,
    title: '@everyone ::set-output',
    base: { ref: 'main', sha: base },
    head: { sha: head },
  },
});

describe('the GitHub Action', () => {
  it('on a pull request reports only what it introduced: annotations, SARIF, job summary, outputs, exit code', () => {
    const { base, head } = pullRequest();
    const step = runStep(repo, { INPUT_FAIL_ON: 'medium' }, prEvent(base, head));
    expect(step.exit, step.stderr).toBe(1);
    // Annotations: the pull request's one finding; the old ones (lodash, dayjs, requests) are not repeated.
    const annotations = step.stdout
      .split('\n')
      .filter((line) => /^::(error|warning|notice) file=/.test(line));
    expect(annotations).toEqual([
      "::warning file=src/mailer.js,line=1,col=24,title=Vouch undeclared%3A npm nodemailer (medium)::'nodemailer' is imported but it is not declared in package.json; to declare it: npm install nodemailer",
    ]);
    expect(step.stdout).toContain(`--changed-since ${base}`);
    // The job summary keeps what earlier steps wrote and adds the report.
    expect(
      step.summary.startsWith('# Earlier step\n\n<!-- vouch-report -->\n## Vouch: 1 finding (1 medium)\n'),
    ).toBe(true);
    expect(step.summary).toContain(`only what changed since \`${base}\` (1 file; 0 findings already there)`);
    expect(step.outputs).toMatchObject({ 'exit-code': '1', 'sarif-file': 'vouch-results/vouch.sarif' });
    const sarif = JSON.parse(readFileSync(join(repo, 'vouch-results/vouch.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['undeclared']);
  });

  it('fetches the base commit a shallow checkout (actions/checkout’s default) lacks', () => {
    const { base, head } = pullRequest();
    const origin = join(dir, 'origin.git');
    spawnSync('git', ['clone', '-q', '--bare', repo, origin]);
    const work = join(dir, 'work');
    const clone = spawnSync('git', ['clone', '-q', '--depth=1', `file://${origin}`, work], {
      encoding: 'utf8',
    });
    expect(clone.status, clone.stderr).toBe(0);
    const git = gitIn(() => work);
    expect(() => git('cat-file', '-e', `${base}^{commit}`)).toThrow();
    const step = runStep(work, { INPUT_FAIL_ON: 'medium' }, prEvent(base, head));
    expect(step.exit, step.stdout + step.stderr).toBe(1);
    expect(step.summary).toContain('## Vouch: 1 finding (1 medium)');
    expect(() => git('cat-file', '-e', `${base}^{commit}`)).not.toThrow();
  });

  it('on a push scans everything, and passes the inputs through: fail-on none, no summary', () => {
    const step = runStep(repo, {
      INPUT_FAIL_ON: 'none',
      INPUT_SUMMARY: 'false',
      INPUT_SARIF_FILE: 'out.sarif',
    });
    expect(step.exit, step.stderr).toBe(0);
    expect(step.stdout).toContain(
      '::error file=package-lock.json,line=32,title=Vouch vulnerable%3A npm lodash@4.17.11',
    );
    expect(step.summary).toBe('# Earlier step\n\n');
    expect(step.outputs).toMatchObject({ 'exit-code': '0', 'sarif-file': 'out.sarif' });
  });

  it('takes one path per line', () => {
    const step = runStep(repo, { INPUT_PATHS: 'src\ntools/requirements.txt\n', INPUT_SUMMARY: 'false' });
    const files = step.stdout.split('\n').flatMap((line) => /^::\w+ file=([^,]+),/.exec(line)?.[1] ?? []);
    expect([...new Set(files)]).toEqual(['src/report.js', 'tools/requirements.txt']);
  });

  it('applies a baseline and --strict from its inputs', () => {
    spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin/vouch.js'),
        'scan',
        '--no-registry',
        '--database',
        database,
        '--write-baseline',
        'base.json',
      ],
      {
        cwd: repo,
        env: { PATH: process.env.PATH ?? '', HOME: dir },
      },
    );
    const clean = runStep(repo, { INPUT_BASELINE: 'base.json' });
    expect(clean.exit, clean.stdout + clean.stderr).toBe(0);
    expect(clean.summary).toContain('## Vouch: no findings');
    expect(clean.summary).toContain('5 findings already in the baseline `base.json`');
    const strict = runStep(repo, { INPUT_BASELINE: 'base.json', INPUT_STRICT: 'true' });
    expect(strict.exit).toBe(2);
    expect(strict.stderr).toMatch(/--strict: the scan is incomplete/);
  });

  it('refuses an input it cannot read, as a usage error, and says so in the summary', () => {
    const step = runStep(repo, { INPUT_FAIL_ON: 'severe' });
    expect(step.exit).toBe(2);
    expect(step.stdout).toBe(
      '::error title=Vouch::input fail-on must be one of info, low, medium, high, critical, none, not "severe"\n',
    );
    const broken = runStep(repo, { INPUT_ARGS: '--no-such-flag' });
    expect(broken.exit).toBe(2);
    expect(broken.summary).toContain('## Vouch could not finish\n\nExit code 2');
    expect(broken.outputs['exit-code']).toBe('2');
  });
});

function schemaValidator(name: string) {
  const schema = JSON.parse(readFileSync(fixturePath('schemas/schemastore', name), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile(schema);
}

describe('CI packaging files', () => {
  it('action.yml is a valid action by its schema, and passes every input it declares to the scan step', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    const validate = schemaValidator('github-action.json');
    expect(validate(action), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(validate({ ...action, runs: { steps: action.runs.steps } })).toBe(false);
    const scanStep = action.runs.steps.find((s: { id?: string }) => s.id === 'scan');
    const passed = Object.keys(scanStep.env).map((k) =>
      k
        .replace(/^INPUT_/, '')
        .replace(/_/g, '-')
        .toLowerCase(),
    );
    const used = new Set([...passed, 'upload-sarif', 'node-version']);
    expect(Object.keys(action.inputs).filter((name) => !used.has(name))).toEqual([]);
    // The script reads exactly those inputs.
    const script = readFileSync(SCRIPT, 'utf8');
    for (const name of passed) expect(script).toContain(`'${name}'`);
  });

  it('.pre-commit-hooks.yaml is valid by its schema; its hook skips docs but keeps requirements files', () => {
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
    const validate = schemaValidator('pre-commit-hooks.json');
    expect(validate(hooks), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(validate([{ ...hooks[0], entry: undefined }])).toBe(false);
    expect(hooks).toMatchObject([
      { id: 'vouch', entry: 'vouch scan', language: 'node', pass_filenames: true },
    ]);
    // pre-commit matches with Python's re.search; this pattern means the same in JavaScript.
    const exclude = new RegExp(hooks[0].exclude);
    const skipped = ['README.md', 'docs/answer.markdown', 'notes.txt', 'LICENSE.txt'];
    const kept = [
      'requirements.txt',
      'requirements/dev.txt',
      'constraints-ci.txt',
      'src/app.ts',
      'package.json',
    ];
    expect(skipped.filter((p) => !exclude.test(p))).toEqual([]);
    expect(kept.filter((p) => exclude.test(p))).toEqual([]);
  });
});
