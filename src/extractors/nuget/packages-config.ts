import { basename } from '../../core/paths.js';
import type { Extractor, ExtractResult } from '../types.js';
import { attribute, childElements } from '../xml-tree.js';
import { declaredRef, rootElement } from './common.js';

const ID = 'nuget/packages-config';

/**
 * packages.config (NuGet before PackageReference): `<package id="X" version="1.2.3" />` for every package
 * the project installs, its dependencies included, each at an exact version. `developmentDependency="true"`
 * gives group `dev`.
 */
export const packagesConfig: Extractor = {
  id: ID,
  ecosystem: 'NuGet',
  kind: 'manifest',
  matches: (path) => basename(path).toLowerCase() === 'packages.config',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const root = rootElement(file.text, 'packages', 'a packages.config', result.errors);
    if (!root) return result;
    for (const element of childElements(root, 'package')) {
      const name = attribute(element, 'id')?.trim();
      const version = attribute(element, 'version')?.trim();
      if (!name) {
        result.errors.push({ line: element.line, column: element.column, message: 'a <package> has no id' });
        continue;
      }
      const ref = declaredRef(ID, file.path, element, name);
      if (version) ref.version = version;
      if (attribute(element, 'developmentDependency')?.toLowerCase() === 'true') ref.groups = ['dev'];
      result.refs.push(ref);
    }
    result.facts.push({ kind: 'manifest', ecosystem: 'NuGet' });
    return result;
  },
};
