import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, expect, it } from 'vitest';
import { vulnerable } from '../../src/analyzers/vulnerable.js';
import type { Ecosystem } from '../../src/model/ecosystem.js';
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
});
