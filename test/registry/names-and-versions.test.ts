import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  didYouMean,
  editDistance,
  lookalikes,
  stemSuggestions,
  suggestions,
} from '../../src/analyzers/similar-names.js';
import { PopularNames } from '../../src/model/popular.js';
import type { ExistingPackage, VersionFacts } from '../../src/model/registry-facts.js';
import { admittedVersions, findVersion, installedToday, majorOf } from '../../src/versions/pick.js';

const NPM = new PopularNames('npm', 'test', [
  'react',
  'lodash',
  'express',
  'moment',
  '@babel/parser',
  '@types/node',
  'node',
  'lodash.merge',
  'chalk',
  'vue',
  '@typescript-eslint/parser',
  'cors',
  '@inquirer/expand',
  'compression',
]);
const PYPI = new PopularNames(
  'PyPI',
  'test',
  ['requests', 'numpy', 'dateutil', 'beautifulsoup4', 'scikit-learn'],
  [9, 8, 7, 6, 5],
);

function first(ecosystem: 'npm' | 'PyPI', name: string) {
  return lookalikes(ecosystem, name, ecosystem === 'npm' ? NPM : PYPI)[0];
}

describe('look-alike names', () => {
  it('finds the confusions squatters use', () => {
    expect(first('npm', 'lodahs')).toMatchObject({ name: 'lodash', confusion: 'transposed-letters' });
    expect(first('npm', 'expresss')).toMatchObject({
      name: 'express',
      confusion: 'edit-distance',
      distance: 1,
    });
    expect(first('npm', 'lodash-merge')).toMatchObject({ name: 'lodash.merge', confusion: 'separators' });
    expect(first('npm', 'reactjs')).toMatchObject({ name: 'react', confusion: 'js-suffix' });
    expect(first('npm', 'chalk.js')).toMatchObject({ name: 'chalk', confusion: 'js-suffix' });
    // A scope that looks like a popular one: only its owner could publish the real name there.
    expect(first('npm', '@typescript_eslint/parser')).toMatchObject({
      name: '@typescript-eslint/parser',
      confusion: 'scope',
    });
    expect(first('npm', '@typescript-eslimt/parser')).toMatchObject({
      name: '@typescript-eslint/parser',
      confusion: 'scope',
    });
    expect(first('PyPI', 'python-requests')).toMatchObject({ name: 'requests', confusion: 'python-affix' });
    expect(first('PyPI', 'pynumpy')).toMatchObject({ name: 'numpy', confusion: 'python-affix' });
    expect(first('PyPI', 'python-dateutil')).toMatchObject({ name: 'dateutil', confusion: 'python-affix' });
    expect(first('PyPI', 'scikit-learm')).toMatchObject({ name: 'scikit-learn', confusion: 'edit-distance' });
    expect(first('PyPI', 'beautifulsup4')).toMatchObject({ name: 'beautifulsoup4', distance: 1 });
  });

  it('leaves alone short names one letter apart, spellings of the same PyPI name, and @types companions', () => {
    expect(first('npm', 'vuex')).toBeUndefined();
    expect(first('npm', 'vua')).toBeUndefined();
    expect(first('npm', 'uve')).toMatchObject({ name: 'vue', confusion: 'transposed-letters' });
    expect(first('PyPI', 'Scikit_Learn')).toBeUndefined();
    expect(first('npm', '@types/express')).toBeUndefined();
    expect(first('npm', 'totally-different')).toBeUndefined();
  });

  it('never calls a scoped name a squat of an unscoped one, of its own scope, or the other way round', () => {
    // Real packages: a scope's owner names what it publishes as it likes.
    expect(first('npm', '@tinyhttp/cors')).toBeUndefined();
    expect(first('npm', '@polka/compression')).toBeUndefined();
    expect(first('npm', '@evil/lodash')).toBeUndefined();
    expect(first('npm', '@babel/parsr')).toBeUndefined();
    expect(first('npm', 'expand')).toBeUndefined();
    expect(first('npm', 'parser')).toBeUndefined();
  });

  it('suggests the closest popular names for a missing one', () => {
    expect(suggestions('npm', 'expres', NPM)).toEqual(['express']);
    expect(suggestions('PyPI', 'request', PYPI)[0]).toBe('requests');
  });

  it('suggests the real packages a made-up name is built on (its stems), the most words kept first', () => {
    const popular = new PopularNames('npm', 'test', ['axios', 'axios-retry', 'express', 'lodash']);
    expect(stemSuggestions('npm', 'axios-retry-plus', popular, [])).toEqual(['axios-retry', 'axios']);
    // From the registry's search too, when the stem is not on the popular list; unrelated results are not stems.
    const searched = ['jsonwebtoken', 'express-jwt', 'express-jwt-auth-middleware-pro'];
    expect(stemSuggestions('npm', 'express-jwt-auth-middleware', popular, searched)).toEqual([
      'express-jwt',
      'express',
    ]);
    // A single word counts only as the name's first: `lodash` is no stem of `super-lodash`.
    expect(stemSuggestions('npm', 'super-lodash', popular, [])).toEqual([]);
    expect(stemSuggestions('npm', '@acme/axios-retry-plus', popular, [])).toEqual(['axios-retry', 'axios']);
    expect(stemSuggestions('PyPI', 'requests_retry_plus', PYPI, [])).toEqual(['requests']);
  });

  it('did you mean: stems first, then the names spelled closest; nothing when nothing is close', () => {
    expect(didYouMean('npm', 'expres', NPM, [])).toEqual(['express']);
    expect(didYouMean('npm', 'lodash-deep-merge-plus', NPM, [])).toEqual(['lodash']);
    expect(didYouMean('npm', 'zqxv-wplk', NPM, [])).toEqual([]);
    expect(didYouMean('npm', 'express-jwt-auth', undefined, ['express-jwt'])).toEqual(['express-jwt']);
  });

  it('edit distance agrees with a plain dynamic programme within the bound', () => {
    const plain = (a: string, b: string) => {
      const d = Array.from({ length: a.length + 1 }, (_, i) =>
        Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
      );
      for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) {
          d[i]![j] = Math.min(
            d[i - 1]![j]! + 1,
            d[i]![j - 1]! + 1,
            d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
          );
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
            d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      return d[a.length]![b.length]!;
    };
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 9 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-'), maxLength: 9 }),
        fc.integer({ min: 0, max: 3 }),
        (a, b, max) => {
          expect(editDistance(a, b, max)).toBe(Math.min(plain(a, b), max + 1));
        },
      ),
    );
  });
});

function pkg(
  ecosystem: 'npm' | 'PyPI',
  versions: Partial<VersionFacts & { version: string }>[],
  extra: Partial<ExistingPackage> = {},
): ExistingPackage {
  return {
    status: 'exists',
    ecosystem,
    name: 'p',
    datesTrusted: true,
    versions: Object.fromEntries(versions.map((v) => [v.version!, { ...v } as VersionFacts])),
    ...extra,
  };
}

describe('what installs today', () => {
  it('npm: the latest tag when the range admits it, else the highest non-deprecated admitted version', () => {
    const facts = pkg(
      'npm',
      [
        { version: '1.0.0' },
        { version: '1.5.0' },
        { version: '1.6.0', deprecated: 'broken' },
        { version: '2.0.0' },
        { version: '3.0.0-beta.1' },
      ],
      {
        latest: '2.0.0',
        distTags: { latest: '2.0.0', next: '3.0.0-beta.1' },
      },
    );
    expect(installedToday(facts, '*')?.version).toBe('2.0.0');
    expect(installedToday(facts, undefined)?.version).toBe('2.0.0');
    expect(installedToday(facts, '^1.0.0')?.version).toBe('1.5.0');
    expect(installedToday(facts, 'next')?.version).toBe('3.0.0-beta.1');
    expect(admittedVersions(facts, '^3.0.0')).toEqual([]);
    expect(admittedVersions(facts, 'nope')).toEqual([]);
    expect(admittedVersions(facts, 'file:../x')).toBeUndefined();
  });

  it('PyPI: the highest admitted release that is neither yanked nor a pre-release unless asked for', () => {
    const facts = pkg('PyPI', [
      { version: '1.0' },
      { version: '1.1', yanked: true },
      { version: '2.0rc1' },
      { version: '1.0.post1' },
    ]);
    expect(installedToday(facts, undefined)?.version).toBe('1.0.post1');
    expect(installedToday(facts, '>=1.1')?.version).toBe('2.0rc1');
    expect(installedToday(facts, '>=2.0rc1')?.version).toBe('2.0rc1');
    expect(installedToday(facts, '==1.1')).toBeUndefined();
    expect(admittedVersions(facts, '==1.1')?.map((v) => v.version)).toEqual(['1.1']);
    expect(findVersion(facts, '1.0.0')?.version).toBe('1.0');
  });

  it('has no major version for calendar versions', () => {
    expect(majorOf('PyPI', '2024.1.0')).toBeUndefined();
    expect(majorOf('PyPI', '3.1.0')).toBe(3);
    expect(majorOf('npm', 'v4.2.0')).toBe(4);
  });
});
