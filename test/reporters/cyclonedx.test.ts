import * as CDX from '@cyclonedx/cyclonedx-library';
import { describe, expect, it } from 'vitest';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { cyclonedxReporter } from '../../src/reporters/cyclonedx.js';
import { findingAt, resultWith } from '../helpers.js';

function ref(ecosystem: Ecosystem, name: string, more: Partial<PackageRef> = {}): PackageRef {
  return {
    ecosystem,
    name,
    source: 'declared',
    extractor: 'test',
    location: { file: 'manifest', line: 1 },
    ...more,
  };
}

async function bomOf(packages: PackageRef[], findings = [] as ReturnType<typeof findingAt>[]) {
  const text = cyclonedxReporter({ ...resultWith(findings), packages }, { color: false });
  const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);
  expect(await validator.validate(text)).toBeNull();
  return JSON.parse(text);
}

describe('cyclonedx reporter', () => {
  it('gives every ecosystem its purl type, namespace and name', async () => {
    const bom = await bomOf([
      ref('npm', '@types/node', { version: '20.1.0' }),
      ref('PyPI', 'Django_REST', { version: '3.0' }),
      ref('Go', 'github.com/gin-gonic/gin', { version: 'v1.9.1' }),
      ref('crates.io', 'serde', { version: '1.0.0' }),
      ref('RubyGems', 'rails', { version: '7.1.0' }),
      ref('Maven', 'org.apache.logging.log4j:log4j-core', { version: '2.14.1' }),
      ref('NuGet', 'Newtonsoft.Json', { version: '13.0.1' }),
      ref('Packagist', 'symfony/console', { version: 'v6.4.0' }),
    ]);
    expect(
      bom.components.map((c: { purl: string; group?: string; name: string }) => [
        c.purl,
        c.group ?? '',
        c.name,
      ]),
    ).toEqual([
      ['pkg:cargo/serde@1.0.0', '', 'serde'],
      ['pkg:composer/symfony/console@v6.4.0', 'symfony', 'console'],
      ['pkg:gem/rails@7.1.0', '', 'rails'],
      ['pkg:golang/github.com/gin-gonic/gin@v1.9.1', 'github.com/gin-gonic', 'gin'],
      ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', 'org.apache.logging.log4j', 'log4j-core'],
      ['pkg:npm/%40types/node@20.1.0', '@types', 'node'],
      ['pkg:nuget/Newtonsoft.Json@13.0.1', '', 'Newtonsoft.Json'],
      ['pkg:pypi/django-rest@3.0', '', 'Django_REST'],
    ]);
  });

  it('keeps a name the purl rules refuse as a component, and its document valid', async () => {
    const bom = await bomOf([ref('npm', '', { version: '1.0.0' })]);
    expect(bom.components).toHaveLength(1);
    expect(bom.components[0].purl).toBe('pkg:npm/@1.0.0');
  });

  it('takes the scope from manifests and lockfiles: a test importing a dev dependency keeps it excluded', async () => {
    const bom = await bomOf([
      ref('npm', 'vitest', { version: '1.6.0', source: 'locked', groups: ['dev'] }),
      ref('npm', 'vitest', { source: 'imported', location: { file: 'test/a.test.js', line: 1 } }),
      ref('npm', 'fsevents', { version: '2.3.3', source: 'locked', groups: ['optional'] }),
      ref('npm', 'chalk', { version: '5.0.0', source: 'locked', groups: ['dev'] }),
      ref('npm', 'chalk', {
        version: '5.0.0',
        source: 'locked',
        location: { file: 'app/package-lock.json' },
      }),
      ref('npm', 'dayjs', { source: 'imported', location: { file: 'src/a.js', line: 1 } }),
    ]);
    const scopes = Object.fromEntries(
      bom.components.map((c: { name: string; scope: string }) => [c.name, c.scope]),
    );
    expect(scopes).toEqual({
      vitest: 'excluded',
      fsevents: 'optional',
      chalk: 'required',
      dayjs: 'required',
    });
  });

  it('lists at most ten places per component and counts the rest', async () => {
    const places = Array.from({ length: 25 }, (_, i) =>
      ref('npm', 'react', { source: 'imported', location: { file: `src/c${i}.jsx`, line: 1 } }),
    );
    const bom = await bomOf(places);
    const props = bom.components[0].properties as { name: string; value: string }[];
    expect(props.filter((p) => p.name === 'vouch:found')).toHaveLength(10);
    expect(props.find((p) => p.name === 'vouch:foundMore')?.value).toBe('15');
  });

  it('leaves out an advisory date that is not one, and rates only with CycloneDX severities', async () => {
    const bom = await bomOf(
      [ref('npm', 'lodash', { version: '4.17.11' })],
      [
        findingAt('high', {
          kind: 'vulnerable',
          name: 'lodash',
          version: '4.17.11',
          location: { file: 'manifest', line: 1 },
          evidence: {
            advisories: [
              { id: 'GHSA-1', severity: 'bogus', published: 'last Tuesday' },
              {
                id: 'GHSA-2',
                severity: 'unknown',
                published: '2021-05-06T16:05:51Z',
                vector: 'CVSS:4.0/AV:N',
              },
            ],
          },
        }),
      ],
    );
    expect(bom.vulnerabilities).toEqual([
      {
        id: 'GHSA-1',
        source: { name: 'OSV', url: 'https://osv.dev/vulnerability/GHSA-1' },
        affects: [{ ref: 'pkg:npm/lodash@4.17.11', versions: [{ version: '4.17.11', status: 'affected' }] }],
      },
      {
        id: 'GHSA-2',
        source: { name: 'OSV', url: 'https://osv.dev/vulnerability/GHSA-2' },
        ratings: [{ severity: 'unknown', method: 'CVSSv4', vector: 'CVSS:4.0/AV:N' }],
        published: '2021-05-06T16:05:51Z',
        affects: [{ ref: 'pkg:npm/lodash@4.17.11', versions: [{ version: '4.17.11', status: 'affected' }] }],
      },
    ]);
  });

  it('is an empty but valid document for an empty scan', async () => {
    const bom = await bomOf([]);
    expect(bom).toMatchObject({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [],
      vulnerabilities: [],
    });
  });
});
