import { describe, expect, it } from 'vitest';
import { csproj } from '../../src/extractors/nuget/csproj.js';
import { directoryPackages } from '../../src/extractors/nuget/directory-packages.js';
import { packagesConfig } from '../../src/extractors/nuget/packages-config.js';
import { packagesLock } from '../../src/extractors/nuget/packages-lock.js';
import { extractFixture } from '../helpers.js';
import { EXTRACTOR_FIXTURES, extractWithIncludes, summarize } from './fixture-context.js';

describe('nuget/csproj', () => {
  it('reads PackageReference versions as attributes, child elements and properties', () => {
    const out = extractWithIncludes(csproj, 'nuget-csproj/basic/Shop.csproj', EXTRACTOR_FIXTURES);
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'Newtonsoft.Json 12.0.1 Shop.csproj:7',
      'Serilog 2.10.0 Shop.csproj:8',
      'Swashbuckle.AspNetCore 6.2.3 Shop.csproj:9',
      'Polly ([7.0,8.0)) Shop.csproj:12',
      'StyleCop.Analyzers 1.1.118 [dev] Shop.csproj:13',
      'System.Text.Json 6.0.0 [managed] Shop.csproj:14',
      'Microsoft.Extensions.Logging.Debug (6.0.*) Shop.csproj:17',
    ]);
    expect(out.refs[0]?.location.column).toBe(5);
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'NuGet', name: 'Shop' }]);
  });

  it('takes versions from the nearest Directory.Packages.props, unless VersionOverride says otherwise', () => {
    const out = extractWithIncludes(csproj, 'nuget-csproj/central/src/Api/Api.csproj', EXTRACTOR_FIXTURES);
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'Microsoft.EntityFrameworkCore 6.0.1 Api.csproj:3',
      'Newtonsoft.Json 12.0.3 Api.csproj:4',
      'Dapper * Api.csproj:5',
    ]);
  });

  it('reports an empty project file', () => {
    const out = extractFixture(csproj, 'extractors', 'nuget-csproj', 'empty', 'App.csproj');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it('keeps the references before a break and reports it', () => {
    const out = extractFixture(csproj, 'extractors', 'nuget-csproj', 'broken', 'App.csproj');
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual(['RestSharp@106.11.7', 'log4net@2.0.8']);
    expect(out.errors).toEqual([
      expect.objectContaining({ line: 5, message: expect.stringMatching(/^invalid XML/) }),
    ]);
  });
});

describe('nuget/directory-packages', () => {
  it('reads central versions as version facts and global references as declarations', () => {
    const out = extractFixture(
      directoryPackages,
      'extractors',
      'nuget-csproj',
      'central',
      'Directory.Packages.props',
    );
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'Microsoft.EntityFrameworkCore 6.0.1 [managed] Directory.Packages.props:7',
      'Newtonsoft.Json 13.0.1 [managed] Directory.Packages.props:8',
      'Nerdbank.GitVersioning 3.5.119 Directory.Packages.props:9',
    ]);
  });

  it('reports an empty file', () => {
    const out = extractFixture(
      directoryPackages,
      'extractors',
      'nuget-directory-packages',
      'empty',
      'Directory.Packages.props',
    );
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it('keeps the versions before a broken tag and reports it', () => {
    const out = extractFixture(
      directoryPackages,
      'extractors',
      'nuget-directory-packages',
      'broken',
      'Directory.Packages.props',
    );
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual(['Serilog@2.10.0', 'Polly@7.2.2']);
    expect(out.errors).toEqual([
      expect.objectContaining({ line: 5, message: expect.stringMatching(/^invalid XML/) }),
    ]);
  });
});

describe('nuget/packages-lock', () => {
  it('reads every package of every framework once, with the graph and the direct ones as roots', () => {
    const out = extractFixture(
      packagesLock,
      'extractors',
      'nuget-packages-lock',
      'basic',
      'packages.lock.json',
    );
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'Newtonsoft.Json 12.0.1 packages.lock.json:5',
      'Serilog.Sinks.File 5.0.0 packages.lock.json:11',
      'Serilog 2.10.0 packages.lock.json:18',
    ]);
    expect(out.facts).toEqual([
      {
        kind: 'dependency-graph',
        ecosystem: 'NuGet',
        roots: ['Newtonsoft.Json', 'Serilog.Sinks.File'],
        edges: { 'Newtonsoft.Json': [], 'Serilog.Sinks.File': ['Serilog'], Serilog: [] },
      },
    ]);
  });

  it('reports an empty file', () => {
    const out = extractFixture(
      packagesLock,
      'extractors',
      'nuget-packages-lock',
      'empty',
      'packages.lock.json',
    );
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it('keeps what it could read of a truncated file and reports an entry without a resolved version', () => {
    const out = extractFixture(
      packagesLock,
      'extractors',
      'nuget-packages-lock',
      'broken',
      'packages.lock.json',
    );
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual(['Dapper@2.0.90']);
    expect([...new Set(out.errors.map((e) => e.line))]).toEqual([7, 6]);
  });
});

describe('nuget/packages-config', () => {
  it('reads every package with its exact version', () => {
    const out = extractFixture(
      packagesConfig,
      'extractors',
      'nuget-packages-config',
      'basic',
      'packages.config',
    );
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'Newtonsoft.Json 9.0.1 packages.config:3',
      'jQuery 1.8.2 packages.config:4',
      'Microsoft.CodeDom.Providers.DotNetCompilerPlatform 2.0.1 [dev] packages.config:5',
    ]);
  });

  it('reports an empty file', () => {
    const out = extractFixture(
      packagesConfig,
      'extractors',
      'nuget-packages-config',
      'empty',
      'packages.config',
    );
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it('reports a package without an id and a broken tag, and keeps the rest', () => {
    const out = extractFixture(
      packagesConfig,
      'extractors',
      'nuget-packages-config',
      'broken',
      'packages.config',
    );
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual(['EntityFramework@6.1.3', 'log4net@2.0.5']);
    expect(out.errors).toEqual([
      expect.objectContaining({ line: 6, message: expect.stringMatching(/^invalid XML/) }),
      { line: 4, column: 3, message: 'a <package> has no id' },
    ]);
  });
});
