import { describe, expect, it } from 'vitest';
import { gradleBuild } from '../../src/extractors/maven/gradle.js';
import { EXTRACTOR_FIXTURES, extractWithIncludes, summarize } from './fixture-context.js';

const extract = (...parts: string[]) =>
  extractWithIncludes(gradleBuild, ['maven-gradle', ...parts].join('/'), EXTRACTOR_FIXTURES);

describe('maven/gradle', () => {
  it('reads the common Groovy declaration forms with their configurations and variables', () => {
    const out = extract('groovy', 'build.gradle');
    expect(out.errors).toEqual([]);
    expect(summarize(out)).toEqual([
      'com.android.tools.build:gradle 7.0.4 [build] build.gradle:4',
      'org.springframework.boot:spring-boot-starter-web * build.gradle:20',
      'com.fasterxml.jackson.core:jackson-databind 2.12.1 build.gradle:21',
      'org.apache.logging.log4j:log4j-core 2.14.1 build.gradle:22',
      'com.google.guava:guava 30.1-jre build.gradle:23',
      'org.apache.commons:commons-text 1.9 build.gradle:24',
      'org.springframework.boot:spring-boot-dependencies 2.5.6 build.gradle:25',
      'org.projectlombok:lombok 1.18.20 [provided] build.gradle:26',
      'org.projectlombok:lombok 1.18.20 [build] build.gradle:27',
      'com.h2database:h2 1.4.200 build.gradle:28',
      'junit:junit 4.12 [test] build.gradle:33',
      'org.mockito:mockito-core (3.+) [test] build.gradle:33',
      'com.h2database:h2-console 1.4.200 build.gradle:36',
      'org.yaml:snakeyaml 1.33 [managed] build.gradle:39',
    ]);
    // Plugins, project(…) and files(…) are not registry artifacts; an exclude is not a dependency.
    const names = out.refs.map((r) => r.name);
    expect(names).not.toContain('org.example:unwanted');
    expect(names.some((n) => n.includes('commented-out'))).toBe(false);
    expect(out.refs.find((r) => r.name === 'org.apache.logging.log4j:log4j-core')?.location.column).toBe(20);
  });

  it('reads the Kotlin DSL, gradle.properties and the version catalog', () => {
    const out = extract('kotlin', 'build.gradle.kts');
    expect(summarize(out)).toEqual([
      'io.ktor:ktor-server-core 1.6.0 build.gradle.kts:9',
      'org.jetbrains.exposed:exposed-core 0.41.1 build.gradle.kts:10',
      'com.squareup.okhttp3:okhttp 4.9.0 build.gradle.kts:11',
      'com.fasterxml.jackson.core:jackson-databind 2.13.0 build.gradle.kts:12',
      'com.fasterxml.jackson.module:jackson-module-kotlin 2.13.0 build.gradle.kts:12',
      'org.springframework.boot:spring-boot-dependencies 2.7.0 build.gradle.kts:13',
      'org.xerial:sqlite-jdbc 3.36.0 build.gradle.kts:14',
      'com.google.dagger:dagger-compiler 2.40 [build] build.gradle.kts:15',
      'org.jetbrains.kotlin:kotlin-test * [test] build.gradle.kts:16',
    ]);
    expect(out.errors).toEqual([
      {
        line: 17,
        column: 20,
        message: '"libs.missing.alias" is not in maven-gradle/kotlin/gradle/libs.versions.toml',
      },
    ]);
  });

  it('reads nothing from an empty file', () => {
    const out = extract('empty', 'build.gradle');
    expect(out.refs).toEqual([]);
    expect(out.errors).toEqual([]);
  });

  it('keeps the declarations around an unterminated string and reports it', () => {
    const out = extract('broken', 'build.gradle');
    expect(summarize(out)).toEqual([
      'com.squareup.retrofit2:retrofit 2.9.0 build.gradle:2',
      // The string runs to the end of its line, where Gradle would fail too.
      'com.google.code.gson:gson 2.8.5 build.gradle:3',
      'junit:junit 4.13.2 [test] build.gradle:4',
    ]);
    expect(out.errors).toEqual([
      { line: 3, column: 20, message: 'a string opened with " is never closed' },
      { line: 1, column: 14, message: 'the "{" on line 1 is never closed' },
    ]);
  });
});
