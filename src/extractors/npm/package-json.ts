import type { Node } from 'jsonc-parser';
import { pushAll } from '../../core/arrays.js';
import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ProjectFact } from '../../model/source.js';
import { entries, lineOf, parseJson, property, rootObject, stringValue } from '../json-tree.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import { knipFacts } from './knip-config.js';
import { classifyNpmSpec, isValidNpmName } from './spec.js';

const ID = 'npm/package-json';

/** Dependency fields and the group their entries belong to ([] is production). */
const DEPENDENCY_FIELDS: ReadonlyArray<[string, string[]]> = [
  ['dependencies', []],
  ['devDependencies', ['dev']],
  ['peerDependencies', ['peer']],
  ['optionalDependencies', ['optional']],
];

export const packageJson: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'manifest',
  matches: (path) => basename(path) === 'package.json',
  extract(file) {
    const doc = parseJson(file.text);
    const result: ExtractResult = { refs: [], errors: doc.errors, facts: [] };
    const root = rootObject(doc, 'package.json', result.errors);
    if (!root) return result;
    // A Unity package manifest lists Unity (UPM) packages, not npm ones.
    if (property(root, 'unity')) return result;
    /** Adds the ref a dependency entry names, or an error when the name is not a package name. */
    const add = (name: string, spec: string, offset: number, groups: string[]): void => {
      const target = classifyNpmSpec(name, spec);
      if (!isValidNpmName(target.name)) {
        result.errors.push({
          line: lineOf(doc, offset),
          message: `${quoted(target.name)} is not a package name`,
        });
        return;
      }
      const out: PackageRef = {
        ecosystem: 'npm',
        name: target.name,
        source: 'declared',
        extractor: ID,
        location: { file: file.path, line: lineOf(doc, offset) },
        origin: target.origin,
      };
      if (target.version !== undefined) out.version = target.version;
      if (target.spec !== undefined) out.spec = target.spec;
      if (target.url !== undefined) out.url = target.url;
      if (target.alias !== undefined) out.alias = target.alias;
      if (groups.length > 0) out.groups = groups;
      result.refs.push(out);
    };

    const declared = new Set<string>();
    for (const [field, groups] of DEPENDENCY_FIELDS) {
      const deps = property(root, field);
      if (deps && deps.type !== 'object') {
        result.errors.push({ line: lineOf(doc, deps.offset), message: `${quoted(field)} is not an object` });
        continue;
      }
      for (const [name, value, offset] of entries(deps)) {
        const spec = stringValue(value);
        if (spec === undefined) {
          result.errors.push({
            line: lineOf(doc, offset),
            message: `${quoted(`${field}.${name}`)} is not a string`,
          });
          continue;
        }
        declared.add(name);
        add(name, spec, offset, groups);
      }
    }
    // Bundled names are covered by the fields above; a name listed only here still ships with the package.
    for (const field of ['bundleDependencies', 'bundledDependencies']) {
      const list = property(root, field);
      for (const item of list?.type === 'array' ? (list.children ?? []) : []) {
        const name = stringValue(item);
        if (name && !declared.has(name)) add(name, '', item.offset, ['bundled']);
      }
    }
    // Overrides pin versions of transitive dependencies: version facts, not declarations of their own.
    collectOverrides(property(root, 'overrides'), (name, spec, offset) =>
      add(name, spec, offset, ['override']),
    );
    collectOverrides(property(root, 'resolutions'), (name, spec, offset) =>
      add(name, spec, offset, ['override']),
    );
    collectOverrides(property(property(root, 'pnpm'), 'overrides'), (name, spec, offset) =>
      add(name, spec, offset, ['override']),
    );

    result.facts.push(manifestFact(root));
    pushAll(result.facts, knipFacts(property(root, 'knip')));
    // `"browser": {"jsdom": false, "./node.js": "./browser.js"}`: bundlers replace these modules; a bare
    // name there is the package's own switch, not a dependency the code needs to declare.
    const replaced = [...entries(property(root, 'browser'))]
      .map(([key]) => key)
      .filter((key) => !key.startsWith('.') && !key.startsWith('/'));
    if (replaced.length > 0)
      result.facts.push({ kind: 'import-aliases', ecosystem: 'npm', patterns: replaced });
    return result;
  },
};

/** Conditions deeper than this in `exports` are not looked at (a hostile manifest may nest without end). */
const MAX_EXPORTS_DEPTH = 8;

/** `types`/`typings`, or a `types` condition somewhere in `exports`: the package ships declarations. */
function publishesTypes(root: Node): boolean {
  if (stringValue(property(root, 'types')) || stringValue(property(root, 'typings'))) return true;
  const hasTypes = (node: Node | undefined, depth: number): boolean =>
    node?.type === 'object' &&
    depth < MAX_EXPORTS_DEPTH &&
    [...entries(node)].some(([key, value]) => key === 'types' || hasTypes(value, depth + 1));
  return hasTypes(property(root, 'exports'), 0);
}

function manifestFact(root: Node): ProjectFact {
  const fact: ProjectFact = { kind: 'manifest', ecosystem: 'npm' };
  const name = stringValue(property(root, 'name'));
  if (name) fact.name = name;
  if (property(root, 'private')?.value === true) fact.private = true;
  const files = property(root, 'files');
  if (files?.type === 'array')
    fact.files = (files.children ?? []).map(stringValue).filter((s): s is string => s !== undefined);
  if (publishesTypes(root)) fact.types = true;
  const workspaces = property(root, 'workspaces');
  // `workspaces` is an array, or (yarn classic) an object with a `packages` array.
  const list = workspaces?.type === 'object' ? property(workspaces, 'packages') : workspaces;
  if (list?.type === 'array') {
    fact.workspaces = (list.children ?? []).map(stringValue).filter((s): s is string => s !== undefined);
  }
  return fact;
}

/**
 * npm `overrides` nest (`{"express": {"debug": "4.3.4"}}`, `"." ` is the package itself); yarn
 * `resolutions` use paths (`"**\/debug"`, `"express/debug"`). Both end in a package name and a spec.
 */
function collectOverrides(
  node: Node | undefined,
  emit: (name: string, spec: string, offset: number) => void,
) {
  for (const [key, value, offset] of entries(node)) {
    if (value.type === 'object') {
      const self = stringValue(property(value, '.'));
      if (self !== undefined) emit(overrideName(key), self, offset);
      collectOverrides(value, emit);
      continue;
    }
    const spec = stringValue(value);
    if (key === '.' || spec === undefined || spec.startsWith('$')) continue;
    emit(overrideName(key), spec, offset);
  }
}

/** `**\/debug` → `debug`, `express/@scope/x` → `@scope/x`, `debug@<4` → `debug`. */
function overrideName(key: string): string {
  const parts = key.split('/');
  const last = parts.at(-1) ?? key;
  const prev = parts.at(-2);
  const name = prev?.startsWith('@') ? `${prev}/${last}` : last;
  const at = name.indexOf('@', 1);
  return at === -1 ? name : name.slice(0, at);
}
