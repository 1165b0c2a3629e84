import { basename } from '../../core/paths.js';
import type { Extractor, ExtractResult } from '../types.js';
import { itemMetadata, itemNames, itemRef, items, msbuildProperties, rootElement } from './common.js';

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
    const root = rootElement(file.text, 'Project', 'an MSBuild project', result.errors);
    if (!root) return result;
    const properties = msbuildProperties(root);
    const kinds: [string, string[]][] = [
      ['PackageVersion', ['managed']],
      ['GlobalPackageReference', []],
    ];
    for (const [kind, groups] of kinds) {
      for (const item of items(root, kind)) {
        const version = itemMetadata(item, 'Version');
        for (const name of itemNames(item, 'Include'))
          result.refs.push(
            itemRef({ extractor: ID, file: file.path, item, name, version, properties, groups }),
          );
      }
    }
    return result;
  },
};
