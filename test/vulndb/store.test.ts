import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VouchError } from '../../src/core/errors.js';
import { importOsv } from '../../src/vulndb/import.js';
import { VulnDatabase } from '../../src/vulndb/store.js';
import { fixtureDatabase, npmRecord, tempDir } from './helpers.js';

let db: VulnDatabase;
beforeAll(async () => {
  db = VulnDatabase.open(await fixtureDatabase())!;
  return () => db.close();
});

const ids = (groups: { ids: string[] }[]) => groups.map((g) => g.ids);

describe('VulnDatabase lookups', () => {
  it('finds the advisories of an exact version, with severity, score, vector and fixes', () => {
    const groups = db.advisoriesFor('npm', 'lodash', '4.17.11');
    expect(ids(groups)).toEqual([
      ['CVE-2019-10744', 'GHSA-jf85-cpcp-j695'],
      ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
    ]);
    expect(groups[0]).toMatchObject({
      summary: 'Prototype Pollution in lodash',
      severity: 'critical',
      score: 9.1,
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H',
      fixed: ['4.17.12'],
      malicious: false,
    });
    expect(ids(db.advisoriesFor('npm', 'lodash', '4.17.12'))).toEqual([
      ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm'],
    ]);
    expect(db.advisoriesFor('npm', 'lodash', '4.17.21')).toEqual([]);
  });

  it('reports records of one flaw once, with every id, the CVE first', () => {
    const groups = db.advisoriesFor('PyPI', 'PyYAML', '5.0');
    expect(ids(groups)).toEqual([
      ['CVE-2017-18342', 'GHSA-rprw-h62v-c2w7', 'PYSEC-2018-49'],
      ['CVE-2020-14343', 'GHSA-8q59-q68h-6hv4', 'PYSEC-2021-142'],
    ]);
    // The GitHub record of the group has the summary and the vector; the PYSEC record has neither.
    expect(groups[0]).toMatchObject({
      summary: 'PyYAML insecure load of untrusted data',
      severity: 'critical',
    });
    // A PYSEC record without a summary gets the first sentence of its details.
    expect(groups[1]?.summary).toMatch(/^A vulnerability was discovered in the PyYAML library/);
  });

  it('normalises names as the ecosystem does (PEP 503 for PyPI)', () => {
    for (const name of ['flask-caching', 'Flask_Caching', 'flask.caching', 'FLASK__caching'])
      expect(
        db.advisoriesFor('PyPI', name, '1.10.1').map((g) => g.id),
        name,
      ).toEqual(['CVE-2021-33026']);
    expect(db.hasPackage('PyPI', 'flaskcaching')).toBe(false);
    expect(db.advisoriesFor('PyPI', 'Requests', '2.2.1').map((g) => g.id)).toEqual(['CVE-2018-18074']);
    // npm names are case-sensitive.
    expect(db.hasPackage('npm', 'Lodash')).toBe(false);
  });

  it('never matches withdrawn records', () => {
    expect(db.hasPackage('npm', 'left-pad')).toBe(true);
    expect(db.advisoriesFor('npm', 'left-pad', '1.3.0')).toEqual([]);
    expect(db.advisoriesFor('PyPI', 'pyyaml', '5.3').map((g) => g.id)).toEqual(['CVE-2020-14343']);
  });

  it('marks malicious releases and matches a malicious package with no ranges at every version', () => {
    expect(db.advisoriesFor('npm', '@solana/web3.js', '1.95.6')).toMatchObject([
      {
        id: 'MAL-2024-11183',
        ids: ['MAL-2024-11183', 'GHSA-2mhj-xmf4-pr8m'],
        malicious: true,
        severity: 'critical',
      },
    ]);
    expect(db.advisoriesFor('npm', '@solana/web3.js', '1.95.8')).toEqual([]);
    expect(db.advisoriesFor('npm', 'crossenv', '6.1.1').map((g) => g.id)).toEqual(['MAL-2099-0001']);
  });

  it('evaluates last_affected and Go module versions', () => {
    expect(db.advisoriesFor('crates.io', 'time', '0.3.1').map((g) => g.id)).toEqual(['CVE-2020-26235']);
    expect(db.advisoriesFor('crates.io', 'time', '0.3.2')).toEqual([]);
    expect(db.advisoriesFor('crates.io', 'time', '0.2.22').map((g) => g.id)).toEqual(['CVE-2020-26235']);
    expect(db.advisoriesFor('Go', 'golang.org/x/text', 'v0.3.7')[0]?.ids).toContain('GO-2022-1059');
    expect(db.advisoriesFor('Go', 'golang.org/x/text', 'v0.3.8')).toEqual([]);
  });

  it('answers nothing for packages no advisory names', () => {
    expect(db.hasPackage('npm', 'react')).toBe(false);
    expect(db.affectedFor('npm', 'react')).toEqual([]);
    expect(db.advisoriesFor('npm', 'react', '18.0.0')).toEqual([]);
  });

  it('reports records per ecosystem and per source', () => {
    const status = db.status();
    expect(status.ecosystems).toEqual([
      { ecosystem: 'Go', advisories: 1, malicious: 0, packages: 1 },
      { ecosystem: 'PyPI', advisories: 6, malicious: 0, packages: 3 },
      { ecosystem: 'RubyGems', advisories: 1, malicious: 1, packages: 1 },
      { ecosystem: 'crates.io', advisories: 1, malicious: 0, packages: 1 },
      { ecosystem: 'npm', advisories: 5, malicious: 2, packages: 5 },
    ]);
    expect(status.withdrawn).toBe(2);
    expect(status.sources).toHaveLength(1);
    expect(status.sources[0]).toMatchObject({ records: 16, skipped: 2, gitRanges: 1, otherEcosystems: 1 });
    expect(status.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});

describe('the package cache', () => {
  it('answers the same when packages are dropped from a full cache and read again', async () => {
    const small = VulnDatabase.open(await fixtureDatabase(), { cacheSize: 2 })!;
    try {
      const ask = () => [
        small.advisoriesFor('npm', 'lodash', '4.17.11').map((g) => g.id),
        small.advisoriesFor('PyPI', 'requests', '2.19.0').map((g) => g.id),
        small.advisoriesFor('npm', 'express', '4.17.1').map((g) => g.id),
        small.advisoriesFor('Go', 'golang.org/x/text', 'v0.3.7').map((g) => g.id),
      ];
      const first = ask();
      expect(first).toEqual([
        ['CVE-2019-10744', 'CVE-2021-23337'],
        ['CVE-2018-18074', 'CVE-2023-32681'],
        ['CVE-2024-29041'],
        ['CVE-2022-32149'],
      ]);
      expect(ask()).toEqual(first);
    } finally {
      small.close();
    }
  });
});

describe('opening a database', () => {
  it('returns undefined when there is no file', () => {
    expect(VulnDatabase.open(join(tempDir(), 'missing.sqlite'))).toBeUndefined();
  });

  it('refuses a file that is not a Vouch database, saying how to rebuild it', () => {
    const path = join(tempDir(), 'osv.sqlite');
    writeFileSync(path, 'not sqlite at all, just text that is long enough to be read as a header');
    expect(() => VulnDatabase.open(path)).toThrow(VouchError);
    expect(() => VulnDatabase.open(path)).toThrow(/run vouch db update/);
  });
});

describe('the same advisory from two sources', () => {
  it('uses the most recently modified record, and a withdrawn newer one removes it', async () => {
    const dir = tempDir();
    const older = join(dir, 'older.json');
    const newer = join(dir, 'newer.jsonl');
    writeFileSync(
      older,
      npmRecord('GHSA-aaaa-bbbb-cccc', 'pkg', '2.0.0', { modified: '2024-01-01T00:00:00Z' }),
    );
    writeFileSync(
      newer,
      `${npmRecord('GHSA-aaaa-bbbb-cccc', 'pkg', '3.0.0', { modified: '2024-06-01T00:00:00Z' })}\n`,
    );
    const path = join(dir, 'osv.sqlite');
    await importOsv([older, newer], path);
    let opened = VulnDatabase.open(path)!;
    expect(opened.advisoriesFor('npm', 'pkg', '2.5.0').map((g) => g.fixed)).toEqual([['3.0.0']]);
    opened.close();

    writeFileSync(
      newer,
      `${npmRecord('GHSA-aaaa-bbbb-cccc', 'pkg', '3.0.0', { modified: '2024-07-01T00:00:00Z', withdrawn: '2024-07-01T00:00:00Z' })}\n`,
    );
    await importOsv([newer], path);
    opened = VulnDatabase.open(path)!;
    expect(opened.advisoriesFor('npm', 'pkg', '1.0.0')).toEqual([]);
    opened.close();
  });
});

describe('the severity of one flaw from several records', () => {
  const V3_CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
  const pypi = (id: string, fields: Record<string, unknown>) =>
    JSON.stringify({
      id,
      modified: '2024-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'PyYAML' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.4' }] }],
        },
      ],
      ...fields,
    });

  async function open(records: string[]): Promise<VulnDatabase> {
    const dir = tempDir();
    writeFileSync(join(dir, 'records.jsonl'), `${records.join('\n')}\n`);
    const path = join(dir, 'osv.sqlite');
    await importOsv([join(dir, 'records.jsonl')], path);
    return VulnDatabase.open(path)!;
  }

  it('takes GitHub’s reviewed label over a score converted from another database’s vector', async () => {
    const opened = await open([
      pypi('PYSEC-2099-1', {
        aliases: ['GHSA-2099-aaaa-bbbb'],
        severity: [{ type: 'CVSS_V3', score: V3_CRITICAL }],
      }),
      pypi('GHSA-2099-aaaa-bbbb', { aliases: ['PYSEC-2099-1'], database_specific: { severity: 'MODERATE' } }),
    ]);
    const [group] = opened.advisoriesFor('PyPI', 'pyyaml', '5.0');
    expect(group).toMatchObject({ id: 'GHSA-2099-aaaa-bbbb', severity: 'medium' });
    expect(group?.score).toBeUndefined();
    expect(group?.severityUnknown).toBeUndefined();
    opened.close();
  });

  it('rates a record without a score by an alias record elsewhere in the database, else calls it unknown', async () => {
    // PYSEC-2021-142 (CVE-2020-14343) has no score; its GHSA alias has one, though here it lists other versions.
    const opened = await open([
      pypi('PYSEC-2021-142', { aliases: ['CVE-2020-14343', 'GHSA-8q59-q68h-6hv4'] }),
      JSON.stringify({
        id: 'GHSA-8q59-q68h-6hv4',
        modified: '2024-01-01T00:00:00Z',
        aliases: ['CVE-2020-14343'],
        severity: [{ type: 'CVSS_V3', score: V3_CRITICAL }],
        affected: [{ package: { ecosystem: 'PyPI', name: 'PyYAML' }, versions: ['5.3.1'] }],
        database_specific: { severity: 'CRITICAL' },
      }),
      pypi('PYSEC-2099-2', { aliases: ['GHSA-2099-cccc-dddd'] }),
    ]);
    const groups = opened.advisoriesFor('PyPI', 'pyyaml', '5.0');
    expect(groups.map((g) => [g.id, g.severity, g.severityUnknown ?? false])).toEqual([
      ['CVE-2020-14343', 'critical', false],
      ['GHSA-2099-cccc-dddd', 'medium', true],
    ]);
    opened.close();
  });
});
