import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import type { ExistingPackage, VersionFacts } from '../../src/model/registry-facts.js';
import {
  admittedVersions,
  findVersion,
  installedToday,
  latestRelease,
  majorOf,
} from '../../src/versions/pick.js';

/** A registry's answer with these versions, some of them marked yanked or deprecated. */
function pkg(
  ecosystem: Ecosystem,
  versions: string[],
  extra: Partial<ExistingPackage> = {},
  marks: Record<string, 'yanked' | 'deprecated'> = {},
): ExistingPackage {
  const facts: Record<string, VersionFacts> = {};
  for (const version of versions) {
    const mark = marks[version];
    facts[version] = {
      version,
      ...(mark === 'yanked' ? { yanked: true } : {}),
      ...(mark === 'deprecated' ? { deprecated: 'use something else' } : {}),
    };
  }
  return { status: 'exists', ecosystem, name: 'p', versions: facts, datesTrusted: true, ...extra };
}

const versionsOf = (list: VersionFacts[] | undefined) => list?.map((v) => v.version);

describe('the versions a requirement admits, highest first', () => {
  it('an empty, blank or `*` requirement admits every version, in the ecosystem’s order', () => {
    const facts = pkg('PyPI', ['1.0', '10.0', '2.0', '1.5rc1']);
    for (const spec of [undefined, '', '   ', '*'])
      expect(versionsOf(admittedVersions(facts, spec))).toEqual(['10.0', '2.0', '1.5rc1', '1.0']);
  });

  it('nothing when the registry gave no version list, or the requirement cannot be read', () => {
    const { versions: _, ...bare } = pkg('npm', ['1.0.0']);
    expect(admittedVersions(bare, '^1.0.0')).toBeUndefined();
    expect(installedToday(bare, '^1.0.0')).toBeUndefined();
    expect(admittedVersions(pkg('PyPI', ['1.0']), '^^1')).toBeUndefined();
    expect(installedToday(pkg('PyPI', ['1.0']), '^^1')).toBeUndefined();
  });

  it('an npm dist-tag admits the version it points at, nothing when it points nowhere', () => {
    const facts = pkg('npm', ['1.0.0', '2.0.0-rc.1'], { distTags: { next: '2.0.0-rc.1', gone: '9.9.9' } });
    expect(versionsOf(admittedVersions(facts, 'next'))).toEqual(['2.0.0-rc.1']);
    expect(admittedVersions(facts, 'gone')).toEqual([]);
    expect(admittedVersions(facts, 'beta')).toEqual([]);
  });

  it('pip considers pre-releases among what a PyPI specifier admits; npm does not unless the range names one', () => {
    expect(versionsOf(admittedVersions(pkg('PyPI', ['1.0', '1.1rc1', '0.9']), '>=1.0'))).toEqual([
      '1.1rc1',
      '1.0',
    ]);
    expect(versionsOf(admittedVersions(pkg('npm', ['1.0.0', '1.1.0-rc.1']), '>=1.0.0'))).toEqual(['1.0.0']);
  });
});

describe('the version a fresh install picks today', () => {
  it('npm: `latest` when the range admits it and it is not deprecated', () => {
    const facts = pkg('npm', ['1.0.0', '1.1.0', '2.0.0'], { latest: '1.0.0' });
    expect(installedToday(facts, '^1.0.0')?.version).toBe('1.0.0');
    expect(installedToday(facts, '^2.0.0')?.version).toBe('2.0.0');
  });

  it('npm: a deprecated `latest` gives way to the highest version that is not deprecated', () => {
    const facts = pkg('npm', ['1.0.0', '1.1.0', '1.2.0'], { latest: '1.2.0' }, { '1.2.0': 'deprecated' });
    expect(installedToday(facts, '^1.0.0')?.version).toBe('1.1.0');
    const allDeprecated = pkg(
      'npm',
      ['1.0.0', '1.1.0'],
      {},
      { '1.0.0': 'deprecated', '1.1.0': 'deprecated' },
    );
    expect(installedToday(allDeprecated, '^1.0.0')?.version).toBe('1.1.0');
  });

  it('npm: a dist-tag installs what it points at, deprecated or not', () => {
    const facts = pkg(
      'npm',
      ['1.0.0', '2.0.0-rc.1'],
      { latest: '1.0.0', distTags: { latest: '1.0.0', next: '2.0.0-rc.1' } },
      { '2.0.0-rc.1': 'deprecated' },
    );
    expect(installedToday(facts, 'next')?.version).toBe('2.0.0-rc.1');
  });

  it('nothing when the requirement admits nothing', () => {
    expect(installedToday(pkg('npm', ['1.0.0']), '^2.0.0')).toBeUndefined();
    expect(installedToday(pkg('crates.io', ['1.0.0']), '2')).toBeUndefined();
  });

  it('PyPI and the others: the highest release that is neither yanked nor a pre-release', () => {
    const facts = pkg('crates.io', ['1.0.0', '1.1.0', '1.2.0', '1.3.0-beta.1'], {}, { '1.2.0': 'yanked' });
    expect(installedToday(facts, '1')?.version).toBe('1.1.0');
    const pypi = pkg('PyPI', ['1.0', '1.1', '1.2rc1'], {}, { '1.1': 'yanked' });
    expect(installedToday(pypi, '>=1.0')?.version).toBe('1.0');
  });

  it('a pre-release when the requirement names one, or when nothing else is admitted', () => {
    const pypi = pkg('PyPI', ['1.0', '2.0rc1', '2.0rc2'], {}, { '2.0rc2': 'yanked' });
    expect(installedToday(pypi, '>=2.0rc1')?.version).toBe('2.0rc1');
    expect(installedToday(pypi, '>1.0')?.version).toBe('2.0rc1');
    expect(installedToday(pypi, '>=1.0')?.version).toBe('1.0');
  });

  it('a requirement that names a pre-release installs the highest version, pre-release or not', () => {
    const pypi = pkg('PyPI', ['2.0rc1', '2.0', '2.1rc1']);
    expect(installedToday(pypi, '>=2.0rc1')?.version).toBe('2.1rc1');
    expect(installedToday(pypi, '>=2.0')?.version).toBe('2.0');
  });

  it('npm: a dist-tag of a package that lists no dist-tags admits nothing', () => {
    const facts = pkg('npm', ['1.0.0']);
    expect(admittedVersions(facts, 'next')).toEqual([]);
    expect(installedToday(facts, 'next')).toBeUndefined();
  });

  it('only yanked versions admitted: none is installed', () => {
    const pypi = pkg('PyPI', ['1.0', '1.1'], {}, { '1.0': 'yanked', '1.1': 'yanked' });
    expect(installedToday(pypi, '>=1.0')).toBeUndefined();
  });
});

describe('the version a bare install picks among the registry’s', () => {
  it('the highest release neither yanked nor a pre-release, by the ecosystem’s order', () => {
    const versions = pkg(
      'crates.io',
      ['0.9.0', '0.10.0', '0.11.0-rc.1', '0.10.1'],
      {},
      { '0.10.1': 'yanked' },
    ).versions!;
    expect(latestRelease('crates.io', versions)).toBe('0.10.0');
  });

  it('else the highest that is not yanked (a pre-release), else the highest', () => {
    const pre = pkg(
      'RubyGems',
      ['1.0.0.rc1', '1.0.0.rc2', '0.1'],
      {},
      { '0.1': 'yanked', '1.0.0.rc2': 'yanked' },
    ).versions!;
    expect(latestRelease('RubyGems', pre)).toBe('1.0.0.rc1');
    const gone = pkg('RubyGems', ['1.0', '2.0'], {}, { '1.0': 'yanked', '2.0': 'yanked' }).versions!;
    expect(latestRelease('RubyGems', gone)).toBe('2.0');
    expect(latestRelease('RubyGems', {})).toBeUndefined();
  });
});

describe('finding a registry version and its major', () => {
  it('the exact string first, else an equal version by the ecosystem’s rules', () => {
    const facts = pkg('PyPI', ['1.0', '1.0.0.post1']);
    expect(findVersion(facts, '1.0')?.version).toBe('1.0');
    expect(findVersion(facts, '1.0.0')?.version).toBe('1.0');
    expect(findVersion(facts, '1.1')).toBeUndefined();
    const { versions: _, ...bare } = facts;
    expect(findVersion(bare, '1.0')).toBeUndefined();
    expect(findVersion(pkg('PyPI', ['1.0.0', '1.0']), '1.0')?.version).toBe('1.0');
  });

  it('the leading number, `v` or not; none for calendar versions or what has no number', () => {
    expect(majorOf('npm', '4.17.21')).toBe(4);
    expect(majorOf('npm', 'v0.3.0')).toBe(0);
    expect(majorOf('npm', 'not-a-version')).toBeUndefined();
    expect(majorOf('Go', 'v2.3.1')).toBe(2);
    expect(majorOf('Go', 'v12.0.0')).toBe(12);
    expect(majorOf('RubyGems', '7.1.3.4')).toBe(7);
    expect(majorOf('Maven', '2024.01.1')).toBeUndefined();
    expect(majorOf('Maven', '999.1')).toBe(999);
    expect(majorOf('Maven', '1000.1')).toBeUndefined();
    expect(majorOf('NuGet', 'release-3')).toBeUndefined();
    expect(majorOf('PyPI', 'not a version')).toBeUndefined();
    expect(majorOf('npm', '=2.0.0')).toBe(2);
    expect(majorOf('PyPI', '1!2.0')).toBe(2);
    expect(majorOf('Go', 'v0.0.0-20191109021931-daa7c04131f5')).toBe(0);
    expect(majorOf('Maven', '2.0-SNAPSHOT')).toBe(2);
  });
});
