import { describe, expect, it } from 'vitest';
import { composerJson } from '../../src/extractors/php/composer-json.js';
import { composerLock } from '../../src/extractors/php/composer-lock.js';
import { extractFixture } from '../helpers.js';
import { summarize } from './fixture-context.js';

describe('php/composer-json', () => {
  it('reads require and require-dev, leaving out platform requirements', () => {
    const out = extractFixture(composerJson, 'extractors', 'php-composer-json', 'basic', 'composer.json');
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'guzzlehttp/guzzle 7.4.0 composer.json:9',
      'monolog/monolog (^2.3) composer.json:10',
      'symfony/http-foundation v5.4.0 composer.json:11',
      'laravel/framework (dev-master as 9.0.x-dev) composer.json:12',
      'phpunit/phpunit (^9.5) [dev] composer.json:15',
      'mockery/mockery 1.4.4 [dev] composer.json:16',
    ]);
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'Packagist', name: 'acme/shop' }]);
  });

  it('reports an empty file', () => {
    const out = extractFixture(composerJson, 'extractors', 'php-composer-json', 'empty', 'composer.json');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it('keeps what it could read of a truncated file and reports a constraint that is not a string', () => {
    const out = extractFixture(composerJson, 'extractors', 'php-composer-json', 'broken', 'composer.json');
    expect(summarize(out)).toEqual([
      'twig/twig 2.4.4 composer.json:3',
      'phpunit/phpunit (^9.5) [dev] composer.json:7',
    ]);
    expect(out.errors.map((e) => [e.line, e.message])).toEqual([
      [8, 'invalid JSON: CloseBraceExpected'],
      [8, 'invalid JSON: CloseBraceExpected'],
      [4, '"require.phpmailer/phpmailer" is not a string'],
    ]);
  });
});

describe('php/composer-lock', () => {
  it('reads packages and packages-dev with commits, local paths and the graph', () => {
    const out = extractFixture(composerLock, 'extractors', 'php-composer-lock', 'basic', 'composer.lock');
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'guzzlehttp/guzzle 7.4.0 composer.lock:6',
      'guzzlehttp/psr7 2.1.0 composer.lock:21',
      'acme/local-tools dev-main composer.lock:31',
      'phpunit/phpunit 9.5.10 [dev] composer.lock:38',
    ]);
    expect(out.refs.map((r) => r.commit)).toEqual([
      '868b3571a039f0ebc11ac8f344f4080babe2cb94',
      // A tag name is not a commit.
      undefined,
      undefined,
      'c814a05837f2edb0d1471d6e3f4ab3501ca3899a',
    ]);
    expect(out.refs[2]).toMatchObject({ origin: 'path', url: './packages/local-tools' });
    expect(out.facts).toEqual([
      {
        kind: 'dependency-graph',
        ecosystem: 'Packagist',
        edges: {
          'guzzlehttp/guzzle': ['guzzlehttp/psr7', 'psr/http-client'],
          'guzzlehttp/psr7': ['psr/http-message'],
          'acme/local-tools': [],
          'phpunit/phpunit': [],
        },
      },
    ]);
  });

  it('reports an empty file', () => {
    const out = extractFixture(composerLock, 'extractors', 'php-composer-lock', 'empty', 'composer.lock');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it('reports an entry without a version and a trailing comma, and keeps the rest', () => {
    const out = extractFixture(composerLock, 'extractors', 'php-composer-lock', 'broken', 'composer.lock');
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual([
      'twig/twig@v2.4.4',
      'symfony/yaml@v4.4.0',
    ]);
    expect(out.errors.map((e) => e.line)).toEqual([6, 4]);
  });
});
