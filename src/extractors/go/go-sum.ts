import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import { goScheme } from '../../versions/go.js';
import type { Extractor, ExtractResult } from '../types.js';
import { goMod, isGoVersion } from './go-mod.js';

const ID = 'go/go-sum';
const GO_MOD_SUFFIX = '/go.mod';

/**
 * go.sum is not the build list: it keeps the hashes of versions an older module graph needed too. The version
 * built is the one go.mod beside it selects (since Go 1.17 go.mod lists every module of the build list);
 * for a module go.mod does not list (an older go.mod, or none), minimal version selection built the highest
 * of those go.sum has. Lines for the other versions are no package of the project.
 */
function buildList(refs: PackageRef[], goModVersions: ReadonlyMap<string, string>): PackageRef[] {
  const highest = new Map<string, PackageRef>();
  for (const ref of refs) {
    const seen = highest.get(ref.name);
    if (!seen || goScheme.compare(ref.version!, seen.version!) > 0) highest.set(ref.name, ref);
  }
  return refs.filter((ref) => {
    const selected = goModVersions.get(ref.name);
    return selected === undefined
      ? highest.get(ref.name) === ref
      : goScheme.compare(ref.version!, selected) === 0;
  });
}

/**
 * go.sum: one locked ref per module version whose code the build uses (`path version h1:hash`; see buildList). A line
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
  extract(file, ctx) {
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
    const goModFile = ctx.readRelative(file, 'go.mod');
    const selected = new Map<string, string>();
    if (!('error' in goModFile))
      for (const ref of goMod.extract(goModFile, ctx).refs)
        if (ref.version !== undefined) selected.set(ref.name, ref.version);
    result.refs = buildList(result.refs, selected);
    return result;
  },
};
