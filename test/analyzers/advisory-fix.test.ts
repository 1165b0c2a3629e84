import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fix } from '../../src/analyzers/advisory-fix.js';
import { scan } from '../../src/pipeline/scan.js';
import { importOsv } from '../../src/vulndb/import.js';
import { fixturePath } from '../helpers.js';
import {
  serveComposerRoot,
  serveNuget,
  serveNugetIndex,
  servePackagist,
} from '../registry/ecosystem-documents.js';
import { type FakeEcosystems, startFakeEcosystems } from '../registry/fake-ecosystems.js';
import { tempDir } from '../vulndb/helpers.js';

const DIR = 'analyzers/advisory-fix';
const AT = '2023-01-01T00:00:00+00:00';

let registry: FakeEcosystems;
let database: string;

beforeAll(async () => {
  registry = await startFakeEcosystems();
  database = join(tempDir(), 'osv.sqlite');
  const report = await importOsv([fixturePath(DIR, 'osv')], database);
  if (report.sources[0]?.error) throw new Error(report.sources[0].error);
});
afterAll(() => registry.close());

async function fixOf(project: string, name: string): Promise<Fix | undefined> {
  const home = tempDir();
  const result = await scan(['.'], {
    cwd: fixturePath(DIR, project),
    database,
    registry: {
      packagistRepository: registry.composer,
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
});
