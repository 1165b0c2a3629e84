import type { PackageRef } from '../../model/package-ref.js';
import { basename, type Extractor, type ExtractResult, type ProjectFact } from '../types.js';
import { parseXml, type XmlElement } from '../xml-tree.js';
import {
  centralVersions,
  expandProperties,
  itemMetadata,
  itemNames,
  items,
  msbuildProperties,
  nugetVersionTarget,
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
    let central: Map<string, string> | undefined;
    const push = (element: XmlElement, name: string, written: string | undefined, groups: string[]) => {
      const ref: PackageRef = {
        ecosystem: 'NuGet',
        name,
        source: 'declared',
        extractor: ID,
        location: { file: file.path, line: element.line, column: element.column },
        origin: 'registry',
      };
      if (written !== undefined)
        Object.assign(ref, nugetVersionTarget(expandProperties(written, properties)));
      if (groups.length > 0) ref.groups = groups;
      result.refs.push(ref);
    };
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
