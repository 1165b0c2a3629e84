import type { Node as OxcNode, Visitor } from 'oxc-parser';
import { pushAll } from '../../core/arrays.js';
import { lazy } from '../../core/lazy.js';
import { basename } from '../../core/paths.js';
import { LineIndex } from '../../model/location.js';
import type { ExtractError, ProjectFact, SourceFile } from '../../model/source.js';
import { jsNestingExceeds, nestingError } from '../nesting.js';
import { isRefusal, OxcGuard, oxcRefusal } from '../oxc-budget.js';
import type { Extractor, ExtractResult } from '../types.js';
import { extractJsImports } from './imports.js';

const ID = 'npm/bundler-config';
const oxc = lazy<typeof import('oxc-parser')>('oxc-parser');

const CONFIG_SCRIPT =
  /^(?:(?:vite|vitest|rollup|jest|babel|docusaurus|svelte|astro|nuxt|vue|craco|rsbuild|rspack)\.config|webpack(?:\.[\w-]+)*)(?:\.[\w-]+)*\.[mc]?[jt]s$/;
const BABELRC = /^(?:\.babelrc(?:\.json)?|babel\.config\.json)$/;

/** Frameworks whose build provides virtual modules, by the config file that marks a project as theirs. */
const FRAMEWORK_CONFIGS: ReadonlyArray<[RegExp, string]> = [[/^docusaurus\.config\./, 'docusaurus']];

/**
 * Bundler, test-runner and framework configuration, read statically from its syntax tree (never run):
 * `alias` maps (Vite, Rollup, webpack `resolve.alias`, SvelteKit `kit.alias`, babel module-resolver),
 * babel module-resolver `root` folders, jest `moduleNameMapper` keys, and which framework the project uses
 * (Docusaurus, whose build provides `@theme/*` and the like). Their names are the project's, not packages.
 * A map the syntax alone does not give (a variable, a function call) is said once as a warning, not
 * guessed. The file's own imports are read as any source file's.
 */
export const bundlerConfig: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'source',
  matches: (path) => {
    const name = basename(path);
    return CONFIG_SCRIPT.test(name) || BABELRC.test(name);
  },
  extract(file) {
    const json = BABELRC.test(basename(file.path));
    // A JSON config is an expression: parsed as one, it gives the same tree (and the same offsets, plus one).
    const text = json ? `(${file.text})` : file.text;
    // oxc recurses on the native stack (see nesting.ts): one check before both reads of the file.
    const tooDeep = jsNestingExceeds(text);
    if (tooDeep !== undefined) return { refs: [], errors: [nestingError(tooDeep)], facts: [] };
    const result: ExtractResult = json ? { refs: [], errors: [], facts: [] } : extractJsImports(file, true);
    const read = readConfig(file, text, json);
    // A text the parser did not finish in time is said once, by whichever reader met it first.
    pushAll(
      result.errors,
      read.errors.filter((error) => !result.errors.some((known) => known.message === error.message)),
    );
    const { patterns, regexes, roots, unread } = read;
    if (patterns.length > 0 || regexes.length > 0) {
      const fact: ProjectFact = { kind: 'import-aliases', ecosystem: 'npm', patterns };
      if (regexes.length > 0) fact.regexes = regexes;
      result.facts.push(fact);
    }
    if (roots.length > 0) result.facts.push({ kind: 'module-roots', ecosystem: 'npm', dirs: roots });
    for (const [pattern, name] of FRAMEWORK_CONFIGS)
      if (pattern.test(basename(file.path))) result.facts.push({ kind: 'framework', ecosystem: 'npm', name });
    for (const { line, field } of unread)
      result.errors.push({
        line,
        warning: true,
        message: `\`${field}\` is not written as literal names: the aliases it defines were not read`,
      });
    return result;
  },
};

interface ConfigRead {
  patterns: string[];
  regexes: string[];
  roots: string[];
  unread: { line: number; field: string }[];
  errors: ExtractError[];
}

/** `text` is the file's text as parsed (a JSON config in parentheses), already checked for nesting. */
function readConfig(file: SourceFile, text: string, json: boolean): ConfigRead {
  const out: ConfigRead = { patterns: [], regexes: [], roots: [], unread: [], errors: [] };
  // Text oxc would take minutes over (see oxc-budget.ts); imports.ts reports it for a script.
  const refusal = oxcRefusal(text, json ? 'js' : 'ts');
  if (refusal) {
    if (json) out.errors.push({ line: refusal.line, message: refusal.message });
    return out;
  }
  const parsed = new OxcGuard(text).parse(json ? 'config.js' : file.path, text, {
    lang: json ? 'js' : undefined,
  });
  if (isRefusal(parsed)) {
    out.errors.push({ line: parsed.line, message: parsed.message });
    return out;
  }
  if (json && parsed.errors.length > 0) {
    const label = parsed.errors[0]?.labels[0];
    const line = label ? new LineIndex(text).position(label.start).line : 1;
    out.errors.push({ line, message: `invalid JSON: ${parsed.errors[0]?.message ?? ''}` });
    return out;
  }
  const lines = new LineIndex(text);
  const visitor = {
    Property(node: OxcNode & { type: 'Property' }) {
      const key = keyName(node.key);
      if (key === 'alias') readAlias(node.value, out, lines);
      else if (key === 'moduleNameMapper') {
        if (node.value.type !== 'ObjectExpression') {
          out.unread.push({ line: lines.position(node.start).line, field: key });
          return;
        }
        for (const property of node.value.properties) {
          const name = property.type === 'Property' ? keyName(property.key) : undefined;
          if (name !== undefined) out.regexes.push(name);
        }
      } else if (key === 'root' && node.value.type === 'ArrayExpression') {
        // babel-plugin-module-resolver's `root`: folders whose contents import by bare name.
        for (const element of node.value.elements) {
          const value = element ? stringOf(element) : undefined;
          if (value !== undefined) out.roots.push(value.replace(/^\.\//, '').replace(/\/$/, '') || '.');
        }
      }
    },
  };
  new (oxc().Visitor)(visitor as unknown as ConstructorParameters<typeof Visitor>[0]).visit(parsed.program);
  return out;
}

/** An alias map (`{'@': …}`), or a list of `{find, replacement}` (Vite, Rollup). */
function readAlias(value: OxcNode, out: ConfigRead, lines: LineIndex): void {
  if (value.type === 'ObjectExpression') {
    for (const property of value.properties) {
      const name = property.type === 'Property' ? keyName(property.key) : undefined;
      if (name === undefined) {
        out.unread.push({ line: lines.position(property.start).line, field: 'alias' });
        continue;
      }
      addAlias(name.replace(/\$$/, ''), out);
    }
    return;
  }
  if (value.type === 'ArrayExpression') {
    for (const element of value.elements) {
      if (element?.type !== 'ObjectExpression') continue;
      for (const property of element.properties) {
        if (property.type !== 'Property' || keyName(property.key) !== 'find') continue;
        const find = property.value;
        const literal = stringOf(find);
        if (literal !== undefined) addAlias(literal, out);
        else if (find.type === 'Literal' && 'regex' in find && find.regex)
          out.regexes.push(find.regex.pattern);
        else out.unread.push({ line: lines.position(find.start).line, field: 'alias' });
      }
    }
    return;
  }
  out.unread.push({ line: lines.position(value.start).line, field: 'alias' });
}

/** A bundler alias replaces the name and everything under it: `@` covers `@/x`, `utils` covers `utils/y`. */
function addAlias(name: string, out: ConfigRead): void {
  if (name === '') return;
  out.patterns.push(name, `${name.replace(/\/$/, '')}/*`);
}

export function keyName(key: OxcNode): string | undefined {
  if (key.type === 'Identifier') return key.name;
  return stringOf(key);
}

export function stringOf(node: OxcNode): string | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}
