import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { silentLogger } from '../../src/core/log.js';
import {
  loadPopularNpm,
  loadPopularPypi,
  popularPypiPath,
  updatePopularPypi,
} from '../../src/registry/popular.js';
import { describeWith, TOP_PYPI } from '../prerequisites.js';

describeWith(TOP_PYPI, 'the popular PyPI names that vouch db update downloads', () => {
  let base: string;
  let cache: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const list = readFileSync(TOP_PYPI.path);
    const server = createServer((req, res) => {
      if (req.url === '/top.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(list);
      } else if (req.url === '/not-a-list.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"rows": "nope"}');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((done) => server.close(() => done()));
    cache = mkdtempSync(join(tmpdir(), 'vouch-popular-'));
  });
  afterAll(async () => {
    await close();
    rmSync(cache, { recursive: true, force: true });
  });

  it('downloads the list into the cache, and keeps it when a later download fails or is not a list', async () => {
    const env = { VOUCH_CACHE_DIR: cache };
    expect(loadPopularPypi(popularPypiPath(env))).toEqual({
      reason: 'no list of popular PyPI names: run vouch db update',
    });
    const update = await updatePopularPypi({ env, url: `${base}/top.json`, http: { retries: 0 } });
    expect(update).toMatchObject({ status: 'updated', projects: 15_000 });
    const list = loadPopularPypi(popularPypiPath(env));
    if ('reason' in list) throw new Error(list.reason);
    expect(list.rank('boto3')).toBe(1);
    expect(list.rank('Typing_Extensions')).toBeLessThan(20);
    expect(list.downloads('boto3')).toBeGreaterThan(1_000_000_000);

    expect(await updatePopularPypi({ env, url: `${base}/missing.json`, http: { retries: 0 } })).toMatchObject(
      { status: 'failed', kept: true },
    );
    expect(
      await updatePopularPypi({ env, url: `${base}/not-a-list.json`, http: { retries: 0 } }),
    ).toMatchObject({
      status: 'failed',
      error: 'not a top-PyPI-packages list (no rows)',
    });
    const kept = loadPopularPypi(popularPypiPath(env));
    expect('names' in kept && kept.names).toHaveLength(15_000);
  });

  it('loads the list from a file, by path or file:// URL, on a machine without the network', async () => {
    const env = { VOUCH_CACHE_DIR: join(cache, 'from-file') };
    for (const url of [TOP_PYPI.path, pathToFileURL(TOP_PYPI.path).href]) {
      expect(await updatePopularPypi({ env, url })).toMatchObject({ status: 'updated', projects: 15_000 });
      const list = loadPopularPypi(popularPypiPath(env));
      expect('names' in list && list.rank('boto3')).toBe(1);
    }
    expect(await updatePopularPypi({ env, url: join(env.VOUCH_CACHE_DIR, 'absent.json') })).toMatchObject({
      status: 'failed',
      kept: true,
    });
  });

  it('says there is no list yet, not that one was kept, when the first download fails', async () => {
    const env = { VOUCH_CACHE_DIR: join(cache, 'never') };
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    const update = await updatePopularPypi({
      env,
      url: `${base}/missing.json`,
      http: { retries: 0 },
      logger,
    });
    expect(update).toMatchObject({ status: 'failed', kept: false });
    expect(warnings).toEqual([
      `popular PyPI names: ${update.error}; no list yet, so PyPI names are not checked for typosquats (--top-pypi-url FILE loads one from a file)`,
    ]);
  });

  it('vouch db update fetches it with the advisories', async () => {
    let stdout = '';
    const io: CliIO = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env: { VOUCH_CACHE_DIR: cache },
      cwd: cache,
      readStdin: async () => '',
    };
    const exit = await main(
      ['db', 'update', '--ecosystem', 'PyPI', '--url', `${base}/osv`, '--top-pypi-url', `${base}/top.json`],
      io,
    );
    // The advisory archive is not served here, so that part fails (exit 3); the list still comes.
    expect(exit).toBe(3);
    expect(stdout).toMatch(/Popular PyPI names: 15,000 projects/);
  });
});

describe('popular npm names', () => {
  it('come from the npm-high-impact package, or say that it is missing', async () => {
    const list = await loadPopularNpm();
    if ('reason' in list)
      expect(list.reason).toBe('no list of popular npm names: the npm-high-impact package is not installed');
    else {
      expect(list.names.length).toBeGreaterThan(1000);
      expect(list.rank('react')).toBeDefined();
    }
  });
});
