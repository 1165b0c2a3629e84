import { basename } from '../../core/paths.js';
import type { Extractor } from '../types.js';
import { asArray, asString, readPypiLock, type SourcedTarget, type Table } from './common.js';
import { parseRequirement } from './requirement.js';

const ID = 'pypi/pdm-lock';

/** PDM records the project's groups that pull a package in: `default` is production, `dev` is `dev`. */
function pdmGroups(entry: Table): string[] {
  const groups = asArray(entry.groups).filter((g): g is string => typeof g === 'string');
  if (groups.length === 0 || groups.includes('default')) return [];
  return [...new Set(groups.map((g) => (g === 'dev' ? 'dev' : 'optional')))].sort();
}

function pdmSource(entry: Table): Omit<SourcedTarget, 'name'> {
  const git = asString(entry.git);
  if (git !== undefined) {
    const out: Omit<SourcedTarget, 'name'> = { origin: 'git', url: git };
    const revision = asString(entry.revision);
    if (revision) out.commit = revision;
    return out;
  }
  const path = asString(entry.path);
  if (path !== undefined) return { origin: 'path', url: path };
  const url = asString(entry.url);
  if (url !== undefined) return { origin: 'url', url };
  return { origin: 'registry' };
}

/** The names in `dependencies` (PEP 508 strings). */
function pdmDependencies(entry: Table): string[] {
  const dependencies: string[] = [];
  for (const dependency of asArray(entry.dependencies)) {
    if (typeof dependency !== 'string') continue;
    const requirement = parseRequirement(dependency);
    // PDM writes local paths as `lib @ file:///${PROJECT_ROOT}/lib`, which PEP 508 does not allow.
    const dependencyName = requirement.ok
      ? requirement.requirement.name
      : /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(dependency)?.[1];
    if (dependencyName) dependencies.push(dependencyName);
  }
  return dependencies;
}

/**
 * pdm.lock: every `[[package]]` with its version, groups, git revision, and the dependency graph from each
 * package's `dependencies` (PEP 508 strings).
 */
export const pdmLock: Extractor = {
  id: ID,
  ecosystem: 'PyPI',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'pdm.lock',
  extract: (file) =>
    readPypiLock(file, ID, { from: pdmSource, groups: pdmGroups, dependencies: pdmDependencies }),
};
