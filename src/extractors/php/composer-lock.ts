import type { Node } from 'jsonc-parser';
import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import { entries, lineOf, parseJson, property, rootObject, stringValue } from '../json-tree.js';
import { isCommitHash } from '../pypi/common.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import { isPlatformPackage } from './common.js';

const ID = 'php/composer-lock';
const SECTIONS: ReadonlyArray<[string, string[]]> = [
  ['packages', []],
  ['packages-dev', ['dev']],
];

/**
 * composer.lock: every entry of `packages` and `packages-dev` (group `dev`) with its locked version;
 * `source.reference` (or, without a source, `dist.reference`) is the commit when it is one (a tag name is not); `dist.type` `path` is a local
 * package. Each package's `require` (platform requirements left out) gives the dependency graph.
 */
export const composerLock: Extractor = {
  id: ID,
  ecosystem: 'Packagist',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'composer.lock',
  extract(file) {
    const doc = parseJson(file.text);
    const result: ExtractResult = { refs: [], errors: doc.errors, facts: [] };
    const root = rootObject(doc, 'composer.lock', result.errors);
    if (!root) return result;
    const edges: Record<string, string[]> = {};
    for (const [section, groups] of SECTIONS) {
      const list = property(root, section);
      if (list === undefined) continue;
      if (list.type !== 'array') {
        result.errors.push({ line: lineOf(doc, list.offset), message: `${quoted(section)} is not an array` });
        continue;
      }
      for (const entry of list.children ?? []) {
        const line = lineOf(doc, entry.offset);
        const name = stringValue(property(entry, 'name'));
        const version = stringValue(property(entry, 'version'));
        if (entry.type !== 'object' || !name || !version) {
          result.errors.push({ line, message: `an entry of ${quoted(section)} has no "name" and "version"` });
          continue;
        }
        const ref: PackageRef = {
          ecosystem: 'Packagist',
          name,
          version,
          source: 'locked',
          extractor: ID,
          location: { file: file.path, line: lineOf(doc, property(entry, 'name')?.offset ?? entry.offset) },
          origin: originOf(entry),
        };
        const reference =
          stringValue(property(property(entry, 'source'), 'reference')) ??
          stringValue(property(property(entry, 'dist'), 'reference'));
        if (isCommitHash(reference)) ref.commit = reference;
        if (ref.origin === 'path') {
          const url = stringValue(property(property(entry, 'dist'), 'url'));
          if (url) ref.url = url;
        }
        if (groups.length > 0) ref.groups = groups;
        result.refs.push(ref);
        const requires = [...entries(property(entry, 'require'))]
          .map(([dependency]) => dependency)
          .filter((dependency) => !isPlatformPackage(dependency));
        edges[name] = [...new Set([...(edges[name] ?? []), ...requires])];
      }
    }
    if (Object.keys(edges).length > 0)
      result.facts.push({ kind: 'dependency-graph', ecosystem: 'Packagist', edges });
    return result;
  },
};

function originOf(entry: Node): PackageRef['origin'] {
  return stringValue(property(property(entry, 'dist'), 'type')) === 'path' ? 'path' : 'registry';
}
