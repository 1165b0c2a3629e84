import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import { entries, lineOf, parseJson, property, stringValue } from '../json-tree.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';

const ID = 'nuget/packages-lock';

/**
 * packages.lock.json: for each target framework, every package (`Direct`, `Transitive`,
 * `CentralTransitive`) with its `resolved` version, reported once per name and version; `Project` entries
 * are other projects of the solution, not packages. Each entry's `dependencies` give the graph, and the
 * `Direct` ones are the roots.
 */
export const packagesLock: Extractor = {
  id: ID,
  ecosystem: 'NuGet',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'packages.lock.json',
  extract(file) {
    const doc = parseJson(file.text, { allowTrailingComma: true });
    const result: ExtractResult = { refs: [], errors: doc.errors, facts: [] };
    const frameworks = property(doc.root, 'dependencies');
    if (doc.root?.type !== 'object' || frameworks?.type !== 'object') {
      if (doc.errors.length === 0)
        result.errors.push({ line: 1, message: 'packages.lock.json has no "dependencies" object' });
      return result;
    }
    const edges: Record<string, string[]> = {};
    const roots = new Set<string>();
    const seen = new Set<string>();
    for (const [, packages] of entries(frameworks)) {
      for (const [name, entry, offset] of entries(packages)) {
        const type = stringValue(property(entry, 'type'));
        if (type === 'Project') continue;
        const version = stringValue(property(entry, 'resolved'));
        if (!version) {
          result.errors.push({
            line: lineOf(doc, offset),
            message: `${quoted(name)} has no "resolved" version`,
          });
          continue;
        }
        if (type === 'Direct') roots.add(name);
        const dependencies = [...entries(property(entry, 'dependencies'))].map(([dependency]) => dependency);
        edges[name] = [...new Set([...(edges[name] ?? []), ...dependencies])];
        const key = `${name.toLowerCase()}\0${version}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const ref: PackageRef = {
          ecosystem: 'NuGet',
          name,
          version,
          source: 'locked',
          extractor: ID,
          location: { file: file.path, line: lineOf(doc, offset) },
          origin: 'registry',
        };
        result.refs.push(ref);
      }
    }
    if (Object.keys(edges).length > 0)
      result.facts.push({ kind: 'dependency-graph', ecosystem: 'NuGet', roots: [...roots], edges });
    return result;
  },
};
