import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/core/http.js';
import type { ExistingPackage, PackageFacts } from '../../src/model/registry-facts.js';
import { DEFAULT_LIFETIMES, RegistryCache } from '../../src/registry/cache.js';
import type { ClientContext } from '../../src/registry/client.js';
import { NpmClient, npmDocumentPath, readPackument } from '../../src/registry/npm.js';
import { PypiClient, versionOfFile } from '../../src/registry/pypi.js';
import { installedToday } from '../../src/versions/pick.js';
import { fixturePath } from '../helpers.js';
import { packument, pypiProject } from './documents.js';
import { type FakeRegistry, startFakeRegistry } from './fake-registry.js';

let registry: FakeRegistry;
let dir: string;
let context: ClientContext;

beforeAll(async () => {
  registry = await startFakeRegistry();
});
afterAll(() => registry.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-clients-'));
  context = {
    http: new HttpClient({ retries: 0 }),
    cache: RegistryCache.open(join(dir, 'registry.sqlite'), { create: true })!,
    mode: 'default',
    lifetimes: DEFAULT_LIFETIMES,
    now: () => Date.parse('2026-06-01T00:00:00Z'),
  };
  registry.npm.clear();
  registry.pypi.clear();
  registry.simpleOnly.clear();
  registry.misbehave.clear();
  registry.requests.length = 0;
});
afterEach(async () => {
  context.cache?.close();
  await context.http.close();
  rmSync(dir, { recursive: true, force: true });
});

function recorded(name: string): unknown {
  return JSON.parse(readFileSync(fixturePath('registry/recorded', name), 'utf8'));
}

function exists(facts: PackageFacts): ExistingPackage {
  if (facts.status !== 'exists')
    throw new Error(`expected the package to exist, got ${JSON.stringify(facts)}`);
  return facts;
}

const npmConfigFor = (url: string) => ({ registry: url, scopes: {}, settings: {} });

describe('npm client', () => {
  it('encodes scoped names as npm requests them', () => {
    expect(npmDocumentPath('@babel/core')).toBe('@babel%2fcore');
    expect(npmDocumentPath('express')).toBe('express');
  });

  it('reads a document recorded from a mirror: publish times without `created` are not trusted', () => {
    const facts = exists(readPackument('is-number', recorded('is-number.json'), 'full'));
    expect(facts.latest).toBe('7.0.0');
    expect(Object.keys(facts.versions!)).toContain('6.0.0');
    expect(facts.datesTrusted).toBe(false);
    expect(facts.repository).toBe('jonschlinkert/is-number');
    const scoped = exists(readPackument('@types/is-number', recorded('types__is-number.json'), 'full'));
    expect(scoped.name).toBe('@types/is-number');
    expect(scoped.datesTrusted).toBe(false);
  });

  it('asks for the abbreviated document when told, keeping versions, dist-tags and deprecations', async () => {
    registry.npm.set(
      'left-pad',
      packument('left-pad', {
        versions: [
          { version: '1.2.0', published: '2017-01-01T00:00:00.000Z' },
          {
            version: '1.3.0',
            published: '2018-04-09T00:00:00.000Z',
            deprecated: 'use String.prototype.padStart()',
          },
        ],
      }),
    );
    const client = new NpmClient(npmConfigFor(registry.npmUrl), context, 'abbreviated');
    const facts = exists((await client.facts('left-pad')).facts);
    expect(registry.requests[0]!.headers.accept).toMatch(/^application\/vnd\.npm\.install-v1\+json/);
    expect(facts.versions!['1.3.0']!.deprecated).toBe('use String.prototype.padStart()');
    expect(facts.description).toBeUndefined();
    expect(facts.trimmed).toEqual(['time', 'description', 'repository', 'maintainers']);
    expect(facts.datesTrusted).toBe(false);
    // npm installs the highest non-deprecated version the range admits when `latest` is deprecated.
    expect(installedToday(facts, '^1.0.0')?.version).toBe('1.2.0');
  });

  it('tells 404, unpublished and security-holding documents apart', async () => {
    // The shape npm leaves after an unpublish: no versions, `time.unpublished`.
    registry.npm.set('emptied', {
      name: 'emptied',
      time: {
        created: '2024-01-01T00:00:00.000Z',
        unpublished: { time: '2024-02-01T00:00:00.000Z', versions: ['1.0.0'] },
      },
    });
    registry.npm.set(
      'holder',
      packument('holder', {
        versions: [{ version: '0.0.1-security', published: '2024-01-01T00:00:00.000Z' }],
        description: 'security holding package',
      }),
    );
    const client = new NpmClient(npmConfigFor(registry.npmUrl), context);
    expect((await client.facts('never-was')).facts).toMatchObject({ status: 'missing', why: 'not-found' });
    expect((await client.facts('emptied')).facts).toMatchObject({
      status: 'missing',
      why: 'unpublished',
      detail: '2024-02-01T00:00:00.000Z',
    });
    expect((await client.facts('holder')).facts).toMatchObject({
      status: 'missing',
      why: 'security-holding',
      detail: 'security holding package',
    });
  });

  it('never reads a 200 that is not a packument of the package as missing: it is unchecked, with the reason', async () => {
    const nonsense: [string, unknown, RegExp][] = [
      ['empty-object', {}, /names no package/],
      ['status-ok', { status: 'ok' }, /names no package/],
      ['registry-root', { db_name: 'registry', doc_count: 1, update_seq: 1 }, /names no package/],
      [
        'other-name',
        packument('left-pad', { versions: [{ version: '1.0.0', published: '2024-01-01T00:00:00.000Z' }] }),
        /another package \('left-pad'\)/,
      ],
      ['no-versions', { name: 'no-versions', 'dist-tags': {} }, /without versions/],
    ];
    const client = new NpmClient(npmConfigFor(registry.npmUrl), context);
    for (const [name, body, reason] of nonsense) {
      registry.misbehave.set(`/npm/${name}`, { body: JSON.stringify(body) });
      const facts = (await client.facts(name)).facts;
      expect(facts).toMatchObject({ status: 'unchecked' });
      expect(facts.status === 'unchecked' && facts.reason).toMatch(reason);
    }
  });

  it('keeps and caches a bounded amount of what a registry writes, however much it sends', async () => {
    const huge = 'x'.repeat(2 * 1024 ** 2);
    registry.npm.set(
      'verbose',
      packument('verbose', {
        description: huge,
        versions: [{ version: '1.0.0', published: '2024-01-01T00:00:00.000Z', deprecated: huge }],
      }),
    );
    const facts = exists(
      (await new NpmClient(npmConfigFor(registry.npmUrl), context).facts('verbose')).facts,
    );
    expect(facts.description!.length).toBeLessThanOrEqual(1001);
    expect(facts.versions!['1.0.0']!.deprecated!.length).toBeLessThanOrEqual(1001);
    context.cache?.close();
    // What the cache file holds is the bounded document, not megabytes of text.
    expect(statSync(join(dir, 'registry.sqlite')).size).toBeLessThan(512 * 1024);
    context.cache = RegistryCache.open(join(dir, 'registry.sqlite'), { create: true })!;
  });

  it('revalidates with the ETag it was given and uses the cached answer on 304', async () => {
    registry.npm.set(
      'debug',
      packument('debug', { versions: [{ version: '4.4.0', published: '2024-12-06T00:00:00.000Z' }] }),
    );
    const client = new NpmClient(npmConfigFor(registry.npmUrl), { ...context, mode: 'prefer-online' });
    expect((await client.facts('debug')).via).toBe('network');
    const again = await client.facts('debug');
    expect(again.via).toBe('cache');
    expect(registry.requests[1]!.headers['if-none-match']).toMatch(/^"[0-9a-f]+"$/);
    expect(exists(again.facts).latest).toBe('4.4.0');
  });

  it('sends the configured token and never puts it in a reason', async () => {
    registry.misbehave.set('/npm/private-pkg', { status: 401 });
    const config = {
      registry: registry.npmUrl,
      scopes: {},
      settings: { [`//${new URL(registry.npmUrl).host}/:_authToken`]: 'tok-123' },
    };
    const answer = await new NpmClient(config, context).facts('private-pkg');
    expect(registry.requests[0]!.headers.authorization).toBe('Bearer tok-123');
    expect(answer.facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/access denied \(HTTP 401\)/),
    });
    expect(JSON.stringify(answer)).not.toContain('tok-123');
  });

  it('without a registry, answers from an imported snapshot or says nothing is configured', async () => {
    const client = new NpmClient({ scopes: {}, settings: {} }, context);
    expect((await client.facts('express')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/^no npm registry configured/),
    });
    context.cache!.importSnapshot('npm', ['express'], 'names.txt', new Date());
    expect((await client.facts('express')).facts).toMatchObject({ status: 'exists' });
    expect((await client.facts('expresss')).facts).toMatchObject({ status: 'missing', why: 'not-found' });
    expect((await client.facts('expresss')).via).toBe('snapshot');
  });
});

describe('PyPI client', () => {
  const pip = (extra: string[] = []) => ({ index: registry.pypiIndex, extra });

  it('reads versions, upload times, yanked releases with their reasons and the source link', async () => {
    registry.pypi.set(
      'requests',
      pypiProject('requests', {
        releases: [
          { version: '2.31.0', uploaded: '2023-05-22T10:00:00.000Z' },
          {
            version: '2.32.0',
            uploaded: '2024-05-20T10:00:00.000Z',
            yanked: 'conflicts with a CVE mitigation',
          },
          {
            version: '2.32.3',
            uploaded: '2024-05-29T10:00:00.000Z',
            requires: ['idna<4,>=2.5', 'PySocks>=1.5.6; extra == "socks"'],
          },
        ],
      }),
    );
    const facts = exists((await new PypiClient(pip(), context).facts('Requests')).facts);
    expect(registry.requests[0]!.path).toBe('/pypi/requests/json');
    expect(facts.latest).toBe('2.32.3');
    expect(facts.created).toBe('2023-05-22T10:00:00.000Z');
    expect(facts.versions!['2.32.0']).toMatchObject({
      yanked: true,
      yankedReason: 'conflicts with a CVE mitigation',
    });
    expect(facts.versions!['2.32.3']!.dependencies).toEqual(['idna']);
    expect(facts.repository).toBe('https://git.example.org/requests');
    expect(facts.datesTrusted).toBe(true);
    expect(installedToday(facts, '>=2.32')?.version).toBe('2.32.3');
    expect(installedToday(facts, '==2.32.0')).toBeUndefined();
  });

  it('confirms a JSON API 404 with the Simple API before calling a name missing', async () => {
    registry.simpleOnly.set('only-simple', {
      meta: { 'api-version': '1.1' },
      name: 'only-simple',
      files: [
        {
          filename: 'only_simple-1.0.0-py3-none-any.whl',
          url: 'https://files.example.org/a.whl',
          hashes: {},
          'upload-time': '2025-01-01T00:00:00Z',
        },
        {
          filename: 'only-simple-1.1.0.tar.gz',
          url: 'https://files.example.org/b.tar.gz',
          hashes: {},
          yanked: 'broken build',
        },
      ],
    });
    const client = new PypiClient(pip(), context);
    const facts = exists((await client.facts('only_simple')).facts);
    expect(registry.requests.map((r) => r.path)).toEqual(['/pypi/only-simple/json', '/simple/only-simple/']);
    expect(registry.requests[1]!.headers.accept).toContain('application/vnd.pypi.simple.v1+json');
    expect(Object.keys(facts.versions!).sort()).toEqual(['1.0.0', '1.1.0']);
    expect(facts.versions!['1.1.0']).toMatchObject({ yanked: true, yankedReason: 'broken build' });
    expect((await client.facts('nope-nothing')).facts).toMatchObject({ status: 'missing', why: 'not-found' });
  });

  it('reads a PEP 503 HTML page, files and yanked ones, and refuses HTML that is not one', async () => {
    registry.misbehave.set('/simple/html-only/', {
      body: `<!DOCTYPE html><html><head><meta name="pypi:repository-version" content="1.1"></head><body>
<a href="../../files/html_only-1.0.0.tar.gz#sha256=00">html_only-1.0.0.tar.gz</a>
<a href="../../files/html_only-1.2.0-py3-none-any.whl#sha256=00" data-yanked="broken build">html_only-1.2.0-py3-none-any.whl</a>
</body></html>`,
      contentType: 'text/html; charset=utf-8',
    });
    const facts = exists((await new PypiClient(pip(), context).facts('html-only')).facts);
    expect(facts.versions).toEqual({
      '1.0.0': { version: '1.0.0' },
      '1.2.0': { version: '1.2.0', yanked: true, yankedReason: 'broken build' },
    });
    // A captive portal's page for the same URL is no evidence either way.
    registry.misbehave.set('/simple/portal/', {
      body: '<html><body><h1>Sign in to the guest network</h1><a href="/login">Log in</a></body></html>',
      contentType: 'text/html',
    });
    const portal = (await new PypiClient(pip(), context).facts('portal')).facts;
    expect(portal).toMatchObject({ status: 'unchecked' });
    expect(portal.status === 'unchecked' && portal.reason).toMatch(/HTML page that is not a Simple API/);
    // Nor is a PEP 691 page or a JSON API document about another project.
    registry.simpleOnly.set('renamed', { meta: { 'api-version': '1.0' }, name: 'other', files: [] });
    const renamed = (await new PypiClient(pip(), context).facts('renamed')).facts;
    expect(renamed.status === 'unchecked' && renamed.reason).toMatch(/another project \('other'\)/);
  });

  it('asks extra indexes, including local folders, before calling a name missing', async () => {
    const local = join(dir, 'simple');
    mkdirSync(join(local, 'in-house-lib'), { recursive: true });
    const client = new PypiClient(pip([pathToFileURL(local).href]), context);
    expect((await client.facts('In_House.Lib')).facts).toMatchObject({ status: 'exists' });
    expect((await client.facts('not-anywhere')).facts).toMatchObject({ status: 'missing' });
  });

  it('finds a name on an extra index when the main index cannot be asked, and otherwise says why', async () => {
    const local = join(dir, 'simple');
    mkdirSync(join(local, 'in-house-lib'), { recursive: true });
    const client = new PypiClient(
      { index: 'http://127.0.0.1:9/simple/', extra: [pathToFileURL(local).href] },
      context,
    );
    expect((await client.facts('in-house-lib')).facts).toMatchObject({ status: 'exists' });
    expect((await client.facts('requests')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\/simple\/: connection refused/),
    });
  });

  it("reads one release's requirements from the per-release JSON API", async () => {
    registry.pypi.set(
      'flask',
      pypiProject('Flask', {
        releases: [
          {
            version: '2.0.0',
            uploaded: '2021-05-11T00:00:00.000Z',
            requires: ['Werkzeug>=2.0', 'click>=7.1.2'],
          },
          {
            version: '3.1.0',
            uploaded: '2024-11-13T00:00:00.000Z',
            requires: ['Werkzeug>=3.1', 'blinker>=1.9'],
          },
        ],
      }),
    );
    const client = new PypiClient(pip(), context);
    expect(await client.dependencies('flask', '2.0.0')).toEqual(['Werkzeug', 'click']);
  });

  it('finds versions in wheel and sdist file names', () => {
    expect(versionOfFile('numpy-2.2.1-cp312-cp312-manylinux_2_17_x86_64.whl', 'numpy')).toBe('2.2.1');
    expect(versionOfFile('python-dateutil-2.9.0.post0.tar.gz', 'python-dateutil')).toBe('2.9.0.post0');
    expect(versionOfFile('README.txt', 'x')).toBeUndefined();
  });
});
