import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/core/http.js';
import type { ExistingPackage, PackageFacts } from '../../src/model/registry-facts.js';
import { DEFAULT_LIFETIMES, RegistryCache } from '../../src/registry/cache.js';
import type { ClientContext } from '../../src/registry/client.js';
import { CratesClient, sparseIndexPath } from '../../src/registry/crates.js';
import { GoProxyClient, goEscape, modulePathCandidates } from '../../src/registry/go-proxy.js';
import { MavenClient, mavenCoordinates } from '../../src/registry/maven.js';
import { NugetClient } from '../../src/registry/nuget.js';
import { expandMinified, PackagistClient } from '../../src/registry/packagist.js';
import { RubygemsClient } from '../../src/registry/rubygems.js';
import type { RegistrySources } from '../../src/registry/sources.js';
import type { RegistryClient } from '../../src/registry/types.js';
import { installedToday, majorOf } from '../../src/versions/pick.js';
import { isPrerelease } from '../../src/versions/prerelease.js';
import {
  minify,
  serveComposerRoot,
  serveCrate,
  serveGem,
  serveGoModule,
  serveMaven,
  serveNuget,
  serveNugetIndex,
  servePackagist,
} from './ecosystem-documents.js';
import { type FakeEcosystems, startFakeEcosystems } from './fake-ecosystems.js';

let registry: FakeEcosystems;
let dir: string;
let context: ClientContext;

beforeAll(async () => {
  registry = await startFakeEcosystems();
});
afterAll(() => registry.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-ecosystem-clients-'));
  context = {
    http: new HttpClient({ retries: 1, backoffMs: 1, timeoutMs: 500 }),
    cache: RegistryCache.open(join(dir, 'registry.sqlite'), { create: true })!,
    mode: 'default',
    lifetimes: DEFAULT_LIFETIMES,
    now: () => Date.parse('2026-06-01T00:00:00Z'),
  };
  registry.reset();
});
afterEach(async () => {
  context.cache?.close();
  await context.http.close();
  rmSync(dir, { recursive: true, force: true });
});

function one(url: string, extra: Partial<RegistrySources> = {}): RegistrySources {
  return { sources: [{ url }], origin: 'test', ...extra };
}

function exists(facts: PackageFacts): ExistingPackage {
  if (facts.status !== 'exists')
    throw new Error(`expected the package to exist, got ${JSON.stringify(facts)}`);
  return facts;
}

function published(facts: ExistingPackage): Record<string, string | undefined> {
  return Object.fromEntries(Object.values(facts.versions ?? {}).map((v) => [v.version, v.published]));
}

describe('Maven repository client', () => {
  const LOG4J = 'org.apache.logging.log4j:log4j-core';
  const versions = [
    { version: '2.0', published: '2014-07-12T10:00:00.000Z' },
    { version: '2.14.1', published: '2021-03-06T10:00:00.000Z' },
    { version: '2.25.0-beta1', published: '2025-01-10T10:00:00.000Z' },
    { version: '2.24.3', published: '2024-12-13T10:00:00.000Z' },
  ];

  it('reads versions from maven-metadata.xml and dates the lowest and the release from their poms', async () => {
    serveMaven(registry, LOG4J, versions, { release: '2.24.3' });
    const client = new MavenClient(one(registry.maven), context);
    const facts = exists((await client.facts(LOG4J)).facts);
    expect(Object.keys(facts.versions!)).toEqual(['2.0', '2.14.1', '2.25.0-beta1', '2.24.3']);
    expect(facts.latest).toBe('2.24.3');
    expect(published(facts)).toEqual({
      '2.0': '2014-07-12T10:00:00.000Z',
      '2.14.1': undefined,
      '2.25.0-beta1': undefined,
      '2.24.3': '2024-12-13T10:00:00.000Z',
    });
    expect(facts.created).toBe('2014-07-12T10:00:00.000Z');
    expect(facts.datesTrusted).toBe(true);
    expect(registry.requests.map((r) => r.path)).toContain(
      '/maven/org/apache/logging/log4j/log4j-core/maven-metadata.xml',
    );
  });

  it('dates any other version from its pom, and finds one the metadata does not list yet', async () => {
    serveMaven(registry, LOG4J, versions, {
      unlisted: [{ version: '2.24.4', published: '2025-06-01T10:00:00.000Z' }],
    });
    const client = new MavenClient(one(registry.maven), context);
    expect(await client.version(LOG4J, '2.14.1')).toEqual({
      status: 'found',
      facts: { version: '2.14.1', published: '2021-03-06T10:00:00.000Z' },
    });
    expect(await client.version(LOG4J, '2.24.4')).toMatchObject({ status: 'found' });
    expect(await client.version(LOG4J, '2.99.0')).toEqual({ status: 'missing' });
    // A property nobody resolved is not a version to look up: no request is made for it.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Maven property, as a pom writes it
    expect((await client.version(LOG4J, '${log4j.version}')).status).toBe('unchecked');
  });

  it('does not trust poms all stamped the same second (a mirror copying them)', async () => {
    serveMaven(registry, 'org.example:copied', [
      { version: '1.0', published: '2026-05-30T10:00:00.000Z' },
      { version: '2.0', published: '2026-05-30T10:00:00.000Z' },
    ]);
    const facts = exists(
      (await new MavenClient(one(registry.maven), context).facts('org.example:copied')).facts,
    );
    expect(facts.datesTrusted).toBe(false);
  });

  it('answers not-found for a 404, and never for anything that is not a coordinate', async () => {
    const client = new MavenClient(one(registry.maven), context);
    expect((await client.facts('org.example:made-up-artifact')).facts).toMatchObject({
      status: 'missing',
      why: 'not-found',
    });
    expect((await client.facts('org.apache.logging')).facts).toMatchObject({
      status: 'unchecked',
      reason: "'org.apache.logging' is not a groupId:artifactId coordinate",
    });
    expect(mavenCoordinates('g:a:1.0')).toBeUndefined();
  });

  it('reads an HTML page or broken XML as an unusable answer, not as a package', async () => {
    registry.misbehave.set('/maven/org/example/html/maven-metadata.xml', {
      body: '<!DOCTYPE html><html><body>Welcome</body></html>',
      contentType: 'text/html',
    });
    registry.misbehave.set('/maven/org/example/broken/maven-metadata.xml', {
      body: '<metadata><versioning><versions><version>1.0',
      contentType: 'application/xml',
    });
    const client = new MavenClient(one(registry.maven), context);
    expect((await client.facts('org.example:html')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/not maven-metadata\.xml/),
    });
    expect((await client.facts('org.example:broken')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/not maven-metadata\.xml \(invalid XML/),
    });
  });
});

describe('Go module proxy client', () => {
  it('case-encodes module paths and versions as the protocol requires', () => {
    expect(goEscape('github.com/Azure/azure-sdk-for-go')).toBe('github.com/!azure/azure-sdk-for-go');
    expect(goEscape('v1.0.0-RC1')).toBe('v1.0.0-!r!c1');
    expect(modulePathCandidates('golang.org/x/text/language')).toEqual([
      'golang.org/x/text/language',
      'golang.org/x/text',
      'golang.org/x',
    ]);
  });

  it('lists tagged versions, takes the highest release as latest and dates it with the lowest ones', async () => {
    serveGoModule(registry, 'github.com/BurntSushi/toml', [
      { version: 'v0.1.0', time: '2014-01-01T00:00:00Z' },
      { version: 'v0.2.0', time: '2016-01-01T00:00:00Z' },
      { version: 'v0.3.0', time: '2017-01-01T00:00:00Z' },
      { version: 'v0.3.1', time: '2018-01-01T00:00:00Z' },
      { version: 'v1.4.0', time: '2024-06-01T00:00:00Z' },
      { version: 'v1.5.0-rc1', time: '2025-01-01T00:00:00Z' },
    ]);
    const client = new GoProxyClient({ ...one(registry.goProxy), private: [] }, context);
    const facts = exists((await client.facts('github.com/BurntSushi/toml')).facts);
    expect(registry.requests[0]!.path).toBe('/go/github.com/!burnt!sushi/toml/@v/list');
    expect(facts.latest).toBe('v1.4.0');
    expect(facts.created).toBe('2014-01-01T00:00:00.000Z');
    expect(facts.datesTrusted).toBe(true);
    expect(published(facts)['v1.4.0']).toBe('2024-06-01T00:00:00.000Z');
    expect(published(facts)['v0.3.1']).toBeUndefined();
    expect(await client.version('github.com/BurntSushi/toml', 'v0.3.1')).toEqual({
      status: 'found',
      facts: { version: 'v0.3.1', published: '2018-01-01T00:00:00.000Z' },
    });
  });

  it('answers a package path with the module that contains it, and a 410 as not found', async () => {
    serveGoModule(registry, 'golang.org/x/text', [{ version: 'v0.3.7', time: '2021-08-11T00:00:00Z' }]);
    registry.missingStatus.set('/go/golang.org/x/text/language/@v/list', 410);
    registry.missingStatus.set('/go/github.com/made-up/thing/@v/list', 410);
    const client = new GoProxyClient({ ...one(registry.goProxy), private: [] }, context);
    const facts = exists((await client.facts('golang.org/x/text/language')).facts);
    expect(facts.name).toBe('golang.org/x/text');
    expect((await client.facts('github.com/made-up/thing')).facts).toMatchObject({
      status: 'missing',
      why: 'not-found',
    });
  });

  it('knows a pseudo-version the list leaves out from its .info, and an unknown one from the 404', async () => {
    serveGoModule(registry, 'github.com/example/untagged', [
      { version: 'v0.0.0-20191109021931-daa7c04131f5', time: '2019-11-09T02:19:31Z', unlisted: true },
    ]);
    const client = new GoProxyClient({ ...one(registry.goProxy), private: [] }, context);
    const facts = exists((await client.facts('github.com/example/untagged')).facts);
    // No tags: the proxy's @latest names the pseudo-version.
    expect(facts.latest).toBe('v0.0.0-20191109021931-daa7c04131f5');
    expect(
      await client.version('github.com/example/untagged', 'v0.0.0-20191109021931-daa7c04131f5'),
    ).toMatchObject({ status: 'found', facts: { published: '2019-11-09T02:19:31.000Z' } });
    expect(await client.version('github.com/example/untagged', 'v1.0.0')).toEqual({ status: 'missing' });
  });

  it('leaves private modules to the go command, and reads an HTML page as unusable', async () => {
    const client = new GoProxyClient({ ...one(registry.goProxy), private: ['*.corp.example.org'] }, context);
    expect((await client.facts('git.corp.example.org/team/lib')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/GOPRIVATE/),
    });
    expect(registry.requests).toEqual([]);
    registry.misbehave.set('/go/github.com/example/portal/@v/list', {
      body: '<html>login</html>',
      contentType: 'text/html',
    });
    expect((await client.facts('github.com/example/portal')).facts).toMatchObject({ status: 'unchecked' });
  });
});

describe('crates.io sparse index client', () => {
  it('names index files by the 1/2/3/ab/cd rules', () => {
    expect(['a', 'ab', 'abc', 'Serde', 'serde_json'].map(sparseIndexPath)).toEqual([
      '1/a',
      '2/ab',
      '3/a/abc',
      'se/rd/serde',
      'se/rd/serde_json',
    ]);
  });

  it('reads versions, yanked releases and run-time dependencies; latest skips yanked and pre-releases', async () => {
    serveCrate(registry, 'time', [
      { vers: '0.1.43' },
      { vers: '0.1.45' },
      {
        vers: '0.3.36',
        deps: [{ name: 'serde', optional: true }, { name: 'deranged' }, { name: 'quickcheck', kind: 'dev' }],
      },
      { vers: '0.3.37', yanked: true },
      { vers: '0.4.0-alpha.1' },
    ]);
    const facts = exists((await new CratesClient(one(registry.cratesIndex), context).facts('time')).facts);
    expect(facts.latest).toBe('0.3.36');
    expect(facts.versions!['0.3.37']!.yanked).toBe(true);
    expect(facts.versions!['0.3.36']!.dependencies).toEqual(['deranged']);
    expect(facts.datesTrusted).toBe(false);
    expect(facts.trimmed).toEqual(['publish dates', 'description', 'repository']);
    expect(installedToday(facts, undefined)?.version).toBe('0.3.36');
  });

  it('tries the other separator before calling a crate missing; 404 and 451 are not found', async () => {
    serveCrate(registry, 'serde_json', [{ vers: '1.0.140' }]);
    registry.missingStatus.set('/crates/ma/de/made-up-crate', 451);
    const client = new CratesClient(one(registry.cratesIndex), context);
    expect(exists((await client.facts('serde-json')).facts).name).toBe('serde_json');
    expect((await client.facts('made-up-crate')).facts).toMatchObject({ status: 'missing' });
  });

  it('reads a broken line as an unusable answer', async () => {
    registry.misbehave.set('/crates/br/ok/broken', {
      body: '{"name":"broken","vers":"1.0.0"}\n{"name":"bro',
      contentType: 'text/plain',
    });
    expect((await new CratesClient(one(registry.cratesIndex), context).facts('broken')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/line 2 is not JSON/),
    });
  });
});

describe('RubyGems client', () => {
  it('merges platform builds, takes the first upload as the publish date and the highest release as latest', async () => {
    serveGem(registry, 'nokogiri', [
      { number: '1.13.3', created_at: '2022-02-22T10:00:00.000Z' },
      { number: '1.13.3', created_at: '2022-02-22T09:00:00.000Z', platform: 'x86_64-linux' },
      {
        number: '1.18.8',
        created_at: '2025-04-21T10:00:00.000Z',
        summary: 'HTML, XML, SAX, and Reader parser',
      },
      { number: '1.19.0.rc1', created_at: '2025-05-20T10:00:00.000Z' },
    ]);
    const facts = exists((await new RubygemsClient(one(registry.rubygems), context).facts('nokogiri')).facts);
    expect(published(facts)['1.13.3']).toBe('2022-02-22T09:00:00.000Z');
    expect(facts.latest).toBe('1.18.8');
    expect(facts.description).toBe('The nokogiri gem');
    expect(facts.created).toBe('2022-02-22T09:00:00.000Z');
    expect(facts.datesTrusted).toBe(true);
  });

  it('confirms a 404 of the versions API with the compact index before calling a gem missing', async () => {
    serveGem(
      registry,
      'mirrored',
      [{ number: '2.0.0', created_at: '2020-01-01T00:00:00Z', platform: 'java' }],
      {
        compactOnly: true,
      },
    );
    const client = new RubygemsClient(one(registry.rubygems), context);
    const facts = exists((await client.facts('mirrored')).facts);
    expect(Object.keys(facts.versions!)).toEqual(['2.0.0']);
    expect(facts.datesTrusted).toBe(false);
    expect((await client.facts('made-up-gem')).facts).toMatchObject({ status: 'missing', why: 'not-found' });
    expect(registry.requests.map((r) => r.path).slice(-2)).toEqual([
      '/gems/api/v1/versions/made-up-gem.json',
      '/gems/info/made-up-gem',
    ]);
  });

  it("reads each version's requirements from the compact index, the plain-Ruby line's over a platform's", async () => {
    registry.files.set('/gems/info/rails-ish', {
      contentType: 'text/plain',
      body: [
        '---',
        '1.0.0 rack:>= 2.0&< 4,thor:~> 1.0|checksum:00,ruby:>= 2.7',
        '1.0.0-java rack:>= 1.0|checksum:00',
        '1.1.0 |checksum:00',
        '1.2.0 :nameless,rack|checksum:00',
        '',
      ].join('\n'),
    });
    const client = new RubygemsClient(one(registry.rubygems), context);
    expect(await client.requirements('rails-ish')).toEqual({
      '1.0.0': { rack: '>= 2.0, < 4', thor: '~> 1.0' },
      '1.1.0': {},
      // A broken entry names nothing rather than something it does not say.
      '1.2.0': {},
    });
    expect(await client.requirements('made-up-gem')).toBeUndefined();
  });
});

describe('Composer repository client', () => {
  it("expands Composer's minified metadata, `__unset` included", () => {
    const full = [
      { name: 'a/b', version: '2.0.0', abandoned: 'c/d', time: '2024-01-01' },
      { name: 'a/b', version: '1.0.0', time: '2020-01-01' },
    ];
    expect(minify(full)[1]).toEqual({ version: '1.0.0', time: '2020-01-01', abandoned: '__unset' });
    expect(expandMinified(minify(full))).toEqual(full);
  });

  it('finds the metadata through packages.json and reads versions, times and abandonment', async () => {
    serveComposerRoot(registry);
    servePackagist(registry, 'guzzlehttp/guzzle', [
      {
        version: '7.4.0',
        time: '2021-10-18T09:52:00+00:00',
        require: { php: '^7.2', 'psr/http-client': '^1.0' },
      },
      { version: '7.9.2', time: '2024-07-24T11:22:20+00:00' },
      { version: '8.0.0-beta1', time: '2025-02-01T00:00:00+00:00' },
    ]);
    servePackagist(registry, 'old/lib', [
      { version: 'v1.0.0', time: '2015-01-01T00:00:00+00:00', abandoned: 'new/lib' },
    ]);
    const client = new PackagistClient(one(registry.composer), context);
    const facts = exists((await client.facts('guzzlehttp/guzzle')).facts);
    expect(facts.latest).toBe('7.9.2');
    expect(published(facts)['7.4.0']).toBe('2021-10-18T09:52:00.000Z');
    expect(facts.versions!['7.4.0']!.dependencies).toEqual(['psr/http-client']);
    // Each release's constraints, platform requirements left out: which release lets a fixed version in.
    expect(facts.versions!['7.4.0']!.requires).toEqual({ 'psr/http-client': '^1.0' });
    expect(facts.versions!['7.9.2']!.requires).toEqual({});
    expect(facts.repository).toBe('https://git.example.org/guzzlehttp/guzzle.git');
    const old = exists((await client.facts('Old/Lib')).facts);
    expect(old.versions!['v1.0.0']!.deprecated).toBe('abandoned by its maintainers; use new/lib instead');
    expect((await client.facts('made-up/package')).facts).toMatchObject({ status: 'missing' });
    // packages.json is read once per scan.
    expect(registry.requests.filter((r) => r.path === '/composer/packages.json')).toHaveLength(1);
  });

  it('does not guess where metadata lives: a repository without metadata-url is not asked', async () => {
    registry.files.set('/composer/packages.json', { body: JSON.stringify({ packages: {} }) });
    expect((await new PackagistClient(one(registry.composer), context).facts('a/b')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/no Composer 2 metadata/),
    });
  });

  it('calls nothing missing when Composer would also ask a repository Vouch does not know', async () => {
    serveComposerRoot(registry);
    const client = new PackagistClient(
      one(registry.composer, { inconclusive: 'Composer would also ask its default repository' }),
      context,
    );
    expect((await client.facts('private/only')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/not found in the registry configured, but Composer would also ask/),
    });
  });
});

describe('NuGet v3 client', () => {
  const JSON_NET = [
    { version: '12.0.1', published: '2018-11-27T10:00:00Z' },
    { version: '12.0.2', published: '2019-04-22T10:00:00Z', listed: false },
    { version: '13.0.1', published: '2021-03-22T10:00:00Z' },
    { version: '13.0.3', published: '2023-03-08T10:00:00Z', dependencies: ['System.Runtime'] },
    { version: '14.0.0-beta1', published: '2025-01-01T10:00:00Z' },
  ];

  it('reads versions from the flat container and dates, listing and dependencies from the gzip registration', async () => {
    serveNugetIndex(registry);
    serveNuget(registry, 'Newtonsoft.Json', JSON_NET);
    const client = new NugetClient(one(registry.nuget), context);
    const facts = exists((await client.facts('Newtonsoft.Json')).facts);
    expect(Object.keys(facts.versions!)).toEqual(['12.0.1', '12.0.2', '13.0.1', '13.0.3', '14.0.0-beta1']);
    expect(facts.latest).toBe('13.0.3');
    expect(facts.versions!['12.0.2']).toMatchObject({
      yanked: true,
      yankedReason: expect.stringMatching(/unlisted/),
    });
    expect(published(facts)['12.0.2']).toBeUndefined();
    expect(published(facts)['12.0.1']).toBe('2018-11-27T10:00:00.000Z');
    expect(facts.versions!['13.0.3']!.dependencies).toEqual(['System.Runtime']);
    expect(facts.versions!['13.0.3']!.requires).toEqual({ 'System.Runtime': '[1.0.0, )' });
    expect(facts.created).toBe('2018-11-27T10:00:00.000Z');
    expect(facts.datesTrusted).toBe(true);
    expect(registry.requests.map((r) => r.path)).toEqual([
      '/nuget/v3/index.json',
      '/nuget/flat/newtonsoft.json/index.json',
      '/nuget/reg/newtonsoft.json/index.json',
    ]);
  });

  it('fetches registration pages that are not inlined, and shows deprecations', async () => {
    serveNugetIndex(registry);
    serveNuget(
      registry,
      'Old.Package',
      [
        {
          version: '1.0.0',
          published: '2016-01-01T00:00:00Z',
          deprecation: { reasons: ['Legacy'], alternatePackage: { id: 'New.Package', range: '[2.0.0, )' } },
        },
      ],
      { pagesInline: false },
    );
    const facts = exists((await new NugetClient(one(registry.nuget), context).facts('old.package')).facts);
    expect(facts.versions!['1.0.0']!.deprecated).toBe('Legacy; use New.Package instead');
  });

  it('keeps versions when the registration fails, without dates; a missing service index is not a missing package', async () => {
    serveNugetIndex(registry);
    serveNuget(registry, 'Some.Lib', [{ version: '1.0.0', published: '2020-01-01T00:00:00Z' }]);
    registry.misbehave.set('/nuget/reg/some.lib/index.json', { status: 500 });
    const client = new NugetClient(one(registry.nuget), context);
    const facts = exists((await client.facts('Some.Lib')).facts);
    expect(facts.datesTrusted).toBe(false);
    expect(facts.trimmed).toContain('publish dates');
    expect((await client.facts('Made.Up.Package')).facts).toMatchObject({ status: 'missing' });

    registry.reset();
    const lost = new NugetClient(one(`${registry.url}nowhere/v3/index.json`), context);
    expect((await lost.facts('Newtonsoft.Json')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/service index is not there/),
    });
  });
});

describe('several sources', () => {
  it('finds a package in any of them, and calls it missing only when all of them say so', async () => {
    serveNugetIndex(registry);
    serveNuget(registry, 'Only.Here', [{ version: '1.0.0', published: '2020-01-01T00:00:00Z' }]);
    const sources: RegistrySources = {
      sources: [{ url: `${registry.url}other/v3/index.json` }, { url: registry.nuget }],
    };
    registry.files.set('/other/v3/index.json', {
      body: JSON.stringify({
        resources: [{ '@id': `${registry.url}other/flat/`, '@type': 'PackageBaseAddress/3.0.0' }],
      }),
    });
    const client = new NugetClient(sources, context);
    expect((await client.facts('Only.Here')).facts.status).toBe('exists');
    expect((await client.facts('Nowhere.At.All')).facts).toMatchObject({ status: 'missing' });
    registry.misbehave.set('/other/flat/else.where/index.json', { status: 500 });
    expect((await client.facts('Else.Where')).facts).toMatchObject({
      status: 'unchecked',
      reason: expect.stringMatching(/other\/v3\/index\.json: HTTP 500/),
    });
  });
});

describe('no false nonexistent, whatever the registry does', () => {
  interface Case {
    client: () => RegistryClient;
    name: string;
    path: string;
    /** A well-formed 200 that is about something else (or about nothing). */
    foreign: string;
  }
  const cases: Record<string, Case> = {
    Maven: {
      client: () => new MavenClient(one(registry.maven), context),
      name: 'org.example:lib',
      path: '/maven/org/example/lib/maven-metadata.xml',
      foreign:
        '<metadata><groupId>org.other</groupId><artifactId>thing</artifactId><versioning><versions><version>1.0</version></versions></versioning></metadata>',
    },
    Go: {
      client: () => new GoProxyClient({ ...one(registry.goProxy), private: [] }, context),
      name: 'github.com/example/lib',
      path: '/go/github.com/example/lib/@v/list',
      foreign: '{"status":"ok"}',
    },
    'crates.io': {
      client: () => new CratesClient(one(registry.cratesIndex), context),
      name: 'somelib',
      path: '/crates/so/me/somelib',
      foreign: '{"name":"otherlib","vers":"1.0.0","deps":[],"cksum":"00","features":{},"yanked":false}\n',
    },
    RubyGems: {
      client: () => new RubygemsClient(one(registry.rubygems), context),
      name: 'somelib',
      path: '/gems/api/v1/versions/somelib.json',
      foreign: '{"status":"ok"}',
    },
    Packagist: {
      client: () => new PackagistClient(one(registry.composer), context),
      name: 'example/lib',
      path: '/composer/p2/example/lib.json',
      foreign: JSON.stringify({ packages: { 'other/thing': [{ name: 'other/thing', version: '1.0.0' }] } }),
    },
    NuGet: {
      client: () => new NugetClient(one(registry.nuget), context),
      name: 'Example.Lib',
      path: '/nuget/flat/example.lib/index.json',
      foreign: '{"status":"ok"}',
    },
  };
  const troubles = {
    'HTTP 500': { status: 500 },
    'HTTP 429 asking to wait an hour': { status: 429, retryAfter: '3600' },
    'HTTP 403': { status: 403 },
    'a timeout': { delayMs: 1500 },
    'a truncated answer': { truncate: true as const },
    'an invalid body': { invalidJson: true as const },
  };

  for (const [ecosystem, c] of Object.entries(cases))
    for (const [what, trouble] of Object.entries({
      ...troubles,
      "a captive portal's HTML page": { body: '<html><body>Sign in</body></html>', contentType: 'text/html' },
      'a document about another package, or none': { body: c.foreign },
    }))
      it(`${ecosystem}: ${what} is unchecked with the reason`, async () => {
        serveComposerRoot(registry);
        serveNugetIndex(registry);
        registry.misbehave.set(c.path, trouble);
        const answer = await c.client().facts(c.name);
        expect(answer.facts.status).toBe('unchecked');
        expect(answer.facts.status === 'unchecked' && answer.facts.reason).toMatch(
          /HTTP 500|rate limited|access denied|timed out|connection reset|invalid|not |line 1|another/,
        );
      });

  it('retries a 429 with Retry-After and uses the answer that follows', async () => {
    serveCrate(registry, 'serde', [{ vers: '1.0.219' }]);
    registry.misbehave.set('/crates/se/rd/serde', { status: 429, retryAfter: '0', times: 1 });
    const facts = exists((await new CratesClient(one(registry.cratesIndex), context).facts('serde')).facts);
    expect(facts.latest).toBe('1.0.219');
    expect(registry.requests.filter((r) => r.path === '/crates/se/rd/serde')).toHaveLength(2);
  });
});

describe('versions of the other ecosystems', () => {
  it('tells pre-releases and majors by each ecosystem’s rules', () => {
    expect(isPrerelease('Go', 'v0.0.0-20191109021931-daa7c04131f5')).toBe(true);
    expect(isPrerelease('Go', 'v1.2.3+incompatible')).toBe(false);
    expect(isPrerelease('RubyGems', '1.19.0.rc1')).toBe(true);
    expect(isPrerelease('Maven', '2.0.0-M1')).toBe(true);
    expect(isPrerelease('Maven', '5.3.39.RELEASE')).toBe(false);
    expect(isPrerelease('Maven', '33.4.0-jre')).toBe(false);
    expect(isPrerelease('Maven', '1.0-SNAPSHOT')).toBe(true);
    expect(isPrerelease('Packagist', 'v8.0.0-beta1')).toBe(true);
    expect(isPrerelease('Packagist', '7.9.2')).toBe(false);
    expect(isPrerelease('NuGet', '14.0.0-beta1')).toBe(true);
    expect(majorOf('Go', 'v0.21.0')).toBe(0);
    expect(majorOf('NuGet', '13.0.3')).toBe(13);
    expect(majorOf('Maven', '20231013')).toBeUndefined();
  });
});
