import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdvisoryFacts } from '../../src/model/advisory-facts.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { importOsv } from '../../src/vulndb/import.js';
import { resolveAdvisories } from '../../src/vulndb/resolve.js';
import { VulnDatabase } from '../../src/vulndb/store.js';
import { fixtureDatabase, tempDir } from './helpers.js';

let db: VulnDatabase;
beforeAll(async () => {
  db = VulnDatabase.open(await fixtureDatabase())!;
  return () => db.close();
});

function ref(fields: Partial<PackageRef> & Pick<PackageRef, 'ecosystem' | 'name'>): PackageRef {
  return { source: 'declared', extractor: 'test', location: { file: 'f', line: 1 }, ...fields };
}

function resolveOne(r: PackageRef): { facts: AdvisoryFacts; r: PackageRef } {
  return { facts: resolveAdvisories([r], db), r };
}

function rangeOf(r: PackageRef) {
  const { facts } = resolveOne(r);
  const range = facts.forRef(r)?.range;
  return (
    range && {
      advisories: range.advisories.map((a) => ({
        id: a.group.id,
        versions: a.versions,
        intervals: a.intervals,
      })),
      upgrade: range.upgrade,
      admitsUpgrade: range.admitsUpgrade,
    }
  );
}

describe('advisories of exact versions', () => {
  it('lists the groups and the smallest upgrade that fixes all of them', () => {
    const r = ref({ ecosystem: 'npm', name: 'lodash', version: '4.17.11' });
    const exact = resolveOne(r).facts.forRef(r)?.exact;
    expect(exact?.groups.map((g) => g.id)).toEqual(['CVE-2019-10744', 'CVE-2021-23337']);
    expect(exact?.upgrade).toBe('4.17.21');
  });

  it('has nothing to say about a version outside every range', () => {
    const r = ref({ ecosystem: 'npm', name: 'lodash', version: '4.17.21' });
    expect(resolveOne(r).facts.forRef(r)).toBeUndefined();
  });

  it('ignores packages from git, URLs, paths and workspaces', () => {
    const r = ref({
      ecosystem: 'npm',
      name: 'lodash',
      version: '4.17.11',
      origin: 'git',
      url: 'github:lodash/lodash',
    });
    expect(resolveOne(r).facts.forRef(r)).toBeUndefined();
  });
});

describe('advisories inside ranges', () => {
  it('finds vulnerable versions inside an npm range without reading it as its lower bound', () => {
    expect(rangeOf(ref({ ecosystem: 'npm', name: 'lodash', spec: '^4.17.0' }))).toEqual({
      advisories: [
        { id: 'CVE-2019-10744', versions: ['4.17.0'], intervals: ['<4.17.12'] },
        { id: 'CVE-2021-23337', versions: ['4.17.0'], intervals: ['<4.17.21'] },
      ],
      upgrade: '4.17.21',
      admitsUpgrade: true,
    });
    // The lower bound 4.17.13 is not affected by CVE-2019-10744, but 4.17.13 - 4.17.20 are by the other.
    expect(
      rangeOf(ref({ ecosystem: 'npm', name: 'lodash', spec: '>=4.17.13' }))?.advisories.map((a) => a.id),
    ).toEqual(['CVE-2021-23337']);
    expect(rangeOf(ref({ ecosystem: 'npm', name: 'lodash', spec: '^4.17.21' }))).toBeUndefined();
  });

  it('says when a range admits no version known to be fixed', () => {
    expect(rangeOf(ref({ ecosystem: 'npm', name: 'lodash', spec: '~4.17.0 <4.17.20' }))).toMatchObject({
      upgrade: '4.17.21',
      admitsUpgrade: false,
    });
  });

  it('evaluates PEP 440 specifiers, including the versions the advisories list', () => {
    expect(rangeOf(ref({ ecosystem: 'PyPI', name: 'requests', spec: '>=2.19' }))).toEqual({
      advisories: [
        { id: 'CVE-2018-18074', versions: ['2.19.0', '2.19.1'], intervals: ['<2.20.0'] },
        { id: 'CVE-2023-32681', versions: ['2.19'], intervals: ['>=2.3.0 <2.31.0'] },
      ],
      upgrade: '2.31.0',
      admitsUpgrade: true,
    });
    expect(rangeOf(ref({ ecosystem: 'PyPI', name: 'requests', spec: '>=2.31' }))).toBeUndefined();
    expect(
      rangeOf(ref({ ecosystem: 'PyPI', name: 'requests', spec: '<2.3' }))?.advisories.map((a) => a.id),
    ).toEqual(['CVE-2018-18074']);
  });

  it('treats a bare name as any version', () => {
    const range = rangeOf(ref({ ecosystem: 'PyPI', name: 'pyyaml' }));
    expect(range?.advisories.map((a) => a.id)).toEqual(['CVE-2017-18342', 'CVE-2020-14343']);
    expect(range?.upgrade).toBe('5.4');
  });

  it('names malicious versions a range admits', () => {
    expect(rangeOf(ref({ ecosystem: 'npm', name: '@solana/web3.js', spec: '^1.95.0' }))).toEqual({
      advisories: [{ id: 'MAL-2024-11183', versions: ['1.95.6'], intervals: ['>=1.95.6 <1.95.8'] }],
      upgrade: '1.95.8',
      admitsUpgrade: true,
    });
    expect(rangeOf(ref({ ecosystem: 'npm', name: '@solana/web3.js', spec: '~1.94.0' }))).toBeUndefined();
  });

  it('leaves ranges it cannot read unchecked, saying why', () => {
    const tag = ref({ ecosystem: 'npm', name: 'lodash', spec: 'next' });
    const crates = ref({ ecosystem: 'crates.io', name: 'time', spec: 'workspace' });
    const facts = resolveAdvisories([tag, crates], db);
    expect(facts.forRef(tag)).toBeUndefined();
    expect(facts.unchecked).toEqual([
      {
        ecosystem: 'npm',
        name: 'lodash',
        version: 'next',
        check: 'range-allows-vulnerable',
        reason: "'next' is not a semver range (a dist-tag?): what it installs needs registry data",
      },
      {
        ecosystem: 'crates.io',
        name: 'time',
        version: 'workspace',
        check: 'range-allows-vulnerable',
        reason: "'workspace' is not a Cargo version requirement",
      },
    ]);
  });
});

describe('malicious packages', () => {
  it('flags every mention of a package whose every version is malicious, imports included', () => {
    const imported = ref({ ecosystem: 'npm', name: 'crossenv', source: 'imported' });
    const facts = resolveAdvisories([imported], db).forRef(imported);
    expect(facts?.maliciousPackage?.map((g) => g.id)).toEqual(['MAL-2099-0001']);
    expect(facts?.range).toBeUndefined();
  });

  it('does not call a package malicious for one bad release', () => {
    const imported = ref({ ecosystem: 'npm', name: '@solana/web3.js', source: 'imported' });
    expect(resolveAdvisories([imported], db).forRef(imported)).toBeUndefined();
  });
});

describe('ranges of Composer, NuGet and Maven', () => {
  /** Shaped as GitHub's records for these packages (CVE-2022-24894, CVE-2024-21907, CVE-2022-42003). */
  const records = [
    ['Packagist', 'symfony/http-kernel', '2.0.0', '4.4.50'],
    ['NuGet', 'Newtonsoft.Json', '0', '13.0.1'],
    ['Maven', 'com.fasterxml.jackson.core:jackson-databind', '2.4.0-rc1', '2.12.7.1'],
  ].map(([ecosystem, name, introduced, fixed], i) =>
    JSON.stringify({
      id: `GHSA-2099-test-000${i}`,
      modified: '2024-01-01T00:00:00Z',
      database_specific: { severity: 'HIGH' },
      affected: [
        {
          package: { ecosystem, name },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced }, { fixed }] }],
        },
      ],
    }),
  );
  let other: VulnDatabase;
  beforeAll(async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'records.jsonl'), `${records.join('\n')}\n`);
    await importOsv([join(dir, 'records.jsonl')], join(dir, 'osv.sqlite'));
    other = VulnDatabase.open(join(dir, 'osv.sqlite'))!;
    return () => other.close();
  });
  const admits = (ecosystem: PackageRef['ecosystem'], name: string, spec: string) => {
    const r = ref({ ecosystem, name, spec });
    const facts = resolveAdvisories([r], other);
    expect(facts.unchecked).toEqual([]);
    return facts.forRef(r)?.range?.advisories.map((a) => a.intervals) ?? [];
  };

  it('evaluates Composer constraints', () => {
    expect(admits('Packagist', 'symfony/http-kernel', '^4.4')).toEqual([['>=2.0.0 <4.4.50']]);
    expect(admits('Packagist', 'symfony/http-kernel', '^4.4.50 || ^5.4')).toEqual([]);
  });

  it('evaluates NuGet ranges and floating versions', () => {
    expect(admits('NuGet', 'Newtonsoft.Json', '[12.0,13.0.1)')).toEqual([['<13.0.1']]);
    expect(admits('NuGet', 'Newtonsoft.Json', '13.*')).toEqual([['<13.0.1']]);
    expect(admits('NuGet', 'Newtonsoft.Json', '[13.0.1,)')).toEqual([]);
  });

  it('evaluates Maven version ranges', () => {
    expect(admits('Maven', 'com.fasterxml.jackson.core:jackson-databind', '[2.12,2.13)')).toEqual([
      ['>=2.4.0-rc1 <2.12.7.1'],
    ]);
    expect(admits('Maven', 'com.fasterxml.jackson.core:jackson-databind', '[2.13.0,)')).toEqual([]);
  });
});
