import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import { intervalsOverlap, readRange, type VersionRange } from '../../src/versions/ranges.js';

function range(ecosystem: Ecosystem, spec: string): VersionRange {
  const read = readRange(ecosystem, spec);
  if (!('range' in read)) throw new Error(`${ecosystem} ${spec}: ${JSON.stringify(read)}`);
  return read.range;
}

/** Which of the versions the requirement admits. */
function admitted(ecosystem: Ecosystem, spec: string, versions: string[]): string[] {
  const r = range(ecosystem, spec);
  return versions.filter((v) => r.admits(v));
}

describe('every range syntax is read by its ecosystem’s rules', () => {
  it('npm: node-semver ranges', () => {
    expect(admitted('npm', '^4.17.0', ['4.16.9', '4.17.0', '4.17.21', '5.0.0', '5.0.0-beta.1'])).toEqual([
      '4.17.0',
      '4.17.21',
    ]);
    expect(range('npm', '^4.17.0').intervals).toEqual([
      { lower: { version: '4.17.0', inclusive: true }, upper: { version: '5.0.0-0', inclusive: false } },
    ]);
    expect(readRange('npm', 'latest')).toEqual({ tag: 'latest' });
  });

  it('PyPI: PEP 440 specifiers, `>` lower bounds included', () => {
    expect(admitted('PyPI', '>1.0,<2.0', ['1.0', '1.0.1', '1.9', '2.0'])).toEqual(['1.0.1', '1.9']);
    expect(range('PyPI', '>1.0,<2.0').intervals).toEqual([
      { lower: { version: '1.0', inclusive: false }, upper: { version: '2.0', inclusive: false } },
    ]);
    expect(admitted('PyPI', '~=1.4.5', ['1.4.4', '1.4.5', '1.4.9', '1.5'])).toEqual(['1.4.5', '1.4.9']);
    expect(range('PyPI', '~=1.4.5').intervals[0]?.upper).toEqual({ version: '1.5', inclusive: false });
    expect(range('PyPI', '==2.2.*').intervals[0]).toEqual({
      lower: { version: '2.2', inclusive: true },
      upper: { version: '2.3', inclusive: false },
    });
  });

  it('PyPI: Poetry constraints (^, ~, *, ||, spaces between clauses)', () => {
    expect(admitted('PyPI', '^3.0.6', ['3.0.5', '3.0.6', '3.2.19', '4.0'])).toEqual(['3.0.6', '3.2.19']);
    expect(admitted('PyPI', '^0.2.3', ['0.2.3', '0.2.9', '0.3.0'])).toEqual(['0.2.3', '0.2.9']);
    expect(admitted('PyPI', '~1.2', ['1.1', '1.2.0', '1.2.9', '1.3'])).toEqual(['1.2.0', '1.2.9']);
    expect(admitted('PyPI', '1.*', ['0.9', '1.0', '1.9.9', '2.0'])).toEqual(['1.0', '1.9.9']);
    expect(admitted('PyPI', '^1.0 || ^3.0', ['1.5', '2.5', '3.5'])).toEqual(['1.5', '3.5']);
    expect(admitted('PyPI', '>= 2.1 < 2.5', ['2.0', '2.1', '2.4', '2.5'])).toEqual(['2.1', '2.4']);
    expect(readRange('PyPI', '^^3')).toEqual({
      reason: "'^^3' is neither a PEP 440 version specifier nor a Poetry constraint",
    });
  });

  it('crates.io: a bare version is a caret requirement', () => {
    expect(admitted('crates.io', '0.8.0', ['0.7.9', '0.8.0', '0.8.5', '0.9.0'])).toEqual(['0.8.0', '0.8.5']);
    expect(admitted('crates.io', '1.2', ['1.1.0', '1.2.0', '1.9.0', '2.0.0'])).toEqual(['1.2.0', '1.9.0']);
    expect(admitted('crates.io', '>=0.2, <0.3', ['0.1.0', '0.2.7', '0.3.0'])).toEqual(['0.2.7']);
    expect(admitted('crates.io', '~0.2.1', ['0.2.0', '0.2.1', '0.2.9', '0.3.0'])).toEqual(['0.2.1', '0.2.9']);
    expect(admitted('crates.io', '=1.2.3', ['1.2.3', '1.2.4'])).toEqual(['1.2.3']);
    expect('reason' in readRange('crates.io', 'workspace')).toBe(true);
  });

  it('RubyGems: ~> is pessimistic', () => {
    expect(admitted('RubyGems', '~> 5.2', ['5.1.9', '5.2', '5.9.1', '6.0.0'])).toEqual(['5.2', '5.9.1']);
    expect(admitted('RubyGems', '~> 5.2.1', ['5.2.0', '5.2.1', '5.2.8', '5.3.0'])).toEqual([
      '5.2.1',
      '5.2.8',
    ]);
    expect(admitted('RubyGems', '>= 4.0, < 6', ['3.9', '4.0', '5.9', '6.0'])).toEqual(['4.0', '5.9']);
    expect(admitted('RubyGems', '~> 5.2', ['5.3.0.rc1'])).toEqual([]);
  });

  it('Packagist: Composer constraints', () => {
    const versions = ['1.1.0', '1.2.0', '1.2.5', '1.3.0', '2.0.0', '2.1.0'];
    expect(admitted('Packagist', '^1.2', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0']);
    expect(admitted('Packagist', '~1.2', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0']);
    expect(admitted('Packagist', '~1.2.0', versions)).toEqual(['1.2.0', '1.2.5']);
    expect(admitted('Packagist', '1.2.*', versions)).toEqual(['1.2.0', '1.2.5']);
    expect(admitted('Packagist', '^1.2 || ^2.1', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0', '2.1.0']);
    expect(admitted('Packagist', '>=1.2 <2.0', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0']);
    expect(admitted('Packagist', '1.2 - 1.3', versions)).toEqual(['1.2.0', '1.2.5', '1.3.0']);
    expect(admitted('Packagist', 'v1.2.5@stable', versions)).toEqual(['1.2.5']);
    expect('reason' in readRange('Packagist', 'dev-main')).toBe(true);
  });

  it('NuGet: interval notation, floating versions, a bare version as a minimum', () => {
    const versions = ['0.9.0', '1.0.0', '1.5.0', '2.0.0', '2.1.0'];
    expect(admitted('NuGet', '[1.0,2.0)', versions)).toEqual(['1.0.0', '1.5.0']);
    expect(admitted('NuGet', '(1.0,]', versions)).toEqual(['1.5.0', '2.0.0', '2.1.0']);
    expect(admitted('NuGet', '(,1.0]', versions)).toEqual(['0.9.0', '1.0.0']);
    expect(admitted('NuGet', '[1.5.0]', versions)).toEqual(['1.5.0']);
    expect(admitted('NuGet', '1.*', versions)).toEqual(['1.0.0', '1.5.0']);
    expect(admitted('NuGet', '1.5.0', versions)).toEqual(['1.5.0', '2.0.0', '2.1.0']);
  });

  it('Maven: interval notation with unions, and a soft requirement', () => {
    const versions = ['0.9', '1.0', '1.1', '1.2', '2.0'];
    expect(admitted('Maven', '[1.0,2.0)', versions)).toEqual(['1.0', '1.1', '1.2']);
    expect(admitted('Maven', '(,1.0],[1.2,)', versions)).toEqual(['0.9', '1.0', '1.2', '2.0']);
    expect(admitted('Maven', '1.1', versions)).toEqual(['1.1']);
    expect('reason' in readRange('Maven', '[1.0,2.0')).toBe(true);
  });

  it('Go: versions are exact; queries by prefix or comparison', () => {
    const versions = ['v1.1.0', 'v1.2.0', 'v1.2.5', 'v2.0.0'];
    expect(admitted('Go', 'v1.2.0', versions)).toEqual(['v1.2.0']);
    expect(admitted('Go', 'v1.2', versions)).toEqual(['v1.2.0', 'v1.2.5']);
    expect(admitted('Go', '<v1.2.5', versions)).toEqual(['v1.1.0', 'v1.2.0']);
    expect(readRange('Go', 'latest')).toEqual({
      reason: "'latest' is a Go module query: what it resolves to needs the module proxy",
    });
  });

  it('tells whether a range reaches into an affected interval, however its lower bound is written', () => {
    const affected = { upper: { version: '1.0.1', inclusive: false } };
    expect(intervalsOverlap('PyPI', range('PyPI', '>1.0,<2.0').intervals[0]!, affected)).toBe(true);
    expect(intervalsOverlap('PyPI', range('PyPI', '>=1.0.1,<2.0').intervals[0]!, affected)).toBe(false);
    expect(
      intervalsOverlap('npm', range('npm', '^4.17.21').intervals[0]!, {
        upper: { version: '4.17.21', inclusive: false },
      }),
    ).toBe(false);
  });
});

/** What a range says about itself, beyond which versions it admits. */
function shape(ecosystem: Ecosystem, spec: string) {
  const { lows, namesPrerelease, intervals } = range(ecosystem, spec);
  return { lows, namesPrerelease, intervals };
}

const incl = (version: string) => ({ version, inclusive: true });
const excl = (version: string) => ({ version, inclusive: false });

describe('the lowest versions, the pre-releases named and the intervals of a range', () => {
  it('npm: one interval per alternative, the lowest version of each', () => {
    expect(shape('npm', '1.x || >=2.5.0 <3')).toEqual({
      lows: ['1.0.0', '2.5.0'],
      namesPrerelease: false,
      intervals: [
        { lower: incl('1.0.0'), upper: excl('2.0.0-0') },
        { lower: incl('2.5.0'), upper: excl('3.0.0-0') },
      ],
    });
    expect(shape('npm', '<2.0.0')).toEqual({
      lows: ['0.0.0'],
      namesPrerelease: false,
      intervals: [{ upper: excl('2.0.0') }],
    });
    expect(shape('npm', '1.2.3').intervals).toEqual([{ lower: incl('1.2.3'), upper: incl('1.2.3') }]);
    expect(shape('npm', '>=1.0.0-beta.2').namesPrerelease).toBe(true);
    expect(shape('npm', 'x')).toEqual({ lows: ['0.0.0'], namesPrerelease: false, intervals: [{}] });
  });

  it('npm: the tighter of two bounds on the same side wins, exclusive over inclusive at the same version', () => {
    expect(shape('npm', '>=1.0.0 >1.0.0 <=2.0.0 <2.0.0').intervals).toEqual([
      { lower: excl('1.0.0'), upper: excl('2.0.0') },
    ]);
    expect(shape('npm', '>1.0.0 >=1.0.0 <2.0.0 <=2.0.0').intervals).toEqual([
      { lower: excl('1.0.0'), upper: excl('2.0.0') },
    ]);
    expect(shape('npm', '>=1.5.0 >=1.0.0 <3.0.0 <2.0.0').intervals).toEqual([
      { lower: incl('1.5.0'), upper: excl('2.0.0') },
    ]);
    expect(shape('npm', '>=1.0.0 >=1.5.0 <2.0.0 <3.0.0').intervals).toEqual([
      { lower: incl('1.5.0'), upper: excl('2.0.0') },
    ]);
    expect(shape('npm', '>=1.5.0 >1.0.0 <2.0.0 <=3.0.0').intervals).toEqual([
      { lower: incl('1.5.0'), upper: excl('2.0.0') },
    ]);
  });

  it('npm: admits only valid versions, pre-releases when asked for', () => {
    const r = range('npm', '^1.0.0');
    expect(r.admits('1.1.0-rc.1')).toBe(false);
    expect(r.admits('1.1.0-rc.1', { prereleases: true })).toBe(true);
    expect(r.admits('1.1.0-rc.1', { prereleases: false })).toBe(false);
    expect(r.admits('banana')).toBe(false);
    expect(r.admits('v1.2.0')).toBe(true);
  });

  it('PyPI: lows only where the specifier says where it starts', () => {
    expect(shape('PyPI', '>1.0,<2.0').lows).toEqual([]);
    expect(shape('PyPI', '>=1.0,<=2.0')).toEqual({
      lows: ['1.0'],
      namesPrerelease: false,
      intervals: [{ lower: incl('1.0'), upper: incl('2.0') }],
    });
    expect(shape('PyPI', '<2.0')).toEqual({
      lows: ['0'],
      namesPrerelease: false,
      intervals: [{ upper: excl('2.0') }],
    });
    expect(shape('PyPI', '==1.4.*')).toEqual({
      lows: ['1.4'],
      namesPrerelease: false,
      intervals: [{ lower: incl('1.4'), upper: excl('1.5') }],
    });
    expect(shape('PyPI', '===1.0').intervals).toEqual([{ lower: incl('1.0'), upper: incl('1.0') }]);
    expect(shape('PyPI', '==1.0').lows).toEqual(['1.0']);
    expect(shape('PyPI', '~=2.2')).toEqual({
      lows: ['2.2'],
      namesPrerelease: false,
      intervals: [{ lower: incl('2.2'), upper: excl('3') }],
    });
    expect(shape('PyPI', '!=1.3')).toEqual({ lows: ['0'], namesPrerelease: false, intervals: [{}] });
  });

  it('PyPI: what `!=` cuts out, the version 0, and pre-releases', () => {
    const r = range('PyPI', '!=1.3');
    expect([r.admits('1.3'), r.admits('1.3.0'), r.admits('1.4')]).toEqual([false, false, true]);
    // `0` is a version like any other (PyPI has releases called 0), not "from the first".
    expect(range('PyPI', '>=5').admits('0')).toBe(false);
    expect(range('PyPI', '<5').admits('0')).toBe(true);
    expect(range('PyPI', '>=1.0').admits('1.1rc1')).toBe(false);
    expect(range('PyPI', '>=1.0').admits('1.1rc1', { prereleases: true })).toBe(true);
    expect(range('PyPI', '>=1.0').admits('not a version')).toBe(false);
    for (const spec of ['>=2.0rc1', '>=2.0b2', '>=2.0a1', '>=2.0.dev1', '>=2.0-rc.1', '==2.0c1'])
      expect([spec, shape('PyPI', spec).namesPrerelease]).toEqual([spec, true]);
    expect(shape('PyPI', '>=2.0.post1').namesPrerelease).toBe(false);
  });

  it('PyPI: Poetry caret and tilde bounds, bare versions and `*` inside a set', () => {
    expect(shape('PyPI', '^1.0 || ^3.0')).toEqual({
      lows: ['1.0', '3.0'],
      namesPrerelease: false,
      intervals: [
        { lower: incl('1.0'), upper: excl('2') },
        { lower: incl('3.0'), upper: excl('4') },
      ],
    });
    expect(shape('PyPI', '^0.0.3').intervals).toEqual([{ lower: incl('0.0.3'), upper: excl('0.0.4') }]);
    expect(shape('PyPI', '^0').intervals).toEqual([{ lower: incl('0'), upper: excl('1') }]);
    expect(shape('PyPI', '^0.0').intervals).toEqual([{ lower: incl('0.0'), upper: excl('0.1') }]);
    expect(shape('PyPI', '~1').intervals).toEqual([{ lower: incl('1'), upper: excl('2') }]);
    expect(shape('PyPI', '~1.2.3').intervals).toEqual([{ lower: incl('1.2.3'), upper: excl('1.3') }]);
    expect(admitted('PyPI', '1.2.3 || 2.0', ['1.2.3', '1.2.4', '2.0'])).toEqual(['1.2.3', '2.0']);
    expect(admitted('PyPI', '>=1.0 *', ['0.9', '1.0'])).toEqual(['1.0']);
    expect(shape('PyPI', '^1 || *')).toEqual({
      lows: ['1', '0'],
      namesPrerelease: false,
      intervals: [{ lower: incl('1'), upper: excl('2') }, { lower: incl('0') }],
    });
    expect(readRange('PyPI', '^1 || ')).toEqual({
      reason: "'^1 ||' is neither a PEP 440 version specifier nor a Poetry constraint",
    });
  });

  it('crates.io: wildcards stay wildcards, empty clauses and junk are refused', () => {
    expect(shape('crates.io', '0.8.0')).toEqual({
      lows: ['0.8.0'],
      namesPrerelease: false,
      intervals: [{ lower: incl('0.8.0'), upper: excl('0.9.0-0') }],
    });
    expect(admitted('crates.io', '1.*', ['0.9.0', '1.0.0', '1.9.9', '2.0.0'])).toEqual(['1.0.0', '1.9.9']);
    expect(readRange('crates.io', '>=1.0, ')).toEqual({
      reason: "'>=1.0,' is not a Cargo version requirement",
    });
    expect(readRange('crates.io', '^^1')).toEqual({ reason: "'^^1' is not a Cargo version requirement" });
  });

  it('RubyGems: the pessimistic bump, other operators and what a version 0 means', () => {
    expect(shape('RubyGems', '~> 2.1')).toEqual({
      lows: ['2.1'],
      namesPrerelease: false,
      intervals: [{ lower: incl('2.1'), upper: excl('3') }],
    });
    expect(shape('RubyGems', '~> 2').intervals).toEqual([{ lower: incl('2'), upper: excl('3') }]);
    expect(shape('RubyGems', '~> 1.0.0.rc1')).toEqual({
      lows: ['1.0.0.rc1'],
      namesPrerelease: true,
      intervals: [{ lower: incl('1.0.0.rc1'), upper: excl('1.1') }],
    });
    expect(shape('RubyGems', '> 1.0').lows).toEqual([]);
    expect(shape('RubyGems', '!= 1.2')).toEqual({ lows: ['0'], namesPrerelease: false, intervals: [{}] });
    expect(admitted('RubyGems', '!= 1.2', ['1.1', '1.2', '1.3'])).toEqual(['1.1', '1.3']);
    expect(admitted('RubyGems', '= 1.0', ['1.0', '1.0.1'])).toEqual(['1.0']);
    expect(admitted('RubyGems', '1.0', ['1.0', '1.0.1'])).toEqual(['1.0']);
    expect(admitted('RubyGems', '<= 1.0', ['0.9', '1.0', '1.0.1'])).toEqual(['0.9', '1.0']);
    expect(admitted('RubyGems', '>= 1.0.0.rc1', ['1.0.0.rc2', '0.9'])).toEqual(['1.0.0.rc2']);
    expect(range('RubyGems', '>= 1.0').admits('1.1.rc1')).toBe(false);
    expect(range('RubyGems', '>= 1.0').admits('1.1.rc1', { prereleases: true })).toBe(true);
    expect(range('RubyGems', '< 2').admits('0')).toBe(true);
    expect(range('RubyGems', '>= 1').admits('0')).toBe(false);
    expect(readRange('RubyGems', '~> 1.0, garbage')).toEqual({
      reason: "'~> 1.0, garbage' is not a RubyGems version requirement",
    });
  });

  it('Packagist: caret, tilde, wildcard and hyphen bounds, filled to three parts', () => {
    expect(shape('Packagist', '^0.3').intervals).toEqual([{ lower: incl('0.3.0'), upper: excl('0.4.0') }]);
    expect(shape('Packagist', '^1.2.3-beta')).toEqual({
      lows: ['1.2.3-beta'],
      namesPrerelease: true,
      intervals: [{ lower: incl('1.2.3-beta'), upper: excl('2.0.0') }],
    });
    expect(shape('Packagist', '~1.2').intervals).toEqual([{ lower: incl('1.2.0'), upper: excl('2.0.0') }]);
    expect(shape('Packagist', '~1.2.3').intervals).toEqual([{ lower: incl('1.2.3'), upper: excl('1.3.0') }]);
    expect(shape('Packagist', '1.0.*').intervals).toEqual([{ lower: incl('1.0.0'), upper: excl('1.1.0') }]);
    expect(shape('Packagist', '1.0 - 2.0').intervals).toEqual([
      { lower: incl('1.0.0'), upper: excl('2.1.0') },
    ]);
    expect(shape('Packagist', 'v1.0 - v2.0.5').intervals).toEqual([
      { lower: incl('1.0.0'), upper: incl('2.0.5') },
    ]);
    expect(shape('Packagist', '>= 1.0, < 2.0')).toEqual({
      lows: ['1.0'],
      namesPrerelease: false,
      intervals: [{ lower: incl('1.0'), upper: excl('2.0') }],
    });
    expect(shape('Packagist', '>1.0 || <0.5').lows).toEqual(['0']);
    expect(admitted('Packagist', '<>1.5', ['1.4.0', '1.5', '1.6.0'])).toEqual(['1.4.0', '1.6.0']);
    expect(admitted('Packagist', '==1.5.0', ['1.4.0', '1.5.0', '1.6.0'])).toEqual(['1.5.0']);
    expect(admitted('Packagist', '>=v1.2@dev', ['1.1.0', '1.2.0'])).toEqual(['1.2.0']);
    expect(admitted('Packagist', '* || 1.0.0', ['0.1.0'])).toEqual(['0.1.0']);
    expect(readRange('Packagist', '1.*.3')).toEqual({
      reason: "'1.*.3' is not a Composer version constraint",
    });
  });

  it('NuGet: one interval only; exclusive ends and exact versions', () => {
    expect(shape('NuGet', '1.2.*')).toEqual({
      lows: ['1.2'],
      namesPrerelease: false,
      intervals: [{ lower: incl('1.2'), upper: excl('1.3') }],
    });
    expect(shape('NuGet', '1.0')).toEqual({
      lows: ['1.0'],
      namesPrerelease: false,
      intervals: [{ lower: incl('1.0') }],
    });
    expect(shape('NuGet', '(1.0,2.0)')).toEqual({
      lows: [],
      namesPrerelease: false,
      intervals: [{ lower: excl('1.0'), upper: excl('2.0') }],
    });
    expect(shape('NuGet', '[ 1.0 , 2.0 ]').intervals).toEqual([{ lower: incl('1.0'), upper: incl('2.0') }]);
    expect(shape('NuGet', '[1.5.0]').intervals).toEqual([{ lower: incl('1.5.0'), upper: incl('1.5.0') }]);
    for (const spec of ['[1.0,2.0),[3.0,)', '[1.0', '(1.0)', '[]', '[1.0,2.0)x'])
      expect(readRange('NuGet', spec)).toEqual({ reason: `'${spec}' is not a NuGet version range` });
  });

  it('Maven: unions of intervals, exact versions in brackets', () => {
    expect(shape('Maven', '(,1.0],[1.2,)')).toEqual({
      lows: ['0', '1.2'],
      namesPrerelease: false,
      intervals: [{ upper: incl('1.0') }, { lower: incl('1.2') }],
    });
    expect(shape('Maven', '[1.0]').intervals).toEqual([{ lower: incl('1.0'), upper: incl('1.0') }]);
    expect(shape('Maven', '1.1').intervals).toEqual([{ lower: incl('1.1'), upper: incl('1.1') }]);
    expect(admitted('Maven', '[1.0,1.1],[2.0]', ['0.9', '1.0', '1.1', '1.2', '2.0'])).toEqual([
      '1.0',
      '1.1',
      '2.0',
    ]);
    for (const spec of ['[1.0,2.0', '(1.0)', '[1.0],,'])
      expect(readRange('Maven', spec)).toEqual({ reason: `'${spec}' is not a Maven version range` });
  });

  it('Go: the line of a major or a minor, comparisons, exact versions', () => {
    expect(shape('Go', 'v1').intervals).toEqual([{ lower: incl('v1.0.0'), upper: excl('v2.0.0') }]);
    expect(shape('Go', 'v1.9').intervals).toEqual([{ lower: incl('v1.9.0'), upper: excl('v1.10.0') }]);
    expect(shape('Go', '>v1.2.0')).toEqual({
      lows: [],
      namesPrerelease: false,
      intervals: [{ lower: excl('v1.2.0') }],
    });
    expect(shape('Go', '<=v1.2.0').intervals).toEqual([{ upper: incl('v1.2.0') }]);
    expect(shape('Go', 'v1.2.3-rc.1')).toEqual({
      lows: ['v1.2.3-rc.1'],
      namesPrerelease: true,
      intervals: [{ lower: incl('v1.2.3-rc.1'), upper: incl('v1.2.3-rc.1') }],
    });
  });

  it('an empty or `*` requirement admits everything from the first version', () => {
    for (const spec of [undefined, '', '  ', '*', ' * '])
      expect(readRange('Maven', spec)).toEqual({
        range: expect.objectContaining({ lows: ['0'], namesPrerelease: false, intervals: [{}] }),
      });
    const any = readRange('npm', '*');
    expect('range' in any && any.range.admits('0.0.1-alpha')).toBe(true);
  });

  it('intervals that only touch at a version overlap only when both include it', () => {
    const at = (
      lower: { version: string; inclusive: boolean },
      upper: { version: string; inclusive: boolean },
    ) => ({
      lower,
      upper,
    });
    expect(intervalsOverlap('PyPI', at(incl('1.0'), incl('1.0')), at(incl('1.0'), incl('2.0')))).toBe(true);
    expect(intervalsOverlap('PyPI', at(excl('1.0'), incl('2.0')), at(incl('0.5'), incl('1.0')))).toBe(false);
    expect(intervalsOverlap('PyPI', at(incl('1.0'), incl('2.0')), at(incl('0.5'), excl('1.0')))).toBe(false);
    expect(intervalsOverlap('PyPI', at(incl('2.1'), incl('3.0')), at(incl('0.5'), incl('2.0')))).toBe(false);
    expect(intervalsOverlap('PyPI', {}, at(incl('0.5'), incl('2.0')))).toBe(true);
    expect(intervalsOverlap('PyPI', at(incl('0.5'), incl('2.0')), {})).toBe(true);
  });
});

/** The reason readRange gives, or the range's shape. */
const reasonOf = (ecosystem: Ecosystem, spec: string) => {
  const read = readRange(ecosystem, spec);
  return 'reason' in read ? read.reason : undefined;
};

describe('range syntax at its edges: spacing, separators, several digits, what is refused', () => {
  it('npm: loose ranges and versions as npm reads them, and what no range is', () => {
    expect(shape('npm', '>=1.2.3beta')).toEqual({
      lows: ['1.2.3-beta'],
      namesPrerelease: true,
      intervals: [{ lower: incl('1.2.3-beta') }],
    });
    expect(range('npm', '>=1.0.0').admits('=1.2.0')).toBe(true);
    expect(readRange('npm', '^^1')).toEqual({
      reason: "'^^1' is not a semver range: what it installs needs registry data",
    });
    expect(shape('npm', '>2.0.0 <1.0.0')).toEqual({
      lows: [],
      namesPrerelease: false,
      intervals: [{ lower: excl('2.0.0'), upper: excl('1.0.0') }],
    });
  });

  it('npm: a pre-release named in any alternative or comparator counts, node-semver’s own `-0` does not', () => {
    expect(shape('npm', '>=1.0.0-beta || 2.x').namesPrerelease).toBe(true);
    expect(shape('npm', '2.x || >=1.0.0-beta <1.5.0').namesPrerelease).toBe(true);
    expect(shape('npm', '>=1.0.0-0').namesPrerelease).toBe(true);
    expect(shape('npm', '<2.0.0-beta').namesPrerelease).toBe(true);
    expect(shape('npm', '^1.2.3').namesPrerelease).toBe(false);
  });

  it('crates.io: a bare version after a comma and a space is a caret requirement too', () => {
    expect(admitted('crates.io', '>=0.1.0, 0.8.0', ['0.7.0', '0.8.0', '0.8.5', '0.9.0'])).toEqual([
      '0.8.0',
      '0.8.5',
    ]);
  });

  it('PyPI: Poetry alternatives with or without spaces, one bar or two; spaces after operators', () => {
    const versions = ['1.5', '2.5', '3.5'];
    for (const spec of ['^1.0||^3.0', '^1.0|^3.0', '^1.0 | ^3.0', '^1.0 ||^3.0', '^1.0|| ^3.0'])
      expect([spec, admitted('PyPI', spec, versions)]).toEqual([spec, ['1.5', '3.5']]);
    expect(admitted('PyPI', '>=  2.1  <  2.5', ['2.0', '2.1', '2.4', '2.5'])).toEqual(['2.1', '2.4']);
    expect(shape('PyPI', '>=2.0rc1 || ^1.0').namesPrerelease).toBe(true);
  });

  it('PyPI: Poetry carets and tildes on numbers of several digits; anything else after them is refused', () => {
    expect(shape('PyPI', '^10.2').intervals).toEqual([{ lower: incl('10.2'), upper: excl('11') }]);
    expect(shape('PyPI', '^1.10').intervals).toEqual([{ lower: incl('1.10'), upper: excl('2') }]);
    expect(shape('PyPI', '~10.2').intervals).toEqual([{ lower: incl('10.2'), upper: excl('10.3') }]);
    expect(shape('PyPI', '~1.10').intervals).toEqual([{ lower: incl('1.10'), upper: excl('1.11') }]);
    for (const spec of ['^1.2.x', '~1.2.x', '>~1.2'])
      expect(reasonOf('PyPI', spec)).toBe(
        `'${spec}' is neither a PEP 440 version specifier nor a Poetry constraint`,
      );
  });

  it('PyPI: `~=` ends in the same epoch, after numbers of several digits, with or without a `v`', () => {
    expect(shape('PyPI', '~=1!2.0').intervals).toEqual([{ lower: incl('1!2.0'), upper: excl('1!3') }]);
    expect(shape('PyPI', '~=10!2.0').intervals).toEqual([{ lower: incl('10!2.0'), upper: excl('10!3') }]);
    expect(admitted('PyPI', '~=1!2.0', ['2.5', '1!2.5', '1!3.0'])).toEqual(['1!2.5']);
    expect(shape('PyPI', '~=10.2').intervals[0]?.upper).toEqual(excl('11'));
    expect(shape('PyPI', '~=1.10.0').intervals[0]?.upper).toEqual(excl('1.11'));
    expect(shape('PyPI', '~=v1.0').intervals[0]?.upper).toEqual(excl('2'));
  });

  it('PyPI: of two bounds on one side the tighter wins, by PEP 440 order', () => {
    expect(shape('PyPI', '>=1.10,>=1.9').intervals).toEqual([{ lower: incl('1.10') }]);
  });

  it('RubyGems: spaces around clauses; junk before or after a clause is refused; the bump of multi-digit and lettered segments', () => {
    expect(admitted('RubyGems', '>= 1.0 , < 2', ['0.9', '1.0', '1.9', '2.0'])).toEqual(['1.0', '1.9']);
    for (const spec of ['v1.0', '>= 1.0 junk'])
      expect(reasonOf('RubyGems', spec)).toBe(`'${spec}' is not a RubyGems version requirement`);
    expect(shape('RubyGems', '~> 1.10.3').intervals).toEqual([
      { lower: incl('1.10.3'), upper: excl('1.11') },
    ]);
    expect(shape('RubyGems', '~> 1.0.0rc1').intervals).toEqual([
      { lower: incl('1.0.0rc1'), upper: excl('1.1') },
    ]);
  });

  it('Packagist: alternatives with or without spaces, hyphen ranges, stability flags, junk refused', () => {
    const versions = ['1.1.0', '1.2.0', '1.3.0', '2.0.0', '2.1.0'];
    for (const spec of ['^1.2||^2.1', '^1.2|^2.1', '^1.2 ||^2.1', '^1.2|| ^2.1'])
      expect([spec, admitted('Packagist', spec, versions)]).toEqual([spec, ['1.2.0', '1.3.0', '2.1.0']]);
    expect(admitted('Packagist', '>=  1.2,  <2.0', versions)).toEqual(['1.2.0', '1.3.0']);
    expect(shape('Packagist', '1.0  -  2.0').intervals).toEqual([
      { lower: incl('1.0.0'), upper: excl('2.1.0') },
    ]);
    expect(admitted('Packagist', '@dev', ['0.1.0'])).toEqual(['0.1.0']);
    expect(shape('Packagist', '>=1.0.0-rev2').intervals).toEqual([{ lower: incl('1.0.0-rev2') }]);
    for (const spec of ['>=1.0 - 2.0', '1.0 - 2.0x', '1.0@devel', 'dev-2.x', '1.0.0#abc123'])
      expect(reasonOf('Packagist', spec)).toBe(`'${spec}' is not a Composer version constraint`);
    expect(shape('Packagist', '^1.0-beta || ^2.0').namesPrerelease).toBe(true);
  });

  it('Packagist: carets and tildes on pre-releases and on numbers of several digits', () => {
    expect(shape('Packagist', '^0.0.3-beta').intervals).toEqual([
      { lower: incl('0.0.3-beta'), upper: excl('0.0.4') },
    ]);
    expect(shape('Packagist', '^0.0.x').intervals[0]?.upper).toEqual(excl('0.1.0'));
    expect(shape('Packagist', '~10.2').intervals).toEqual([{ lower: incl('10.2.0'), upper: excl('11.0.0') }]);
  });

  it('NuGet: floating versions of several digits; what is neither floating, a version nor an interval', () => {
    const versions = ['9.0', '10.0', '10.5', '11.0'];
    expect(admitted('NuGet', '10.*', versions)).toEqual(['10.0', '10.5']);
    expect(admitted('NuGet', '1.10.*', ['1.9', '1.10.2', '1.11'])).toEqual(['1.10.2']);
    for (const spec of ['(1.*', '1.*-*', '[1.0)', '(1.0]'])
      expect(reasonOf('NuGet', spec)).toBe(`'${spec}' is not a NuGet version range`);
  });

  it('Maven: exact versions only in square brackets; brackets or commas outside interval notation are refused', () => {
    for (const spec of ['[1.0)', '(1.0]', '1.0)', '1.0,2.0'])
      expect(reasonOf('Maven', spec)).toBe(`'${spec}' is not a Maven version range`);
    expect(shape('Maven', '[1.0-alpha-1,2.0),[3.0,)').namesPrerelease).toBe(true);
    const union = range('Maven', '(,1.0],[1.2,)');
    expect([union.admits('0'), union.admits('1.1'), range('Maven', '[1.2,)').admits('0')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('Go: lines of majors and minors of several digits; queries with junk around them need the proxy', () => {
    expect(shape('Go', 'v10').intervals).toEqual([{ lower: incl('v10.0.0'), upper: excl('v11.0.0') }]);
    expect(shape('Go', 'v1.10').intervals).toEqual([{ lower: incl('v1.10.0'), upper: excl('v1.11.0') }]);
    for (const spec of ['=<v1.2.0', '<v1.2.0 >v1.0.0', '=v1', 'release-v1.2.3'])
      expect(reasonOf('Go', spec)).toBe(
        `'${spec}' is a Go module query: what it resolves to needs the module proxy`,
      );
  });
});
