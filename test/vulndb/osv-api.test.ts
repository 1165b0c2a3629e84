import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageRef } from '../../src/model/package-ref.js';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { fetchOsvAdvisories, queriesFor } from '../../src/vulndb/osv-api.js';
import { fixturePath } from '../helpers.js';
import { FakeOsvApi } from './fake-osv-api.js';
import { fixtureDatabase, OSV_FIXTURES, tempDir } from './helpers.js';

const PROJECT = fixturePath('vulndb/project');
const api = FakeOsvApi.fromFolder(OSV_FIXTURES);
beforeAll(() => api.start());
afterAll(() => api.stop());

const findings = (result: ScanResult) =>
  result.findings.map(
    (f) => `${f.severity} ${f.kind} ${f.name}${f.version ? `@${f.version}` : ''} ${f.message}`,
  );

describe('advisories from the OSV API when there is no local database', () => {
  const cacheDir = tempDir();
  const online = () => ({ use: 'auto' as const, baseUrl: api.url, cacheDir, env: {} });

  it('finds what the local database finds, and says where the advisories came from', async () => {
    const local = await scan(['.', 'answer.md'], { cwd: PROJECT, database: await fixtureDatabase() });
    const asked = await scan(['.', 'answer.md'], {
      cwd: PROJECT,
      database: join(tempDir(), 'none.sqlite'),
      osvApi: online(),
    });
    expect(findings(asked)).toEqual(findings(local));
    expect(findings(asked)).toContainEqual(expect.stringMatching(/^critical vulnerable lodash@4\.17\.11 /));
    const vulnerable = asked.checks.find((c) => c.id === 'vulnerable');
    expect(vulnerable).toMatchObject({ status: 'ran' });
    expect(vulnerable?.source).toMatch(
      new RegExp(`^the OSV API ${api.url} \\(\\d+ queries, 0 from the cache; \\d+ advisories\\)$`),
    );
    expect(api.requests.filter((r) => r.path === '/v1/querybatch')).toHaveLength(1);
  });

  it('answers a second scan from the cache, without asking again', async () => {
    const before = api.requests.length;
    const again = await scan(['.', 'answer.md'], {
      cwd: PROJECT,
      database: join(tempDir(), 'none.sqlite'),
      osvApi: online(),
    });
    expect(api.requests.length).toBe(before);
    expect(again.checks.find((c) => c.id === 'vulnerable')?.source).toMatch(
      /\((\d+) queries, \1 from the cache;/,
    );
  });

  it('is never asked offline, nor when a local database exists unless told to', async () => {
    const before = api.requests.length;
    const offline = await scan(['.'], {
      cwd: PROJECT,
      database: join(tempDir(), 'none.sqlite'),
      osvApi: online(),
      offline: true,
    });
    expect(offline.checks.find((c) => c.id === 'vulnerable')).toMatchObject({ status: 'skipped' });
    await scan(['.'], { cwd: PROJECT, database: await fixtureDatabase(), osvApi: online() });
    expect(api.requests.length).toBe(before);
    await scan(['.'], {
      cwd: PROJECT,
      database: await fixtureDatabase(),
      osvApi: { ...online(), use: 'always', cacheDir: tempDir() },
    });
    expect(api.requests.length).toBeGreaterThan(before);
  });

  it('skips the advisory checks with the reason when the API fails, never reporting clean', async () => {
    api.failWith = 503;
    try {
      const result = await scan(['.'], {
        cwd: PROJECT,
        database: join(tempDir(), 'none.sqlite'),
        osvApi: { ...online(), cacheDir: tempDir() },
      });
      expect(result.findings.filter((f) => f.kind === 'vulnerable')).toEqual([]);
      expect(result.checks.find((c) => c.id === 'vulnerable')).toEqual({
        id: 'vulnerable',
        status: 'skipped',
        reason: `the OSV API (${api.url}) answered HTTP 503 to /v1/querybatch; run vouch db update (or vouch db import FILE) for a local database`,
      });
    } finally {
      api.failWith = undefined;
    }
  });

  it('asks in batches of at most 1,000 queries', async () => {
    const refs: PackageRef[] = Array.from({ length: 2500 }, (_, i) => ({
      ecosystem: 'npm',
      name: `package-${i}`,
      version: '1.0.0',
      source: 'locked',
      extractor: 'test',
      location: { file: 'package-lock.json', line: i + 1 },
    }));
    const before = api.requests.length;
    await fetchOsvAdvisories(queriesFor(refs), { baseUrl: api.url, cacheDir: false, env: {} });
    expect(api.requests.slice(before).map((r) => r.queries)).toEqual([1000, 1000, 500]);
  });

  it('asks only about valid exact versions, and about whole packages for ranges', () => {
    const ref = (fields: Partial<PackageRef>): PackageRef => ({
      ecosystem: 'PyPI',
      name: 'requests',
      source: 'installed',
      extractor: 'test',
      location: { file: 'answer.md', line: 1 },
      ...fields,
    });
    const queries = queriesFor([
      ref({ version: 'latest' }),
      ref({ version: '2.19.0' }),
      ref({ spec: '>=2' }),
      ref({ source: 'imported' }),
    ]);
    expect(queries.map((q) => [q.name, q.version ?? null])).toEqual([
      ['requests', '2.19.0'],
      ['requests', null],
    ]);
  });
});
