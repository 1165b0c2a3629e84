import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryHttpError } from '../../src/core/http.js';
import { openDatabase } from '../../src/core/sqlite.js';
import {
  type CacheMode,
  cachedLookup,
  DEFAULT_LIFETIMES,
  type FetchOutcome,
  RegistryCache,
  type Validators,
} from '../../src/registry/cache.js';

let dir: string;
let cache: RegistryCache;
let clock: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-cache-'));
  cache = RegistryCache.open(join(dir, 'registry.sqlite'), { create: true })!;
  clock = Date.parse('2026-06-01T00:00:00Z');
});
afterEach(() => {
  cache.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fetcher that records the validators it was given and answers as told. */
function fetcher(answer: () => FetchOutcome<string> | Error) {
  const calls: Validators[] = [];
  const fetch = async (validators: Validators) => {
    calls.push(validators);
    const outcome = answer();
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  return { calls, fetch };
}

function lookup(mode: CacheMode, fetch: (v: Validators) => Promise<FetchOutcome<string>>) {
  return cachedLookup(cache, 'k', { mode, lifetimes: DEFAULT_LIFETIMES, now: () => clock }, fetch);
}

describe('registry cache', () => {
  it('serves a fresh answer without asking, and revalidates a stale one with its ETag (304)', async () => {
    const first = fetcher(() => ({
      status: 'found',
      value: 'v1',
      etag: '"e1"',
      lastModified: 'Mon, 01 Jun 2026 00:00:00 GMT',
    }));
    expect(await lookup('default', first.fetch)).toEqual({ value: 'v1', found: true, via: 'network' });
    const second = fetcher(() => ({ status: 'not-modified' }));
    expect(await lookup('default', second.fetch)).toMatchObject({ value: 'v1', via: 'cache' });
    expect(second.calls).toEqual([]);
    clock += DEFAULT_LIFETIMES.foundMs + 1;
    expect(await lookup('default', second.fetch)).toMatchObject({ value: 'v1', via: 'cache' });
    expect(second.calls).toEqual([{ etag: '"e1"', lastModified: 'Mon, 01 Jun 2026 00:00:00 GMT' }]);
    // The 304 made it fresh again.
    await lookup('default', second.fetch);
    expect(second.calls).toHaveLength(1);
  });

  it('lets a 404 expire sooner than a found package', async () => {
    await cachedLookup(
      cache,
      'gone',
      { mode: 'default', lifetimes: DEFAULT_LIFETIMES, now: () => clock },
      async () => ({ status: 'missing', value: 'none' }),
    );
    await lookup('default', fetcher(() => ({ status: 'found', value: 'v1' })).fetch);
    clock += DEFAULT_LIFETIMES.missingMs + 1;
    const again = fetcher(() => ({ status: 'missing', value: 'none' }));
    await cachedLookup(
      cache,
      'gone',
      { mode: 'default', lifetimes: DEFAULT_LIFETIMES, now: () => clock },
      again.fetch,
    );
    expect(again.calls).toEqual([{}]);
    const stillFresh = fetcher(() => ({ status: 'found', value: 'v2' }));
    expect(await lookup('default', stillFresh.fetch)).toMatchObject({ value: 'v1' });
    expect(stillFresh.calls).toEqual([]);
  });

  it('prefer-offline uses any cached answer; prefer-online asks every time; offline never asks', async () => {
    await lookup('default', fetcher(() => ({ status: 'found', value: 'v1', etag: '"e1"' })).fetch);
    clock += 10 * DEFAULT_LIFETIMES.foundMs;
    const offlineFirst = fetcher(() => ({ status: 'found', value: 'v2' }));
    expect(await lookup('prefer-offline', offlineFirst.fetch)).toMatchObject({ value: 'v1', via: 'cache' });
    expect(offlineFirst.calls).toEqual([]);

    const online = fetcher(() => ({ status: 'found', value: 'v2', etag: '"e2"' }));
    await lookup('default', online.fetch);
    expect(await lookup('prefer-online', online.fetch)).toMatchObject({ value: 'v2', via: 'network' });
    expect(online.calls).toEqual([{ etag: '"e1"' }, { etag: '"e2"' }]);

    const never = fetcher(() => new Error('must not be called'));
    expect(await lookup('offline', never.fetch)).toMatchObject({ value: 'v2', via: 'cache' });
    await expect(
      cachedLookup(
        cache,
        'unknown',
        { mode: 'offline', lifetimes: DEFAULT_LIFETIMES, now: () => clock },
        never.fetch,
      ),
    ).rejects.toThrow('offline, and the registry cache has no answer for it');
    expect(never.calls).toEqual([]);
  });

  it('falls back to a stale found answer when the registry fails, never to a stale 404', async () => {
    await lookup('default', fetcher(() => ({ status: 'found', value: 'v1' })).fetch);
    await cachedLookup(
      cache,
      'gone',
      { mode: 'default', lifetimes: DEFAULT_LIFETIMES, now: () => clock },
      async () => ({ status: 'missing', value: 'none' }),
    );
    clock += 10 * DEFAULT_LIFETIMES.foundMs;
    const down = fetcher(() => new RegistryHttpError('unavailable', 'HTTP 503'));
    expect(await lookup('default', down.fetch)).toEqual({ value: 'v1', found: true, via: 'stale-cache' });
    await expect(
      cachedLookup(
        cache,
        'gone',
        { mode: 'default', lifetimes: DEFAULT_LIFETIMES, now: () => clock },
        down.fetch,
      ),
    ).rejects.toThrow('HTTP 503');
  });

  it('sets an unreadable cache file aside and starts a new one', () => {
    const path = join(dir, 'broken.sqlite');
    writeFileSync(path, 'this is not a database, just text that happens to be long enough '.repeat(100));
    const warnings: string[] = [];
    const fresh = RegistryCache.open(path, {
      create: true,
      logger: { warn: (m) => warnings.push(m), progress() {}, debug() {} },
    });
    expect(fresh?.get('anything')).toBeUndefined();
    fresh?.close();
    expect(existsSync(`${path}.broken`)).toBe(true);
    expect(warnings[0]).toMatch(/unreadable/);
  });

  it('does not create a cache when only reading', () => {
    expect(RegistryCache.open(join(dir, 'absent.sqlite'), { create: false })).toBeUndefined();
    expect(existsSync(join(dir, 'absent.sqlite'))).toBe(false);
  });

  it('survives a writer killed at any moment (SIGKILL mid-write)', async () => {
    const viteNode = fileURLToPath(new URL('../../node_modules/.bin/vite-node', import.meta.url));
    const writer = fileURLToPath(new URL('./cache-writer.ts', import.meta.url));
    for (const delay of [30, 170, 420]) {
      const path = join(dir, `killed-${delay}.sqlite`);
      const child = spawn(viteNode, [writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((ready, fail) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready());
        child.on('exit', (code) => fail(new Error(`writer exited early with ${code}`)));
      });
      await new Promise((done) => setTimeout(done, delay));
      child.kill('SIGKILL');
      await new Promise((done) => child.on('close', done));

      const reopened = RegistryCache.open(path, { create: true })!;
      expect(reopened.get('npm:full:https://registry.example.org/pkg-0-0')).toMatchObject({
        found: true,
        fetchedAt: 0,
      });
      const snapshot = reopened.snapshot('npm')!;
      reopened.put('after-kill', { found: true, value: '"ok"', fetchedAt: 1, expiresAt: 2 });
      expect(reopened.get('after-kill')?.value).toBe('"ok"');
      reopened.close();
      const db = openDatabase(path, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      // A snapshot import is all or nothing: the list and its count agree.
      const rows = db.prepare("SELECT count(*) AS n FROM snapshot_names WHERE ecosystem = 'npm'").get() as {
        n: number;
      };
      expect(rows.n).toBe(snapshot.names);
      expect(snapshot.names).toBe(20_000);
      db.close();
    }
  }, 60_000);
});
