import { beforeAll } from 'vitest';
import type { AnalysisContext } from '../../src/analyzers/types.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { ProjectIndex } from '../../src/project/index.js';
import { PhantomResolver } from '../../src/project/phantom.js';
import { resolveAdvisories } from '../../src/vulndb/resolve.js';
import { VulnDatabase } from '../../src/vulndb/store.js';
import { fixtureDatabase } from '../vulndb/helpers.js';

/** The fixture database, open for the test file. */
export function useFixtureDatabase(): () => VulnDatabase {
  let db: VulnDatabase;
  beforeAll(async () => {
    db = VulnDatabase.open(await fixtureDatabase())!;
    return () => db.close();
  });
  return () => db;
}

export function ref(fields: Partial<PackageRef> & Pick<PackageRef, 'ecosystem' | 'name'>): PackageRef {
  return {
    source: 'declared',
    extractor: 'test',
    location: { file: 'app/package.json', line: 3 },
    ...fields,
  };
}

/** What the scan hands analyzers: the refs and the advisories resolved for them. */
export function context(refs: PackageRef[], db: VulnDatabase | undefined): AnalysisContext {
  const phantom = new PhantomResolver(new ProjectIndex(refs, [], []));
  return db ? { refs, phantom, advisories: resolveAdvisories(refs, db) } : { refs, phantom };
}
