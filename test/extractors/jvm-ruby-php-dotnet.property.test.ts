import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradleBuild } from '../../src/extractors/maven/gradle.js';
import { gradleLockfile } from '../../src/extractors/maven/gradle-lockfile.js';
import { javaImports } from '../../src/extractors/maven/imports.js';
import { pomXml } from '../../src/extractors/maven/pom-xml.js';
import { versionCatalog } from '../../src/extractors/maven/version-catalog.js';
import { csproj } from '../../src/extractors/nuget/csproj.js';
import { directoryPackages } from '../../src/extractors/nuget/directory-packages.js';
import { packagesConfig } from '../../src/extractors/nuget/packages-config.js';
import { packagesLock } from '../../src/extractors/nuget/packages-lock.js';
import { composerJson } from '../../src/extractors/php/composer-json.js';
import { composerLock } from '../../src/extractors/php/composer-lock.js';
import { gemfile } from '../../src/extractors/ruby/gemfile.js';
import { gemfileLock } from '../../src/extractors/ruby/gemfile-lock.js';
import { gemspec } from '../../src/extractors/ruby/gemspec.js';
import { rubyImports } from '../../src/extractors/ruby/imports.js';
import type { Extractor, ExtractResult } from '../../src/extractors/types.js';
import { fixturePath, testContext } from '../helpers.js';
import { itNeverThrows, type PropertySubject } from '../property.js';

const sample = (subject: string, ...files: string[]) =>
  files.map((file) => readFileSync(fixturePath('extractors', subject, file), 'utf8'));

const XML_TOKENS = [
  '<',
  '>',
  '/>',
  '</',
  '"',
  '=',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Maven property reference, literally
  '${x}',
  '$(X)',
  '<dependency>',
  '<![CDATA[',
  '&amp;',
  '\n',
  'é',
];
const CODE_TOKENS = [
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  "'",
  '"',
  '"""',
  '\\',
  ',',
  ':',
  '=',
  '.',
  '\n',
  '#',
  '//',
  '/*',
  'é',
];
const JSON_TOKENS = ['{', '}', '[', ']', '"', ':', ',', 'null', '\n', 'é'];
const LINE_TOKENS = ['\n', '  ', '    ', '      ', '(', ')', ':', '=', ',', '-', '!', '#', 'é'];

/** Each extractor with the file name it reads and the fixtures it is mutated from. */
const SUBJECTS: PropertySubject[] = [
  {
    extractor: pomXml,
    filename: 'pom.xml',
    samples: sample('maven-pom-xml', 'basic/pom.xml', 'with-parent/app/pom.xml', 'broken/pom.xml'),
    tokens: XML_TOKENS,
  },
  {
    extractor: gradleBuild,
    filename: 'build.gradle',
    samples: sample('maven-gradle', 'groovy/build.gradle', 'kotlin/build.gradle.kts', 'broken/build.gradle'),
    tokens: CODE_TOKENS,
  },
  {
    extractor: versionCatalog,
    filename: 'libs.versions.toml',
    samples: sample(
      'maven-version-catalog',
      'basic/libs.versions.toml',
      'invalid-entries/libs.versions.toml',
    ),
    tokens: ['[', ']', '{', '}', '"', '=', '.ref', ',', '\n', 'é'],
  },
  {
    extractor: gradleLockfile,
    filename: 'gradle.lockfile',
    samples: sample('maven-gradle-lockfile', 'basic/gradle.lockfile', 'broken/gradle.lockfile'),
    tokens: LINE_TOKENS,
  },
  {
    extractor: javaImports,
    filename: 'Main.java',
    samples: sample('maven-imports', 'basic/Main.java', 'broken/Main.java'),
    tokens: [...CODE_TOKENS, 'import ', 'static ', '*', ';'],
  },
  {
    extractor: gemfile,
    filename: 'Gemfile',
    samples: sample('ruby-gemfile', 'basic/Gemfile', 'broken/Gemfile'),
    tokens: [...CODE_TOKENS, 'do', 'end', 'gem ', 'group ', '#{x}'],
  },
  {
    extractor: gemfileLock,
    filename: 'Gemfile.lock',
    samples: sample('ruby-gemfile-lock', 'basic/Gemfile.lock', 'broken/Gemfile.lock'),
    tokens: [...LINE_TOKENS, 'GEM\n', 'specs:', '<<<<<<< '],
  },
  {
    extractor: gemspec,
    filename: 'x.gemspec',
    samples: sample('ruby-gemspec', 'basic/acme.gemspec', 'broken/acme.gemspec'),
    tokens: [...CODE_TOKENS, '%q<', '.freeze', 'do', 'end'],
  },
  {
    extractor: rubyImports,
    filename: 'app.rb',
    samples: sample('ruby-imports', 'basic/app.rb', 'broken/app.rb'),
    tokens: [...CODE_TOKENS, 'require ', 'rescue LoadError', 'begin', 'end'],
  },
  {
    extractor: composerJson,
    filename: 'composer.json',
    samples: sample('php-composer-json', 'basic/composer.json', 'broken/composer.json'),
    tokens: JSON_TOKENS,
  },
  {
    extractor: composerLock,
    filename: 'composer.lock',
    samples: sample('php-composer-lock', 'basic/composer.lock', 'broken/composer.lock'),
    tokens: JSON_TOKENS,
  },
  {
    extractor: csproj,
    filename: 'App.csproj',
    samples: sample('nuget-csproj', 'basic/Shop.csproj', 'central/src/Api/Api.csproj', 'broken/App.csproj'),
    tokens: XML_TOKENS,
  },
  {
    extractor: directoryPackages,
    filename: 'Directory.Packages.props',
    samples: sample('nuget-csproj', 'central/Directory.Packages.props'),
    tokens: XML_TOKENS,
  },
  {
    extractor: packagesConfig,
    filename: 'packages.config',
    samples: sample('nuget-packages-config', 'basic/packages.config', 'broken/packages.config'),
    tokens: XML_TOKENS,
  },
  {
    extractor: packagesLock,
    filename: 'packages.lock.json',
    samples: sample('nuget-packages-lock', 'basic/packages.lock.json', 'broken/packages.lock.json'),
    tokens: JSON_TOKENS,
  },
];

/** Includes resolve to more text of the same kind (a parent POM naming itself, a catalog, a props file). */
const context = testContext({
  readRelative: (_from, relativePath) => {
    if (relativePath.endsWith('pom.xml'))
      return {
        path: relativePath,
        text: '<project><groupId>g</groupId><artifactId>a</artifactId><parent><groupId>g</groupId><artifactId>a</artifactId></parent></project>',
      };
    if (relativePath.endsWith('.toml')) return { path: relativePath, text: '[libraries]\nx = "g:a:1.0"\n' };
    if (relativePath.endsWith('.props'))
      return {
        path: relativePath,
        text: '<Project><ItemGroup><PackageVersion Include="X" Version="1.0" /></ItemGroup></Project>',
      };
    return { error: 'no such file' };
  },
});

function extract(extractor: Extractor, path: string, text: string): ExtractResult {
  return extractor.extract({ path, text }, context);
}

beforeAll(async () => {
  for (const { extractor } of SUBJECTS) await extractor.init?.();
});

describe('Maven, Gradle, RubyGems, Composer and NuGet extractors: properties', () => {
  for (const subject of SUBJECTS) itNeverThrows(subject, { context, numRuns: 150 });
});

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(?:[-.][a-z0-9]{1,4})?$/);
const version = fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map(([a, b, c]) => `${a}.${b}.${c}`);

describe('generated manifests are read completely, each entry on its line', () => {
  it('maven/pom-xml', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(word, word, version, fc.boolean()), { maxLength: 20 }), (deps) => {
        const text = [
          '<project>',
          '  <dependencies>',
          ...deps.map(
            ([g, a, v, test]) =>
              `    <dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version>${test ? '<scope>test</scope>' : ''}</dependency>`,
          ),
          '  </dependencies>',
          '</project>',
        ].join('\n');
        const out = extract(pomXml, 'pom.xml', text);
        expect(out.errors).toEqual([]);
        const seen = new Set<string>();
        const expected = deps
          .map(([g, a, v, test], i) => [`${g}:${a}`, v, test ? ['test'] : undefined, i + 3] as const)
          .filter(([name, v, groups]) => {
            const key = `${name} ${v} ${groups ?? ''}`;
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
        expect(out.refs.map((r) => [r.name, r.version, r.groups, r.location.line])).toEqual(expected);
      }),
    );
  });

  it('maven/gradle', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('implementation', 'api', 'testImplementation'),
            word,
            word,
            version,
            fc.boolean(),
          ),
          {
            maxLength: 20,
          },
        ),
        (deps) => {
          const text = [
            'dependencies {',
            ...deps.map(([conf, g, a, v, kotlin]) =>
              kotlin ? `  ${conf}("${g}:${a}:${v}")` : `  ${conf} '${g}:${a}:${v}'`,
            ),
            '}',
          ].join('\n');
          const out = extract(gradleBuild, 'build.gradle', text);
          expect(out.errors).toEqual([]);
          expect(out.refs.map((r) => [r.name, r.version, r.groups, r.location.line])).toEqual(
            deps.map(([conf, g, a, v], i) => [
              `${g}:${a}`,
              v,
              conf === 'testImplementation' ? ['test'] : undefined,
              i + 2,
            ]),
          );
        },
      ),
    );
  });

  it('ruby/gemfile-lock', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(word, version), { maxLength: 20, selector: ([name]) => name }),
        (gems) => {
          const text = [
            'GEM',
            '  remote: https://gems.example.org/',
            '  specs:',
            ...gems.map(([n, v]) => `    ${n} (${v})`),
            '',
          ].join('\n');
          const out = extract(gemfileLock, 'Gemfile.lock', text);
          expect(out.errors).toEqual([]);
          expect(out.refs.map((r) => [r.name, r.version, r.location.line])).toEqual(
            gems.map(([n, v], i) => [n, v, i + 4]),
          );
        },
      ),
    );
  });

  it('php/composer-json', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(word, word, version), { maxLength: 20, selector: ([v, p]) => `${v}/${p}` }),
        (deps) => {
          const lines = deps.map(
            ([vendor, pkg, v], i) => `    "${vendor}/${pkg}": "${v}"${i < deps.length - 1 ? ',' : ''}`,
          );
          const text = ['{', '  "require": {', ...lines, '  }', '}'].join('\n');
          const out = extract(composerJson, 'composer.json', text);
          expect(out.errors).toEqual([]);
          expect(out.refs.map((r) => [r.name, r.version, r.location.line])).toEqual(
            deps.map(([vendor, pkg, v], i) => [`${vendor}/${pkg}`, v, i + 3]),
          );
        },
      ),
    );
  });
});

describe('large inputs', () => {
  it('reads inputs of about 1 MiB in reasonable time', () => {
    const count = 12_000;
    const names = Array.from({ length: count }, (_, i) => `lib${i}`);
    const big: [Extractor, string, string][] = [
      [
        pomXml,
        'pom.xml',
        `<project><dependencies>\n${names.map((n) => `<dependency><groupId>org.example</groupId><artifactId>${n}</artifactId><version>1.0.${n.length}</version></dependency>`).join('\n')}\n</dependencies></project>`,
      ],
      [
        gradleBuild,
        'build.gradle',
        `dependencies {\n${names.map((n) => `    implementation 'org.example:${n}:1.0.0' // ${'x'.repeat(30)}`).join('\n')}\n}\n`,
      ],
      [
        gemfileLock,
        'Gemfile.lock',
        `GEM\n  remote: https://gems.example.org/\n  specs:\n${names.map((n) => `    ${n} (1.0.0)\n      rack (>= 2.0)\n      ${'x'.repeat(40)}`).join('\n')}\n`,
      ],
    ];
    for (const [extractor, filename, text] of big) {
      const started = performance.now();
      const out = extract(extractor, filename, text);
      const elapsed = performance.now() - started;
      expect(text.length).toBeGreaterThan(500_000);
      expect(out.refs.length).toBeGreaterThanOrEqual(count);
      expect(elapsed, `${extractor.id} took ${Math.round(elapsed)} ms`).toBeLessThan(3_000);
    }
  });

  it('survives hostile nesting, saying where it stopped reading', () => {
    const depth = 50_000;
    const gradle = extract(gradleBuild, 'build.gradle', `${'a {\n'.repeat(depth)}${'}\n'.repeat(depth)}`);
    expect(gradle.errors).toEqual([{ line: 101, message: 'blocks nested too deeply to read' }]);
    const pom = extract(
      pomXml,
      'pom.xml',
      `<project>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</project>`,
    );
    expect(pom.errors).toEqual([]);
    const gems = extract(
      gemfile,
      'Gemfile',
      `${'group :x do\n'.repeat(2_000)}gem 'deep'\n${'end\n'.repeat(2_000)}`,
    );
    expect(gems.errors).toEqual([expect.objectContaining({ message: 'nested too deeply to read' })]);
  });
});
