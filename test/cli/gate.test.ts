/**
 * The gate end to end, through the CLI, on a small real-looking repository (an Express service whose
 * report module imports dayjs without declaring it, and imports body-parser that only express installs).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixturePath, gitIn } from '../helpers.js';
import { fixtureDatabase } from '../vulndb/helpers.js';
import { runCli } from './run-cli.js';

const REPO = fixturePath('cli/gate/repo');
let repo: string;
let database: string;

beforeAll(async () => {
  database = await fixtureDatabase();
});
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'vouch-gate-'));
  cpSync(REPO, repo, { recursive: true });
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** Offline except where a test names a registry; the fixture advisories as the database. */
function vouch(args: string[]) {
  return runCli(['scan', ...args, '--database', database], {
    cwd: repo,
    env: { HOME: repo, PATH: process.env.PATH },
  });
}
const offline = ['--no-registry'];

function config(value: unknown): void {
  writeFileSync(join(repo, 'vouch.config.json'), JSON.stringify(value, null, 2));
}

describe('the gate: ignore entries with a last day', () => {
  const entry = (until: string) => ({
    ignore: [{ kind: 'undeclared', package: 'dayjs', reason: 'being replaced by date-fns', until }],
    failOn: { default: 'medium' },
  });

  it('an entry with a future date hides the finding, lists it as ignored, and the exit is 0', async () => {
    config(entry('2099-01-01'));
    const out = await vouch(offline);
    expect(out.exit, out.stderr).toBe(0);
    expect(out.stdout).toMatch(
      /Ignored \(1\)\n\s+undeclared\s+npm:dayjs\s+src\/report\.js:1:19\s+being replaced by date-fns \(vouch\.config\.json ignore\[0\], until 2099-01-01\)/,
    );
    expect(out.stdout).not.toMatch(/MEDIUM\s+undeclared/);

    const json = JSON.parse((await vouch([...offline, '--format', 'json'])).stdout);
    expect(json.ignored).toMatchObject([
      { kind: 'undeclared', name: 'dayjs', ignoredBy: { reason: 'being replaced by date-fns' } },
    ]);
    const sarif = JSON.parse((await vouch([...offline, '--format', 'sarif'])).stdout);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown }) => r.suppressions);
    expect(suppressed).toMatchObject([
      {
        ruleId: 'undeclared',
        suppressions: [{ kind: 'external', status: 'accepted', justification: 'being replaced by date-fns' }],
      },
    ]);
  });

  it('the same entry past its date reports the finding again, and says the entry expired', async () => {
    config(entry('2020-01-01'));
    const out = await vouch(offline);
    expect(out.exit).toBe(1);
    expect(out.stdout).toMatch(/MEDIUM\s+undeclared\s+npm:dayjs/);
    expect(out.stdout).toContain(
      'expired  vouch.config.json ignore[0]  undeclared dayjs: expired on 2020-01-01: 1 finding(s) reported again (being replaced by date-fns)',
    );
  });
});

describe('the gate: --strict', () => {
  let closedPort: number;
  beforeAll(async () => {
    // A port that was just free: nothing listens there, so every connection is refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails with exit 2 and its own message when the registry is a closed port', async () => {
    const registry = ['--npm-registry', `http://127.0.0.1:${closedPort}/`, '--fail-on', 'none'];
    const lenient = await vouch(registry);
    expect(lenient.exit, lenient.stderr).toBe(0);
    expect(lenient.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^Not checked: 5 packages \(registry: 5\)\.$/,
    );

    const strict = await vouch([...registry, '--strict']);
    expect(strict.exit).toBe(2);
    expect(strict.stderr).toMatch(
      /^vouch: --strict: the scan is incomplete: 5 packages could not be checked for existence, versions or advisories \(npm:body-parser, npm:bytes, npm:dayjs, npm:express, npm:lodash\)/m,
    );
  }, 30_000);

  it('is also set by "strict": true in the configuration', async () => {
    config({ strict: true });
    const out = await vouch(offline);
    expect(out.exit).toBe(2);
    expect(out.stderr).toMatch(
      /--strict: the scan is incomplete: nonexistent, unknown-version did not run: registry checks are off/,
    );
  });
});

describe('the gate: baselines', () => {
  it('a baseline hides the old findings and shows a new undeclared import, wherever the lines moved', async () => {
    const written = await vouch([...offline, '--write-baseline', 'vouch-baseline.json']);
    expect(written.exit, written.stderr).toBe(0);
    expect(written.stdout).toContain('2 finding(s) already in the baseline vouch-baseline.json');
    const file = JSON.parse(readFileSync(join(repo, 'vouch-baseline.json'), 'utf8'));
    expect(file.findings).toEqual([
      {
        kind: 'transitive-only',
        ecosystem: 'npm',
        name: 'body-parser',
        version: '',
        advisories: [],
        file: 'src/server.js',
      },
      {
        kind: 'undeclared',
        ecosystem: 'npm',
        name: 'dayjs',
        version: '',
        advisories: [],
        file: 'src/report.js',
      },
    ]);

    // Lines move, and a new import of a package nobody declared appears.
    const report = readFileSync(join(repo, 'src/report.js'), 'utf8');
    writeFileSync(
      join(repo, 'src/report.js'),
      `// Monthly reports.\nimport chalk from 'chalk';\n\n${report}`,
    );
    const out = await vouch([...offline, '--baseline', 'vouch-baseline.json']);
    expect(out.exit).toBe(1);
    expect(out.stdout).toMatch(/Findings \(1\)\n.*\n\s+MEDIUM\s+undeclared\s+npm:chalk\s+src\/report\.js:2/);
    expect(out.stdout).toContain('2 finding(s) already in the baseline vouch-baseline.json');
    const json = JSON.parse(
      (await vouch([...offline, '--baseline', 'vouch-baseline.json', '--format', 'json'])).stdout,
    );
    expect(json.baseline).toEqual({ file: 'vouch-baseline.json', baselined: 2 });
    expect(json.findings.map((f: { name: string }) => f.name)).toEqual(['chalk']);
  });

  it('a baseline that is not one is an input error naming the file', async () => {
    writeFileSync(join(repo, 'b.json'), '{"findings": 3}');
    const out = await vouch([...offline, '--baseline', 'b.json']);
    expect(out.exit).toBe(2);
    expect(out.stderr).toMatch(/^vouch: b\.json: not a Vouch baseline/);
  });
});

describe('the gate: --changed-since', () => {
  const git = gitIn(() => repo);

  it('on a two-commit repository reports only the findings the second commit introduced', async () => {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'invoice service');
    // The second commit: a new module with an undeclared import, a moved line in report.js (its dayjs
    // finding is old), and a lockfile that now pins a vulnerable lodash.
    writeFileSync(
      join(repo, 'src/mailer.js'),
      "import nodemailer from 'nodemailer';\nexport const send = nodemailer;\n",
    );
    writeFileSync(
      join(repo, 'src/report.js'),
      `// moved\n${readFileSync(join(repo, 'src/report.js'), 'utf8')}`,
    );
    const lock = readFileSync(join(repo, 'package-lock.json'), 'utf8');
    writeFileSync(join(repo, 'package-lock.json'), lock.replaceAll('4.17.21', '4.17.11'));
    git('add', '-A');
    git('commit', '-q', '-m', 'mailer');

    const out = await vouch([...offline, '--changed-since', 'HEAD~1', '--format', 'json']);
    expect(out.exit, out.stderr).toBe(1);
    const result = JSON.parse(out.stdout);
    expect(
      result.findings.map(
        (f: { kind: string; name: string; version?: string; location: { file: string } }) =>
          `${f.kind} ${f.name}${f.version ? `@${f.version}` : ''} ${f.location.file}`,
      ),
    ).toEqual(['vulnerable lodash@4.17.11 package-lock.json', 'undeclared nodemailer src/mailer.js']);
    expect(result.changed).toMatchObject({
      ref: 'HEAD~1',
      files: ['package-lock.json', 'src/mailer.js', 'src/report.js'],
      existing: 1,
    });
    // Unchanged files are not scanned: server.js's old transitive-only finding is not even looked at.
    expect(result.stats.filesScanned).toBe(3);

    const table = await vouch([...offline, '--changed-since', 'HEAD~1']);
    expect(table.stdout).toContain('3 file(s) changed since HEAD~1; 1 finding(s) in them were already there');
  });

  it('outside a repository, --changed-since is an input error', async () => {
    const out = await vouch([...offline, '--changed-since', 'main']);
    expect(out.exit).toBe(2);
    expect(out.stderr).toMatch(/--changed-since: .* is not inside a git repository/);
  });
});
