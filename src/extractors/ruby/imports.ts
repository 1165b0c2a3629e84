import { readFileSync } from 'node:fs';
import type { Node } from 'web-tree-sitter';
import { dataPath } from '../../core/package-root.js';
import type { PackageRef } from '../../model/package-ref.js';
import { TreeSitterGrammar } from '../tree-sitter.js';
import { brokenRows, nodeStart, wellFormed } from '../tree-sitter-errors.js';
import type { Extractor } from '../types.js';
import { rubyString } from './common.js';

const ID = 'ruby/imports';
// Both src/extractors/ruby/ and dist/extractors/ruby/ sit three levels below the project root.
/** Exceptions whose `rescue` makes a failing require harmless (a bare `rescue` does not catch LoadError). */
const CATCHES_LOAD_ERROR = /\b(?:LoadError|ScriptError|Exception)\b/;
/** Loading code by path: the project's own files, or a file anywhere, never a gem by name. */
const PATH_LIKE = /^(?:\.{1,2}\/|\/|~|[A-Za-z]:[\\/])/;

const grammar = new TreeSitterGrammar('tree-sitter-ruby/tree-sitter-ruby.wasm', 'Ruby');

interface RequireTables {
  stdlib: ReadonlySet<string>;
  paths: ReadonlyMap<string, string[]>;
  namespaces: ReadonlyMap<string, number>;
}

let tables: RequireTables | undefined;

function requireTables(): RequireTables {
  if (!tables) {
    const stdlib = JSON.parse(readFileSync(dataPath('ruby-stdlib.json'), 'utf8')) as {
      libraries: string[];
    };
    const map = JSON.parse(readFileSync(dataPath('ruby-require-map.json'), 'utf8')) as {
      paths: Record<string, string | string[]>;
      namespaces: Record<string, number>;
    };
    tables = {
      stdlib: new Set(stdlib.libraries),
      paths: new Map(
        Object.entries(map.paths).map(([path, gems]) => [path, typeof gems === 'string' ? [gems] : gems]),
      ),
      namespaces: new Map(Object.entries(map.namespaces)),
    };
  }
  return tables;
}

/** `a/b/c` → `a/b/c`, `a/b`, `a`: the longest first. */
function prefixes(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('/'));
}

/** The gem a require path loads: from the table, or guessed; undefined for the standard library. */
function gemForRequire(
  path: string,
): { name: string; alternatives: string[]; inferred: boolean } | undefined {
  const { stdlib, paths, namespaces } = requireTables();
  const candidates = prefixes(path);
  for (const prefix of candidates) {
    const gems = paths.get(prefix);
    if (gems) return { name: gems[0]!, alternatives: gems.slice(1), inferred: false };
  }
  if (candidates.some((prefix) => stdlib.has(prefix))) return undefined;
  for (const prefix of candidates) {
    const depth = namespaces.get(prefix);
    const parts = path.split('/');
    if (depth !== undefined && parts.length >= depth)
      return { name: parts.slice(0, depth).join('-'), alternatives: [], inferred: true };
  }
  return { name: path.split('/')[0]!, alternatives: [], inferred: true };
}

/**
 * `require 'x'` in Ruby sources (parsed with tree-sitter-ruby, wherever the call stands). A require path is
 * not a gem name: a small table (data/ruby-require-map.json) knows the usual differences (`active_support`
 * is activesupport), and otherwise the gem is guessed as the path's first segment (`nokogiri/xml` →
 * nokogiri) and marked inferred. `require_relative`, paths (`./x`, `/x`), requires whose argument is not a
 * literal, and the standard library (data/ruby-stdlib.json, bundled gems included) are left out.
 */
export const rubyImports: Extractor = {
  id: ID,
  ecosystem: 'RubyGems',
  kind: 'source',
  matches: (path) => path.endsWith('.rb') || path.endsWith('.rake') || /(?:^|\/)Rakefile$/.test(path),
  init: () => grammar.load(),
  extract(file) {
    return grammar.read(file.text, (root, result) => {
      if (!file.text.includes('require')) return;
      const broken = brokenRows(root, false);
      for (const call of root.descendantsOfType('call')) {
        // A require on a broken line names nothing for sure.
        if (call?.childForFieldName('method')?.text !== 'require' || !wellFormed(call, broken)) continue;
        const receiver = call.childForFieldName('receiver')?.text;
        if (receiver !== undefined && receiver !== 'Kernel') continue;
        const argument = call.childForFieldName('arguments')?.namedChildren[0];
        const written = rubyString(argument);
        if (!argument || written === undefined) continue;
        const path = written.trim().replace(/\.(?:rb|so|bundle)$/, '');
        if (path === '' || PATH_LIKE.test(path)) continue;
        const gem = gemForRequire(path);
        if (!gem) continue;
        const ref: PackageRef = {
          ecosystem: 'RubyGems',
          name: gem.name,
          source: 'imported',
          extractor: ID,
          location: { file: file.path, ...nodeStart(argument) },
          importName: written,
        };
        if (gem.inferred) ref.inferred = true;
        if (rescuesLoadError(call)) ref.optional = true;
        if (gem.alternatives.length > 0) ref.alternatives = gem.alternatives;
        result.refs.push(ref);
      }
    });
  },
};

/** `begin; require 'x'; rescue LoadError; end`: the code copes without the gem. */
function rescuesLoadError(call: Node): boolean {
  let inner: Node = call;
  for (let node = call.parent; node; inner = node, node = node.parent) {
    if (node.type === 'rescue' || node.type === 'else' || node.type === 'ensure') continue;
    for (const clause of node.namedChildren) {
      if (clause.type !== 'rescue' || clause.id === inner.id) continue;
      const exceptions = clause.childForFieldName('exceptions');
      if (exceptions && CATCHES_LOAD_ERROR.test(exceptions.text)) return true;
    }
  }
  return false;
}
