import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.js';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import { VulnDatabase } from '../../src/vulndb/store.js';
import { type UpdateOptions, updateDatabase } from '../../src/vulndb/update.js';
import { makeZip, npmRecord, tempDir } from './helpers.js';

interface Served {
  body: Buffer;
  etag?: string;
  /** Answer with this status instead, this many times, before serving the body. */
  failFirst?: { status: number; times: number; retryAfter?: string };
  /** Declare this many more bytes than are sent, then close the connection. */
  shortBy?: number;
}

const served = new Map<string, Served>();
const requests: { path: string; ifNoneMatch?: string }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push({ path, ifNoneMatch: req.headers['if-none-match'] });
    const file = served.get(path);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    if (file.failFirst && file.failFirst.times > 0) {
      file.failFirst.times--;
      const headers: Record<string, string> = file.failFirst.retryAfter
        ? { 'retry-after': file.failFirst.retryAfter }
        : {};
      res.writeHead(file.failFirst.status, headers).end();
      return;
    }
    if (file.etag && req.headers['if-none-match'] === file.etag) {
      res.writeHead(304, { etag: file.etag }).end();
      return;
    }
    const headers: Record<string, string | number> = {
      'content-length': file.body.length + (file.shortBy ?? 0),
    };
    if (file.etag) headers.etag = file.etag;
    res.writeHead(200, headers);
    if (file.shortBy) {
      res.write(file.body);
      res.socket?.destroy();
    } else res.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/osv`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function archive(...records: [id: string, name: string, fixed: string][]): Buffer {
  return makeZip(
    records.map(([id, name, fixed]) => ({ name: `${id}.json`, data: npmRecord(id, name, fixed) })),
  );
}

function pypiArchive(): Buffer {
  const record = JSON.stringify({
    id: 'PYSEC-2018-28',
    modified: '2021-06-10T06:51:00Z',
    aliases: ['CVE-2018-18074'],
    affected: [
      {
        package: { ecosystem: 'PyPI', name: 'requests' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.20.0' }] }],
      },
    ],
  });
  return makeZip([{ name: 'PYSEC-2018-28.json', data: record }]);
}

function ids(path: string, ecosystem: Ecosystem, name: string, version: string): string[] {
  const db = VulnDatabase.open(path)!;
  try {
    return db.advisoriesFor(ecosystem, name, version).map((g) => g.id);
  } finally {
    db.close();
  }
}

describe('vouch db update against a local archive server', () => {
  const cacheDir = tempDir();
  const database = join(cacheDir, 'osv.sqlite');
  const options = (): UpdateOptions => ({
    baseUrl: base,
    cacheDir,
    ecosystems: ['npm', 'PyPI'],
    env: {},
    http: { retries: 1, backoffMs: 1 },
  });
  const statuses = (report: Awaited<ReturnType<typeof updateDatabase>>) =>
    Object.fromEntries(report.ecosystems.map((e) => [e.ecosystem, e.status]));

  it('downloads and imports every archive the first time, keeping the archives in the cache', async () => {
    served.set('/osv/npm/all.zip', {
      body: archive(['GHSA-aaaa-0001-0001', 'left-pad', '1.1.0']),
      etag: '"npm-1"',
    });
    served.set('/osv/PyPI/all.zip', { body: pypiArchive(), etag: '"pypi-1"' });
    const report = await updateDatabase(options());
    expect(report.ecosystems).toMatchObject([
      { ecosystem: 'npm', status: 'updated', records: 1, url: `${base}/npm/all.zip` },
      { ecosystem: 'PyPI', status: 'updated', records: 1 },
    ]);
    expect(report.written).toBe(true);
    expect(ids(database, 'npm', 'left-pad', '1.0.0')).toEqual(['GHSA-aaaa-0001-0001']);
    expect(ids(database, 'PyPI', 'requests', '2.19.0')).toEqual(['CVE-2018-18074']);
    expect(existsSync(join(cacheDir, 'osv', 'npm', 'all.zip'))).toBe(true);
    expect(JSON.parse(readFileSync(join(cacheDir, 'osv', 'npm', 'all.zip.json'), 'utf8'))).toMatchObject({
      etag: '"npm-1"',
      url: `${base}/npm/all.zip`,
    });
  });

  it('asks with the stored ETag and downloads nothing when the archives did not change', async () => {
    requests.length = 0;
    const report = await updateDatabase(options());
    expect(statuses(report)).toEqual({ npm: 'unchanged', PyPI: 'unchanged' });
    expect(report.ecosystems.map((e) => e.downloaded)).toEqual([0, 0]);
    expect(requests).toEqual([
      { path: '/osv/npm/all.zip', ifNoneMatch: '"npm-1"' },
      { path: '/osv/PyPI/all.zip', ifNoneMatch: '"pypi-1"' },
    ]);
  });

  it('imports only the archive that changed', async () => {
    served.set('/osv/npm/all.zip', {
      body: archive(['GHSA-aaaa-0001-0001', 'left-pad', '1.1.0'], ['GHSA-aaaa-0002-0002', 'is-odd', '3.0.1']),
      etag: '"npm-2"',
    });
    const report = await updateDatabase(options());
    expect(statuses(report)).toEqual({ npm: 'updated', PyPI: 'unchanged' });
    expect(ids(database, 'npm', 'is-odd', '3.0.0')).toEqual(['GHSA-aaaa-0002-0002']);
    expect(ids(database, 'PyPI', 'requests', '2.19.0')).toEqual(['CVE-2018-18074']);
  });

  it('does not import an archive whose content is the same under a new ETag', async () => {
    served.set('/osv/PyPI/all.zip', { body: pypiArchive(), etag: '"pypi-2"' });
    const report = await updateDatabase(options());
    expect(report.ecosystems[1]).toMatchObject({ status: 'unchanged' });
    expect(report.ecosystems[1]?.downloaded).toBeGreaterThan(0);
  });

  it('fails a truncated archive with a clear error and keeps the previous data', async () => {
    const whole = archive(['GHSA-aaaa-0003-0003', 'new-pkg', '1.0.0']);
    served.set('/osv/npm/all.zip', { body: whole.subarray(0, whole.length - 40), etag: '"npm-3"' });
    const report = await updateDatabase(options());
    expect(report.ecosystems[0]).toMatchObject({ status: 'failed' });
    expect(report.ecosystems[0]?.error).toMatch(
      /npm\/all\.zip: not a readable zip archive, truncated or corrupt/,
    );
    expect(ids(database, 'npm', 'is-odd', '3.0.0')).toEqual(['GHSA-aaaa-0002-0002']);
    expect(ids(database, 'npm', 'new-pkg', '0.1.0')).toEqual([]);
    expect(JSON.parse(readFileSync(join(cacheDir, 'osv', 'npm', 'all.zip.json'), 'utf8')).etag).toBe(
      '"npm-2"',
    );
    expect(existsSync(join(cacheDir, 'osv', 'npm', 'all.zip.partial'))).toBe(false);
  });

  it('fails a corrupt archive the same way', async () => {
    const corrupt = Buffer.from(archive(['GHSA-aaaa-0004-0004', 'other-pkg', '1.0.0']));
    corrupt.fill(0xff, 60, 80);
    served.set('/osv/npm/all.zip', { body: corrupt, etag: '"npm-4"' });
    const report = await updateDatabase(options());
    expect(report.ecosystems[0]?.error).toMatch(/corrupt archive/);
    expect(ids(database, 'npm', 'left-pad', '1.0.0')).toEqual(['GHSA-aaaa-0001-0001']);
  });

  it('fails a download cut short by the server, after retrying, and keeps the previous data', async () => {
    served.set('/osv/npm/all.zip', {
      body: archive(['GHSA-aaaa-0005-0005', 'short', '1.0.0']),
      etag: '"npm-5"',
      shortBy: 100,
    });
    requests.length = 0;
    const report = await updateDatabase(options());
    expect(report.ecosystems[0]).toMatchObject({ status: 'failed' });
    expect(report.ecosystems[0]?.error).toMatch(/after 2 attempts/);
    expect(requests.filter((r) => r.path === '/osv/npm/all.zip')).toHaveLength(2);
    expect(ids(database, 'npm', 'is-odd', '3.0.0')).toEqual(['GHSA-aaaa-0002-0002']);
  });

  it('retries a 503 and a 429, honouring Retry-After', async () => {
    served.set('/osv/npm/all.zip', {
      body: archive(['GHSA-aaaa-0006-0006', 'retried', '1.0.0']),
      etag: '"npm-6"',
      failFirst: { status: 503, times: 1, retryAfter: '0' },
    });
    served.set('/osv/PyPI/all.zip', {
      body: pypiArchive(),
      etag: '"pypi-3"',
      failFirst: { status: 429, times: 1, retryAfter: '0' },
    });
    const report = await updateDatabase({ ...options(), http: { retries: 2, backoffMs: 60_000 } });
    expect(statuses(report)).toEqual({ npm: 'updated', PyPI: 'unchanged' });
    expect(ids(database, 'npm', 'retried', '0.5.0')).toEqual(['GHSA-aaaa-0006-0006']);
  });

  it('reports an archive the server does not have', async () => {
    const report = await updateDatabase({ ...options(), ecosystems: ['crates.io'] });
    expect(report.ecosystems[0]).toMatchObject({
      status: 'failed',
      error: `${base}/crates.io/all.zip: HTTP 404`,
    });
  });

  it('rebuilds a lost database from the cached archives without downloading them', async () => {
    rmSync(database);
    requests.length = 0;
    const report = await updateDatabase({ ...options(), baseUrl: undefined, env: { VOUCH_OSV_URL: base } });
    expect(statuses(report)).toEqual({ npm: 'updated', PyPI: 'updated' });
    expect(report.ecosystems.map((e) => e.downloaded)).toEqual([0, 0]);
    expect(requests.map((r) => r.ifNoneMatch)).toEqual(['"npm-6"', '"pypi-3"']);
    expect(ids(database, 'npm', 'retried', '0.5.0')).toEqual(['GHSA-aaaa-0006-0006']);
  });
});

describe('vouch db update without the network', () => {
  it('fails at once when the source cannot be reached, tries no other archive there, and says there is no database yet', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    const report = await updateDatabase({
      baseUrl: `http://127.0.0.1:${port}/osv`,
      cacheDir: tempDir(),
      env: {},
      concurrency: 1,
      logger,
      http: { retries: 3, backoffMs: 1000 },
    });
    expect(report.existed).toBe(false);
    expect(report.written).toBe(false);
    const [first, ...rest] = report.ecosystems;
    expect(first).toMatchObject({ status: 'failed', kept: false });
    expect(first?.error).toBe(`http://127.0.0.1:${port}/osv/npm/all.zip: connection refused`);
    expect(rest.map((e) => e.error)).toEqual(rest.map(() => `not tried: ${first?.error}`));
    expect(warnings.filter((w) => w.includes('retrying'))).toEqual([]);
    expect(warnings[0]).toMatch(/the database has none of it yet$/);
  });

  it('reads archives from a file:// folder, and imports one again only when it changed', async () => {
    const folder = tempDir();
    mkdirSync(join(folder, 'npm'));
    writeFileSync(join(folder, 'npm', 'all.zip'), archive(['GHSA-file-0001-0001', 'file-pkg', '2.0.0']));
    const cacheDir = tempDir();
    const options: UpdateOptions = {
      baseUrl: pathToFileURL(folder).href,
      cacheDir,
      ecosystems: ['npm'],
      env: {},
    };
    const first = await updateDatabase(options);
    expect(first.ecosystems).toMatchObject([{ ecosystem: 'npm', status: 'updated', records: 1 }]);
    expect(ids(join(cacheDir, 'osv.sqlite'), 'npm', 'file-pkg', '1.0.0')).toEqual(['GHSA-file-0001-0001']);
    expect((await updateDatabase(options)).ecosystems[0]?.status).toBe('unchanged');
    expect(existsSync(join(folder, 'npm', 'all.zip'))).toBe(true);
  });
});
