import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, expect, it } from 'vitest';
import { rangeAllowsVulnerable } from '../../src/analyzers/range-allows-vulnerable.js';
import type { Analyzer } from '../../src/analyzers/types.js';
import { unmaintained } from '../../src/analyzers/unmaintained.js';
import { unsound } from '../../src/analyzers/unsound.js';
import { vulnerable } from '../../src/analyzers/vulnerable.js';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { ProjectIndex } from '../../src/project/index.js';
import { PhantomResolver } from '../../src/project/phantom.js';
import { type ImportReport, importOsv } from '../../src/vulndb/import.js';
import { resolveAdvisories } from '../../src/vulndb/resolve.js';
import { VulnDatabase } from '../../src/vulndb/store.js';
import { describeWith } from '../prerequisites.js';
import { SHARED_OSV, SHARED_OSV_DATA, tempDir } from './helpers.js';

/** Records in the shared data, counted without Vouch's readers: JSON lines, plus one record per ghsa/ file. */
function recordsOnDisk(): number {
  let count = 0;
  for (const name of readdirSync(SHARED_OSV)) {
    if (!name.endsWith('.jsonl.gz')) continue;
    const text = gunzipSync(readFileSync(join(SHARED_OSV, name))).toString('utf8');
    count += text.split('\n').filter((line) => line.trim() !== '').length;
  }
  return count + readdirSync(join(SHARED_OSV, 'ghsa')).filter((n) => n.endsWith('.json')).length;
}

describeWith(SHARED_OSV_DATA, 'the real OSV data in ../shared/data/osv', () => {
  let report: ImportReport;
  let db: VulnDatabase;

  beforeAll(async () => {
    const path = join(tempDir(), 'osv.sqlite');
    report = await importOsv([SHARED_OSV], path);
    db = VulnDatabase.open(path)!;
    return () => db.close();
  }, 120_000);

  const groupWith = (ecosystem: Ecosystem, name: string, version: string, id: string) =>
    db.advisoriesFor(ecosystem, name, version).find((g) => g.ids.includes(id));

  it('imports every record, skipping only the manifest, which is not OSV', () => {
    const [source] = report.sources;
    expect(source?.error).toBeUndefined();
    expect(source?.records).toBe(recordsOnDisk());
    expect(source?.otherEcosystems).toBe(0);
    expect(source?.problems).toEqual([
      { where: `${SHARED_OSV}/manifest.json`, reason: 'not an OSV record: no "id"' },
    ]);
    expect(source?.gitRanges).toBeGreaterThan(0);
  });

  it('matches PyYAML 5.0 to CVE-2017-18342, fixed in 5.1, and not 5.4', () => {
    expect(groupWith('PyPI', 'PyYAML', '5.0', 'CVE-2017-18342')).toMatchObject({
      ids: expect.arrayContaining(['PYSEC-2018-49', 'GHSA-rprw-h62v-c2w7']),
      fixed: ['5.1'],
    });
    expect(groupWith('PyPI', 'PyYAML', '5.4', 'CVE-2017-18342')).toBeUndefined();
  });

  it('matches requests 2.19.0 to CVE-2018-18074, fixed in 2.20.0, and not 2.20.0', () => {
    expect(groupWith('PyPI', 'requests', '2.19.0', 'CVE-2018-18074')).toMatchObject({ fixed: ['2.20.0'] });
    expect(groupWith('PyPI', 'requests', '2.20.0', 'CVE-2018-18074')).toBeUndefined();
  });

  it('matches lodash 4.17.11 to CVE-2019-10744 from the GitHub advisory, and not 4.17.21', () => {
    expect(groupWith('npm', 'lodash', '4.17.11', 'CVE-2019-10744')).toMatchObject({
      ids: expect.arrayContaining(['GHSA-jf85-cpcp-j695']),
      severity: 'critical',
      score: 9.1,
      fixed: ['4.17.12'],
    });
    expect(db.advisoriesFor('npm', 'lodash', '4.17.21')).toEqual([]);
  });

  it('matches golang.org/x/text v0.3.7 to GO-2022-1059, fixed in 0.3.8, and not v0.3.8', () => {
    expect(groupWith('Go', 'golang.org/x/text', 'v0.3.7', 'GO-2022-1059')).toMatchObject({
      fixed: ['0.3.8'],
    });
    expect(groupWith('Go', 'golang.org/x/text', 'v0.3.8', 'GO-2022-1059')).toBeUndefined();
  });

  it('knows @solana/web3.js 1.95.6 as a malicious release, and 1.95.8 as clean', () => {
    expect(groupWith('npm', '@solana/web3.js', '1.95.6', 'MAL-2024-11183')).toMatchObject({
      malicious: true,
      severity: 'critical',
    });
    expect(db.advisoriesFor('npm', '@solana/web3.js', '1.95.8')).toEqual([]);
  });

  it('tells the user of lodash 4.17.11 what to upgrade to', () => {
    const refs = [
      {
        ecosystem: 'npm' as const,
        name: 'lodash',
        version: '4.17.11',
        source: 'locked' as const,
        extractor: 'test',
        location: { file: 'package-lock.json', line: 10 },
      },
    ];
    const phantom = new PhantomResolver(new ProjectIndex(refs, [], []));
    const [finding] = vulnerable.analyze({ refs, phantom, advisories: resolveAdvisories(refs, db) }).findings;
    expect(finding?.message).toMatch(
      /^lodash 4\.17\.11 has \d+ known vulnerabilities \(CVE-2019-10744, .*\); upgrade to 4\.17\.21$/,
    );
  });

  const analyze = (analyzer: Analyzer, refs: PackageRef[]) => {
    const phantom = new PhantomResolver(new ProjectIndex(refs, [], []));
    return analyzer.analyze({ refs, phantom, advisories: resolveAdvisories(refs, db) });
  };
  const declared = (ecosystem: Ecosystem, name: string, spec: string): PackageRef => ({
    ecosystem,
    name,
    spec,
    source: 'declared',
    extractor: 'test',
    location: { file: 'manifest', line: 1 },
  });
  const ids = (analyzer: Analyzer, ref: PackageRef) =>
    analyze(analyzer, [ref]).findings.flatMap((f) =>
      ((f.evidence?.advisories ?? []) as { id: string }[]).map((a) => a.id),
    );

  it('evaluates Poetry constraints: django = "^3.0.6" admits the 3.x advisories, not the 2.x or 4.x ones', () => {
    const found = ids(rangeAllowsVulnerable, declared('PyPI', 'django', '^3.0.6'));
    expect(found).toContain('CVE-2020-13254'); // fixed in 3.0.7
    expect(found).not.toContain('CVE-2019-19844'); // 2.x and 3.0.0 only: fixed in 3.0.1
    expect(found.length).toBeGreaterThan(10);
    expect(analyze(rangeAllowsVulnerable, [declared('PyPI', 'django', '^3.0.6')]).unchecked).toEqual([]);
  });

  it('reads a PEP 440 `>` lower bound as a bound, not as nothing', () => {
    const open = ids(rangeAllowsVulnerable, declared('PyPI', 'plone', '>1.0,<2.0'));
    expect(open.length).toBeGreaterThan(0);
    expect(open).toEqual(ids(rangeAllowsVulnerable, declared('PyPI', 'plone', '>=1.0.1,<2.0')));
  });

  it('reads a Cargo requirement "0.2" as ^0.2', () => {
    expect(ids(rangeAllowsVulnerable, declared('crates.io', 'time', '0.2'))).toEqual(['CVE-2020-26235']);
    const newer = ids(rangeAllowsVulnerable, declared('crates.io', 'time', '0.3'));
    expect(newer).not.toContain('CVE-2020-26235');
    expect(newer).toContain('CVE-2026-25727');
  });

  it('reads RubyGems ~> as pessimistic', () => {
    const found = ids(rangeAllowsVulnerable, declared('RubyGems', 'actionpack', '~> 5.2.0'));
    expect(found).toContain('CVE-2020-8164'); // >=4.0.0 <5.2.4.3
    expect(found).not.toContain('CVE-2020-8185'); // >=6.0.0 <6.0.3.2: outside ~> 5.2.0
    expect(found).not.toContain('CVE-2011-1497'); // <3.0.6
  });

  it('reports informational RUSTSEC records as their own kinds, never as vulnerabilities', () => {
    const libusb: PackageRef = { ...declared('crates.io', 'libusb', ''), spec: undefined, version: '0.3.0' };
    expect(analyze(vulnerable, [libusb]).findings).toEqual([]);
    const [finding] = analyze(unmaintained, [libusb]).findings;
    expect(finding).toMatchObject({ kind: 'unmaintained', severity: 'low' });
    expect(finding?.message).toBe(
      'libusb 0.3.0 is unmaintained (RUSTSEC-2016-0004): libusb is unmaintained; use rusb instead; not so from 0.3.1-0',
    );
    const smallvec: PackageRef = { ...libusb, name: 'smallvec', version: '0.6.0' };
    expect(analyze(unsound, [smallvec]).findings.map((f) => [f.kind, f.severity])).toEqual([
      ['unsound', 'medium'],
    ]);
    expect(ids(vulnerable, smallvec)).not.toContain('CVE-2018-25023');
    // The notice leads with its own id, the one rustsec.org knows it by; its CVE is an alias.
    expect(ids(unsound, smallvec)).toEqual(['RUSTSEC-2018-0018']);
    expect(analyze(unsound, [smallvec]).findings[0]?.message).toMatch(
      /^smallvec 0\.6\.0 has an unsound API \(RUSTSEC-2018-0018\)/,
    );
  });

  it('ignores withdrawn records: RUSTSEC-2020-0053 (dirs) was withdrawn', () => {
    const dirs: PackageRef = { ...declared('crates.io', 'dirs', '1'), spec: undefined, version: '1.0.5' };
    expect(db.advisoriesFor('crates.io', 'dirs', '1.0.5')).toEqual([]);
    expect(analyze(unmaintained, [dirs]).findings).toEqual([]);
  });
});
