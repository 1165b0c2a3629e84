/**
 * The crates.io sparse index client: `<index>/<prefix>/<name>` (`1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd…`, lower
 * case), one JSON object per line and per published version (`name`, `vers`, `yanked`, `deps`). The index
 * has no publish dates, descriptions or repositories, so the checks that need them are `unchecked`.
 * Cargo treats 404, 410 and 451 as "no such crate"; `-` and `_` are one crate name for cargo, so a name
 * not found is tried with the other separator before it is called missing.
 */

import { RegistryHttpError } from '../core/http.js';
import { isObject } from '../core/json.js';
import type { ExistingPackage, VersionFacts } from '../model/registry-facts.js';
import { latestRelease } from '../versions/pick.js';
import { SourcesClient } from './client.js';
import type { RegistrySource } from './sources.js';

const NOT_FOUND = [410, 451];

/** The index file of a crate, as cargo names it. */
export function sparseIndexPath(name: string): string {
  const lower = name.toLowerCase();
  if (lower.length === 1) return `1/${lower}`;
  if (lower.length === 2) return `2/${lower}`;
  if (lower.length === 3) return `3/${lower[0]}/${lower}`;
  return `${lower.slice(0, 2)}/${lower.slice(2, 4)}/${lower}`;
}

function spellings(name: string): string[] {
  return [...new Set([name, name.replace(/_/g, '-'), name.replace(/-/g, '_')])];
}

export class CratesClient extends SourcesClient {
  readonly ecosystem = 'crates.io' as const;

  protected override refusal(name: string): string | undefined {
    return /^[A-Za-z0-9_-]+$/.test(name) ? undefined : `'${name}' is not a crate name`;
  }

  protected override cacheName(name: string): string {
    return name.toLowerCase().replace(/_/g, '-');
  }

  protected async fromSource(source: RegistrySource, name: string): Promise<ExistingPackage | undefined> {
    for (const spelling of spellings(name)) {
      const file = await this.fetchText(
        source,
        `${source.url}${sparseIndexPath(spelling)}`,
        undefined,
        NOT_FOUND,
      );
      if (file !== undefined) return readIndexFile(spelling, file);
    }
    return undefined;
  }
}

/** Normalises an index file; throws RegistryHttpError when it is not one. */
function readIndexFile(name: string, text: string): ExistingPackage {
  const versions: Record<string, VersionFacts> = {};
  let canonical: string | undefined;
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw new RegistryHttpError(
        'invalid',
        `the index answered with something that is not an index file (line ${index + 1} is not JSON)`,
      );
    }
    if (!isObject(entry) || typeof entry.vers !== 'string' || typeof entry.name !== 'string')
      throw new RegistryHttpError('invalid', `line ${index + 1} of the index file has no name and version`);
    if (entry.name.toLowerCase().replace(/_/g, '-') !== name.toLowerCase().replace(/_/g, '-'))
      throw new RegistryHttpError(
        'invalid',
        `line ${index + 1} of the index file is about another crate ('${entry.name.slice(0, 100)}')`,
      );
    canonical ??= entry.name;
    const runtime = runtimeDependencies(entry.deps);
    const facts: VersionFacts = {
      version: entry.vers,
      dependencies: runtime.map(([crate]) => crate),
      requires: Object.fromEntries(runtime),
    };
    if (entry.yanked === true) facts.yanked = true;
    versions[entry.vers] = facts;
  }
  if (Object.keys(versions).length === 0)
    throw new RegistryHttpError('invalid', 'the index answered with an empty index file');
  const latest = latestRelease('crates.io', versions);
  const facts: ExistingPackage = {
    status: 'exists',
    ecosystem: 'crates.io',
    name: canonical ?? name,
    versions,
    datesTrusted: false,
    trimmed: ['publish dates', 'description', 'repository'],
  };
  if (latest) facts.latest = latest;
  return facts;
}

/**
 * The crates a version needs to build and run: normal, non-optional dependencies, by their registry name,
 * with the requirement (`req`) on each.
 */
function runtimeDependencies(deps: unknown): [string, string][] {
  if (!Array.isArray(deps)) return [];
  const found: [string, string][] = [];
  for (const dep of deps) {
    if (!isObject(dep) || typeof dep.name !== 'string') continue;
    if (dep.optional === true || (dep.kind !== undefined && dep.kind !== null && dep.kind !== 'normal'))
      continue;
    found.push([
      typeof dep.package === 'string' ? dep.package : dep.name,
      typeof dep.req === 'string' ? dep.req : '*',
    ]);
  }
  return found;
}
