/**
 * Registry answers of the other ecosystems, written in their documented public formats for the fake
 * registries of fake-ecosystems.ts: Maven repository layout (maven-metadata.xml, poms dated by
 * Last-Modified), the GOPROXY protocol (`@v/list`, `@v/<version>.info`, `@latest`), the crates.io sparse
 * index (one JSON line per version), the RubyGems versions API and compact index, Composer 2 metadata
 * (minified, with packages.json naming `metadata-url`) and NuGet v3 (service index, flat container,
 * registration with catalog entries, gzip-encoded as nuget.org serves it).
 */
import type { FakeEcosystems } from './fake-ecosystems.js';

type Files = Pick<FakeEcosystems, 'files' | 'url'>;

function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

// ---------------------------------------------------------------------------------------------- Maven

export interface MavenVersion {
  version: string;
  /** Sent as the pom's Last-Modified; no header when absent. */
  published?: string;
}

export function serveMaven(
  registry: Files,
  coordinate: string,
  versions: MavenVersion[],
  options: { release?: string; unlisted?: MavenVersion[] } = {},
): void {
  const [groupId, artifactId] = coordinate.split(':') as [string, string];
  const base = `/maven/${groupId.replace(/\./g, '/')}/${artifactId}/`;
  const release = options.release ?? versions.at(-1)?.version ?? '';
  registry.files.set(`${base}maven-metadata.xml`, {
    contentType: 'application/xml',
    body: [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<metadata>',
      `  <groupId>${groupId}</groupId>`,
      `  <artifactId>${artifactId}</artifactId>`,
      '  <versioning>',
      `    <latest>${versions.at(-1)?.version ?? ''}</latest>`,
      `    <release>${release}</release>`,
      '    <versions>',
      ...versions.map((v) => `      <version>${v.version}</version>`),
      '    </versions>',
      '    <lastUpdated>20250101000000</lastUpdated>',
      '  </versioning>',
      '</metadata>',
    ].join('\n'),
  });
  for (const v of [...versions, ...(options.unlisted ?? [])]) {
    registry.files.set(`${base}${v.version}/${artifactId}-${v.version}.pom`, {
      contentType: 'text/xml',
      body: `<project><modelVersion>4.0.0</modelVersion><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${v.version}</version></project>`,
      ...(v.published ? { lastModified: httpDate(v.published) } : {}),
    });
  }
}

// ------------------------------------------------------------------------------------------------- Go

export interface GoVersion {
  version: string;
  time: string;
  /** A pseudo-version: the proxy answers its .info but does not list it. */
  unlisted?: boolean;
}

function goEscape(text: string): string {
  return text.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

export function serveGoModule(registry: Files, module: string, versions: GoVersion[]): void {
  const base = `/go/${goEscape(module)}/`;
  const listed = versions.filter((v) => !v.unlisted);
  registry.files.set(`${base}@v/list`, {
    contentType: 'text/plain; charset=utf-8',
    body: listed.map((v) => `${v.version}\n`).join(''),
  });
  for (const v of versions)
    registry.files.set(`${base}@v/${goEscape(v.version)}.info`, {
      body: JSON.stringify({ Version: v.version, Time: v.time }),
    });
  const latest = listed.at(-1) ?? versions.at(-1);
  if (latest)
    registry.files.set(`${base}@latest`, {
      body: JSON.stringify({ Version: latest.version, Time: latest.time }),
    });
}

// ------------------------------------------------------------------------------------------ crates.io

export interface CrateVersion {
  vers: string;
  yanked?: boolean;
  deps?: { name: string; kind?: 'normal' | 'dev' | 'build'; optional?: boolean; package?: string }[];
}

function cratePath(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length <= 2) return `${lower.length}/${lower}`;
  if (lower.length === 3) return `3/${lower[0]}/${lower}`;
  return `${lower.slice(0, 2)}/${lower.slice(2, 4)}/${lower}`;
}

export function serveCrate(registry: Files, name: string, versions: CrateVersion[]): void {
  const lines = versions.map((v) =>
    JSON.stringify({
      name,
      vers: v.vers,
      deps: (v.deps ?? []).map((d) => ({
        name: d.name,
        req: '^1',
        features: [],
        optional: d.optional ?? false,
        default_features: true,
        target: null,
        kind: d.kind ?? 'normal',
        ...(d.package ? { package: d.package } : {}),
      })),
      cksum: '0'.repeat(64),
      features: {},
      yanked: v.yanked ?? false,
      v: 2,
    }),
  );
  registry.files.set(`/crates/${cratePath(name)}`, {
    contentType: 'text/plain',
    body: `${lines.join('\n')}\n`,
  });
}

// -------------------------------------------------------------------------------------------- RubyGems

export interface GemVersion {
  number: string;
  created_at: string;
  platform?: string;
  summary?: string;
  /** Run-time requirements as the compact index writes them: `{ rack: '>= 2.0&< 4' }`. */
  requires?: Record<string, string>;
}

export function serveGem(
  registry: Files,
  name: string,
  versions: GemVersion[],
  options: { compactOnly?: boolean } = {},
): void {
  if (!options.compactOnly)
    registry.files.set(`/gems/api/v1/versions/${name}.json`, {
      body: JSON.stringify(
        [...versions].reverse().map((v) => ({
          authors: 'Someone',
          built_at: v.created_at,
          created_at: v.created_at,
          description: v.summary ?? `The ${name} gem`,
          downloads_count: 1000,
          metadata: {},
          number: v.number,
          summary: v.summary ?? `The ${name} gem`,
          platform: v.platform ?? 'ruby',
          rubygems_version: '>= 0',
          ruby_version: '>= 2.7',
          prerelease: /[a-zA-Z]/.test(v.number),
          licenses: ['MIT'],
          requirements: [],
          sha: '0'.repeat(64),
        })),
      ),
    });
  const lines = versions.map(
    (v) =>
      `${v.number}${v.platform && v.platform !== 'ruby' ? `-${v.platform}` : ''} ${Object.entries(
        v.requires ?? {},
      )
        .map(([dep, req]) => `${dep}:${req}`)
        .join(',')}|checksum:${'0'.repeat(64)}`,
  );
  registry.files.set(`/gems/info/${name}`, { contentType: 'text/plain', body: `---\n${lines.join('\n')}\n` });
}

// ------------------------------------------------------------------------------------------- Composer

export interface ComposerVersion {
  version: string;
  time: string;
  description?: string;
  abandoned?: boolean | string;
  require?: Record<string, string>;
}

/** The repository's packages.json, naming where Composer 2 metadata lives. */
export function serveComposerRoot(registry: Files, metadataUrl = '/composer/p2/%package%.json'): void {
  registry.files.set('/composer/packages.json', {
    body: JSON.stringify({ packages: [], 'metadata-url': metadataUrl, 'notify-batch': '/downloads/' }),
  });
}

/** Composer's MetadataMinifier::minify: newest first, each entry only what changed, `__unset` for a dropped key. */
export function minify(versions: Record<string, unknown>[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let previous: Record<string, unknown> | undefined;
  for (const version of versions) {
    if (!previous) out.push(version);
    else {
      const diff: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(version))
        if (JSON.stringify(previous[key]) !== JSON.stringify(value)) diff[key] = value;
      for (const key of Object.keys(previous)) if (!(key in version)) diff[key] = '__unset';
      out.push(diff);
    }
    previous = version;
  }
  return out;
}

export function servePackagist(registry: Files, name: string, versions: ComposerVersion[]): void {
  const entries = [...versions].reverse().map((v) => {
    const entry: Record<string, unknown> = {
      name,
      description: v.description ?? `The ${name} package`,
      version: v.version,
      version_normalized: `${v.version.replace(/^v/, '')}.0`,
      source: { type: 'git', url: `https://git.example.org/${name}.git`, reference: 'abc' },
      dist: {
        type: 'zip',
        url: `https://files.example.org/${name}/${v.version}.zip`,
        reference: 'abc',
        shasum: '',
      },
      time: v.time,
      type: 'library',
      license: ['MIT'],
      require: v.require ?? { php: '^7.2.5 || ^8.0' },
    };
    if (v.abandoned !== undefined) entry.abandoned = v.abandoned;
    return entry;
  });
  registry.files.set(`/composer/p2/${name}.json`, {
    body: JSON.stringify({ packages: { [name]: minify(entries) }, minified: 'composer/2.0' }),
  });
}

// ---------------------------------------------------------------------------------------------- NuGet

export interface NugetVersion {
  version: string;
  published: string;
  listed?: boolean;
  deprecation?: { reasons: string[]; message?: string; alternatePackage?: { id: string; range: string } };
  /** Dependency ids (any version from 1.0.0) or ids with their ranges. */
  dependencies?: (string | { id: string; range: string })[];
}

/** The service index: a flat container and, unless told otherwise, a SemVer 2.0 registration. */
export function serveNugetIndex(registry: Files, options: { registrations?: boolean } = {}): void {
  const resources = [
    { '@id': `${registry.url}nuget/flat/`, '@type': 'PackageBaseAddress/3.0.0' },
    { '@id': `${registry.url}nuget/query`, '@type': 'SearchQueryService' },
  ];
  if (options.registrations !== false)
    resources.push({ '@id': `${registry.url}nuget/reg/`, '@type': 'RegistrationsBaseUrl/3.6.0' });
  registry.files.set('/nuget/v3/index.json', { body: JSON.stringify({ version: '3.0.0', resources }) });
}

export function serveNuget(
  registry: Files,
  id: string,
  versions: NugetVersion[],
  options: { pagesInline?: boolean } = {},
): void {
  const lower = id.toLowerCase();
  registry.files.set(`/nuget/flat/${lower}/index.json`, {
    body: JSON.stringify({ versions: versions.map((v) => v.version.toLowerCase()) }),
  });
  const leaves = versions.map((v) => ({
    '@id': `${registry.url}nuget/reg/${lower}/${v.version.toLowerCase()}.json`,
    '@type': 'Package',
    catalogEntry: {
      '@id': `${registry.url}nuget/catalog/${lower}.${v.version}.json`,
      id,
      version: v.version,
      // NuGet dates an unlisted version 1900-01-01.
      published: v.listed === false ? '1900-01-01T00:00:00+00:00' : v.published,
      listed: v.listed ?? true,
      description: `The ${id} package`,
      projectUrl: `https://git.example.org/${lower}`,
      dependencyGroups: [
        {
          targetFramework: 'net6.0',
          dependencies: (v.dependencies ?? []).map((d) =>
            typeof d === 'string' ? { id: d, range: '[1.0.0, )' } : d,
          ),
        },
      ],
      ...(v.deprecation ? { deprecation: v.deprecation } : {}),
    },
    packageContent: `${registry.url}nuget/flat/${lower}/${v.version.toLowerCase()}/${lower}.${v.version.toLowerCase()}.nupkg`,
  }));
  const pageId = `${registry.url}nuget/reg/${lower}/page/1.json`;
  const page = {
    '@id': pageId,
    count: leaves.length,
    lower: versions[0]?.version,
    upper: versions.at(-1)?.version,
  };
  registry.files.set(`/nuget/reg/${lower}/index.json`, {
    gzip: true,
    body: JSON.stringify({
      count: 1,
      items: [options.pagesInline === false ? page : { ...page, items: leaves }],
    }),
  });
  registry.files.set(`/nuget/reg/${lower}/page/1.json`, {
    gzip: true,
    body: JSON.stringify({ ...page, items: leaves }),
  });
}
