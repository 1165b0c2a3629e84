import type { Node as OxcNode, Visitor } from 'oxc-parser';
import { lazy } from '../../core/lazy.js';
import { basename } from '../../core/paths.js';
import { LineIndex } from '../../model/location.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { SourceFile } from '../../model/source.js';
import { jsNestingExceeds, nestingError } from '../nesting.js';
import { isRefusal, OxcGuard, oxcRefusal } from '../oxc-budget.js';
import type { Extractor, ExtractResult } from '../types.js';
import type { Plain, PlainMap } from '../yaml-lite.js';
import { parseYamlPlain } from '../yaml-tree.js';
import { keyName, stringOf } from './bundler-config.js';
import { extractJsImports, importRef } from './imports.js';

const ID = 'npm/eslint-config';
const oxc = lazy<typeof import('oxc-parser')>('oxc-parser');

const SCRIPT = /^\.eslintrc\.[cm]?js$/;
const JSON_FILE = /^\.eslintrc(?:\.json)?$/;
const YAML_FILE = /^\.eslintrc\.ya?ml$/;
const FLAT_CONFIG = /^eslint\.config\.[cm]?[jt]s$/;
const IGNORE_FILE = '.eslintignore';

/**
 * ESLint's legacy configuration (`.eslintrc.js`, `.eslintrc.json`, `.eslintrc.yml`, `.eslintrc`), read
 * statically (never run): ESLint loads every shareable config of `extends`, every plugin of `plugins` and
 * `plugin:x/…` and the `parser` from the config's folder, as Node resolves a package, so each names a package
 * the project must declare (`react-app` → `eslint-config-react-app`, `plugin:prettier/recommended` →
 * `eslint-plugin-prettier`, `@scope` → `@scope/eslint-config`). Flat configs (`eslint.config.js`) import
 * their plugins and are read as any source. A script's own imports are read as any source file's.
 */
export const eslintConfig: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'source',
  matches: (path) => {
    const name = basename(path);
    return (
      SCRIPT.test(name) ||
      JSON_FILE.test(name) ||
      YAML_FILE.test(name) ||
      FLAT_CONFIG.test(name) ||
      name === IGNORE_FILE
    );
  },
  extract(file) {
    const name = basename(file.path);
    if (name === IGNORE_FILE) return ignoreFile(file.text);
    if (FLAT_CONFIG.test(name)) return flatConfig(file);
    if (YAML_FILE.test(name) || (name === '.eslintrc' && !/^\s*[{/]/.test(file.text))) {
      const result: ExtractResult = { refs: [], errors: [], facts: [] };
      const doc = parseYamlPlain(file.text, file.path, result.errors);
      if (doc)
        collectPlain(doc.root, (value, map, key) =>
          addRef(result, file.path, key, value, doc.lineOf(map, key)),
        );
      return result;
    }
    const json = !SCRIPT.test(name);
    const result: ExtractResult = json ? { refs: [], errors: [], facts: [] } : extractJsImports(file);
    const text = json ? `(${file.text})` : file.text;
    const tooDeep = jsNestingExceeds(text);
    if (tooDeep !== undefined) {
      if (json) result.errors.push(nestingError(tooDeep));
      return result;
    }
    // Text oxc would take minutes over (see oxc-budget.ts); extractJsImports reports it for a script.
    const refusal = oxcRefusal(text, 'js');
    if (refusal) {
      if (json) result.errors.push({ line: refusal.line, message: refusal.message });
      return result;
    }
    const parsed = new OxcGuard(text).parse(json ? 'config.js' : file.path, text, { lang: 'js' });
    if (isRefusal(parsed)) {
      // Said once, by whichever reader of the file met it first.
      if (!result.errors.some((known) => known.message === parsed.message))
        result.errors.push({ line: parsed.line, message: parsed.message });
      return result;
    }
    const lines = new LineIndex(text);
    if (json && parsed.errors.length > 0) {
      const label = parsed.errors[0]?.labels[0];
      result.errors.push({
        line: label ? lines.position(label.start).line : 1,
        message: `invalid JSON: ${parsed.errors[0]?.message ?? ''}`,
      });
      return result;
    }
    const visitor = {
      Property(node: OxcNode & { type: 'Property' }) {
        const key = keyName(node.key);
        if (key === undefined || !FIELDS.has(key)) return;
        const values = node.value.type === 'ArrayExpression' ? node.value.elements : [node.value];
        for (const value of values) {
          const literal = value ? stringOf(value) : undefined;
          if (value && literal !== undefined)
            addRef(result, file.path, key as Field, literal, lines.position(value.start).line);
        }
      },
    };
    new (oxc().Visitor)(visitor as unknown as ConstructorParameters<typeof Visitor>[0]).visit(parsed.program);
    return result;
  },
};

/** `.eslintignore`: gitignore lines. */
function ignoreFile(text: string): ExtractResult {
  const patterns = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return {
    refs: [],
    errors: [],
    facts: patterns.length > 0 ? [{ kind: 'lint-ignores', ecosystem: 'npm', patterns }] : [],
  };
}

/**
 * A flat config (`eslint.config.js`) imports its plugins, read as any source; what it says about paths is
 * its `ignores` (and `globalIgnores([...])`): a list of literal patterns, or a name bound to one, or to a
 * template of one pattern a line (`` `dist/\ncoverage/`.split("\n") ``). Ignores next to `files` only narrow
 * that block and say nothing about the project.
 */
function flatConfig(file: SourceFile): ExtractResult {
  const result = extractJsImports(file);
  if (
    result.errors.length > 0 ||
    jsNestingExceeds(file.text) !== undefined ||
    oxcRefusal(file.text, 'js') !== undefined
  )
    return result;
  const parsed = new OxcGuard(file.text).parse(file.path, file.text, {});
  if (isRefusal(parsed)) {
    result.errors.push({ line: parsed.line, message: parsed.message });
    return result;
  }
  const bound = new Map<string, OxcNode>();
  const global: OxcNode[] = [];
  const visitor = {
    VariableDeclarator(node: OxcNode & { type: 'VariableDeclarator' }) {
      if (node.id.type === 'Identifier' && node.init) bound.set(node.id.name, node.init);
    },
    ObjectExpression(node: OxcNode & { type: 'ObjectExpression' }) {
      let ignores: OxcNode | undefined;
      let files = false;
      for (const property of node.properties) {
        if (property.type !== 'Property') continue;
        const key = keyName(property.key);
        if (key === 'files') files = true;
        else if (key === 'ignores') ignores = property.value;
      }
      if (ignores && !files) global.push(ignores);
    },
    CallExpression(node: OxcNode & { type: 'CallExpression' }) {
      if (node.callee.type === 'Identifier' && node.callee.name === 'globalIgnores' && node.arguments[0])
        global.push(node.arguments[0]);
    },
  };
  new (oxc().Visitor)(visitor as unknown as ConstructorParameters<typeof Visitor>[0]).visit(parsed.program);
  const patterns = global.flatMap((value) => patternsOf(value, bound, 0));
  if (patterns.length > 0) result.facts.push({ kind: 'lint-ignores', ecosystem: 'npm', patterns });
  return result;
}

/** The literal patterns an `ignores` value holds, following a name to its binding (a few steps at most). */
function patternsOf(value: OxcNode, bound: Map<string, OxcNode>, depth: number): string[] {
  if (depth > 4) return [];
  if (value.type === 'Identifier') {
    const target = bound.get(value.name);
    return target ? patternsOf(target, bound, depth + 1) : [];
  }
  if (value.type === 'ArrayExpression')
    return value.elements.flatMap((element) => {
      if (!element) return [];
      if (element.type === 'SpreadElement') return patternsOf(element.argument, bound, depth + 1);
      const literal = stringOf(element);
      return literal === undefined ? [] : [literal];
    });
  // `` `a\nb`.split("\n").map(…).filter(…) ``: the template's lines, whatever the chain does with them.
  let inner: OxcNode = value;
  while (inner.type === 'CallExpression' && inner.callee.type === 'MemberExpression')
    inner = inner.callee.object;
  const template = stringOf(inner);
  if (template === undefined || inner === value) return [];
  return template
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

type Field = 'extends' | 'plugins' | 'parser';
const FIELDS: ReadonlySet<string> = new Set<Field>(['extends', 'plugins', 'parser']);

/** Every `extends`, `plugins` and `parser` value of a YAML config, `overrides` included. */
function collectPlain(node: Plain, found: (value: string, map: PlainMap, key: Field) => void): void {
  if (node === null || typeof node === 'string') return;
  if (Array.isArray(node)) {
    for (const item of node) collectPlain(item, found);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (FIELDS.has(key)) {
      for (const item of Array.isArray(value) ? value : [value])
        if (typeof item === 'string') found(item, node, key as Field);
    } else collectPlain(value, found);
  }
}

function addRef(result: ExtractResult, file: string, field: Field, value: string, line: number): void {
  const specifier = eslintPackage(field, value);
  if (specifier === undefined) return;
  const ref: PackageRef | undefined = importRef({ specifier, typeOnly: false }, file, { line });
  if (!ref) return;
  ref.importName = value;
  result.refs.push(ref);
}

/**
 * The package ESLint loads for a config value, by its naming rules: shareable configs get `eslint-config-`,
 * plugins `eslint-plugin-` (after the scope: `@scope/x` → `@scope/eslint-plugin-x`, `@scope` alone →
 * `@scope/eslint-plugin`). Paths and ESLint's own configs (`eslint:recommended`) name no package.
 */
export function eslintPackage(field: Field, value: string): string | undefined {
  if (value === '' || value.startsWith('.') || value.startsWith('/') || value.startsWith('eslint:'))
    return undefined;
  if (field === 'parser') return value;
  if (field === 'plugins') return prefixed(value, 'eslint-plugin');
  if (value.startsWith('plugin:')) {
    const rest = value.slice('plugin:'.length);
    // `plugin:@scope/name/config`, `plugin:@scope/config`, `plugin:name/config`.
    const parts = rest.split('/');
    const plugin = rest.startsWith('@')
      ? parts.length > 2
        ? `${parts[0]}/${parts[1]}`
        : (parts[0] ?? '')
      : (parts[0] ?? '');
    return prefixed(plugin, 'eslint-plugin');
  }
  // A shareable config: its package is the name's first segment (scoped: two), the rest a file inside it.
  const parts = value.split('/');
  const head = value.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}`.replace(/\/$/, '') : (parts[0] ?? '');
  return prefixed(head, 'eslint-config');
}

function prefixed(name: string, prefix: string): string | undefined {
  if (name === '') return undefined;
  if (name.startsWith('@')) {
    const [scope, rest] = name.split('/');
    if (rest === undefined || rest === '') return `${scope}/${prefix}`;
    return rest.startsWith(prefix) ? name : `${scope}/${prefix}-${rest}`;
  }
  return name.startsWith(`${prefix}-`) ? name : `${prefix}-${name}`;
}
