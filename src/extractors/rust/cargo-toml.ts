import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ProjectFact } from '../../model/source.js';
import { cratesScheme } from '../../versions/crates.js';
import {
  asString,
  asTable,
  isCommitHash,
  isTable,
  parseToml,
  type Table,
  TomlLines,
} from '../pypi/common.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';

const ID = 'rust/cargo-toml';

/** Dependency tables and their groups; Cargo still reads the underscore spellings of old manifests. */
const DEPENDENCY_TABLES: ReadonlyArray<[string, string[]]> = [
  ['dependencies', []],
  ['dev-dependencies', ['dev']],
  ['dev_dependencies', ['dev']],
  ['build-dependencies', ['build']],
  ['build_dependencies', ['build']],
];

/** What one dependency entry says, before it becomes a ref. */
type Target = Pick<PackageRef, 'name' | 'version' | 'spec' | 'origin' | 'url' | 'commit' | 'alias'>;

/**
 * A Cargo version requirement as written. A bare `1.2` means `^1.2` (any compatible version), so only `=1.2.3`
 * names one exact version.
 */
export function cargoRequirement(requirement: string): Pick<PackageRef, 'version' | 'spec'> {
  const exact = /^=\s*(\S+)$/.exec(requirement.trim())?.[1];
  if (exact !== undefined && cratesScheme.parse(exact) !== undefined) return { version: exact };
  return { spec: requirement };
}

/**
 * Cargo.toml: `[dependencies]`, `[dev-dependencies]` (group `dev`), `[build-dependencies]` (group `build`),
 * the same under `[target.'cfg(…)'.…]`, `optional = true` (group `optional`), renamed packages
 * (`alias = { package = "real" }` → name `real`, alias `alias`), git dependencies (commit from a hash `rev`)
 * and path dependencies (origin `path`). Requirements are kept as written (`"1.2"` is `^1.2`, not a version).
 *
 * Workspaces: `[workspace.dependencies]` entries are reported with group `workspace`; they pin versions for
 * the members that inherit them but install nothing themselves, as overrides do. A `foo = { workspace = true }`
 * is resolved against the same file's `[workspace.dependencies]` (a root package inheriting from its own
 * workspace); a member cannot see the root manifest, so its ref keeps the spec `workspace` and the root's own
 * refs carry the versions. `[patch.*]` entries replace a dependency's source wherever it is used: group
 * `override`. The package name and the workspace members are the manifest fact.
 */
export const cargoToml: Extractor = {
  id: ID,
  ecosystem: 'crates.io',
  kind: 'manifest',
  matches: (path) => basename(path) === 'Cargo.toml',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const doc = parseToml(file.text, result.errors);
    if (!doc) return result;
    const toml = new TomlLines(file.text);
    const workspace = asTable(doc.workspace);
    const inherited = asTable(workspace?.dependencies);

    const read = (table: unknown, section: string[], groups: string[]) => {
      for (const [key, value] of Object.entries(asTable(table) ?? {})) {
        const line = toml.keyLocation(section, key);
        const problem = (message: string) =>
          result.errors.push({ line, message: `${quoted([...section, key].join('.'))}: ${message}` });
        const entry = dependency(key, value, inherited, problem);
        if (!entry) continue;
        const ref: PackageRef = {
          ecosystem: 'crates.io',
          ...entry.target,
          source: 'declared',
          extractor: ID,
          location: { file: file.path, line },
        };
        const all = entry.optional ? [...groups, 'optional'] : groups;
        if (all.length > 0) ref.groups = all;
        result.refs.push(ref);
      }
    };

    for (const [name, groups] of DEPENDENCY_TABLES) read(doc[name], [name], groups);
    for (const [platform, tables] of Object.entries(asTable(doc.target) ?? {})) {
      for (const [name, groups] of DEPENDENCY_TABLES)
        read(asTable(tables)?.[name], ['target', platform, name], groups);
    }
    read(inherited, ['workspace', 'dependencies'], ['workspace']);
    for (const [registry, table] of Object.entries(asTable(doc.patch) ?? {}))
      read(table, ['patch', registry], ['override']);

    result.facts.push(manifestFact(doc, workspace));
    return result;
  },
};

function manifestFact(doc: Table, workspace: Table | undefined): ProjectFact {
  const fact: ProjectFact = { kind: 'manifest', ecosystem: 'crates.io' };
  const name = asString(asTable(doc.package)?.name);
  if (name) fact.name = name;
  const members = workspace?.members;
  if (Array.isArray(members)) fact.workspaces = members.filter((m): m is string => typeof m === 'string');
  return fact;
}

/**
 * One entry of a dependency table: a requirement string or a table. Undefined (with a problem reported)
 * when a field has the wrong type: Cargo refuses such a manifest.
 */
function dependency(
  key: string,
  value: unknown,
  inherited: Table | undefined,
  problem: (message: string) => void,
): { target: Target; optional: boolean } | undefined {
  if (typeof value === 'string')
    return { target: { name: key, origin: 'registry', ...cargoRequirement(value) }, optional: false };
  if (!isTable(value)) {
    problem('a dependency is a version requirement string or a table');
    return undefined;
  }
  const optional = value.optional === true;
  if (value.workspace !== undefined) {
    if (value.workspace !== true) {
      problem('`workspace` can only be true');
      return undefined;
    }
    const root = inherited?.[key];
    if (root === undefined) return { target: { name: key, spec: 'workspace' }, optional };
    const resolved = dependency(key, root, undefined, problem);
    return resolved && { target: resolved.target, optional };
  }
  for (const field of ['version', 'git', 'path', 'package', 'rev', 'tag', 'branch', 'registry']) {
    if (value[field] !== undefined && typeof value[field] !== 'string') {
      problem(`\`${field}\` must be a string`);
      return undefined;
    }
  }
  const pkg = asString(value.package);
  const target: Target = { name: pkg ?? key };
  if (pkg !== undefined && pkg !== key) target.alias = key;
  const version = asString(value.version);
  if (version !== undefined) Object.assign(target, cargoRequirement(version));
  const git = asString(value.git);
  const path = asString(value.path);
  if (git !== undefined) {
    target.origin = 'git';
    target.url = git;
    const rev = asString(value.rev);
    if (isCommitHash(rev)) target.commit = rev;
  } else if (path !== undefined) {
    target.origin = 'path';
    target.url = path;
  } else target.origin = 'registry';
  return { target, optional };
}
