import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  composerSources,
  cratesSources,
  goSources,
  matchesGoPrivate,
  mavenSources,
  NO_COMPOSER_REPOSITORY,
  nugetServiceIndex,
  nugetSources,
  PUBLIC_DEFAULTS,
  rubygemsDefaultSource,
  rubygemsSources,
} from '../../src/registry/sources.js';
import { scanTrust } from '../../src/registry/trust.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vouch-sources-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string | Buffer): string {
  const abs = join(root, path);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return abs;
}

/** An environment that sees only files under the temporary root: no tools on PATH, no user settings. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: join(root, 'home'), PATH: '', XDG_CONFIG_HOME: join(root, 'home/.config'), ...extra };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A zip with stored (uncompressed) entries, as a jar may be. */
function storedZip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An executable `name` in `<prefix>/bin`, reached through a symlink in `onPath` as package managers install them. */
function installTool(prefix: string, name: string, onPath: string): void {
  const real = write(`${prefix}/bin/${name}`, '#!/bin/sh\n');
  chmodSync(real, 0o755);
  mkdirSync(join(root, onPath), { recursive: true });
  symlinkSync(real, join(root, onPath, name));
}

describe('Maven repository', () => {
  const SETTINGS = `<settings>
  <servers>
    <server><id>corp</id><username>ci</username><password>s3cret</password></server>
    <server><id>locked</id><username>ci</username><password>{COQLCE6DU6GtcS5P=}</password></server>
  </servers>
  <mirrors>
    <mirror><id>not-central</id><mirrorOf>*,!central</mirrorOf><url>https://skip.example.org/maven</url></mirror>
    <mirror><id>corp</id><mirrorOf>central</mirrorOf><url>https://maven.example.org/repository/central</url></mirror>
  </mirrors>
</settings>`;

  it('takes the mirror of central from settings.xml, with its server credentials', async () => {
    write('home/.m2/settings.xml', SETTINGS);
    const config = await mavenSources(env());
    expect(config.sources).toEqual([
      { url: 'https://maven.example.org/repository/central/', auth: basic('ci', 's3cret') },
    ]);
    expect(config.origin).toBe(join(root, 'home/.m2/settings.xml'));
  });

  it('sends no encrypted password it cannot read', async () => {
    write('home/.m2/settings.xml', SETTINGS.replace('<id>corp</id><mirrorOf>', '<id>locked</id><mirrorOf>'));
    expect((await mavenSources(env())).sources).toEqual([
      { url: 'https://maven.example.org/repository/central/' },
    ]);
  });

  it('else takes central from the super POM of the Maven found on PATH, and else says how to name one', async () => {
    write(
      'opt/maven/lib/maven-model-builder-3.9.9.jar',
      storedZip({
        'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n',
        'org/apache/maven/model/pom-4.0.0.xml':
          '<project><repositories><repository><id>central</id><url>https://repo.example.org/maven2</url></repository></repositories></project>',
      }),
    );
    installTool('opt/maven', 'mvn', 'usr/bin');
    const config = await mavenSources(env({ PATH: join(root, 'usr/bin') }));
    expect(config.sources).toEqual([{ url: 'https://repo.example.org/maven2/' }]);
    expect(config.origin).toBe(`Maven's built-in default (${join(root, 'opt/maven')})`);
    expect(await mavenSources(env())).toEqual({
      sources: [{ url: PUBLIC_DEFAULTS.maven }],
      origin: "Maven's documented public default",
    });
  });
});

describe('Go module proxy', () => {
  it('takes GOPROXY up to direct, with its private patterns', () => {
    const config = goSources(
      env({
        GOPROXY: 'https://goproxy.example.org,https://second.example.org|direct',
        GOPRIVATE: '*.corp.example.org',
      }),
    );
    expect(config.sources.map((s) => s.url)).toEqual([
      'https://goproxy.example.org/',
      'https://second.example.org/',
    ]);
    expect(config.origin).toBe('GOPROXY');
    expect(config.private).toEqual(['*.corp.example.org']);
    expect(goSources(env({ GOPROXY: 'direct' })).reason).toMatch(/names no proxy Vouch can ask/);
    expect(goSources(env({ GOPROXY: 'off' })).sources).toEqual([]);
  });

  it('reads `go env -w` settings, then the installed Go’s go.env', () => {
    write('home/.config/go/env', 'GOPRIVATE=git.example.org/team\n');
    write('go/go.env', '# defaults\nGOPROXY=https://proxy.example.org,direct\nGOSUMDB=sum.example.org\n');
    installTool('go', 'go', 'usr/local/bin');
    const config = goSources(env({ PATH: join(root, 'usr/local/bin') }));
    expect(config.sources).toEqual([{ url: 'https://proxy.example.org/' }]);
    expect(config.origin).toBe(`Go's built-in default (${join(root, 'go/go.env')})`);
    expect(config.private).toEqual(['git.example.org/team']);
    write('home/.config/go/env', 'GOPROXY=https://user-set.example.org\n');
    expect(goSources(env({ PATH: join(root, 'usr/local/bin') })).sources[0]!.url).toBe(
      'https://user-set.example.org/',
    );
    rmSync(join(root, 'home/.config/go/env'));
    expect(goSources(env())).toEqual({
      sources: [{ url: PUBLIC_DEFAULTS.go }],
      private: [],
      origin: "Go's documented public default",
    });
  });

  it('matches GOPRIVATE patterns against path prefixes by glob rules', () => {
    expect(matchesGoPrivate(['*.corp.example.org'], 'git.corp.example.org/a/b')).toBe(true);
    expect(matchesGoPrivate(['github.com/acme'], 'github.com/acme/tool/v2')).toBe(true);
    expect(matchesGoPrivate(['github.com/acme'], 'github.com/acmeco/tool')).toBe(false);
    expect(matchesGoPrivate(['github.com/*/internal'], 'github.com/x/internal/y')).toBe(true);
    expect(matchesGoPrivate([], 'github.com/x/y')).toBe(false);
  });
});

describe('crates.io index', () => {
  it("follows [source.crates-io] replace-with to a sparse registry, nearer files first; the registry's token only where the user points it", async () => {
    write(
      'home/.cargo/config.toml',
      '[source.crates-io]\nreplace-with = "far"\n[source.far]\nregistry = "sparse+https://far.example.org/index/"\n',
    );
    write(
      'project/.cargo/config.toml',
      '[source.crates-io]\nreplace-with = "mirror"\n[source.mirror]\nreplace-with = "corp"\n[registries.corp]\nindex = "sparse+https://crates.example.org/api/v1/crates"\n',
    );
    mkdirSync(join(root, 'project/src'), { recursive: true });
    const withToken = env({ CARGO_REGISTRIES_CORP_TOKEN: 'tok' });
    const config = await cratesSources(join(root, 'project/src'), withToken);
    // The project's file named the index of 'corp': the user's token for 'corp' is not sent there.
    expect(config.sources).toEqual([{ url: 'https://crates.example.org/api/v1/crates/' }]);
    expect(config.origin).toBe(join(root, 'project/.cargo/config.toml'));
    expect(config.ignored).toEqual([
      expect.stringMatching(
        /points registry 'corp' at https:\/\/crates\.example\.org.*--trust-project-config/,
      ),
    ]);
    const trusted = await cratesSources(
      join(root, 'project/src'),
      withToken,
      scanTrust(join(root, 'project/src'), withToken, [], true),
    );
    expect(trusted.sources).toEqual([{ url: 'https://crates.example.org/api/v1/crates/', auth: 'tok' }]);
    // The user's own configuration naming the same index for 'corp' lets the token go there.
    write(
      'home/.cargo/config.toml',
      '[registries.corp]\nindex = "sparse+https://crates.example.org/api/v1/crates"\n',
    );
    const agreed = await cratesSources(join(root, 'project/src'), withToken);
    expect(agreed.sources).toEqual([{ url: 'https://crates.example.org/api/v1/crates/', auth: 'tok' }]);
    write(
      'home/.cargo/config.toml',
      '[source.crates-io]\nreplace-with = "far"\n[source.far]\nregistry = "sparse+https://far.example.org/index/"\n',
    );
    const far = await cratesSources(root, env());
    expect(far.sources).toEqual([{ url: 'https://far.example.org/index/' }]);
  });

  it('takes the index from CARGO_REGISTRIES_<NAME>_INDEX, and says why git indexes and vendored sources are not read', async () => {
    write('home/.cargo/config.toml', '[source.crates-io]\nreplace-with = "my-mirror"\n');
    expect(
      (
        await cratesSources(
          root,
          env({ CARGO_REGISTRIES_MY_MIRROR_INDEX: 'sparse+https://env.example.org/' }),
        )
      ).sources,
    ).toEqual([{ url: 'https://env.example.org/' }]);
    expect(
      (
        await cratesSources(
          root,
          env({ CARGO_REGISTRIES_MY_MIRROR_INDEX: 'https://git.example.org/index.git' }),
        )
      ).reason,
    ).toMatch(/git index, which Vouch does not read/);
    write(
      'home/.cargo/config.toml',
      '[source.crates-io]\nreplace-with = "vendored"\n[source.vendored]\ndirectory = "vendor"\n',
    );
    expect((await cratesSources(root, env())).reason).toMatch(/vendored sources/);
    rmSync(join(root, 'home/.cargo'), { recursive: true });
    expect(await cratesSources(root, env())).toEqual({
      sources: [{ url: 'https://index.crates.io/' }],
      origin: "Cargo's documented public default",
    });
  });
});

describe('RubyGems source', () => {
  it('takes :sources: from the gemrc', async () => {
    write(
      'home/.gemrc',
      '---\n:backtrace: false\n:sources:\n- https://gems.example.org/\n- https://other.example.org\n',
    );
    const config = await rubygemsSources(env());
    expect(config.sources).toEqual([
      { url: 'https://gems.example.org/' },
      { url: 'https://other.example.org/' },
    ]);
    expect(config.origin).toBe(join(root, 'home/.gemrc'));
  });

  it('else reads Gem.default_sources from the installed RubyGems, newest Ruby first', async () => {
    write(
      'ruby/lib/ruby/3.3.0/rubygems/defaults.rb',
      'module Gem\n  def self.default_sources\n    %w[https://gems.example.org/]\n  end\nend\n',
    );
    write(
      'ruby/lib/ruby/2.7.0/rubygems/defaults.rb',
      'module Gem\n  def self.default_sources\n    %w[https://old.example.org/]\n  end\nend\n',
    );
    installTool('ruby', 'ruby', 'usr/bin');
    const config = await rubygemsSources(env({ PATH: join(root, 'usr/bin') }));
    expect(config.sources).toEqual([{ url: 'https://gems.example.org/' }]);
    expect(config.origin).toMatch(/RubyGems' built-in default .*3\.3\.0/);
    expect(await rubygemsSources(env())).toEqual({
      sources: [{ url: PUBLIC_DEFAULTS.rubygems }],
      origin: "RubyGems' documented public default",
    });
    expect(
      await rubygemsDefaultSource('def self.other\n  ["https://x.example.org/"]\nend\n'),
    ).toBeUndefined();
  });
});

describe('Composer repositories', () => {
  it('takes composer repositories of the project and COMPOSER_HOME, with auth.json credentials; conclusive when packagist.org is off', () => {
    write(
      'project/composer.json',
      JSON.stringify({
        repositories: [{ type: 'composer', url: 'https://composer.example.org' }, { 'packagist.org': false }],
      }),
    );
    write(
      'project/auth.json',
      JSON.stringify({ 'http-basic': { 'composer.example.org': { username: 'u', password: 'p' } } }),
    );
    write(
      'home/.config/composer/config.json',
      JSON.stringify({ repositories: { corp: { type: 'composer', url: 'https://corp.example.org/' } } }),
    );
    write('home/.config/composer/auth.json', JSON.stringify({ bearer: { 'corp.example.org': 'tkn' } }));
    mkdirSync(join(root, 'project/src'), { recursive: true });
    const config = composerSources(join(root, 'project/src'), env());
    expect(config.sources).toEqual([
      { url: 'https://composer.example.org/', auth: basic('u', 'p') },
      { url: 'https://corp.example.org/', auth: 'Bearer tkn' },
    ]);
    expect(config.inconclusive).toBeUndefined();
  });

  it('asks packagist.org after the configured repositories unless it is off, and is inconclusive with a VCS repository', () => {
    write(
      'project/composer.json',
      JSON.stringify({ repositories: [{ type: 'composer', url: 'https://c.example.org' }] }),
    );
    // Composer asks packagist.org after the repositories configured: so does Vouch.
    expect(composerSources(join(root, 'project'), env()).sources).toEqual([
      { url: 'https://c.example.org/' },
      { url: 'https://repo.packagist.org/' },
    ]);
    write(
      'project/composer.json',
      JSON.stringify({
        repositories: {
          'packagist.org': false,
          mirror: { type: 'composer', url: 'https://c.example.org' },
          fork: { type: 'vcs', url: 'https://git.example.org/fork.git' },
        },
      }),
    );
    expect(composerSources(join(root, 'project'), env()).inconclusive).toMatch(/vcs repositories/);
    expect(composerSources(join(root, 'elsewhere'), env())).toEqual({
      sources: [{ url: PUBLIC_DEFAULTS.packagist }],
      origin: "Composer's documented public default",
    });
    write('off/composer.json', JSON.stringify({ repositories: [{ 'packagist.org': false }] }));
    expect(composerSources(join(root, 'off'), env())).toEqual({
      sources: [],
      reason: NO_COMPOSER_REPOSITORY,
    });
  });
});

describe('NuGet sources', () => {
  it("layers the user's and the project's NuGet.Config: <clear/>, disabled sources, clear-text credentials", () => {
    write(
      'home/.nuget/NuGet/NuGet.Config',
      '<configuration><packageSources><add key="user feed" value="https://user.example.org/v3/index.json" protocolVersion="3"/></packageSources></configuration>',
    );
    write(
      'repo/nuget.config',
      `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="corp feed" value="https://nuget.example.org/v3/index.json" />
    <add key="artifactory" value="https://art.example.org/api/nuget/v3/remote" protocolVersion="3" />
    <add key="off" value="https://off.example.org/v3/index.json" />
    <add key="local" value="./packages" />
  </packageSources>
  <disabledPackageSources><add key="off" value="true" /></disabledPackageSources>
  <packageSourceCredentials>
    <corp_x0020_feed>
      <add key="Username" value="ci" />
      <add key="ClearTextPassword" value="pat" />
    </corp_x0020_feed>
  </packageSourceCredentials>
</configuration>`,
    );
    mkdirSync(join(root, 'repo/src/App'), { recursive: true });
    const config = nugetSources(join(root, 'repo/src/App'), env());
    expect(config.sources).toEqual([
      { url: 'https://nuget.example.org/v3/index.json', auth: basic('ci', 'pat') },
      { url: 'https://art.example.org/api/nuget/v3/remote' },
    ]);
    expect(config.inconclusive).toMatch(/local/);
  });

  it("sends the user's credentials for a source key only to the URL the user's own NuGet.Config gives it", () => {
    write(
      'home/.nuget/NuGet/NuGet.Config',
      `<configuration>
  <packageSources><add key="corp" value="https://nuget.example.org/v3/index.json" /></packageSources>
  <packageSourceCredentials><corp><add key="Username" value="me" /><add key="ClearTextPassword" value="user-secret" /></corp></packageSourceCredentials>
</configuration>`,
    );
    write(
      'repo/NuGet.Config',
      '<configuration><packageSources><clear /><add key="corp" value="https://attacker.example.org/v3/index.json" /></packageSources></configuration>',
    );
    const repointed = nugetSources(join(root, 'repo'), env());
    expect(repointed.sources).toEqual([{ url: 'https://attacker.example.org/v3/index.json' }]);
    expect(repointed.ignored).toEqual([
      expect.stringMatching(/points source 'corp' at https:\/\/attacker\.example\.org.*not sent there/),
    ]);
    const trust = scanTrust(join(root, 'repo'), env(), [], true);
    expect(nugetSources(join(root, 'repo'), env(), trust).sources).toEqual([
      { url: 'https://attacker.example.org/v3/index.json', auth: basic('me', 'user-secret') },
    ]);
    // The same URL as the user's: the credentials go with it.
    write(
      'repo/NuGet.Config',
      '<configuration><packageSources><clear /><add key="corp" value="https://nuget.example.org/v3/index.json" /></packageSources></configuration>',
    );
    expect(nugetSources(join(root, 'repo'), env()).sources).toEqual([
      { url: 'https://nuget.example.org/v3/index.json', auth: basic('me', 'user-secret') },
    ]);
  });

  it('says why when only local folders or v2 feeds are configured, or nothing', () => {
    write(
      'repo/NuGet.Config',
      '<configuration><packageSources><add key="v2" value="https://old.example.org/api/v2" /></packageSources></configuration>',
    );
    expect(nugetSources(join(root, 'repo'), env()).reason).toMatch(/\(v2\) are local folders or v2 feeds/);
    expect(nugetSources(join(root, 'elsewhere'), env())).toEqual({
      sources: [{ url: 'https://api.nuget.org/v3/index.json' }],
      origin: "NuGet's documented public default",
    });
    expect(nugetServiceIndex('https://nuget.example.org')).toBe('https://nuget.example.org/v3/index.json');
    expect(nugetServiceIndex('https://nuget.example.org/v3/index.json')).toBe(
      'https://nuget.example.org/v3/index.json',
    );
  });
});
