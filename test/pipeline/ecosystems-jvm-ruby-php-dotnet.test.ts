import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { importOsv } from '../../src/vulndb/import.js';
import { fixturePath } from '../helpers.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/answers/', import.meta.url));
const SCENARIOS = fixturePath('scan/jvm-ruby-php-dotnet');

let dir: string;
let database: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vouch-ecosystems-'));
  database = join(dir, 'osv.sqlite');
  const report = await importOsv([join(SCENARIOS, 'osv')], database);
  if (report.sources[0]?.error) throw new Error(report.sources[0].error);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function findingsOf(result: ScanResult): string[] {
  return result.findings.map(
    (f) =>
      `${f.kind} ${f.severity} ${f.name} ${f.location.file}:${f.location.line}${f.inferred ? ' inferred' : ''}`,
  );
}

function packagesOf(result: ScanResult): string[] {
  return result.packages.map((p) => {
    const version = p.version ?? (p.spec === undefined ? '' : ` ${p.spec}`);
    return `${p.ecosystem}:${p.name}${p.version ? '@' : ''}${version} ${p.source} ${p.location.line}`;
  });
}

describe('answers per ecosystem (examples/answers)', () => {
  it('Java: flags log4j-core 2.14.1 in a <dependency> block; its imports are covered by the block', async () => {
    const result = await scan(['java-log4j.md'], { cwd: EXAMPLES, database });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      'undisclosed-risk critical org.apache.logging.log4j:log4j-core java-log4j.md:6',
      'vulnerable critical org.apache.logging.log4j:log4j-core java-log4j.md:6',
    ]);
    expect(result.findings[0]?.message).toContain('CVE-2021-44228');
    expect(packagesOf(result)).toEqual([
      'Maven:org.apache.logging.log4j:log4j-core@2.14.1 declared 6',
      'Maven:org.apache.logging imported 16',
      'Maven:org.apache.logging imported 17',
    ]);
  });

  it('Ruby: flags nokogiri 1.13.3 and the httparty it requires but never installs', async () => {
    const result = await scan(['ruby-nokogiri.md'], { cwd: EXAMPLES, database });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      'undisclosed-risk high nokogiri ruby-nokogiri.md:6',
      'vulnerable high nokogiri ruby-nokogiri.md:6',
      'undeclared medium httparty ruby-nokogiri.md:14 inferred',
    ]);
  });

  it('PHP: flags guzzlehttp/guzzle 7.4.0 from composer require', async () => {
    const result = await scan(['php-guzzle.md'], { cwd: EXAMPLES, database });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      'undisclosed-risk high guzzlehttp/guzzle php-guzzle.md:6',
      'vulnerable high guzzlehttp/guzzle php-guzzle.md:6',
    ]);
  });

  it('.NET: flags Newtonsoft.Json 12.0.1 from Install-Package and dotnet add package', async () => {
    const result = await scan(['dotnet-newtonsoft.md'], { cwd: EXAMPLES, database });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      'undisclosed-risk high Newtonsoft.Json dotnet-newtonsoft.md:6',
      'vulnerable high Newtonsoft.Json dotnet-newtonsoft.md:6',
      'vulnerable high Newtonsoft.Json dotnet-newtonsoft.md:12',
    ]);
  });
});

describe('answers: Java imports without any dependency block', () => {
  it('reports the imported packages as undeclared, inferred, once per package', async () => {
    const answer = [
      'Use Jackson:',
      '',
      '```java',
      'import com.fasterxml.jackson.databind.ObjectMapper;',
      'import com.fasterxml.jackson.core.JsonProcessingException;',
      'import java.util.Map;',
      '',
      'class Example {}',
      '```',
    ].join('\n');
    const result = await scan(['-'], { stdin: answer, database: false });
    expect(findingsOf(result)).toEqual(['undeclared medium com.fasterxml.jackson <stdin>:4 inferred']);
  });
});

describe('answers: manifest snippets route to their extractors', () => {
  it('reads Gradle (Groovy and Kotlin), bare <dependency> and <PackageReference> fragments, composer.json and a Gemfile', async () => {
    const answer = [
      '```groovy', // 1
      'dependencies {',
      "    implementation 'com.google.code.gson:gson:2.8.5'",
      '}',
      '```',
      '',
      '```kotlin', // 7
      'dependencies {',
      '    implementation("io.ktor:ktor-client-core:1.6.0")',
      '}',
      '```',
      '',
      '```xml', // 13
      '<dependency>',
      '  <groupId>org.yaml</groupId>',
      '  <artifactId>snakeyaml</artifactId>',
      '  <version>1.26</version>',
      '</dependency>',
      '```',
      '',
      '```xml', // 21
      '<PackageReference Include="Serilog" Version="2.10.0" />',
      '```',
      '',
      '```json', // 25
      '{ "require": { "monolog/monolog": "1.25.0" } }',
      '```',
      '',
      '```ruby', // 29
      "source 'https://gems.example.org'",
      "gem 'rack', '2.0.1'",
      '```',
    ].join('\n');
    const result = await scan(['-'], { stdin: answer, database: false });
    expect(result.errors).toEqual([]);
    expect(
      result.packages.map(
        (p) => `${p.ecosystem}:${p.name}@${p.version} ${p.location.line}:${p.location.column ?? '-'}`,
      ),
    ).toEqual([
      'Maven:com.google.code.gson:gson@2.8.5 3:20',
      'Maven:io.ktor:ktor-client-core@1.6.0 9:20',
      'Maven:org.yaml:snakeyaml@1.26 14:1',
      'NuGet:Serilog@2.10.0 22:1',
      'Packagist:monolog/monolog@1.25.0 26:-',
      'RubyGems:rack@2.0.1 31:5',
    ]);
  });
});

describe('answers: install commands and manifests in other places', () => {
  it('reads gem, bundle and composer commands set apart in prose, dotnet in code spans, and installs in Ruby comments', async () => {
    const answer = [
      'Run: gem install sinatra -v 2.0.1 (or, in a project, bundle add rack --version 2.2.4 instead).',
      // `package` ends a command in prose (it is an English word), so `dotnet add package` is read in code spans.
      'For PHP: composer require slim/slim:3.12.0; for .NET, `dotnet add package Dapper --version 2.0.90`.',
      '',
      '```ruby',
      '# gem install redis',
      "require 'redis'",
      '```',
    ].join('\n');
    const result = await scan(['-'], { stdin: answer, database: false });
    expect(result.errors).toEqual([]);
    expect(packagesOf(result)).toEqual([
      // The bundle command stands inside a sentence ("or, in a project, … instead"): no package.
      'RubyGems:sinatra@2.0.1 installed 1',
      'Packagist:slim/slim@3.12.0 installed 2',
      'NuGet:Dapper@2.0.90 installed 2',
      'RubyGems:redis installed 5',
      'RubyGems:redis imported 6',
    ]);
    expect(result.findings).toEqual([]);
  });

  it('takes a block named pom.xml in its info string, a csharp-labelled project file and unlabelled XML', async () => {
    const answer = [
      '```xml title="pom.xml"',
      '<dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>29.0-jre</version></dependency>',
      '```',
      '',
      '```csharp',
      '<ItemGroup>',
      '  <PackageReference Include="Newtonsoft.Json" Version="12.0.1" />',
      '</ItemGroup>',
      '```',
      '',
      '```',
      '<packages>',
      '  <package id="jQuery" version="1.8.2" />',
      '</packages>',
      '```',
    ].join('\n');
    const result = await scan(['-'], { stdin: answer, database: false });
    expect(result.errors).toEqual([]);
    expect(packagesOf(result)).toEqual([
      'Maven:com.google.guava:guava@29.0-jre declared 2',
      'NuGet:Newtonsoft.Json@12.0.1 declared 7',
      'NuGet:jQuery@1.8.2 declared 13',
    ]);
  });

  it('does not report Java imports as undeclared when the answer declares a Gradle dependency', async () => {
    const answer = [
      '```kotlin',
      'dependencies { implementation("com.squareup.okhttp3:okhttp:4.9.0") }',
      '```',
      '',
      '```java',
      'import okhttp3.OkHttpClient;',
      '```',
    ].join('\n');
    const result = await scan(['-'], { stdin: answer, database: false });
    expect(result.findings).toEqual([]);
  });
});

describe('repositories', () => {
  it('Ruby: checks requires against the Gemfile and the Gemfile.lock graph', async () => {
    const result = await scan(['.'], { cwd: join(SCENARIOS, 'ruby-app'), database });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual([
      'vulnerable high nokogiri Gemfile:4',
      'vulnerable high nokogiri Gemfile.lock:6',
      'undeclared medium redis app.rb:3 inferred',
      'transitive-only low rack-protection app.rb:2',
    ]);
    const transitive = result.findings.find((f) => f.kind === 'transitive-only');
    expect(transitive?.message).toContain('sinatra → rack-protection');
  });

  it('Java: flags the vulnerable dependency; imports in a repository are not checked', async () => {
    const result = await scan(['.'], { cwd: join(SCENARIOS, 'java-app'), database });
    expect(result.errors).toEqual([]);
    expect(findingsOf(result)).toEqual(['vulnerable critical org.apache.logging.log4j:log4j-core pom.xml:7']);
    expect(result.packages.filter((p) => p.source === 'imported').map((p) => p.name)).toEqual([
      'com.google.gson',
      'org.apache.logging',
    ]);
  });
});
