import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import {
  findingIdentity,
  inlineSuppressionsIn,
  type ScanPolicy,
  verdictFor,
} from '../../src/pipeline/policy.js';
import { scan } from '../../src/pipeline/scan.js';
import { fixturePath } from '../helpers.js';
import { matureVersions, packument } from '../registry/documents.js';
import { startFakeRegistry } from '../registry/fake-registry.js';

const REPO = fixturePath('cli/gate/repo');
const NOW = new Date('2026-03-01T12:00:00Z');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-policy-'));
  cpSync(REPO, dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (policy: ScanPolicy) =>
  scan(['.'], { cwd: dir, database: false, policy: { now: NOW, ...policy } });
const shown = (result: ScanResult) => result.findings.map((f) => `${f.kind} ${f.severity} ${f.name}`);

describe('policy: ignore entries', () => {
  it('accepts a finding until its last day, and lists it as ignored with the reason', async () => {
    const result = await run({
      ignore: [{ kind: 'undeclared', package: 'dayjs', reason: 'being replaced', until: '2026-03-01' }],
    });
    expect(shown(result)).toEqual(['transitive-only low body-parser']);
    expect(result.ignored).toMatchObject([
      {
        kind: 'undeclared',
        name: 'dayjs',
        ignoredBy: {
          source: 'config',
          where: 'vouch.config.json ignore[0]',
          reason: 'being replaced',
          until: '2026-03-01',
        },
      },
    ]);
    expect(result.suppressions).toMatchObject([
      { status: 'applied', matched: 1, matches: 'undeclared dayjs' },
    ]);
    expect(verdictFor(result, 'medium').exitCode).toBe(0);
  });

  it('reports the finding again, and the entry as expired, the day after', async () => {
    const result = await run({
      ignore: [{ kind: 'undeclared', package: 'dayjs', reason: 'being replaced', until: '2026-02-28' }],
    });
    expect(shown(result)).toContain('undeclared medium dayjs');
    expect(result.ignored).toBeUndefined();
    expect(result.suppressions).toMatchObject([{ status: 'expired', matched: 1, until: '2026-02-28' }]);
    expect(verdictFor(result, 'medium').exitCode).toBe(1);
  });

  it('reports an entry that matches nothing as stale', async () => {
    const result = await run({ ignore: [{ package: 'left-pad', reason: 'gone since 2016' }] });
    expect(result.suppressions).toMatchObject([
      { status: 'stale', matched: 0, matches: 'any kind left-pad' },
    ]);
    expect(shown(result)).toHaveLength(2);
  });

  it('matches package globs, versions and path globs; every field given must match', async () => {
    const globbed = await run({ ignore: [{ package: 'body-*', path: 'src/**', reason: 'vendored' }] });
    expect(shown(globbed)).toEqual(['undeclared medium dayjs']);
    const elsewhere = await run({ ignore: [{ package: 'body-*', path: 'lib/**', reason: 'vendored' }] });
    expect(shown(elsewhere)).toHaveLength(2);
    const otherKind = await run({ ignore: [{ kind: 'typosquat', package: 'dayjs', reason: 'x' }] });
    expect(shown(otherKind)).toHaveLength(2);
  });
});

describe('policy: inline suppressions', () => {
  it('honours a comment above the import, and one at the end of its line, each with a reason', async () => {
    writeFileSync(
      join(dir, 'src/report.js'),
      "// vouch-ignore undeclared -- moving to date-fns in Q3\nimport dayjs from 'dayjs';\nexport const now = () => dayjs();\n",
    );
    writeFileSync(
      join(dir, 'src/server.js'),
      "import express from 'express';\nimport bodyParser from 'body-parser'; // vouch-ignore transitive-only -- express re-exports it\nexpress().use(bodyParser.json());\n",
    );
    const result = await run({});
    expect(result.findings).toEqual([]);
    expect(result.ignored?.map((f) => `${f.name} ${f.ignoredBy.where} ${f.ignoredBy.reason}`)).toEqual([
      'dayjs src/report.js:1 moving to date-fns in Q3',
      'body-parser src/server.js:2 express re-exports it',
    ]);
  });

  it('does not honour a comment without a reason, and says so', async () => {
    writeFileSync(join(dir, 'src/report.js'), "// vouch-ignore undeclared\nimport dayjs from 'dayjs';\n");
    const result = await run({});
    expect(shown(result)).toContain('undeclared medium dayjs');
    expect(result.suppressions).toMatchObject([
      { source: 'inline', where: 'src/report.js:1', status: 'invalid', problem: 'gives no reason' },
    ]);
  });

  it('is off when the policy says so (a CI that does not let a pull request accept its own findings)', async () => {
    writeFileSync(
      join(dir, 'src/report.js'),
      "import dayjs from 'dayjs'; // vouch-ignore undeclared -- trust me\n",
    );
    const result = await run({ inlineSuppressions: false });
    expect(shown(result)).toContain('undeclared medium dayjs');
  });

  it('reads the Python form and several kinds', () => {
    expect(
      inlineSuppressionsIn(
        'app.py',
        'import yaml  # vouch: ignore[undeclared, typosquat] provided by the base image\n# vouch: ignore[phantom] x\n',
      ),
    ).toEqual([
      {
        file: 'app.py',
        line: 1,
        covers: 1,
        kinds: ['undeclared', 'typosquat'],
        reason: 'provided by the base image',
      },
      {
        file: 'app.py',
        line: 2,
        covers: 3,
        kinds: [],
        reason: 'x',
        problem: 'unknown finding kind "phantom"',
      },
    ]);
  });
});

describe('policy: severities and thresholds', () => {
  it('overrides a kind’s severity and keeps the original', async () => {
    const result = await run({ severity: { 'transitive-only': 'high' } });
    expect(result.findings[0]).toMatchObject({
      kind: 'transitive-only',
      severity: 'high',
      severityFrom: 'low',
    });
  });

  it('fails per kind: a kind set to none never fails, another at its own threshold', async () => {
    const result = await run({});
    expect(
      verdictFor(result, { failOn: 'low', failOnKind: { undeclared: 'none', 'transitive-only': 'none' } }),
    ).toEqual({ exitCode: 0 });
    expect(verdictFor(result, { failOn: 'none', failOnKind: { undeclared: 'medium' } })).toEqual({
      exitCode: 1,
    });
  });
});

describe("policy: the project's own knip configuration", () => {
  it('accepts the phantom findings of its ignoreDependencies like inline comments, never a registry finding', async () => {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'invoice-service',
        private: true,
        dependencies: { express: '4.19.2' },
        knip: { ignoreDependencies: ['dayjs', 'left-padd', 'body-parser'] },
      }),
    );
    rmSync(join(dir, 'package-lock.json'));
    writeFileSync(join(dir, 'src/report.js'), "import dayjs from 'dayjs';\nimport pad from 'left-padd';\n");
    const registry = await startFakeRegistry();
    for (const name of ['express', 'body-parser'])
      registry.npm.set(name, packument(name, { versions: matureVersions(4) }));
    try {
      const settings = (policy: ScanPolicy) =>
        scan(['.'], {
          cwd: dir,
          database: false,
          policy,
          registry: { npmRegistry: registry.npmUrl, cache: false, env: { HOME: dir }, http: { retries: 0 } },
        });
      // The fake registry has express and body-parser; dayjs and left-padd are missing from it.
      const result = await settings({});
      // A name the registry does not have stays a high finding whatever the project's knip says; the
      // existing body-parser's phantom finding is the one knip's list accepts.
      expect(shown(result).filter((f) => f.startsWith('nonexistent'))).toEqual([
        'nonexistent high dayjs',
        'nonexistent high left-padd',
      ]);
      expect(result.ignored?.map((f) => `${f.kind} ${f.name} ${f.ignoredBy.where}`)).toEqual([
        'undeclared body-parser package.json ignoreDependencies',
      ]);
    } finally {
      await registry.close();
    }
  });

  it('honours ignoreDependencies for undeclared and transitive-only only, and not when inline suppressions are off', async () => {
    writeFileSync(join(dir, 'knip.json'), JSON.stringify({ ignoreDependencies: ['dayjs'] }));
    const result = await run({});
    expect(shown(result)).not.toContain('undeclared medium dayjs');
    expect(result.ignored?.map((f) => `${f.kind} ${f.name} ${f.ignoredBy.where}`)).toEqual([
      'undeclared dayjs knip.json ignoreDependencies',
    ]);
    expect(result.suppressions).toMatchObject([
      { source: 'inline', where: 'knip.json ignoreDependencies', status: 'applied', matched: 1 },
    ]);
    const strict = await run({ inlineSuppressions: false });
    expect(shown(strict)).toContain('undeclared medium dayjs');
    expect(strict.ignored ?? []).toEqual([]);
  });
});

describe('policy: private packages', () => {
  it('never asks a registry about them, nor calls them nonexistent or typosquats', async () => {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'invoice-service',
        dependencies: { '@acme/ledger': '1.2.0', 'acme-auth': '3.0.0', 'left-padd': '1.0.0' },
      }),
    );
    rmSync(join(dir, 'package-lock.json'));
    const registry = await startFakeRegistry();
    try {
      const settings = (policy: ScanPolicy) =>
        scan(['package.json'], {
          cwd: dir,
          database: false,
          policy,
          registry: { npmRegistry: registry.npmUrl, cache: false, env: { HOME: dir }, http: { retries: 0 } },
        });
      const open = await settings({});
      expect(
        open.findings
          .filter((f) => f.kind === 'nonexistent')
          .map((f) => f.name)
          .sort(),
      ).toEqual(['@acme/ledger', 'acme-auth', 'left-padd']);
      registry.requests.length = 0;
      const closed = await settings({
        private: [{ package: '@acme/*' }, { package: 'acme-*', ecosystem: 'npm' }],
      });
      expect(closed.findings.map((f) => `${f.kind} ${f.name}`)).toEqual(['nonexistent left-padd']);
      // The missing public name is looked up, then searched for "did you mean"; the private names never leave.
      expect(registry.requests.map((r) => decodeURIComponent(r.path))).toEqual([
        '/npm/left-padd',
        '/npm/-/v1/search?text=left padd',
      ]);
      expect(closed.privatePackages).toBe(2);
      expect(closed.unchecked.filter((u) => u.name.includes('acme'))).toEqual([]);
    } finally {
      await registry.close();
    }
  });
});

describe('policy: what was not checked, and --strict', () => {
  it('ends with one line saying what was not checked, and strict fails on it', async () => {
    const result = await run({});
    expect(result.notChecked.summary).toBe(
      'Not checked: vulnerable, range-allows-vulnerable, malicious, unmaintained, unsound, notice (vulnerability database turned off (--no-database)); ' +
        'nonexistent, unknown-version, suspicious-new, typosquat, deprecated, yanked, outdated (registry checks are off).',
    );
    expect(result.notChecked.gaps).toEqual([
      'vulnerable, malicious did not run: vulnerability database turned off (--no-database)',
      'nonexistent, unknown-version did not run: registry checks are off',
    ]);
    const verdict = verdictFor(result, { failOn: 'none', strict: true });
    expect(verdict.exitCode).toBe(2);
    expect(verdict.message).toMatch(/^--strict: the scan is incomplete: vulnerable, malicious did not run/);
    expect(verdictFor(result, { failOn: 'none' }).exitCode).toBe(0);
  });
});

describe('finding identity', () => {
  it('survives moved lines and new messages, not another version, advisory or file', () => {
    const base = {
      kind: 'vulnerable' as const,
      severity: 'high' as const,
      ecosystem: 'npm' as const,
      name: 'lodash',
      version: '4.17.11',
      message: 'x',
      location: { file: 'package-lock.json', line: 10 },
      evidence: { advisories: [{ id: 'CVE-2019-10744' }] },
    };
    const id = findingIdentity(base);
    expect(
      findingIdentity({ ...base, message: 'y', location: { file: 'package-lock.json', line: 99 } }),
    ).toBe(id);
    expect(findingIdentity({ ...base, version: '4.17.12' })).not.toBe(id);
    expect(findingIdentity({ ...base, evidence: { advisories: [{ id: 'CVE-2020-8203' }] } })).not.toBe(id);
    expect(findingIdentity({ ...base, location: { file: 'other/package-lock.json', line: 10 } })).not.toBe(
      id,
    );
  });
});
