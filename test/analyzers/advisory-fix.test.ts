import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix } from '../../src/analyzers/advisory-fix.js';
import { scan } from '../../src/pipeline/scan.js';
import { importOsv } from '../../src/vulndb/import.js';
import { fixturePath } from '../helpers.js';
import { pypiProject } from '../registry/documents.js';
import {
  serveComposerRoot,
  serveGem,
  serveNuget,
  serveNugetIndex,
  servePackagist,
} from '../registry/ecosystem-documents.js';
import { type FakeEcosystems, startFakeEcosystems } from '../registry/fake-ecosystems.js';
import { type FakeRegistry, startFakeRegistry } from '../registry/fake-registry.js';
import { tempDir } from '../vulndb/helpers.js';

const DIR = 'analyzers/advisory-fix';
const AT = '2023-01-01T00:00:00+00:00';

let registry: FakeEcosystems;
let pypi: FakeRegistry;
let database: string;

beforeAll(async () => {
  registry = await startFakeEcosystems();
  pypi = await startFakeRegistry();
  database = join(tempDir(), 'osv.sqlite');
  const report = await importOsv([fixturePath(DIR, 'osv')], database);
  if (report.sources[0]?.error) throw new Error(report.sources[0].error);
});
afterAll(async () => {
  await registry.close();
  await pypi.close();
});

async function fixOf(project: string, name: string): Promise<Fix | undefined> {
  const home = tempDir();
  const result = await scan(['.'], {
    cwd: fixturePath(DIR, project),
    database,
    registry: {
      packagistRepository: registry.composer,
      rubygemsSource: registry.rubygems,
      pypiIndex: pypi.pypiIndex,
      nugetSource: registry.nuget,
      cache: join(home, 'registry.sqlite'),
      env: { HOME: home, PATH: '' },
      http: { retries: 0, timeoutMs: 5000 },
    },
  });
  const found = result.findings.find((f) => f.kind === 'vulnerable' && f.name === name);
  expect(found, JSON.stringify(result.findings.map((f) => [f.kind, f.name]))).toBeDefined();
  return found?.evidence?.fix as Fix | undefined;
}

describe('fix.direct from registry metadata', () => {
  it('Composer: the lowest release of the direct package whose require admits the fix (p2 metadata)', async () => {
    registry.reset();
    serveComposerRoot(registry);
    servePackagist(registry, 'acme/direct', [
      { version: '1.0.0', time: AT, require: { php: '>=8.0', 'acme/vuln': '1.0.0' } },
      { version: '1.1.0', time: AT, require: { php: '>=8.0', 'acme/vuln': '~1.0.0 <1.0.1' } },
      { version: '1.2.0', time: AT, require: { php: '>=8.0', 'acme/vuln': '^1.0.1' } },
      { version: '2.0.0', time: AT, require: { php: '>=8.1', 'acme/vuln': '^2.0' } },
    ]);
    servePackagist(registry, 'acme/vuln', [
      { version: '1.0.0', time: AT },
      { version: '1.0.1', time: AT },
      { version: '2.0.0', time: AT },
    ]);
    const fix = await fixOf('composer', 'acme/vuln');
    expect(fix).toMatchObject({ kind: 'transitive', to: '1.0.1', via: ['acme/direct', 'acme/vuln'] });
    expect(fix?.direct).toEqual({ package: 'acme/direct', from: '1.0.0', to: '1.2.0' });
  });

  it('NuGet: the same from the dependency groups of the registration, ids compared without case', async () => {
    registry.reset();
    serveNugetIndex(registry);
    const on = (range: string) => [{ id: 'acme.vuln', range }];
    serveNuget(registry, 'Acme.Direct', [
      { version: '1.0.0', published: AT, dependencies: on('[1.0.0]') },
      { version: '1.1.0', published: AT, dependencies: on('[1.0.0, 1.0.1)') },
      { version: '1.2.0', published: AT, dependencies: on('[1.0.1, )') },
    ]);
    serveNuget(registry, 'Acme.Vuln', [
      { version: '1.0.0', published: AT },
      { version: '1.0.1', published: AT },
    ]);
    const fix = await fixOf('nuget', 'Acme.Vuln');
    expect(fix).toMatchObject({ kind: 'transitive', to: '1.0.1', via: ['Acme.Direct', 'Acme.Vuln'] });
    expect(fix?.direct).toEqual({ package: 'Acme.Direct', from: '1.0.0', to: '1.2.0' });
  });

  it('RubyGems: the same from the compact index, asked once for the gem the Gemfile declares', async () => {
    registry.reset();
    serveGem(registry, 'acme-direct', [
      { number: '1.0.0', created_at: AT, requires: { 'acme-vuln': '= 1.0.0' } },
      { number: '1.1.0', created_at: AT, requires: { 'acme-vuln': '>= 1.0.0&< 1.0.1' } },
      { number: '1.2.0', created_at: AT, requires: { 'acme-vuln': '~> 1.0&>= 1.0.1' } },
    ]);
    serveGem(registry, 'acme-vuln', [
      { number: '1.0.0', created_at: AT },
      { number: '1.0.1', created_at: AT },
    ]);
    const fix = await fixOf('ruby', 'acme-vuln');
    expect(fix).toMatchObject({ kind: 'transitive', to: '1.0.1', via: ['acme-direct', 'acme-vuln'] });
    expect(fix?.direct).toEqual({ package: 'acme-direct', from: '1.0.0', to: '1.2.0' });
    // The versions API has no requirements: the compact index is asked for the declared gem only.
    const info = registry.requests.map((r) => r.path).filter((path) => path.startsWith('/gems/info/'));
    expect(info).toEqual(['/gems/info/acme-direct']);
  });

  it('PyPI: the same from the per-release JSON, asked only for the chain of a vulnerable package', async () => {
    const release = (version: string, requires: string[] = []) => ({
      version,
      uploaded: '2023-01-01T00:00:00Z',
      requires,
    });
    pypi.pypi.set(
      'acme-direct',
      pypiProject('acme-direct', {
        releases: [
          release('0.9.0', ['acme-vuln>=0.1']),
          release('1.0.0', ['acme-vuln==1.0.0']),
          release('1.1.0', ['acme-vuln<1.0.1,>=1.0.0']),
          release('1.2.0', ['acme-vuln>=1.0.1', 'colorama; extra == "cli"']),
          release('1.3.0', ['acme-vuln>=1.0.1']),
        ],
      }),
    );
    pypi.pypi.set('acme-vuln', pypiProject('acme-vuln', { releases: [release('1.0.0'), release('1.0.1')] }));
    pypi.requests.length = 0;
    const fix = await fixOf('poetry', 'acme-vuln');
    expect(fix).toMatchObject({ kind: 'transitive', to: '1.0.1', via: ['acme-direct', 'acme-vuln'] });
    expect(fix?.direct).toEqual({ package: 'acme-direct', from: '1.0.0', to: '1.2.0' });
    // From the locked release up, in order; never a release below it, never the vulnerable package's.
    const releases = pypi.requests
      .map((r) => /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(r.path))
      .filter((m) => m !== null)
      .map((m) => `${m[1]} ${m[2]}`);
    expect(releases).toEqual([
      'acme-direct 1.0.0',
      'acme-direct 1.1.0',
      'acme-direct 1.2.0',
      'acme-direct 1.3.0',
    ]);
  });
});
