import type { PackageRef } from '../../model/package-ref.js';
import type { ExtractError } from '../../model/source.js';
import { asArray, asString, asTable, parseToml, type Table, TomlLines } from '../pypi/common.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import { type MavenVersionTarget, mavenVersionTarget } from './coordinates.js';

const ID = 'maven/version-catalog';

/** One `[libraries]` entry with its version resolved through `[versions]`. */
export interface CatalogLibrary {
  /** The alias as written: `commons-lang3`. */
  alias: string;
  /** `group:artifact`. */
  name: string;
  target: MavenVersionTarget;
  /** 1-based line of the alias in the catalog. */
  line: number;
}

export interface VersionCatalog {
  /** By accessor path (see `accessorKey`): `commons.lang3` for the alias `commons-lang3`. */
  libraries: Map<string, CatalogLibrary>;
  /** Bundle accessor path → libraries. */
  bundles: Map<string, CatalogLibrary[]>;
  errors: ExtractError[];
}

/**
 * Gradle turns `-`, `_` and `.` in an alias into `.` for the accessor (`commons-lang3` → `libs.commons.lang3`)
 * and matches case-insensitively enough that the lower-cased dotted path identifies an entry.
 */
export function accessorKey(alias: string): string {
  return alias.replace(/[-_.]+/g, '.').toLowerCase();
}

/**
 * A Gradle version catalog (gradle/libs.versions.toml): `[versions]` (a string, or a rich version whose
 * `strictly`/`require`/`prefer` names it), `[libraries]` (`"g:a:v"`, `{ module = "g:a", version… }`,
 * `{ group, name, version… }`, with `version.ref` pointing into `[versions]`) and `[bundles]`.
 */
export function readVersionCatalog(text: string): VersionCatalog {
  const catalog: VersionCatalog = { libraries: new Map(), bundles: new Map(), errors: [] };
  const doc = parseToml(text, catalog.errors);
  if (!doc) return catalog;
  const toml = new TomlLines(text);
  const versions = asTable(doc.versions) ?? {};
  for (const [alias, value] of Object.entries(asTable(doc.libraries) ?? {})) {
    const line = toml.keyLocation(['libraries'], alias);
    const library = readLibrary(alias, value, versions);
    if ('error' in library) {
      catalog.errors.push({ line, message: library.error });
      continue;
    }
    catalog.libraries.set(accessorKey(alias), { alias, ...library, line });
  }
  for (const [bundle, members] of Object.entries(asTable(doc.bundles) ?? {})) {
    const libraries = asArray(members)
      .map((member) => (typeof member === 'string' ? catalog.libraries.get(accessorKey(member)) : undefined))
      .filter((library): library is CatalogLibrary => library !== undefined);
    catalog.bundles.set(accessorKey(bundle), libraries);
  }
  return catalog;
}

function readLibrary(
  alias: string,
  value: unknown,
  versions: Table,
): { name: string; target: MavenVersionTarget } | { error: string } {
  if (typeof value === 'string') {
    const [group, artifact, version, ...rest] = value.split(':');
    if (!group || !artifact || rest.length > 0)
      return { error: `library ${quoted(alias)} is not "group:artifact:version": ${quoted(value)}` };
    return { name: `${group}:${artifact}`, target: version ? mavenVersionTarget(version) : {} };
  }
  const table = asTable(value);
  if (!table) return { error: `library ${quoted(alias)} is neither a string nor a table` };
  const module = asString(table.module);
  const group = asString(table.group);
  const artifact = asString(table.name);
  const name = module ?? (group && artifact ? `${group}:${artifact}` : undefined);
  if (!name || !/^[^:\s]+:[^:\s]+$/.test(name))
    return { error: `library ${quoted(alias)} has no "module" nor "group" and "name"` };
  const ref = asString(asTable(table.version)?.ref);
  if (ref !== undefined && !(ref in versions))
    return {
      error: `library ${quoted(alias)} refers to version ${quoted(ref)}, which [versions] does not define`,
    };
  return { name, target: versionOf(table.version, versions) };
}

/** `version = "1.0"`, `version = { strictly = "…" }`, `version.ref = "x"` (a dotted key: `{ ref = "x" }`). */
function versionOf(value: unknown, versions: Table): MavenVersionTarget {
  if (typeof value === 'string') return mavenVersionTarget(value);
  const table = asTable(value);
  if (!table) return {};
  const ref = asString(table.ref);
  if (ref !== undefined) return versionOf(versions[ref], {});
  const rich = asString(table.strictly) ?? asString(table.require) ?? asString(table.prefer);
  return rich === undefined ? {} : mavenVersionTarget(rich);
}

/**
 * libs.versions.toml on its own: each library as a version fact of the catalog (group `catalog`): the
 * catalog makes a library available to the build files, which declare its use (`libs.x`).
 */
export const versionCatalog: Extractor = {
  id: ID,
  ecosystem: 'Maven',
  kind: 'manifest',
  matches: (path) => /(?:^|\/)[\w-]+\.versions\.toml$/.test(path),
  extract(file) {
    const catalog = readVersionCatalog(file.text);
    const result: ExtractResult = { refs: [], errors: catalog.errors, facts: [] };
    for (const library of catalog.libraries.values()) {
      const ref: PackageRef = {
        ecosystem: 'Maven',
        name: library.name,
        ...library.target,
        source: 'declared',
        extractor: ID,
        location: { file: file.path, line: library.line },
        origin: 'registry',
        groups: ['catalog'],
      };
      result.refs.push(ref);
    }
    return result;
  },
};
