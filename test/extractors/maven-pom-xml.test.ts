import { describe, expect, it } from 'vitest';
import { pomXml } from '../../src/extractors/maven/pom-xml.js';
import { EXTRACTOR_FIXTURES, extractWithIncludes, summarize } from './fixture-context.js';

const extract = (...parts: string[]) =>
  extractWithIncludes(pomXml, ['maven-pom-xml', ...parts].join('/'), EXTRACTOR_FIXTURES);

describe('maven/pom-xml', () => {
  it('reads dependencies with interpolated versions, scopes, profiles and managed versions', () => {
    const out = extract('basic', 'pom.xml');
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'org.apache.logging.log4j:log4j-core 2.14.1 pom.xml:24',
      'com.fasterxml.jackson.core:jackson-databind 2.9.8 pom.xml:29',
      'org.junit.jupiter:junit-jupiter 5.9.2 [test] pom.xml:33',
      'javax.servlet:javax.servlet-api ([3.0,4.0)) [provided] pom.xml:39',
      'com.acme:shop-core 1.4.0 pom.xml:45',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the unresolved property, as written
      'com.google.guava:guava (${guava.version}) [optional] pom.xml:50',
      'com.fasterxml.jackson.core:jackson-databind 2.9.8 [managed] pom.xml:15',
      'org.postgresql:postgresql 42.2.5 pom.xml:62',
    ]);
    // Build plugins and their dependencies are tools of the build.
    expect(out.refs.map((r) => r.name)).not.toContain('org.ow2.asm:asm');
    expect(out.refs.map((r) => r.name)).not.toContain('org.apache.maven.plugins:maven-shade-plugin');
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'Maven', name: 'com.acme:shop' }]);
  });

  it('marks a sibling module (the project groupId at the project version) as built here', () => {
    const out = extract('basic', 'pom.xml');
    expect(out.refs.find((r) => r.name === 'com.acme:shop-core')?.origin).toBe('workspace');
    expect(out.refs.find((r) => r.name === 'org.apache.logging.log4j:log4j-core')?.origin).toBe('registry');
  });

  it('takes properties, managed versions and dependencies from a local parent at ../pom.xml', () => {
    const out = extract('with-parent', 'app', 'pom.xml');
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'org.springframework:spring-web 5.3.17 pom.xml:9',
      'com.acme:lib 2.0.0 pom.xml:13',
      'org.slf4j:slf4j-api 1.7.36 pom.xml:19',
    ]);
    // The inherited dependency points at the parent, where it is declared.
    expect(out.refs[2]?.location.file).toBe('maven-pom-xml/with-parent/pom.xml');
    expect(out.facts).toEqual([{ kind: 'manifest', ecosystem: 'Maven', name: 'com.acme:app' }]);
  });

  it('reports an empty file as an error', () => {
    const out = extract('empty', 'pom.xml');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it('keeps what stands before a break and reports the break and a dependency without groupId', () => {
    const out = extract('broken', 'pom.xml');
    expect(summarize(out)).toEqual([
      'org.yaml:snakeyaml 1.26 pom.xml:5',
      'com.h2database:h2 1.4.200 pom.xml:14',
    ]);
    expect(out.errors).toEqual([
      { line: 18, column: expect.any(Number), message: expect.stringMatching(/^invalid XML: /) },
      { line: 10, column: 5, message: 'a <dependency> has no <groupId>' },
    ]);
  });

  it('says so when the file is XML but not a POM', () => {
    const out = extract('not-pom', 'pom.xml');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([
      { line: 1, message: 'not a Maven POM: the root element is "<settings>", not <project>' },
    ]);
  });
});
