import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { ScanResult } from '../../src/model/result.js';
import { type ScanOptions, scan } from '../../src/pipeline/scan.js';
import type { RegistryOptions } from '../../src/registry/resolve.js';
import { fixturePath } from '../helpers.js';
import {
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

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const HALLUCINATED = fixturePath('registry/ecosystems');
const NOW = new Date('2026-06-01T00:00:00.000Z');

let registry: FakeEcosystems;
let home: string;

/** The packages of the example answers and of the hallucination fixture, as their registries describe them. */
function serveKnown(): void {
  serveGoModule(registry, 'golang.org/x/text', [
    { version: 'v0.3.0', time: '2017-12-14T13:08:43Z' },
    { version: 'v0.3.7', time: '2021-08-11T20:36:37Z' },
    { version: 'v0.3.8', time: '2022-09-21T20:11:11Z' },
    { version: 'v0.21.0', time: '2024-12-04T17:52:00Z' },
  ]);
  serveGoModule(registry, 'github.com/gorilla/mux', [{ version: 'v1.8.1', time: '2023-10-18T00:00:00Z' }]);
  serveGoModule(registry, 'github.com/gin-gonic/gin', [
    { version: 'v1.9.1', time: '2023-06-01T00:00:00Z' },
    { version: 'v1.10.0', time: '2024-05-07T00:00:00Z' },
  ]);
  serveGoModule(registry, 'github.com/example/helper', [
    { version: 'v0.1.0', time: '2018-05-01T00:00:00Z' },
    { version: 'v0.0.0-20191109021931-daa7c04131f5', time: '2019-11-09T02:19:31Z', unlisted: true },
  ]);
  serveCrate(registry, 'serde', [{ vers: '1.0.219' }]);
  serveCrate(registry, 'serde_json', [{ vers: '1.0.140', deps: [{ name: 'serde' }] }]);
  serveCrate(registry, 'reqwest', [{ vers: '0.12.15' }]);
  serveCrate(registry, 'time', [
    { vers: '0.1.43' },
    { vers: '0.1.45' },
    { vers: '0.3.36' },
    { vers: '0.3.37', yanked: true },
  ]);
  serveMaven(
    registry,
    'org.apache.logging.log4j:log4j-core',
    [
      { version: '2.0', published: '2014-07-12T10:00:00.000Z' },
      { version: '2.14.1', published: '2021-03-06T10:00:00.000Z' },
      { version: '2.24.3', published: '2024-12-13T10:00:00.000Z' },
    ],
    { release: '2.24.3' },
  );
  serveGem(registry, 'nokogiri', [
    { number: '1.13.3', created_at: '2022-02-22T10:00:00.000Z' },
    { number: '1.13.3', created_at: '2022-02-22T10:05:00.000Z', platform: 'x86_64-linux' },
    { number: '1.18.8', created_at: '2025-04-21T10:00:00.000Z' },
  ]);
  serveGem(registry, 'httparty', [{ number: '0.22.0', created_at: '2024-04-24T10:00:00.000Z' }]);
  serveComposerRoot(registry);
  servePackagist(registry, 'guzzlehttp/guzzle', [
    { version: '7.4.0', time: '2021-10-18T09:52:00+00:00' },
    { version: '7.9.2', time: '2024-07-24T11:22:20+00:00' },
  ]);
  servePackagist(registry, 'old/lib', [
    { version: '1.0.0', time: '2015-01-01T00:00:00+00:00', abandoned: 'new/lib' },
  ]);
  serveNugetIndex(registry);
  serveNuget(registry, 'Newtonsoft.Json', [
    { version: '12.0.1', published: '2018-11-27T10:00:00Z' },
    { version: '13.0.1', published: '2021-03-22T10:00:00Z' },
    { version: '13.0.3', published: '2023-03-08T10:00:00Z' },
  ]);
  serveNuget(registry, 'Some.Lib', [
    { version: '12.0.1', published: '2024-01-01T10:00:00Z' },
    { version: '12.0.2', published: '2024-02-01T10:00:00Z', listed: false },
    { version: '12.0.3', published: '2024-03-01T10:00:00Z' },
  ]);
}

beforeAll(async () => {
  registry = await startFakeEcosystems();
});
afterAll(() => registry.close());
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'vouch-ecosystems-scan-'));
  registry.reset();
  serveKnown();
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function registryOptions(extra: Partial<RegistryOptions> = {}): RegistryOptions {
  return {
    goProxy: registry.goProxy,
    cratesIndex: `sparse+${registry.cratesIndex}`,
    mavenRepository: registry.maven,
    rubygemsSource: registry.rubygems,
    packagistRepository: registry.composer,
    nugetSource: registry.nuget,
    cache: join(home, 'registry.sqlite'),
    // Only the temporary home: no tools on PATH, no configuration of this machine.
    env: { HOME: home, PATH: '' },
    now: NOW,
    http: { retries: 1, backoffMs: 1, timeoutMs: 2000 },
    ...extra,
  };
}

function options(cwd: string, extra: Partial<RegistryOptions> = {}): ScanOptions {
  return { cwd, database: false, registry: registryOptions(extra) };
}

/** The findings, less `undisclosed-risk` (each answer here says nothing about any risk: every finding has one). */
function findingsOf(result: ScanResult): string[] {
  return result.findings
    .filter((f) => f.kind !== 'undisclosed-risk')
    .map(
      (f) => `${f.kind} ${f.name}${f.version ? `@${f.version}` : ''} ${f.location.file}:${f.location.line}`,
    )
    .sort();
}

function uncheckedOf(result: ScanResult): string[] {
  return result.unchecked
    .map((u) => `${u.check} ${u.name}${u.version ? `@${u.version}` : ''}: ${u.reason}`)
    .sort();
}

describe('the example answers against their registries', () => {
  it('Go: the old golang.org/x/text is outdated; the unmatched import is not looked up', async () => {
    const result = await scan(['answers/go-old-text.md'], options(EXAMPLES));
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      'outdated golang.org/x/text@v0.3.7 answers/go-old-text.md:8',
      'undeclared github.com/gorilla/mux answers/go-old-text.md:21',
    ]);
    expect(result.findings.find((f) => f.kind === 'undisclosed-risk')?.message).toMatch(/outdated/);
    expect(result.findings.find((f) => f.kind === 'outdated')?.message).toBe(
      "'golang.org/x/text' v0.3.7 (2021-08-11) is behind the latest v0.21.0 (2024-12-04) by 3.3 years; the 0.3.x line has had no release since 2022-09-21 (v0.3.8): no longer maintained",
    );
    expect(uncheckedOf(result)).toEqual([
      'registry github.com/gorilla/mux: not asked: the package name is guessed from an import, and no manifest or install command in the scan names the package',
    ]);
    expect(registry.requests.map((r) => r.path)).not.toContain('/go/github.com/gorilla/mux/@v/list');
  });

  it('Rust: the crates exist; the `use` of an uninstalled crate is not looked up; no dates, so no age checks', async () => {
    const result = await scan(['answers/rust-answer.md'], options(EXAMPLES));
    expect(findingsOf(result)).toEqual(['undeclared reqwest answers/rust-answer.md:31']);
    expect(registry.requests.map((r) => r.path).sort()).toEqual([
      '/crates/se/rd/serde',
      '/crates/se/rd/serde_json',
      '/crates/ti/me/time',
    ]);
    expect(uncheckedOf(result)).toContain(
      'registry reqwest: not asked: the package name is guessed from an import, and no manifest or install command in the scan names the package',
    );
  });

  it('Java: log4j-core 2.14.1 is outdated by the pom dates; the Java package imports are not looked up', async () => {
    const result = await scan(['answers/java-log4j.md'], options(EXAMPLES));
    expect(findingsOf(result)).toEqual([
      'outdated org.apache.logging.log4j:log4j-core@2.14.1 answers/java-log4j.md:6',
    ]);
    expect(result.findings.find((f) => f.kind === 'outdated')?.message).toMatch(
      /2\.14\.1 \(2021-03-06\) is behind the latest 2\.24\.3 \(2024-12-13\) by 3\.8 years/,
    );
    expect(registry.requests.some((r) => r.path.startsWith('/maven/org/apache/logging/maven-metadata'))).toBe(
      false,
    );
    // The imports are covered by the declared artifact: nothing about them is left unchecked.
    expect(uncheckedOf(result)).toEqual([]);
  });

  it('Ruby: nokogiri 1.13.3 is outdated; the httparty require is a guess and is not looked up', async () => {
    const result = await scan(['answers/ruby-nokogiri.md'], options(EXAMPLES));
    expect(findingsOf(result)).toEqual([
      'outdated nokogiri@1.13.3 answers/ruby-nokogiri.md:6',
      'undeclared httparty answers/ruby-nokogiri.md:14',
    ]);
    expect(registry.requests.map((r) => r.path)).not.toContain('/gems/api/v1/versions/httparty.json');
  });

  it('PHP: guzzle 7.4.0 is outdated', async () => {
    const result = await scan(['answers/php-guzzle.md'], options(EXAMPLES));
    expect(findingsOf(result)).toEqual(['outdated guzzlehttp/guzzle@7.4.0 answers/php-guzzle.md:6']);
    // No list of popular Composer packages: said once for the scan, not hidden.
    expect(result.warnings).toContain(
      'typosquat: Packagist names were not compared with popular ones (Vouch has lists of popular npm and PyPI names only)',
    );
    expect(result.findings.find((f) => f.kind === 'outdated')?.message).toMatch(/by 2\.8 years/);
  });

  it('.NET: Newtonsoft.Json 12.0.1 is a major version and four years behind', async () => {
    const result = await scan(['answers/dotnet-newtonsoft.md'], options(EXAMPLES));
    // Both install commands name the same version: one finding, at the first.
    expect(findingsOf(result)).toEqual(['outdated Newtonsoft.Json@12.0.1 answers/dotnet-newtonsoft.md:6']);
    expect(result.findings.find((f) => f.kind === 'outdated')?.message).toMatch(
      /behind the latest 13\.0\.3 \(2023-03-08\) by 1 major version and 4\.3 years/,
    );
  });
});

describe('hallucinations in the other ecosystems', () => {
  it('flags names and versions the registries do not have, yanked and abandoned ones, and knows pseudo-versions', async () => {
    const result = await scan(['hallucinated.md'], options(HALLUCINATED));
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      'deprecated old/lib@1.0.0 hallucinated.md:43',
      'nonexistent Microsoft.Extensions.SuperCache@8.0.0 hallucinated.md:49',
      'nonexistent com.fasterxml.jackson.core:jackson-databind-extra@2.15.0 hallucinated.md:26',
      'nonexistent github.com/fastjsonx/fastjson-go@v1.0.0 hallucinated.md:7',
      'nonexistent laravel/sanctum-plus hallucinated.md:42',
      'nonexistent rails-auth-helper-pro hallucinated.md:36',
      'nonexistent tokio-async-postgres-pool hallucinated.md:19',
      'unknown-version github.com/gin-gonic/gin@v1.99.0 hallucinated.md:6',
      'yanked Some.Lib@12.0.2 hallucinated.md:50',
      'yanked time@0.3.37 hallucinated.md:20',
    ]);
    expect(result.findings.find((f) => f.kind === 'deprecated')?.message).toBe(
      '\'old/lib\' is deprecated: "abandoned by its maintainers; use new/lib instead"',
    );
    expect(result.findings.find((f) => f.name === 'tokio-async-postgres-pool')?.message).toMatch(
      /does not exist in the crates\.io index \(http:\/\/127\.0\.0\.1:\d+\/crates\/\)/,
    );
    // The pseudo-version go.mod pins is not in the proxy's list of tags, but its .info answers.
    expect(result.findings.filter((f) => f.name === 'github.com/example/helper')).toEqual([]);
    expect(registry.requests.map((r) => r.path)).toContain(
      '/go/github.com/example/helper/@v/v0.0.0-20191109021931-daa7c04131f5.info',
    );
    // No popular lists for these ecosystems: no typosquat check, and nothing said about it.
    expect(result.unchecked.filter((u) => u.check === 'typosquat')).toEqual([]);
  });

  it('makes nothing nonexistent when the registries fail, and says why for each package', async () => {
    registry.downAfter = 0;
    const result = await scan(
      ['hallucinated.md'],
      options(HALLUCINATED, { http: { retries: 0, timeoutMs: 2000 } }),
    );
    expect(result.findings.filter((f) => f.kind === 'nonexistent' || f.kind === 'unknown-version')).toEqual(
      [],
    );
    const unchecked = result.unchecked.filter((u) => u.check === 'registry');
    expect(unchecked.map((u) => u.name).sort()).toEqual([
      'Microsoft.Extensions.SuperCache',
      'Some.Lib',
      'com.fasterxml.jackson.core:jackson-databind-extra',
      'github.com/example/helper',
      'github.com/fastjsonx/fastjson-go',
      'github.com/gin-gonic/gin',
      'laravel/sanctum-plus',
      'old/lib',
      'rails-auth-helper-pro',
      'time',
      'tokio-async-postgres-pool',
    ]);
    for (const u of unchecked) expect(u.reason).toMatch(/HTTP 503|stopped answering/);
  });

  it('keeps a pseudo-version the proxy could not be asked about, and lists it as unchecked', async () => {
    registry.misbehave.set('/go/github.com/example/helper/@v/v0.0.0-20191109021931-daa7c04131f5.info', {
      status: 500,
    });
    const result = await scan(['hallucinated.md'], options(HALLUCINATED));
    expect(result.findings.filter((f) => f.name === 'github.com/example/helper')).toEqual([]);
    expect(uncheckedOf(result)).toContain(
      'unknown-version github.com/example/helper@v0.0.0-20191109021931-daa7c04131f5: HTTP 500 (after 2 attempts)',
    );
  });

  it('without a registry configured, takes each ecosystem’s documented public default (offline here: nothing is sent)', async () => {
    const result = await scan(['hallucinated.md'], {
      cwd: HALLUCINATED,
      database: false,
      registry: { cache: false, env: { HOME: home, PATH: '' }, now: NOW, mode: 'offline' },
    });
    expect(result.findings.filter((f) => f.kind !== 'undeclared')).toEqual([]);
    const reasons = new Set(result.unchecked.filter((u) => u.check === 'registry').map((u) => u.reason));
    expect([...reasons].sort()).toEqual(
      [
        'https://api.nuget.org/v3/index.json',
        'https://index.crates.io/',
        'https://proxy.golang.org/',
        'https://repo.maven.apache.org/maven2/',
        'https://repo.packagist.org/',
        'https://rubygems.org/',
      ].map((url) => `${url}: offline, and the registry cache has no answer for it`),
    );
    expect(registry.requests).toEqual([]);
  });

  it('answers from the cache the second time, and offline', async () => {
    await scan(['hallucinated.md'], options(HALLUCINATED));
    const asked = registry.requests.length;
    const again = await scan(['hallucinated.md'], options(HALLUCINATED, { mode: 'offline' }));
    expect(registry.requests.length).toBe(asked);
    expect(findingsOf(again).filter((f) => f.startsWith('nonexistent'))).toHaveLength(6);
  });
});

describe('the command line', () => {
  async function run(args: string[], env: Record<string, string> = {}) {
    let stdout = '';
    const io: CliIO = {
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: () => {}, isTTY: false },
      env: { HOME: home, PATH: '', VOUCH_CACHE_DIR: join(home, 'cache'), ...env },
      cwd: HALLUCINATED,
      readStdin: async () => '',
    };
    const exit = await main(args, io);
    return { exit, stdout };
  }

  it('takes a registry per ecosystem from flags', async () => {
    const out = await run([
      'scan',
      '--format',
      'json',
      '--no-database',
      '--go-proxy',
      registry.goProxy,
      '--crates-index',
      registry.cratesIndex,
      '--maven-repository',
      registry.maven,
      '--rubygems-source',
      registry.rubygems,
      '--packagist-repository',
      registry.composer,
      '--nuget-source',
      registry.nuget,
      'hallucinated.md',
    ]);
    expect(out.exit).toBe(1);
    const result = JSON.parse(out.stdout) as ScanResult;
    expect(result.findings.filter((f) => f.kind === 'nonexistent')).toHaveLength(6);
  });

  it('`registry config` shows each ecosystem’s registry and where it comes from, never the credentials', async () => {
    const out = await run(['registry', 'config'], {
      GOPROXY: 'https://bob:hunter2@goproxy.example.org,direct',
      GOPRIVATE: 'git.example.org',
    });
    expect(out.stdout).toMatch(/Go proxy: {5}https:\/\/goproxy\.example\.org\/ \(from GOPROXY\)/);
    expect(out.stdout).toMatch(
      /crates\.io: {4}https:\/\/index\.crates\.io\/ \(from Cargo's documented public default\)/,
    );
    expect(out.stdout).not.toMatch(/hunter2|bob/);
  });
});
