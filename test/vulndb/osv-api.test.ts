import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackageRef } from '../../src/model/package-ref.js';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { fetchOsvAdvisories, queriesFor } from '../../src/vulndb/osv-api.js';
import { fixturePath } from '../helpers.js';
import { FakeOsvApi } from './fake-osv-api.js';
import { damagePages, fixtureDatabase, OSV_FIXTURES, tempDir } from './helpers.js';

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

describe('an OSV API that answers without end, or too much', () => {
  const hostile = async (kind: 'trickle' | 'flood' | 'oversize', extra: Record<string, number> = {}) => {
    api.hostile = kind;
    try {
      const started = performance.now();
      const result = await scan(['.'], {
        cwd: PROJECT,
        database: join(tempDir(), 'none.sqlite'),
        osvApi: { use: 'auto', baseUrl: api.url, cacheDir: tempDir(), env: {}, ...extra },
      });
      return { result, seconds: (performance.now() - started) / 1000 };
    } finally {
      api.hostile = undefined;
    }
  };
  const skipped = (result: ScanResult) => {
    expect(result.findings.filter((f) => f.kind === 'vulnerable')).toEqual([]);
    const check = result.checks.find((c) => c.id === 'vulnerable');
    expect(check?.status).toBe('skipped');
    return check?.reason;
  };

  it('gives up at the deadline for the scan when every answer trickles in, and skips the advisory checks', async () => {
    // Each byte comes well within the idle timeout, and the per-request deadline is far away.
    const { result, seconds } = await hostile('trickle', {
      deadlineMs: 500,
      requestDeadlineMs: 60_000,
      timeoutMs: 5000,
    });
    expect(seconds).toBeLessThan(15);
    expect(skipped(result)).toMatch(
      /^the OSV API \(.*\) could not be asked: no complete answers within 0\.5 s for the scan; run vouch db update/,
    );
  });

  it('cuts off one trickling answer at the request deadline', async () => {
    const { result, seconds } = await hostile('trickle', { requestDeadlineMs: 400, timeoutMs: 5000 });
    expect(seconds).toBeLessThan(15);
    expect(skipped(result)).toMatch(/could not be asked: timed out: no complete answer within 400 ms/);
  });

  it('refuses an answer that lists more advisories than a scan can need, before asking for any of them', async () => {
    const before = api.requests.length;
    const { result } = await hostile('flood');
    expect(skipped(result)).toMatch(/listed 30000 advisories for \d+ queries, more than the 20000/);
    expect(api.requests.slice(before).filter((r) => r.method === 'GET')).toEqual([]);
  });

  it('refuses an advisory record larger than any real one', async () => {
    const { result } = await hostile('oversize');
    expect(skipped(result)).toMatch(/could not be asked: the answer is larger than 4 MiB/);
  });

  it('asks again, without failing, when its cache file has damaged pages', async () => {
    const cacheDir = tempDir();
    const online = { use: 'auto' as const, baseUrl: api.url, cacheDir, env: {} };
    const options = { cwd: PROJECT, database: join(tempDir(), 'none.sqlite'), osvApi: online };
    const first = await scan(['.'], options);
    damagePages(join(cacheDir, 'osv-api.sqlite'));
    const again = await scan(['.'], options);
    expect(findings(again)).toEqual(findings(first));
    expect(again.checks.find((c) => c.id === 'vulnerable')).toMatchObject({ status: 'ran' });
  });
});
