import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fix, fixText } from '../../src/analyzers/advisory-fix.js';
import { vulnerable } from '../../src/analyzers/vulnerable.js';
import { scan } from '../../src/pipeline/scan.js';
import { packument } from '../registry/documents.js';
import { type FakeRegistry, startFakeRegistry } from '../registry/fake-registry.js';
import { fixtureDatabase, tempDir } from '../vulndb/helpers.js';
import { context, ref, useFixtureDatabase } from './advisory-helpers.js';

const db = useFixtureDatabase();

/** A some-lib release that pins deep-lib 2.0.0, whose releases all pin the vulnerable lodash-es. */
const at2 = (version: string) => ({
  version,
  published: '2020-01-01T00:00:00.000Z',
  dependencies: { 'deep-lib': '2.0.0' },
});

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

/** A shop whose lockfile holds lodash-es 4.17.11 through some-lib (locked at `someLib`) → deep-lib. */
function shop(someLib = '1.0.0'): string {
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
      'node_modules/some-lib': { version: someLib, dependencies: { 'deep-lib': '^2.0.0' } },
      'node_modules/deep-lib': { version: '2.0.0', dependencies: { 'lodash-es': '^4.17.0' } },
      'node_modules/lodash-es': { version: '4.17.11' },
      'node_modules/express': { version: '4.18.0' },
    },
  };
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  return dir;
}

describe('fixes a user can apply', () => {
  it('names the direct dependency a vulnerable transitive package comes through, and how to force the fix', async () => {
    const dir = shop();
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

  describe('with registry metadata: the lowest release of the direct dependency that lets the fix in', () => {
    let registry: FakeRegistry;
    beforeAll(async () => {
      registry = await startFakeRegistry();
      const at = (version: string, dependencies: Record<string, string>) => ({
        version,
        published: '2020-01-01T00:00:00.000Z',
        dependencies,
      });
      // some-lib pins deep-lib exactly until 1.2.0; deep-lib 2.0.x pins the vulnerable lodash-es, 2.1.0 does not.
      registry.npm.set(
        'some-lib',
        packument('some-lib', {
          versions: [
            at('1.0.0', { 'deep-lib': '2.0.0' }),
            at('1.1.0', { 'deep-lib': '2.0.1' }),
            at('1.2.0', { 'deep-lib': '^2.1.0' }),
            at('2.0.0', { 'deep-lib': '^3.0.0' }),
          ],
        }),
      );
      registry.npm.set(
        'deep-lib',
        packument('deep-lib', {
          versions: [
            at('2.0.0', { 'lodash-es': '4.17.11' }),
            at('2.0.1', { 'lodash-es': '~4.17.11 <4.17.12' }),
            at('2.1.0', { 'lodash-es': '^4.17.14' }),
            at('3.0.0', { 'lodash-es': '^4.17.21' }),
          ],
        }),
      );
      registry.npm.set(
        'lodash-es',
        packument('lodash-es', {
          versions: ['4.17.11', '4.17.14', '4.17.21'].map((v) => at(v, {})),
        }),
      );
      registry.npm.set('express', packument('express', { versions: [at('4.18.0', {}), at('4.19.2', {})] }));
      registry.npm.set('shop', packument('shop', { versions: [at('0.0.1', {})] }));
    });
    afterAll(() => registry.close());

    const scanWithRegistry = async (dir: string) => {
      const home = tempDir();
      const result = await scan(['.'], {
        cwd: dir,
        database: await fixtureDatabase(),
        registry: {
          npmRegistry: registry.npmUrl,
          cache: join(home, 'registry.sqlite'),
          env: { HOME: home },
          http: { retries: 0, timeoutMs: 5000 },
        },
      });
      return result.findings.find((f) => f.kind === 'vulnerable' && f.name === 'lodash-es');
    };

    it('names the release to upgrade the direct dependency to', async () => {
      const lodash = await scanWithRegistry(shop('1.0.0'));
      expect((lodash?.evidence?.fix as Fix | undefined)?.direct).toEqual({
        package: 'some-lib',
        from: '1.0.0',
        to: '1.2.0',
      });
      expect(lodash?.message).toContain(
        'it comes through some-lib → deep-lib → lodash-es: upgrade some-lib to 1.2.0, the lowest release that allows lodash-es 4.17.14, or force it in package.json',
      );
    });

    it('says when the locked release already allows the fix and only the lockfile needs refreshing', async () => {
      const lodash = await scanWithRegistry(shop('1.2.0'));
      expect((lodash?.evidence?.fix as Fix | undefined)?.direct).toEqual({
        package: 'some-lib',
        from: '1.2.0',
        to: '1.2.0',
      });
      expect(lodash?.message).toContain(
        'some-lib 1.2.0 already allows lodash-es 4.17.14, so refreshing the lockfile fixes it',
      );
    });

    it('says when no release allows it yet, and still how to force it', async () => {
      registry.npm.set('some-lib', packument('some-lib', { versions: [at2('1.0.0'), at2('1.3.0')] }));
      const lodash = await scanWithRegistry(shop('1.0.0'));
      expect((lodash?.evidence?.fix as Fix | undefined)?.direct).toEqual({
        package: 'some-lib',
        from: '1.0.0',
      });
      expect(lodash?.message).toContain(
        'no release of some-lib allows lodash-es 4.17.14 yet, or force it in package.json ("overrides": { "lodash-es": "4.17.14" })',
      );
    });
  });

  it('says when the only fix is a major version up', () => {
    expect(fixText({ kind: 'upgrade', package: 'x', from: '1.2.0', to: '2.0.0', majorBump: true })).toBe(
      'upgrade to 2.0.0 (a major version up)',
    );
  });
});
