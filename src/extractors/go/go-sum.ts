import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { Extractor, ExtractResult } from '../types.js';
import { isGoVersion } from './go-mod.js';

const ID = 'go/go-sum';
const GO_MOD_SUFFIX = '/go.mod';

/**
 * go.sum: one locked ref per module version whose code the build downloads (`path version h1:hash`). A line
 * for `version/go.mod` alone means only the module's go.mod took part in version selection: its code is
 * never built, so it is no package of the project. go.sum records no graph (which module needs which), so
 * it gives no dependency-graph fact; and a module found only here is not importable: the go command refuses
 * an import that go.mod does not require.
 */
export const goSum: Extractor = {
  id: ID,
  ecosystem: 'Go',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'go.sum',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const seen = new Set<string>();
    for (const [i, text] of file.text.split('\n').entries()) {
      const fields = text.trim().split(/\s+/);
      if (fields.length === 1 && fields[0] === '') continue;
      const [path, version, hash] = fields;
      if (fields.length !== 3 || !path || !version || !hash?.includes(':')) {
        result.errors.push({ line: i + 1, message: 'not a go.sum line (module version hash)' });
        continue;
      }
      if (version.endsWith(GO_MOD_SUFFIX)) {
        if (!isGoVersion(version.slice(0, -GO_MOD_SUFFIX.length)))
          result.errors.push({ line: i + 1, message: `${path}: ${version} is not a module version` });
        continue;
      }
      if (!isGoVersion(version)) {
        result.errors.push({ line: i + 1, message: `${path}: ${version} is not a module version` });
        continue;
      }
      const key = `${path}@${version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ref: PackageRef = {
        ecosystem: 'Go',
        name: path,
        version,
        source: 'locked',
        extractor: ID,
        location: { file: file.path, line: i + 1 },
        origin: 'registry',
      };
      result.refs.push(ref);
    }
    return result;
  },
};
