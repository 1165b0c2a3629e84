import { compare as pep440Compare } from '@renovatebot/pep440';
import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { ECOSYSTEMS, type Ecosystem } from '../../src/model/ecosystem.js';
import { compareVersions, schemeFor, VERSION_SCHEMES } from '../../src/versions/index.js';

type Op = '<' | '=' | '>';
const SIGN: Record<Op, number> = { '<': -1, '=': 0, '>': 1 };

/** Each row is checked both ways round, as the conformance corpus is. */
function checkTable(ecosystem: Ecosystem, rows: [string, Op, string][]): void {
  const wrong = rows
    .map(([a, op, b]) => ({
      row: `${a} ${op} ${b}`,
      forward: compareVersions(ecosystem, a, b),
      backward: compareVersions(ecosystem, b, a),
      want: SIGN[op],
    }))
    .filter((r) => r.forward !== r.want || r.backward !== -r.want)
    .map((r) => `${r.row} (got ${r.forward}, reversed ${r.backward})`);
  expect(wrong).toEqual([]);
}

/** Consecutive pairs of an ascending list. */
function ascending(...versions: string[]): [string, Op, string][] {
  return versions.slice(1).map((v, i) => [versions[i]!, '<', v]);
}

describe('npm', () => {
  it('orders by SemVer 2.0 precedence, not by string order', () => {
    checkTable('npm', [
      ...ascending(
        '1.0.0-alpha',
        '1.0.0-alpha.1',
        '1.0.0-alpha.beta',
        '1.0.0-beta',
        '1.0.0-beta.2',
        '1.0.0-beta.11',
        '1.0.0-rc.1',
        '1.0.0',
        '1.0.1',
        '1.9.0',
        '1.10.0',
        '10.0.0',
      ),
      ['1.0.0+build.1', '=', '1.0.0+build.2'],
      ['v1.2.3', '=', '1.2.3'],
      ['1.2.3-alpha.10', '>', '1.2.3-alpha.9'],
      ['1.2.3-a10', '<', '1.2.3-a9'],
    ]);
  });

  it('still orders versions node-semver rejects, and strings that are no version at all', () => {
    expect(schemeFor('npm').parse('1.2')).toBeUndefined();
    expect(schemeFor('npm').parse('9007199254740993.0.0')).toBeUndefined();
    checkTable('npm', [
      ['1.2', '=', '1.2.0'],
      ['9007199254740993.0.0', '>', '9007199254740992.0.0'],
      ['latest', '<', '0.0.0'],
      ['latest', '<', '0.0.0-alpha'],
      ['abc', '<', 'abd'],
    ]);
  });

  it('agrees with semver.compare on every valid version', () => {
    const version = fc
      .tuple(
        fc.nat(20),
        fc.nat(20),
        fc.nat(20),
        fc.array(fc.oneof(fc.nat(12).map(String), fc.constantFrom('alpha', 'beta', 'rc', 'a1', 'x-y')), {
          maxLength: 3,
        }),
      )
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre.length > 0 ? `-${pre.join('.')}` : ''}`);
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(compareVersions('npm', a, b)).toBe(semver.compare(a, b));
      }),
    );
  });

  it('agrees with semver.compare on versions of one release that differ only in prerelease and build', () => {
    const identifier = fc.oneof(
      fc.nat(12).map(String),
      fc.constantFrom('alpha', 'beta', 'rc', 'a1', 'x-y', '0a', 'RC', 'beta-2'),
    );
    const prerelease = fc.array(identifier, { maxLength: 4 });
    const build = fc.option(
      fc.array(fc.constantFrom('001', 'sha', '5114f85', 'exp', 'x'), { minLength: 1, maxLength: 2 }),
      {
        nil: undefined,
      },
    );
    const suffix = fc
      .tuple(prerelease, build)
      .map(
        ([pre, meta]) => `${pre.length > 0 ? `-${pre.join('.')}` : ''}${meta ? `+${meta.join('.')}` : ''}`,
      );
    const sameRelease = fc
      .tuple(fc.nat(20), fc.nat(20), fc.nat(20), suffix, suffix)
      .map(([a, b, c, x, y]) => [`${a}.${b}.${c}${x}`, `${a}.${b}.${c}${y}`] as const);
    fc.assert(
      fc.property(sameRelease, ([a, b]) => {
        expect(compareVersions('npm', a, b), `${a} vs ${b}`).toBe(semver.compare(a, b));
      }),
      { numRuns: 500 },
    );
    // The cases a generator of independent triples almost never produces, written out.
    checkTable('npm', [
      ...ascending('1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2'),
      ...ascending('1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'),
      ['1.0.0-1', '<', '1.0.0-a'],
      ['1.0.0+build.1', '=', '1.0.0+build.2'],
      ['1.0.0-rc.1+build.1', '=', '1.0.0-rc.1'],
      ['1.0.0-RC', '<', '1.0.0-rc'],
    ]);
  });
});

describe('crates.io', () => {
  it('orders as SemVer 2.0 and parses only plain SemVer', () => {
    checkTable('crates.io', [
      ...ascending('0.9.0', '0.10.0', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0'),
      ['1.0.0+abc', '=', '1.0.0'],
    ]);
    expect(schemeFor('crates.io').parse('1.0.0-beta.1')).toBeDefined();
    expect(schemeFor('crates.io').parse('v1.0.0')).toBeUndefined();
    expect(schemeFor('crates.io').parse('=1.0.0')).toBeUndefined();
  });
});

describe('Go', () => {
  it('orders pseudo-versions as the prereleases they are', () => {
    checkTable('Go', [
      ...ascending(
        'v0.0.0-20191109021931-daa7c04131f5',
        'v0.0.1',
        'v1.2.3-pre',
        'v1.2.3-pre.0.20191109021931-daa7c04131f5',
        'v1.2.3',
        'v1.2.4-0.20191109021931-daa7c04131f5',
        'v1.2.4-alpha',
        'v1.2.4',
      ),
      ['v0.0.0-20191109021931-daa7c04131f5', '<', 'v0.0.0-20200101000000-0123456789ab'],
    ]);
  });

  it('ignores +incompatible, reads v1 and v1.2 as shorthands, and takes OSV spellings without v', () => {
    checkTable('Go', [
      ['v2.0.0+incompatible', '=', 'v2.0.0'],
      ['v2.0.1+incompatible', '>', 'v2.0.0+incompatible'],
      ['v1', '=', 'v1.0.0'],
      ['v1.2', '=', '1.2.0'],
    ]);
    const go = schemeFor('Go');
    expect(go.parse('1.2.3')).toBeDefined();
    expect(go.parse('v2.0.0+incompatible')).toBeDefined();
    expect(go.parse('v01.2.3')).toBeUndefined();
    expect(go.parse('v1.2-pre')).toBeUndefined();
    expect(go.parse('v1.2.3-01')).toBeUndefined();
  });
});

describe('PyPI', () => {
  it('follows PEP 440: pre, post and dev releases, epochs, local labels, normalisation', () => {
    checkTable('PyPI', [
      ...ascending(
        '1.0.dev0',
        '1.0a1.dev1',
        '1.0a1',
        '1.0b1',
        '1.0rc1',
        '1.0',
        '1.0+local',
        '1.0.post1.dev1',
        '1.0.post1',
        '1.1',
        '1.10',
        '1!0.1',
      ),
      ['1.0.0', '=', '1.0'],
      ['1.0-1', '=', '1.0.post1'],
      ['1.0ALPHA1', '=', '1.0a1'],
      ['1.0c1', '=', '1.0rc1'],
      ['1.0a', '=', '1.0a0'],
      ['v1.0', '=', '1.0'],
      ['1.0+abc', '<', '1.0+1'],
      ['1.0+1.abc', '<', '1.0+1.abc.0'],
      ['1.0+1e5', '<', '1.0+5'],
      ['10000000000000000000001', '>', '10000000000000000000000'],
    ]);
  });

  it('puts legacy versions before every PEP 440 version and orders them as packaging did', () => {
    expect(schemeFor('PyPI').parse('0.9-doduo')).toBeUndefined();
    checkTable('PyPI', [
      ['0.9-doduo', '<', '0.0.1'],
      ['foo', '<', '0.0.0.dev0'],
      ['0.1-bulbasaur', '<', '0.1-charmander'],
      ['0.9-horsea', '<', '0.9-ivysaur'],
      ['1.0-pre-x', '<', '1.0-x'],
    ]);
  });

  it('agrees with @renovatebot/pep440 on valid versions without local labels', () => {
    const version = fc
      .tuple(
        fc.option(fc.nat(2), { nil: undefined }),
        fc.array(fc.nat(11), { minLength: 1, maxLength: 4 }),
        fc.option(fc.tuple(fc.constantFrom('a', 'b', 'rc', 'alpha', 'c'), fc.nat(3)), { nil: undefined }),
        fc.option(fc.nat(3), { nil: undefined }),
        fc.option(fc.nat(3), { nil: undefined }),
      )
      .map(
        ([epoch, release, pre, post, dev]) =>
          `${epoch === undefined ? '' : `${epoch}!`}${release.join('.')}${pre ? pre.join('') : ''}${post === undefined ? '' : `.post${post}`}${dev === undefined ? '' : `.dev${dev}`}`,
      );
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(compareVersions('PyPI', a, b)).toBe(Math.sign(pep440Compare(a, b)));
      }),
    );
  });
});

describe('RubyGems', () => {
  it('follows Gem::Version: a letter makes a prerelease, trailing zeros do not count', () => {
    checkTable('RubyGems', [
      ...ascending('1.0.a', '1.0.a.9', '1.0.a10', '1.0.b', '1.0', '1.0.1', '3.2', '3.10'),
      ['1.0', '=', '1'],
      ['1.0.0.a', '=', '1.0.a'],
      ['1.0.a.0', '=', '1.0.a'],
      ['1.0.a2', '=', '1.0.a.2'],
      ['1.0-1', '<', '1.0'],
      ['1.0-1', '=', '1.0.pre.1'],
      ['1.0.B', '<', '1.0.a'],
    ]);
    expect(schemeFor('RubyGems').parse('1.0.beta2')).toBeDefined();
    expect(schemeFor('RubyGems').parse('1.0 beta')).toBeUndefined();
  });
});

describe('Maven', () => {
  it('orders qualifiers alpha < beta < milestone < rc = cr < snapshot < release < sp < others', () => {
    checkTable('Maven', [
      ...ascending(
        '1.0-alpha-1',
        '1.0-beta-1',
        '1.0-milestone-1',
        '1.0-rc-1',
        '1.0-SNAPSHOT',
        '1.0',
        '1.0-sp-1',
        '1.0-xyz',
        '1.0-1',
        '1.0.1',
      ),
      ['1.0-cr1', '=', '1.0-rc1'],
      ['1.0-a1', '=', '1.0-alpha-1'],
      ['1.0-b2', '=', '1.0-beta-2'],
      ['1.0-m3', '=', '1.0-milestone-3'],
      ['1.0-ALPHA-1', '=', '1.0-alpha-1'],
      ['1.0-a', '>', '1.0'],
    ]);
  });

  it('trims null tokens and weighs separators', () => {
    checkTable('Maven', [
      ['1', '=', '1.0.0'],
      ['1.0.Final', '=', '1'],
      ['1-ga', '=', '1.0.RELEASE'],
      ['1.0.0-0.0', '=', '1'],
      ['1-ga-1', '=', '1-1'],
      ['1-1', '<', '1.1'],
      ['1.x', '<', '1-x'],
      ['6.1.12.rc5', '<', '6.1.12rc1'],
      ['2.14', '<', '2.14.jre7'],
      ['2.14.jre7', '<', '2.14.1'],
      ['1.1', '=', '1.01'],
      ['1.10', '>', '1.9'],
    ]);
  });
});

describe('NuGet', () => {
  it('pads to four parts and compares labels case-insensitively', () => {
    checkTable('NuGet', [
      ...ascending(
        '1.0.0-2',
        '1.0.0-alpha',
        '1.0.0-beta.2',
        '1.0.0-beta.10',
        '1.0.0',
        '1.0.0.1',
        '1.0.1',
        '1.10',
      ),
      ['1.0', '=', '1.0.0.0'],
      ['1.0.0-BETA', '=', '1.0.0-beta'],
      ['1.0.0+a', '=', '1.0.0+b'],
      ['1.0.01', '=', '1.0.1'],
    ]);
    const nuget = schemeFor('NuGet');
    expect(nuget.parse('1.0.0.1-beta+meta')).toBeDefined();
    expect(nuget.parse('1.0.0.0.0')).toBeUndefined();
    expect(nuget.parse('3000000000.0')).toBeUndefined();
  });
});

describe('Packagist', () => {
  it('orders stability suffixes dev < alpha < beta < RC < release < patch, with a v prefix', () => {
    checkTable('Packagist', [
      ...ascending('dev-master', '1.0-dev', '1.0a1', '1.0b1', '1.0RC1', '1.0', '1.0pl1', '1.1', '1.10'),
      ['1.0rc1', '=', '1.0RC1'],
      ['1.0-alpha1', '=', '1.0a1'],
      ['1.0-patch1', '=', '1.0pl1'],
      ['v1.0', '=', '1.0'],
      ['1.0_1', '=', '1.0.1'],
    ]);
  });

  it("keeps version_compare's quirks, which OSV matches with", () => {
    checkTable('Packagist', [
      ['1.0.0', '>', '1.0'],
      ['1.0.0-stable', '<', '1.0.0-beta1'],
      ['1.0pl1', '>', '1.0.1'],
      ['1.0.0-ALPHA1', '=', '1.0.0-BETA1'],
    ]);
    const packagist = schemeFor('Packagist');
    expect(packagist.parse('v1.0.0-beta2')).toBeDefined();
    expect(packagist.parse('dev-master')).toBeDefined();
    expect(packagist.parse('1.0.x-dev')).toBeDefined();
    expect(packagist.parse('1.0.0-foo')).toBeUndefined();
    expect(packagist.parse('1.0.0.0.0')).toBeUndefined();
  });
});

describe('orders at the edges: several digits, spacing, strings that are barely versions', () => {
  it('npm: versions only read leniently keep every digit, and strings that are not versions sort first', () => {
    checkTable('npm', [
      ['1.2 ', '=', '1.2.0'],
      ['10.2', '>', '9.2'],
      ['1.2.10.5', '>', '1.2.9'],
      ['1.2.3.45', '=', '1.2.3'],
      ['1.2.3.4', '=', '1.2.3'],
      ['x1.2', '<', '0.0.1'],
      ['1.2x', '<', '0.0.1'],
    ]);
  });

  it('NuGet: parts beyond the fourth, numeric labels below alphanumeric ones, strings that are not versions', () => {
    checkTable('NuGet', [
      ['1.0.0.0.0', '=', '1.0'],
      ['1.0.0.0.1', '>', '1.0'],
      ['10.0', '>', '2.0'],
      ['1.0.0-100000', '<', '1.0.0-a'],
      ['abc', '<', 'abd'],
      ['x1.0', '<', '0.1'],
      ['1.0x', '<', '0.5'],
    ]);
    expect(schemeFor('NuGet').parse('2147483647.0.0')).toBeDefined();
  });

  it('PyPI: epochs of several digits, spaces around a version, alphanumeric local labels', () => {
    checkTable('PyPI', [
      ['10!1.0', '>', '9!2.0'],
      [' 1.0 ', '=', '1.0'],
      ['1.0+abc', '<', '1.0+abd'],
      ['1.0+abc.1', '<', '1.0+abd.0'],
    ]);
  });

  it('PyPI: legacy versions in the order packaging’s LegacyVersion gives them', () => {
    // Computed with packaging 21's _legacy_cmpkey (pre/preview/rc → c, dev → @, `-` → final-, zero-padded numbers).
    const groups = [
      ['ab-x'],
      ['b-x'],
      ['foo'],
      ['foo.final'],
      ['foo-'],
      ['0.9-dev.pre-x'],
      ['1.0-dev-x', '1.0-@-x'],
      ['1.0-a-x', '1.0a-x'],
      ['1.0-aa'],
      ['1.0-ab'],
      ['1.0-beta-x'],
      ['1.0-pre-final-x'],
      ['1.0-pre-x', '1.0-c-x', '1.0-preview-x', '1.0-pre.0-x'],
      ['1.0-rc1-x', '1.0-c1-x'],
      ['1.0-final-x'],
      ['1.0--x'],
      ['1.0-x', '1.0-X', '1.0.0-x', '1.0-x.0'],
      ['1.0-x.00.1'],
      ['1.0-1-x'],
      ['1.0.x'],
      ['1.9-x'],
      ['1.10-x'],
      ['2.0_x'],
      ['9.0-x'],
      ['10.0-x'],
    ];
    for (const group of groups)
      expect([group[0], schemeFor('PyPI').parse(group[0]!)]).toEqual([group[0], undefined]);
    checkTable('PyPI', [
      ...ascending(...groups.map((g) => g[0]!)),
      ...groups.flatMap((g) => g.slice(1).map((v): [string, Op, string] => [g[0]!, '=', v])),
    ]);
  });

  it('crates.io: surrounding spaces are no plain SemVer', () => {
    expect(schemeFor('crates.io').parse('1.0.0 ')).toBeUndefined();
  });

  it('Maven: characters that are neither digit nor letter are qualifiers; `sp` ranks below unknown qualifiers; a blank is no version', () => {
    checkTable('Maven', [
      ['1.0+1', '<', '1.0.1'],
      ['1.0-sp', '<', '1.0-abc'],
    ]);
    expect(schemeFor('Maven').parse('')).toBeUndefined();
    expect(schemeFor('Maven').parse('  ')).toBeUndefined();
  });

  it('Packagist: special forms alone and unknown ones, branch names, build metadata, lower-case stabilities', () => {
    checkTable('Packagist', [
      ['alpha', '<', 'beta'],
      ['1.0-foo', '<', '1.0-dev'],
      ['1.0-foo', '<', '1.0-alpha'],
      ['dev-my-branch', '<', 'dev-master'],
    ]);
    const packagist = schemeFor('Packagist');
    expect(packagist.parse('1.0.0+build1')).toBeDefined();
    expect(packagist.parse('1.0.0-rc1')).toBeDefined();
    expect(packagist.parse('1.0.0-BETA1')).toBeDefined();
  });

  it('RubyGems: runs of letters, strings with no run, and the version pattern’s spaces and digits', () => {
    checkTable('RubyGems', [
      ['1.0.b', '<', '1.0.beta'],
      ['...', '=', '0'],
    ]);
    const gem = schemeFor('RubyGems');
    // Gem::Version's pattern takes a blank string (as 0); isValidVersion asks for a digit besides.
    for (const version of ['', ' 1.0 ', '10.0', '1.0.0-rc.12'])
      expect([version, gem.parse(version)]).not.toEqual([version, undefined]);
    for (const version of ['x1.0', 'beta'])
      expect([version, gem.parse(version)]).toEqual([version, undefined]);
  });
});

describe('every scheme', () => {
  const versionish = fc.oneof(
    fc.stringMatching(/^v?[0-9]{1,3}(\.[0-9]{1,3}){0,4}([-._]?[a-zA-Z]{1,5}[0-9]{0,2})?(\+[a-z0-9]{1,3})?$/),
    fc.string({ maxLength: 8 }),
  );

  it('is registered for each ecosystem', () => {
    expect(Object.keys(VERSION_SCHEMES).sort()).toEqual([...ECOSYSTEMS].sort());
    for (const ecosystem of ECOSYSTEMS) expect(schemeFor(ecosystem).ecosystem).toBe(ecosystem);
  });

  it.each([...ECOSYSTEMS])(
    '%s: returns -1, 0 or 1, antisymmetric, reflexive, for any string',
    (ecosystem) => {
      fc.assert(
        fc.property(versionish, versionish, (a, b) => {
          const forward = compareVersions(ecosystem, a, b);
          expect([-1, 0, 1]).toContain(forward);
          expect(compareVersions(ecosystem, b, a)).toBe(0 - forward);
          expect(compareVersions(ecosystem, a, a)).toBe(0);
        }),
      );
    },
  );

  // Maven's and PHP's orders are not transitive around mixed separators and `#` parts, so only these are checked.
  it.each(['npm', 'crates.io', 'Go', 'PyPI', 'RubyGems', 'NuGet'] as const)(
    '%s: is transitive',
    (ecosystem) => {
      fc.assert(
        fc.property(versionish, versionish, versionish, (a, b, c) => {
          const [x, y, z] = [a, b, c].sort((p, q) => compareVersions(ecosystem, p, q));
          expect(compareVersions(ecosystem, x!, z!)).toBeLessThanOrEqual(0);
          expect(compareVersions(ecosystem, x!, y!)).toBeLessThanOrEqual(0);
          expect(compareVersions(ecosystem, y!, z!)).toBeLessThanOrEqual(0);
        }),
        { numRuns: 500 },
      );
    },
  );
});
