/**
 * Registry documents in the documented public formats, for the fake registry: npm packuments (the
 * registry API's full document: `versions`, `dist-tags`, `time` with `created`/`modified`, `maintainers`,
 * `repository`, per-version `deprecated`) and PyPI JSON API projects (`info`, `releases` with
 * `upload_time_iso_8601`, `yanked`, `yanked_reason`). Hosts are example.org ones.
 */
export interface NpmVersionSpec {
  version: string;
  published: string;
  deprecated?: string;
  dependencies?: Record<string, string>;
}

export interface PackumentOptions {
  versions: NpmVersionSpec[];
  description?: string | null;
  repository?: string | null;
  latest?: string;
  maintainers?: number;
  /** Leave out `time` (as mirrors do). */
  withoutTime?: boolean;
}

export function packument(name: string, options: PackumentOptions): Record<string, unknown> {
  const description = options.description === undefined ? `The ${name} package` : options.description;
  const repository =
    options.repository === undefined
      ? `git+https://git.example.org/${name.replace('@', '')}.git`
      : options.repository;
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = {};
  for (const v of options.versions) {
    const doc: Record<string, unknown> = {
      name,
      version: v.version,
      ...(description !== null ? { description } : {}),
      dependencies: v.dependencies ?? {},
      dist: {
        tarball: `https://registry.example.org/${name}/-/${name.split('/').pop()}-${v.version}.tgz`,
        shasum: '0000000000000000000000000000000000000000',
      },
      _id: `${name}@${v.version}`,
    };
    if (v.deprecated !== undefined) doc.deprecated = v.deprecated;
    versions[v.version] = doc;
    time[v.version] = v.published;
  }
  const published = options.versions.map((v) => v.published).sort();
  const doc: Record<string, unknown> = {
    _id: name,
    _rev: '1-0123456789abcdef',
    name,
    'dist-tags': { latest: options.latest ?? options.versions.at(-1)!.version },
    versions,
    maintainers: Array.from({ length: options.maintainers ?? 2 }, (_, i) => ({
      name: `maintainer${i}`,
      email: `m${i}@example.org`,
    })),
    readme: '',
  };
  if (description !== null) doc.description = description;
  if (repository !== null) doc.repository = { type: 'git', url: repository };
  if (!options.withoutTime) doc.time = { created: published[0], modified: published.at(-1), ...time };
  return doc;
}

export interface PypiReleaseSpec {
  version: string;
  uploaded: string;
  yanked?: string | true;
  requires?: string[];
}

export function pypiProject(
  name: string,
  options: { releases: PypiReleaseSpec[]; summary?: string; source?: string | null; latest?: string },
): {
  info: Record<string, unknown>;
  releases: Record<string, unknown>;
  perRelease: Record<string, string[]>;
} {
  const releases: Record<string, unknown> = {};
  const perRelease: Record<string, string[]> = {};
  for (const r of options.releases) {
    const yanked = r.yanked !== undefined;
    releases[r.version] = [
      {
        filename: `${name.replace(/-/g, '_')}-${r.version}-py3-none-any.whl`,
        packagetype: 'bdist_wheel',
        upload_time: r.uploaded.replace(/Z$/, '').slice(0, 19),
        upload_time_iso_8601: r.uploaded,
        url: `https://files.example.org/packages/${name}-${r.version}-py3-none-any.whl`,
        yanked,
        yanked_reason: typeof r.yanked === 'string' ? r.yanked : null,
      },
    ];
    perRelease[r.version] = r.requires ?? [];
  }
  const latest = options.latest ?? options.releases.filter((r) => r.yanked === undefined).at(-1)!.version;
  const source = options.source === undefined ? `https://git.example.org/${name}` : options.source;
  return {
    info: {
      name,
      version: latest,
      summary: options.summary ?? `The ${name} project`,
      home_page: null,
      project_urls: source ? { Source: source, Homepage: 'https://docs.example.org/' } : null,
      requires_dist: perRelease[latest] ?? [],
      yanked: false,
      yanked_reason: null,
    },
    releases,
    perRelease,
  };
}

/** `n` versions of a long-lived package: one a year from `startYear`, majors 1..n. */
export function matureVersions(n: number, startYear = 2016): NpmVersionSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    version: `${i + 1}.0.0`,
    published: `${startYear + i}-03-01T10:00:00.000Z`,
  }));
}

/** The time the registry tests pretend it is. */
export const NOW = new Date('2026-06-01T00:00:00.000Z');

interface Served {
  npm: Map<string, Record<string, unknown>>;
  pypi: Map<string, Record<string, unknown>>;
  simpleOnly: Map<string, Record<string, unknown>>;
}

/** The packages of test/fixtures/registry/scan, as a registry would describe them. */
export function serveDemo(registry: Served): void {
  const npm = (name: string, doc: Record<string, unknown>) => registry.npm.set(name, doc);
  npm(
    'express',
    packument('express', {
      versions: [
        { version: '3.0.0', published: '2012-10-23T10:00:00.000Z' },
        {
          version: '4.17.1',
          published: '2019-05-26T10:00:00.000Z',
          dependencies: { 'body-parser': '1.19.0', debug: '2.6.9' },
        },
        {
          version: '4.21.2',
          published: '2024-12-05T10:00:00.000Z',
          dependencies: { 'body-parser': '1.20.3', debug: '2.6.9' },
        },
        {
          version: '5.1.0',
          published: '2025-03-31T10:00:00.000Z',
          dependencies: { 'body-parser': '^2.2.0', debug: '^4.4.0' },
        },
      ],
      description: 'Fast, unopinionated, minimalist web framework',
    }),
  );
  npm(
    'request',
    packument('request', {
      versions: [
        {
          version: '2.88.0',
          published: '2018-08-10T10:00:00.000Z',
          deprecated: 'request has been deprecated, see https://git.example.org/request/request/issues/3142',
        },
        {
          version: '2.88.2',
          published: '2020-02-11T10:00:00.000Z',
          deprecated: 'request has been deprecated, see https://git.example.org/request/request/issues/3142',
        },
      ],
    }),
  );
  npm(
    'left-pad',
    packument('left-pad', {
      versions: [
        { version: '1.3.0', published: '2018-04-09T10:00:00.000Z' },
        { version: '1.2.0', published: '2017-11-01T10:00:00.000Z' },
      ],
      latest: '1.3.0',
    }),
  );
  npm(
    'debug',
    packument('debug', {
      versions: [
        { version: '2.6.9', published: '2017-09-22T10:00:00.000Z' },
        { version: '4.4.0', published: '2024-12-06T10:00:00.000Z' },
      ],
    }),
  );
  npm(
    'lodahs',
    packument('lodahs', {
      versions: [{ version: '1.0.0', published: '2026-05-20T10:00:00.000Z' }],
      description: null,
      repository: null,
      maintainers: 1,
    }),
  );
  npm(
    'discord-selfbot-v14',
    packument('discord-selfbot-v14', {
      versions: [{ version: '0.0.1-security', published: '2025-11-02T10:00:00.000Z' }],
      description: 'security holding package',
      repository: 'npm/security-holder',
    }),
  );
  npm('unpublished-pkg', {
    _id: 'unpublished-pkg',
    name: 'unpublished-pkg',
    time: {
      created: '2021-01-01T10:00:00.000Z',
      modified: '2023-02-02T10:00:00.000Z',
      unpublished: { time: '2023-02-02T10:00:00.000Z', versions: ['1.0.0'] },
    },
  });
  npm(
    'trimmed-mirror',
    packument('trimmed-mirror', {
      versions: [
        { version: '1.0.0', published: '2020-01-01T00:00:00.000Z' },
        { version: '1.2.0', published: '2021-01-01T00:00:00.000Z' },
      ],
      withoutTime: true,
    }),
  );
  npm(
    'trimmed-major',
    packument('trimmed-major', {
      versions: [
        { version: '1.0.0', published: '2020-01-01T00:00:00.000Z' },
        { version: '2.0.0', published: '2021-01-01T00:00:00.000Z' },
      ],
      withoutTime: true,
    }),
  );
  npm('@acme/widgets', packument('@acme/widgets', { versions: matureVersions(4, 2019) }));
  npm(
    'brand-new-lib',
    packument('brand-new-lib', {
      versions: [
        { version: '0.1.0', published: '2026-05-25T10:00:00.000Z' },
        { version: '0.2.0', published: '2026-05-27T10:00:00.000Z' },
      ],
    }),
  );
  npm(
    'body-parser',
    packument('body-parser', { versions: [{ version: '1.20.3', published: '2024-09-10T10:00:00.000Z' }] }),
  );
  npm('cors', packument('cors', { versions: [{ version: '2.8.5', published: '2018-11-04T10:00:00.000Z' }] }));

  const pypi = (name: string, doc: Record<string, unknown>) => registry.pypi.set(name, doc);
  pypi(
    'requests',
    pypiProject('requests', {
      releases: [
        { version: '2.25.1', uploaded: '2020-12-16T10:00:00.000Z' },
        { version: '2.31.0', uploaded: '2023-05-22T10:00:00.000Z' },
        {
          version: '2.32.0',
          uploaded: '2024-05-20T10:00:00.000Z',
          yanked: 'Yanked due to conflicts with CVE-2024-35195 mitigation',
        },
        {
          version: '2.32.3',
          uploaded: '2024-05-29T10:00:00.000Z',
          requires: [
            'charset-normalizer<4,>=2',
            'idna<4,>=2.5',
            'urllib3<3,>=1.21.1',
            'certifi>=2017.4.17',
            'PySocks!=1.5.7,>=1.5.6; extra == "socks"',
          ],
        },
      ],
      summary: 'Python HTTP for Humans.',
    }),
  );
  pypi(
    'flask',
    pypiProject('Flask', {
      releases: [
        { version: '0.12', uploaded: '2016-12-21T10:00:00.000Z' },
        { version: '3.1.0', uploaded: '2024-11-13T10:00:00.000Z' },
      ],
    }),
  );
  pypi(
    'reqeusts',
    pypiProject('reqeusts', {
      releases: [{ version: '1.0.0', uploaded: '2026-05-28T10:00:00.000Z' }],
      summary: '',
      source: null,
    }),
  );
  pypi(
    'numpy',
    pypiProject('numpy', {
      releases: [
        { version: '1.26.4', uploaded: '2024-02-05T10:00:00.000Z' },
        { version: '2.0.0rc1', uploaded: '2024-03-30T10:00:00.000Z' },
        { version: '2.2.1', uploaded: '2024-12-21T10:00:00.000Z' },
      ],
    }),
  );
  registry.simpleOnly.set('simple-only-pkg', {
    meta: { 'api-version': '1.1' },
    name: 'simple-only-pkg',
    files: [
      {
        filename: 'simple_only_pkg-1.0.0.tar.gz',
        url: 'https://files.example.org/simple_only_pkg-1.0.0.tar.gz',
        hashes: {},
      },
    ],
    versions: ['1.0.0'],
  });
}
