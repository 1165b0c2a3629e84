import { beforeAll, describe, expect, it } from 'vitest';
import { gemfile } from '../../src/extractors/ruby/gemfile.js';
import { gemfileLock } from '../../src/extractors/ruby/gemfile-lock.js';
import { gemspec } from '../../src/extractors/ruby/gemspec.js';
import { rubyImports } from '../../src/extractors/ruby/imports.js';
import { extractFixture } from '../helpers.js';
import { summarize } from './fixture-context.js';

beforeAll(async () => {
  await gemfile.init!();
  await gemspec.init!();
  await rubyImports.init!();
});

describe('ruby/gemfile', () => {
  it('reads gems with requirements, groups and git, github and path sources', () => {
    const out = extractFixture(gemfile, 'extractors', 'ruby-gemfile', 'basic', 'Gemfile');
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'rails (~> 7.0.4, >= 7.0.4.3) Gemfile:6',
      'pg 1.4.5 Gemfile:7',
      'puma * Gemfile:8',
      'devise * Gemfile:9',
      'mylib * Gemfile:10',
      'nokogiri * Gemfile:11',
      'rspec-rails 6.0.1 [dev,test] Gemfile:14',
      'capybara * [test] Gemfile:18',
      'rubocop * [dev] Gemfile:20',
      'sidekiq * [production,staging] Gemfile:21',
      'jruby-openssl * Gemfile:23',
      'redis (>= 4.0) Gemfile:26',
    ]);
    const byName = new Map(out.refs.map((r) => [r.name, r]));
    expect(byName.get('devise')).toMatchObject({
      origin: 'git',
      url: 'https://github.com/heartcombo/devise.git',
    });
    expect(byName.get('mylib')).toMatchObject({ origin: 'path', url: '../mylib' });
    expect(byName.get('nokogiri')).toMatchObject({
      origin: 'git',
      commit: '4d0a0e8d1b3c5f7a9e2b4d6f8a0c2e4b6d8f0a1c',
    });
    expect(byName.get('rails')).toMatchObject({ origin: 'registry', location: { line: 6, column: 5 } });
  });

  it('reads nothing from an empty Gemfile', () => {
    const out = extractFixture(gemfile, 'extractors', 'ruby-gemfile', 'empty', 'Gemfile');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([]);
  });

  it('keeps the gems of an unclosed block and reports the syntax error', () => {
    const out = extractFixture(gemfile, 'extractors', 'ruby-gemfile', 'broken', 'Gemfile');
    expect(out.refs.map((r) => `${r.name} ${r.version ?? '*'}`)).toEqual([
      'sinatra 2.0.1',
      'rack-test *',
      'json 2.3.0',
    ]);
    expect(out.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^syntax error/) }),
    ]);
  });
});

describe('ruby/gemfile-lock', () => {
  it('reads GEM, GIT and PATH specs once per platform, with commits, the graph and the roots', () => {
    const out = extractFixture(gemfileLock, 'extractors', 'ruby-gemfile-lock', 'basic', 'Gemfile.lock');
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'devise 4.9.2 Gemfile.lock:6',
      'myapp 0.1.0 Gemfile.lock:13',
      'bcrypt 3.1.18 Gemfile.lock:19',
      'nokogiri 1.13.3 Gemfile.lock:20',
      'rack 2.2.3 Gemfile.lock:24',
      'racc 1.6.0 Gemfile.lock:25',
      'railties 7.0.4 Gemfile.lock:26',
    ]);
    expect(out.refs[0]).toMatchObject({
      origin: 'git',
      url: 'https://github.com/heartcombo/devise.git',
      commit: '8b8e5f1d3f9e5a6c3b2d1e0f9a8b7c6d5e4f3a2b',
    });
    expect(out.refs[1]).toMatchObject({ origin: 'path', url: '.' });
    expect(out.facts).toEqual([
      {
        kind: 'dependency-graph',
        ecosystem: 'RubyGems',
        roots: ['devise', 'myapp', 'nokogiri'],
        edges: {
          devise: ['bcrypt', 'railties'],
          myapp: ['rack'],
          bcrypt: [],
          nokogiri: ['racc'],
          rack: [],
          racc: [],
          railties: ['rack'],
        },
      },
    ]);
  });

  it('reads nothing from an empty lockfile', () => {
    const out = extractFixture(gemfileLock, 'extractors', 'ruby-gemfile-lock', 'empty', 'Gemfile.lock');
    expect(out).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports merge conflicts and lines Bundler would not write, and keeps the rest', () => {
    const out = extractFixture(gemfileLock, 'extractors', 'ruby-gemfile-lock', 'broken', 'Gemfile.lock');
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual([
      'rack@2.2.3',
      'sinatra@2.0.1',
      'sinatra@2.2.4',
    ]);
    expect(out.errors.map((e) => e.line)).toEqual([5, 7, 9, 10]);
  });
});

describe('ruby/gemspec', () => {
  it('reads runtime and development dependencies in the forms gem build writes', () => {
    const out = extractFixture(gemspec, 'extractors', 'ruby-gemspec', 'basic', 'acme.gemspec');
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'faraday (~> 1.0) acme.gemspec:6',
      'nokogiri (>= 1.10, < 2) acme.gemspec:7',
      'thor 1.2.1 acme.gemspec:8',
      'rake (~> 13.0) [dev] acme.gemspec:9',
    ]);
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'RubyGems', name: 'acme' }]);
  });

  it('reads nothing from an empty gemspec', () => {
    const out = extractFixture(gemspec, 'extractors', 'ruby-gemspec', 'empty', 'acme.gemspec');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([]);
  });

  it('keeps what it could read around a syntax error', () => {
    const out = extractFixture(gemspec, 'extractors', 'ruby-gemspec', 'broken', 'acme.gemspec');
    expect(out.refs.map((r) => r.name)).toContain('httparty');
    expect(out.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^syntax error/) }),
    ]);
  });
});

describe('ruby/imports', () => {
  it('maps require paths to gems, leaving out the standard library and relative loads', () => {
    const out = extractFixture(rubyImports, 'extractors', 'ruby-imports', 'basic', 'app.rb');
    expect(out.errors).toEqual([]);
    expect(
      out.refs.map((r) =>
        [r.name, r.importName, r.location.line, r.inferred ? 'inferred' : '', r.optional ? 'optional' : '']
          .join(' ')
          .trim(),
      ),
    ).toEqual([
      'nokogiri nokogiri 3 inferred',
      'activesupport active_support/core_ext/string 4',
      'dry-validation dry/validation 5 inferred',
      'oj oj 9 inferred optional',
      'yajl yajl 11 inferred',
      'httparty httparty 13 inferred',
      'google-cloud-storage google/cloud/storage 14 inferred',
    ]);
    expect(out.refs[1]?.alternatives).toEqual(['rails']);
  });

  it('reads nothing from an empty file', () => {
    const out = extractFixture(rubyImports, 'extractors', 'ruby-imports', 'empty', 'app.rb');
    expect(out).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('keeps the requires around a syntax error and reports it', () => {
    const out = extractFixture(rubyImports, 'extractors', 'ruby-imports', 'broken', 'app.rb');
    expect(out.refs.map((r) => r.name)).toContain('sinatra');
    expect(out.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^syntax error/) }),
    ]);
  });
});
