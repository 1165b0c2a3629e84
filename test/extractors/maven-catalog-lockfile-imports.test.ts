import { beforeAll, describe, expect, it } from 'vitest';
import { gradleLockfile } from '../../src/extractors/maven/gradle-lockfile.js';
import { javaImports } from '../../src/extractors/maven/imports.js';
import { versionCatalog } from '../../src/extractors/maven/version-catalog.js';
import { extractFixture } from '../helpers.js';
import { summarize } from './fixture-context.js';

describe('maven/version-catalog', () => {
  it('reads libraries with versions from [versions], rich versions and inline notations', () => {
    const out = extractFixture(
      versionCatalog,
      'extractors',
      'maven-version-catalog',
      'basic',
      'libs.versions.toml',
    );
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'com.squareup.okhttp3:okhttp 4.9.0 [catalog] libs.versions.toml:6',
      'com.fasterxml.jackson.core:jackson-databind 2.13.0 [catalog] libs.versions.toml:7',
      'com.fasterxml.jackson.module:jackson-module-kotlin 2.13.0 [catalog] libs.versions.toml:8',
      'org.springframework.boot:spring-boot-dependencies 2.7.0 [catalog] libs.versions.toml:9',
    ]);
  });

  it('reads nothing from an empty catalog', () => {
    const out = extractFixture(
      versionCatalog,
      'extractors',
      'maven-version-catalog',
      'empty',
      'libs.versions.toml',
    );
    expect(out).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports a TOML syntax error with its line', () => {
    const out = extractFixture(
      versionCatalog,
      'extractors',
      'maven-version-catalog',
      'broken',
      'libs.versions.toml',
    );
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([
      { line: 9, column: 1, message: 'invalid TOML: expected comma or end of structure' },
    ]);
  });

  it('reports entries Gradle would reject and keeps the others', () => {
    const out = extractFixture(
      versionCatalog,
      'extractors',
      'maven-version-catalog',
      'invalid-entries',
      'libs.versions.toml',
    );
    expect(summarize(out)).toEqual(['com.google.guava:guava 31.1-jre [catalog] libs.versions.toml:5']);
    expect(out.errors).toEqual([
      { line: 6, message: 'library "gson" refers to version "gson", which [versions] does not define' },
      { line: 7, message: 'library "nameless" has no "module" nor "group" and "name"' },
    ]);
  });
});

describe('maven/gradle-lockfile', () => {
  it('reads locked modules; one locked only for tests is in group test', () => {
    const out = extractFixture(
      gradleLockfile,
      'extractors',
      'maven-gradle-lockfile',
      'basic',
      'gradle.lockfile',
    );
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'com.fasterxml.jackson.core:jackson-databind 2.9.8 gradle.lockfile:4',
      'junit:junit 4.12 [test] gradle.lockfile:5',
      'org.apache.logging.log4j:log4j-core 2.14.1 gradle.lockfile:6',
    ]);
    expect(out.refs.every((r) => r.source === 'locked')).toBe(true);
  });

  it('reads nothing from an empty lockfile', () => {
    const out = extractFixture(
      gradleLockfile,
      'extractors',
      'maven-gradle-lockfile',
      'empty',
      'gradle.lockfile',
    );
    expect(out).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('reports merge conflict markers and keeps both sides', () => {
    const out = extractFixture(
      gradleLockfile,
      'extractors',
      'maven-gradle-lockfile',
      'broken',
      'gradle.lockfile',
    );
    expect(out.refs.map((r) => `${r.name}@${r.version}`)).toEqual([
      'org.yaml:snakeyaml@1.26',
      'org.slf4j:slf4j-api@1.7.30',
      'org.slf4j:slf4j-api@1.7.36',
    ]);
    expect(out.errors.map((e) => e.line)).toEqual([3, 5, 7]);
  });
});

describe('maven/imports', () => {
  beforeAll(async () => {
    await javaImports.init!();
  });

  it('reports imported packages by their first three segments, as inferred names', () => {
    const out = extractFixture(javaImports, 'extractors', 'maven-imports', 'basic', 'Main.java');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => `${r.name} ${r.importName} ${r.location.line}:${r.location.column}`)).toEqual([
      'org.apache.logging org.apache.logging.log4j.LogManager 6:8',
      'org.apache.logging org.apache.logging.log4j.Logger 7:8',
      'org.junit.jupiter org.junit.jupiter.api.Assertions.assertEquals 8:15',
      'com.fasterxml.jackson com.fasterxml.jackson.databind.* 9:8',
      'okhttp3 okhttp3.OkHttpClient 10:8',
    ]);
    expect(out.refs.every((r) => r.inferred && r.source === 'imported' && r.ecosystem === 'Maven')).toBe(
      true,
    );
  });

  it('reads nothing from an empty source', () => {
    const out = extractFixture(javaImports, 'extractors', 'maven-imports', 'empty', 'Main.java');
    expect(out).toEqual({ refs: [], errors: [], facts: [] });
  });

  it('keeps the imports around a syntax error and reports it', () => {
    const out = extractFixture(javaImports, 'extractors', 'maven-imports', 'broken', 'Main.java');
    expect(out.refs.map((r) => r.name)).toEqual(['com.google.gson', 'org.yaml.snakeyaml']);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]?.message).toMatch(/^syntax error/);
  });
});
