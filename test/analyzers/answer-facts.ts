/**
 * The facts behind the labelled answers (test/fixtures/answers): a vulnerability database built from
 * `osv/records.jsonl` and a registry on 127.0.0.1 serving `registry.json`, so that the risk findings
 * undisclosed-risk judges come from the real pipeline, never from the network.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PopularNames } from '../../src/model/popular.js';
import type { CheckOptions } from '../../src/pipeline/check.js';
import { importOsv } from '../../src/vulndb/import.js';
import { fixturePath } from '../helpers.js';
import { NOW, packument, pypiProject } from '../registry/documents.js';
import { type FakeRegistry, startFakeRegistry } from '../registry/fake-registry.js';

export const ANSWERS = fixturePath('answers');

interface PackageSpec {
  /** Version → publish day. */
  versions: Record<string, string>;
  latest?: string;
  /** Version (or `*` for all) → the maintainers' message. */
  deprecated?: Record<string, string>;
  yanked?: Record<string, string>;
}

type RegistryFixture = Record<'npm' | 'PyPI', Record<string, PackageSpec>>;

function serve(registry: FakeRegistry): void {
  const fixture = JSON.parse(readFileSync(join(ANSWERS, 'registry.json'), 'utf8')) as RegistryFixture;
  for (const [name, spec] of Object.entries(fixture.npm)) {
    const deprecation = (v: string) => spec.deprecated?.[v] ?? spec.deprecated?.['*'];
    registry.npm.set(
      name,
      packument(name, {
        versions: Object.entries(spec.versions).map(([version, day]) => ({
          version,
          published: `${day}T10:00:00.000Z`,
          ...(deprecation(version) ? { deprecated: deprecation(version) } : {}),
        })),
        ...(spec.latest ? { latest: spec.latest } : {}),
      }),
    );
  }
  for (const [name, spec] of Object.entries(fixture.PyPI)) {
    const project = pypiProject(name, {
      releases: Object.entries(spec.versions).map(([version, day]) => ({
        version,
        uploaded: `${day}T10:00:00Z`,
        ...(spec.yanked?.[version] ? { yanked: spec.yanked[version] } : {}),
      })),
    });
    registry.pypi.set(name.toLowerCase().replace(/[-_.]+/g, '-'), project);
  }
}

/** Options for `check`/`scan` with the fixture database and registry, ready in `beforeAll`. */
export function useAnswerFacts(): () => CheckOptions {
  let registry: FakeRegistry;
  let home: string;
  let options: CheckOptions;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'vouch-answers-'));
    registry = await startFakeRegistry();
    serve(registry);
    const database = join(home, 'osv.sqlite');
    const report = await importOsv([join(ANSWERS, 'osv')], database);
    if (report.sources[0]?.error) throw new Error(report.sources[0].error);
    options = {
      database,
      registry: {
        npmRegistry: registry.npmUrl,
        pypiIndex: registry.pypiIndex,
        cache: false,
        env: { HOME: home },
        now: NOW,
        popular: {
          npm: new PopularNames('npm', 'test list', []),
          PyPI: new PopularNames('PyPI', 'test list', []),
        },
        http: { retries: 0, timeoutMs: 5000 },
      },
    };
  });
  afterAll(async () => {
    await registry?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });
  return () => options;
}
