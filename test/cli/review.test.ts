/**
 * The outputs for review end to end, through the CLI, on a small real-looking repository (an Express service
 * with a vulnerable lodash, an undeclared dayjs, body-parser that only express installs and an ignore entry
 * accepting it, a scoped dev dependency, and a Python tool with a vulnerable requests pin and a loose pyyaml
 * range): the PR comment, the workflow annotations and the SBOM, each against a golden file.
 * `VOUCH_UPDATE_GOLDEN=1` rewrites the golden files.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/core/version.js';
import { fixturePath } from '../helpers.js';
import { fixtureDatabase } from '../vulndb/helpers.js';
import { runCli } from './run-cli.js';

const REPO = fixturePath('cli/review/repo');
let repo: string;
let database: string;

beforeAll(async () => {
  database = await fixtureDatabase();
});
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'vouch-review-'));
  cpSync(REPO, repo, { recursive: true });
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

function vouch(args: string[]) {
  return runCli(['scan', ...args, '--no-registry', '--database', database], {
    cwd: repo,
    env: { HOME: repo, PATH: process.env.PATH },
  });
}

/** The output as the golden file has it (the tool's version written as `VERSION`). */
function expectGolden(name: string, text: string): void {
  const path = fixturePath('cli/review', name);
  const actual = text.replaceAll(`"${VERSION}"`, '"VERSION"');
  if (process.env.VOUCH_UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, actual);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('--format markdown: the pull-request comment and job summary', () => {
  it('shows counts, a table per kind with the fix, folded details, suppressions and what was not checked', async () => {
    const out = await vouch(['--format', 'markdown']);
    expect(out.exit).toBe(1);
    expectGolden('expected.md', out.stdout);
    // What a reviewer reads first.
    expect(out.stdout.split('\n').slice(0, 4)).toEqual([
      '<!-- vouch-report -->',
      '## Vouch: 5 findings (2 critical, 2 medium, 1 low)',
      '',
      '16 package references in 6 files · 1 finding ignored',
    ]);
    expect(out.stdout).toContain('| 🟧 medium | `npm:dayjs` | `src/report.js:1:19` | `npm install dayjs` |');
    expect(out.stdout).toContain(
      '- **stale** `vouch.config.json ignore[1]`: typosquat left-pad (an old exception)',
    );
  });

  it('says what a baseline and a changed-only scan left out', async () => {
    await vouch(['--write-baseline', 'base.json']);
    writeFileSync(join(repo, 'src/mail.js'), "import nodemailer from 'nodemailer';\n");
    const out = await vouch(['--format', 'markdown', '--baseline', 'base.json']);
    expect(out.stdout).toContain('## Vouch: 1 finding (1 medium)');
    expect(out.stdout).toContain('5 findings already in the baseline `base.json`');
    expect(out.stdout).toContain(
      '| 🟧 medium | `npm:nodemailer` | `src/mail.js:1:24` | `npm install nodemailer` |',
    );
  });
});

describe('--format github: workflow annotations', () => {
  it('writes one annotation per finding at its file and line, and nothing else on standard output', async () => {
    const out = await vouch(['--format', 'github']);
    expect(out.exit).toBe(1);
    expectGolden('expected.github.txt', out.stdout);
    for (const line of out.stdout.trimEnd().split('\n')) expect(line).toMatch(/^::(error|warning|notice) /);
    expect(out.stdout).toContain(
      '::warning file=src/report.js,line=1,col=19,title=Vouch undeclared%3A npm dayjs (medium)::',
    );
  });
});

describe('--format cyclonedx: the SBOM', () => {
  it('is valid CycloneDX 1.6 by the official schema, with purls, scopes, the graph, phantoms and advisories', async () => {
    const out = await vouch(['--format', 'cyclonedx', '--fail-on', 'none']);
    expect(out.exit, out.stderr).toBe(0);
    const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
    expect(await validator.validate(out.stdout)).toBeNull();
    expectGolden('expected.cdx.json', out.stdout);

    const bom = JSON.parse(out.stdout);
    type Component = {
      'bom-ref': string;
      group?: string;
      name: string;
      version?: string;
      scope?: string;
      purl?: string;
      properties: { name: string; value: string }[];
    };
    const byRef = new Map<string, Component>(bom.components.map((c: Component) => [c['bom-ref'], c]));
    const prop = (ref: string, name: string) =>
      byRef
        .get(ref)
        ?.properties.filter((p) => p.name === name)
        .map((p) => p.value);
    expect([...byRef.keys()]).toEqual([
      'pkg:npm/%40acme/test-kit@1.0.0',
      'pkg:npm/body-parser@1.19.0',
      'pkg:npm/bytes@3.1.0',
      'pkg:npm/dayjs',
      'pkg:npm/express@4.19.2',
      'pkg:npm/lodash@4.17.11',
      'pkg:pypi/pyyaml',
      'pkg:pypi/requests@2.19.0',
      'project:package-lock.json',
    ]);
    // A scoped name: CycloneDX's group is the scope; a development dependency is not shipped.
    expect(byRef.get('pkg:npm/%40acme/test-kit@1.0.0')).toMatchObject({
      group: '@acme',
      name: 'test-kit',
      scope: 'excluded',
    });
    expect(byRef.get('pkg:npm/express@4.19.2')?.scope).toBe('required');
    // Phantom packages are marked; the import joined the version the lockfile pins.
    expect(prop('pkg:npm/dayjs', 'vouch:phantom')).toEqual(['undeclared']);
    expect(prop('pkg:npm/body-parser@1.19.0', 'vouch:found')).toEqual([
      'locked package-lock.json:18',
      'imported src/server.js:3:24',
    ]);
    // The graph from the lockfile, rooted at its project.
    const deps = new Map(
      bom.dependencies.map((d: { ref: string; dependsOn: string[] }) => [d.ref, d.dependsOn]),
    );
    expect(deps.get('project:package-lock.json')).toEqual([
      'pkg:npm/%40acme/test-kit@1.0.0',
      'pkg:npm/express@4.19.2',
      'pkg:npm/lodash@4.17.11',
    ]);
    expect(deps.get('pkg:npm/express@4.19.2')).toEqual(['pkg:npm/body-parser@1.19.0']);
    expect(deps.get('pkg:npm/body-parser@1.19.0')).toEqual(['pkg:npm/bytes@3.1.0']);
    // Advisories of vulnerable versions, each affecting its component; a range's are not (its pin decides).
    expect(
      bom.vulnerabilities.map((v: { id: string; affects: { ref: string }[] }) => [
        v.id,
        v.affects.map((a) => a.ref),
      ]),
    ).toEqual([
      ['CVE-2018-18074', ['pkg:pypi/requests@2.19.0']],
      ['CVE-2019-10744', ['pkg:npm/lodash@4.17.11']],
      ['CVE-2021-23337', ['pkg:npm/lodash@4.17.11']],
      ['CVE-2023-32681', ['pkg:pypi/requests@2.19.0']],
    ]);
    expect(prop('pkg:pypi/pyyaml', 'vouch:finding')).toEqual(['range-allows-vulnerable (low)']);
    const lodashCve = bom.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2019-10744');
    expect(lodashCve).toMatchObject({
      references: [{ id: 'GHSA-jf85-cpcp-j695' }],
      ratings: [{ score: 9.1, severity: 'critical', method: 'CVSSv31' }],
      recommendation: 'Upgrade to 4.17.12',
    });
  });

  it('is the same document on every run (no timestamp or serial number)', async () => {
    const a = await vouch(['--format', 'cyclonedx']);
    const b = await vouch(['--format', 'cyclonedx']);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('the output contract: standard output holds only the format, whatever happened', () => {
  it('a manifest that cannot be read is exit 2, an annotation, a line of the summary, and still a valid SBOM', async () => {
    writeFileSync(join(repo, 'tools/pyproject.toml'), '[project\nname = ');
    const github = await vouch(['--format', 'github']);
    expect(github.exit).toBe(2);
    expect(github.stdout).toMatch(
      /^::error file=tools\/pyproject\.toml,line=1,title=Vouch%3A file not read::/m,
    );
    const markdown = await vouch(['--format', 'markdown']);
    expect(markdown.exit).toBe(2);
    expect(markdown.stdout).toContain('**1 file not read**');
    expect(markdown.stdout).toMatch(/### Files not read \(1\)\n\n- `tools\/pyproject\.toml:1(:\d+)?`: /);
    const sbom = await vouch(['--format', 'cyclonedx']);
    expect(sbom.exit).toBe(2);
    const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
    expect(await validator.validate(sbom.stdout)).toBeNull();
    expect(sbom.stderr).not.toBe('');
  });
});

describe('--report FORMAT:FILE: several outputs of one scan', () => {
  it('writes SARIF and markdown beside the annotations, and the exit code is the scan’s', async () => {
    const out = await vouch([
      '--format',
      'github',
      '--report',
      'sarif:out/vouch.sarif',
      '--report',
      'markdown:summary.md',
    ]);
    expect(out.exit, out.stderr).toBe(1);
    expect(out.stdout.startsWith('::error ')).toBe(true);
    const sarif = JSON.parse(readFileSync(join(repo, 'out/vouch.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toHaveLength(6);
    expect(readFileSync(join(repo, 'summary.md'), 'utf8')).toBe(
      (await vouch(['--format', 'markdown'])).stdout,
    );
  });

  it('fails fast, naming the file, where no folder can be made (/proc/x/y) or a file stands in the way', async () => {
    // Node's recursive mkdir never returns under /proc; the folders are made one at a time instead.
    const proc = await vouch(['--report', 'json:/proc/vouch-no-such/report.json']);
    expect(proc.exit, proc.stderr).toBe(2);
    expect(proc.stderr).toContain('/proc/vouch-no-such/report.json: cannot write the report');
    writeFileSync(join(repo, 'taken'), '');
    const taken = await vouch(['--report', 'sarif:taken/vouch.sarif', '--write-baseline', 'taken/b.json']);
    expect(taken.exit, taken.stderr).toBe(2);
    expect(taken.stderr).toMatch(
      /taken\/(b\.json: cannot write the baseline|vouch\.sarif: cannot write the report)/,
    );
  });

  it('refuses a format it does not know, as a usage error', async () => {
    const out = await vouch(['--report', 'pdf:x.pdf']);
    expect(out.exit).toBe(2);
    expect(out.stderr).toMatch(
      /--report.*expected FORMAT:FILE with FORMAT one of table, json, sarif, markdown/,
    );
  });
});
