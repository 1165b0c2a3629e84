import type { PackageRef } from '../../model/package-ref.js';
import { basename, type Extractor, type ExtractResult } from '../types.js';
import { parseXml } from '../xml-tree.js';
import {
  expandProperties,
  itemMetadata,
  itemNames,
  items,
  msbuildProperties,
  nugetVersionTarget,
} from './common.js';

const ID = 'nuget/directory-packages';

/**
 * Directory.Packages.props (NuGet central package management): `<PackageVersion Include="X" Version="…" />`
 * fixes the version of X for the projects below that reference it, so each is a version fact (group
 * `managed`), not a declaration; `<GlobalPackageReference>` adds a package to every project and is one.
 */
export const directoryPackages: Extractor = {
  id: ID,
  ecosystem: 'NuGet',
  kind: 'manifest',
  matches: (path) => basename(path) === 'Directory.Packages.props',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const doc = parseXml(file.text);
    result.errors.push(...doc.errors);
    const root = doc.root;
    if (!root) return result;
    if (root.name !== 'Project') {
      if (doc.errors.length === 0)
        result.errors.push({
          line: root.line,
          message: `not an MSBuild project: the root element is <${root.name}>`,
        });
      return result;
    }
    const properties = msbuildProperties(root);
    const kinds: [string, string[]][] = [
      ['PackageVersion', ['managed']],
      ['GlobalPackageReference', []],
    ];
    for (const [kind, groups] of kinds) {
      for (const item of items(root, kind)) {
        const version = itemMetadata(item, 'Version');
        for (const name of itemNames(item, 'Include')) {
          const ref: PackageRef = {
            ecosystem: 'NuGet',
            name,
            source: 'declared',
            extractor: ID,
            location: { file: file.path, line: item.line, column: item.column },
            origin: 'registry',
          };
          if (version !== undefined)
            Object.assign(ref, nugetVersionTarget(expandProperties(version, properties)));
          if (groups.length > 0) ref.groups = groups;
          result.refs.push(ref);
        }
      }
    }
    return result;
  },
};
