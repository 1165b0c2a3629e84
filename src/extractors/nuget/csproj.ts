import { basename } from '../../core/paths.js';
import type { ProjectFact } from '../../model/source.js';
import type { Extractor, ExtractResult } from '../types.js';
import type { XmlElement } from '../xml-tree.js';
import {
  centralVersions,
  itemMetadata,
  itemNames,
  itemRef,
  items,
  msbuildProperties,
  rootElement,
} from './common.js';

const ID = 'nuget/csproj';

/**
 * SDK-style project files (*.csproj, *.fsproj, *.vbproj, and Directory.Build.props/.targets, which are
 * imported into every project below them): `<PackageReference Include="X" Version="1.2.3" />`, the version
 * as an attribute or a child element, `VersionOverride`, and under central package management the version
 * from the nearest Directory.Packages.props. `$(Property)` references are expanded from the file's own
 * `<PropertyGroup>`s. `PrivateAssets="all"` (a build-time tool such as an analyzer) gives group `dev`;
 * `Update=` items change the version of a reference made elsewhere (group `managed`).
 */
export const csproj: Extractor = {
  id: ID,
  ecosystem: 'NuGet',
  kind: 'manifest',
  matches: (path) => {
    const name = basename(path);
    return (
      /\.(?:cs|fs|vb)proj$/i.test(name) ||
      name === 'Directory.Build.props' ||
      name === 'Directory.Build.targets'
    );
  },
  extract(file, ctx) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const root = rootElement(file.text, 'Project', 'an MSBuild project', result.errors);
    if (!root) return result;
    const properties = msbuildProperties(root);
    let central: Map<string, string> | undefined;
    const push = (item: XmlElement, name: string, version: string | undefined, groups: string[]) =>
      result.refs.push(itemRef({ extractor: ID, file: file.path, item, name, version, properties, groups }));
    for (const reference of items(root, 'PackageReference')) {
      const privateAssets = itemMetadata(reference, 'PrivateAssets')?.toLowerCase();
      const groups = privateAssets === 'all' ? ['dev'] : [];
      const own = itemMetadata(reference, 'VersionOverride') ?? itemMetadata(reference, 'Version');
      for (const name of itemNames(reference, 'Include')) {
        let version = own;
        if (version === undefined) {
          central ??= centralVersions(file, ctx);
          version = central.get(name.toLowerCase());
        }
        push(reference, name, version, groups);
      }
      for (const name of itemNames(reference, 'Update')) push(reference, name, own, ['managed']);
    }
    const fact: ProjectFact = { kind: 'manifest', ecosystem: 'NuGet' };
    const ownName =
      properties.get('packageid') ??
      properties.get('assemblyname') ??
      basename(file.path).replace(/\.\w+proj$/i, '');
    if (ownName && !ownName.includes('$(') && !ownName.startsWith('Directory.Build.')) fact.name = ownName;
    result.facts.push(fact);
    return result;
  },
};
