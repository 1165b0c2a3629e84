import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Fix, fixText } from '../../src/analyzers/advisory-fix.js';
import { vulnerable } from '../../src/analyzers/vulnerable.js';
import { scan } from '../../src/pipeline/scan.js';
import { fixtureDatabase, tempDir } from '../vulndb/helpers.js';
import { context, ref, useFixtureDatabase } from './advisory-helpers.js';

const db = useFixtureDatabase();

describe('vulnerable', () => {
  it('reports an exact version with its advisories, every alias, the severity and the upgrade', () => {
    const lodash = ref({ ecosystem: 'npm', name: 'lodash', version: '4.17.11' });
    const { findings } = vulnerable.analyze(context([lodash], db()));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: 'vulnerable',
      severity: 'critical',
      ecosystem: 'npm',
      name: 'lodash',
      version: '4.17.11',
      location: { file: 'app/package.json', line: 3 },
      message:
        'lodash 4.17.11 has 2 known vulnerabilities (CVE-2019-10744, CVE-2021-23337); upgrade to 4.17.21',
    });
    expect(findings[0]?.evidence).toEqual({
      advisories: [
        {
          id: 'CVE-2019-10744',
          ids: ['CVE-2019-10744', 'GHSA-jf85-cpcp-j695'],
          severity: 'critical',
          summary: 'Prototype Pollution in lodash',
          score: 9.1,
          vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H',
          fixed: ['4.17.12'],
          published: '2019-07-10T19:45:23Z',
          references: [
            'https://nvd.example.org/vuln/detail/CVE-2019-10744',
            'https://registry.example.org/package/lodash',
          ],
        },
        expect.objectContaining({ id: 'CVE-2021-23337', severity: 'high', score: 7.2, fixed: ['4.17.21'] }),
      ],
      upgrade: '4.17.21',
      fix: { kind: 'upgrade', package: 'lodash', from: '4.17.11', to: '4.17.21', majorBump: false },
    });
  });

  it('says so when no fixed version is known', () => {
    const caching = ref({ ecosystem: 'PyPI', name: 'Flask-Caching', version: '1.10.1' });
    const { findings } = vulnerable.analyze(context([caching], db()));
    expect(findings.map((f) => f.message)).toEqual([
      'Flask-Caching 1.10.1 has 1 known vulnerability (CVE-2021-33026 [severity unknown]); no fixed version is known',
    ]);
    expect(findings[0]?.severity).toBe('medium');
  });

  it('is silent for fixed versions, ranges, imports and malicious releases', () => {
    const refs = [
      ref({ ecosystem: 'npm', name: 'lodash', version: '4.17.21' }),
      ref({ ecosystem: 'npm', name: 'lodash', spec: '^4.17.0' }),
      ref({ ecosystem: 'npm', name: 'lodash', source: 'imported' }),
      ref({ ecosystem: 'npm', name: '@solana/web3.js', version: '1.95.6' }),
    ];
    expect(vulnerable.analyze(context(refs, db())).findings).toEqual([]);
  });

  it('reports nothing without a database (the scan marks the check skipped)', () => {
    const lodash = ref({ ecosystem: 'npm', name: 'lodash', version: '4.17.11' });
    expect(vulnerable.analyze(context([lodash], undefined))).toEqual({ findings: [], unchecked: [] });
    expect(vulnerable.needs).toBe('advisories');
  });
});

describe('invalid versions', () => {
  it('never matches an invalid version as older than every release; it is unchecked, with the reason', () => {
    const refs = [
      ref({ ecosystem: 'PyPI', name: 'requests', version: 'latest', source: 'installed' }),
      ref({ ecosystem: 'PyPI', name: 'requests', version: '2.2.x', source: 'installed' }),
      ref({ ecosystem: 'npm', name: 'lodash', version: '1.0.0.0.0-garbage' }),
    ];
    const out = vulnerable.analyze(context(refs, db()));
    expect(out.findings).toEqual([]);
    expect(out.unchecked).toEqual([
      {
        ecosystem: 'PyPI',
        name: 'requests',
        version: 'latest',
        check: 'vulnerable',
        reason:
          "'latest' is not a valid PyPI version: no release can have it, so no advisory is matched against it",
      },
      expect.objectContaining({ name: 'requests', version: '2.2.x', check: 'vulnerable' }),
      expect.objectContaining({ name: 'lodash', version: '1.0.0.0.0-garbage', check: 'vulnerable' }),
    ]);
  });
});

describe('fixes a user can apply', () => {
  it('names the direct dependency a vulnerable transitive package comes through, and how to force the fix', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'shop', dependencies: { 'some-lib': '^1.0.0', express: '4.18.0' } }, null, 2),
    );
    const lock = {
      name: 'shop',
      lockfileVersion: 3,
      packages: {
        '': { name: 'shop', dependencies: { 'some-lib': '^1.0.0', express: '4.18.0' } },
        'node_modules/some-lib': { version: '1.0.0', dependencies: { 'deep-lib': '^2.0.0' } },
        'node_modules/deep-lib': { version: '2.0.0', dependencies: { 'lodash-es': '^4.17.0' } },
        'node_modules/lodash-es': { version: '4.17.11' },
        'node_modules/express': { version: '4.18.0' },
      },
    };
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    const result = await scan(['.'], { cwd: dir, database: await fixtureDatabase() });
    const found = result.findings.filter(
      (f) => f.kind === 'vulnerable' && f.location.file === 'package-lock.json',
    );
    const express = found.find((f) => f.name === 'express');
    expect(express?.evidence?.fix).toEqual({
      kind: 'upgrade',
      package: 'express',
      from: '4.18.0',
      to: '4.19.2',
      majorBump: false,
    });
    const lodash = found.find((f) => f.name === 'lodash-es');
    expect(lodash?.evidence?.fix).toEqual({
      kind: 'transitive',
      package: 'lodash-es',
      from: '4.17.11',
      to: '4.17.14',
      majorBump: false,
      via: ['some-lib', 'deep-lib', 'lodash-es'],
      force: { file: 'package.json', entry: '"overrides": { "lodash-es": "4.17.14" }' },
    } satisfies Fix);
    expect(lodash?.message).toMatch(
      /; 4\.17\.14 fixes it; it comes through some-lib → deep-lib → lodash-es: upgrade some-lib to a release that allows lodash-es 4\.17\.14, or force it in package\.json \("overrides": \{ "lodash-es": "4\.17\.14" \}\)$/,
    );
  });

  it('says when the only fix is a major version up', () => {
    expect(fixText({ kind: 'upgrade', package: 'x', from: '1.2.0', to: '2.0.0', majorBump: true })).toBe(
      'upgrade to 2.0.0 (a major version up)',
    );
  });
});
