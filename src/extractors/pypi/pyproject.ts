import { lazy } from '../../core/lazy.js';

const pep440 = lazy<typeof import('@renovatebot/pep440')>('@renovatebot/pep440');

import { basename } from '../../core/paths.js';
import { normalizePypiName } from '../../model/ecosystem.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ProjectFact } from '../../model/source.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import {
  asArray,
  asString,
  asTable,
  isTable,
  makeRef,
  parseToml,
  quotedForms,
  type SourcedTarget,
  sourceOfTable,
  type Table,
  TomlLines,
  ValueCursor,
} from './common.js';
import { type PypiTarget, parseRequirement, pypiTarget } from './requirement.js';

const ID = 'pypi/pyproject';

/**
 * A Poetry constraint: `*` is anything, a bare version or `==X` is that version, anything else (`^1.2`,
 * `~1.2`, `>=1,<2`, `1.2.*`) stays the range it is, as written.
 */
export function poetryTarget(name: string, constraint: string): PypiTarget {
  const text = constraint.trim();
  if (text === '' || text === '*') return { name, origin: 'registry' };
  const exact = /^(?:==\s*)?([0-9A-Za-z][0-9A-Za-z.+!_-]*)$/.exec(text)?.[1];
  if (exact && pep440().valid(exact)) return { name, version: exact, origin: 'registry' };
  return { name, spec: text, origin: 'registry' };
}

/**
 * pyproject.toml: PEP 621 `[project]` dependencies and extras, PEP 735 `[dependency-groups]`,
 * `[build-system] requires` (group `build`), Poetry's dependency tables and groups, uv's
 * `dev-dependencies` and `[tool.uv.sources]` (which turn a name into a git/path/workspace dependency),
 * PDM's `dev-dependencies`. The project's own name becomes a manifest fact so its imports stay local.
 */
export const pyprojectToml: Extractor = {
  id: ID,
  ecosystem: 'PyPI',
  kind: 'manifest',
  matches: (path) => basename(path) === 'pyproject.toml',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const doc = parseToml(file.text, result.errors);
    if (!doc) return result;
    const toml = new TomlLines(file.text);
    const project = asTable(doc.project);
    const tool = asTable(doc.tool);
    const poetry = asTable(tool?.poetry);
    const ownName = asString(project?.name) ?? asString(poetry?.name);
    const ownKey = ownName === undefined ? undefined : normalizePypiName(ownName);

    const push = (target: SourcedTarget, line: number, groups: string[]): PackageRef | undefined => {
      // `all = ["myproject[a,b]"]` names the project itself to combine its extras.
      if (normalizePypiName(target.name) === ownKey) return undefined;
      const ref = makeRef({
        target,
        extractor: ID,
        source: 'declared',
        location: { file: file.path, line },
        groups,
      });
      result.refs.push(ref);
      return ref;
    };

    /** A PEP 508 list under `key` of the table at `section`. */
    const requirementList = (list: unknown, section: string[], key: string, groups: string[]) => {
      if (list === undefined) return;
      const range = toml.table(section);
      const cursor = new ValueCursor(toml, range, toml.keyLocation(section, key) - 1);
      if (!Array.isArray(list)) {
        result.errors.push({
          line: toml.keyLocation(section, key),
          message: `${quoted([...section, key].join('.'))} is not a list`,
        });
        return;
      }
      for (const item of list) {
        if (isTable(item) && item['include-group'] !== undefined) continue;
        if (typeof item !== 'string') {
          result.errors.push({
            line: cursor.line([key]),
            message: `${quoted([...section, key].join('.'))} holds a non-string entry`,
          });
          continue;
        }
        const name = /^[\s]*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(item)?.[1] ?? '';
        const line = cursor.line([...quotedForms(item), name]);
        const requirement = parseRequirement(item);
        if (requirement.ok) push(pypiTarget(requirement.requirement), line, groups);
        else result.errors.push({ line, message: requirement.error });
      }
    };

    const build = asTable(doc['build-system']);
    requirementList(build?.requires, ['build-system'], 'requires', ['build']);
    requirementList(project?.dependencies, ['project'], 'dependencies', []);
    for (const [extra, list] of Object.entries(asTable(project?.['optional-dependencies']) ?? {})) {
      requirementList(list, ['project', 'optional-dependencies'], extra, [extra]);
    }
    readDependencyGroups(asTable(doc['dependency-groups']), toml, result, requirementList);

    const uv = asTable(tool?.uv);
    requirementList(uv?.['dev-dependencies'], ['tool', 'uv'], 'dev-dependencies', ['dev']);
    for (const [group, list] of Object.entries(asTable(asTable(tool?.pdm)?.['dev-dependencies']) ?? {})) {
      requirementList(list, ['tool', 'pdm', 'dev-dependencies'], group, [group]);
    }

    if (poetry) readPoetry(poetry, toml, push);
    applyUvSources(asTable(uv?.sources), result.refs);

    // A uv workspace shares one environment: its members see what the root declares.
    const members = asArray(asTable(uv?.workspace)?.members).flatMap((m) => asString(m) ?? []);
    if (project || poetry || members.length > 0) {
      const fact: ProjectFact = { kind: 'manifest', ecosystem: 'PyPI' };
      if (ownName) fact.name = ownName;
      if (members.length > 0) fact.workspaces = members;
      result.facts.push(fact);
    }
    return result;
  },
};

/**
 * PEP 735 groups: a requirement listed in group `test` that `dev` includes (`{include-group = "test"}`)
 * belongs to both, so it gets groups [`test`, `dev`] once rather than being repeated per includer.
 */
function readDependencyGroups(
  groups: Table | undefined,
  toml: TomlLines,
  result: ExtractResult,
  requirementList: (list: unknown, section: string[], key: string, groups: string[]) => void,
): void {
  if (!groups) return;
  const includes = new Map<string, string[]>();
  for (const [group, list] of Object.entries(groups)) {
    const included: string[] = [];
    for (const item of asArray(list)) {
      const name = isTable(item) ? asString(item['include-group']) : undefined;
      if (name === undefined) continue;
      if (Object.hasOwn(groups, name)) included.push(name);
      else
        result.errors.push({
          line: toml.keyLocation(['dependency-groups'], group),
          message: `dependency group ${quoted(group)} includes unknown group ${quoted(name)}`,
        });
    }
    includes.set(group, included);
  }
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>([from]);
    const queue = [from];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const included of includes.get(next) ?? []) {
        if (!seen.has(included)) {
          seen.add(included);
          queue.push(included);
        }
      }
    }
    return seen;
  };
  const reachable = new Map([...includes.keys()].map((group) => [group, reach(group)]));
  for (const [group, list] of Object.entries(groups)) {
    const members = [
      group,
      ...[...reachable].filter(([g, set]) => g !== group && set.has(group)).map(([g]) => g),
    ];
    requirementList(list, ['dependency-groups'], group, members);
  }
}

type Push = (target: SourcedTarget, line: number, groups: string[]) => PackageRef | undefined;

/** Poetry: `[tool.poetry.dependencies]` (python excluded), legacy `dev-dependencies`, `group.<g>.dependencies`. */
function readPoetry(poetry: Table, toml: TomlLines, push: Push): void {
  const extrasOf = new Map<string, string[]>();
  for (const [extra, names] of Object.entries(asTable(poetry.extras) ?? {})) {
    for (const name of asArray(names)) {
      if (typeof name !== 'string') continue;
      const key = normalizePypiName(name);
      extrasOf.set(key, [...(extrasOf.get(key) ?? []), extra]);
    }
  }
  const sections: [string[], unknown, string[]][] = [
    [['tool', 'poetry', 'dependencies'], poetry.dependencies, []],
    [['tool', 'poetry', 'dev-dependencies'], poetry['dev-dependencies'], ['dev']],
  ];
  for (const [group, table] of Object.entries(asTable(poetry.group) ?? {})) {
    sections.push([
      ['tool', 'poetry', 'group', group, 'dependencies'],
      asTable(table)?.dependencies,
      [group],
    ]);
  }
  for (const [section, deps, groups] of sections) {
    for (const [name, value] of Object.entries(asTable(deps) ?? {})) {
      if (name.toLowerCase() === 'python') continue;
      const line = toml.keyLocation(section, name);
      // Several constraints (`[{version = "^1", python = "<3.8"}, …]`) are alternatives: one ref each.
      for (const entry of Array.isArray(value) ? value : [value]) {
        const target = poetryEntry(name, entry);
        if (!target) continue;
        const optional = isTable(entry) && entry.optional === true;
        push(target, line, optional ? (extrasOf.get(normalizePypiName(name)) ?? ['optional']) : groups);
      }
    }
  }
}

function poetryEntry(name: string, entry: unknown): SourcedTarget | undefined {
  if (typeof entry === 'string') return poetryTarget(name, entry);
  if (!isTable(entry)) return undefined;
  const source = sourceOfTable(entry);
  if (source) return { name, ...source };
  const version = asString(entry.version);
  return version === undefined ? { name, origin: 'registry' } : poetryTarget(name, version);
}

/** `[tool.uv.sources]` says where a declared name really comes from. */
function applyUvSources(sources: Table | undefined, refs: PackageRef[]): void {
  for (const [name, value] of Object.entries(sources ?? {})) {
    const first = Array.isArray(value) ? value.find(isTable) : value;
    const source = isTable(first) ? sourceOfTable(first) : undefined;
    if (!source) continue;
    const key = normalizePypiName(name);
    for (const ref of refs) {
      if (normalizePypiName(ref.name) !== key) continue;
      ref.origin = source.origin;
      if (source.url !== undefined) ref.url = source.url;
      if (source.commit !== undefined) ref.commit = source.commit;
    }
  }
}
