import type { Node } from 'web-tree-sitter';
import { pushAll } from '../../core/arrays.js';
import type { PackageRef } from '../../model/package-ref.js';
import { TreeSitterGrammar } from '../tree-sitter.js';
import { brokenRows, nodeStart, wellFormed } from '../tree-sitter-errors.js';
import type { Extractor } from '../types.js';

const ID = 'go/imports';

const grammar = new TreeSitterGrammar('tree-sitter-go/tree-sitter-go.wasm', 'Go');

/**
 * Whether an import path can name a module from the module proxy. The go command's own rule for the standard
 * library is that the first path element has no dot (`fmt`, `net/http`, `C` for cgo); a module path to
 * download must have one. A dotless path that is not the standard library is the project's own: its main
 * module under a dotless name (`module myapp`) or a module `replace`d by a local folder. Neither is a
 * registry package, so dotless paths are left out whatever they are. Relative paths (`./x`, GOPATH mode)
 * are the project's too.
 */
export function isModulePath(importPath: string): boolean {
  if (importPath === '' || importPath.startsWith('.') || importPath.startsWith('/')) return false;
  const first = importPath.split('/')[0]!;
  return first.includes('.') && !/[\s\\"'`]/.test(importPath);
}

/**
 * Imports of Go sources, parsed with tree-sitter (a broken file still yields the imports before the break).
 * An import names a package; which module provides it is decided later against go.mod's requires (the
 * longest module path that prefixes it), so the ref names the import path and is `inferred` until then.
 */
export const goImports: Extractor = {
  id: ID,
  ecosystem: 'Go',
  kind: 'source',
  matches: (path) => path.endsWith('.go'),
  init: () => grammar.load(),
  extract(file) {
    return grammar.read(file.text, (root, result) => {
      const broken = brokenRows(root, false);
      for (const spec of importSpecs(root)) {
        const literal = spec.childForFieldName('path');
        // A spec recovered from a broken line names nothing for sure.
        if (!literal || !wellFormed(literal, broken)) continue;
        const path = stringContent(literal);
        if (path === undefined || !isModulePath(path)) continue;
        const ref: PackageRef = {
          ecosystem: 'Go',
          name: path,
          source: 'imported',
          extractor: ID,
          location: { file: file.path, ...nodeStart(literal) },
          importName: path,
          inferred: true,
        };
        result.refs.push(ref);
      }
    });
  },
};

/** Import declarations stand at the top of the file; after a syntax error they may sit inside an ERROR node. */
function importSpecs(root: Node): Node[] {
  const specs: Node[] = [];
  for (const child of root.namedChildren) {
    if (child.type === 'import_declaration' || child.type === 'ERROR')
      pushAll(specs, child.descendantsOfType('import_spec'));
  }
  return specs;
}

/** The text between the quotes of `"path"` or `` `path` ``; undefined for anything else. */
function stringContent(literal: Node): string | undefined {
  if (literal.type !== 'interpreted_string_literal' && literal.type !== 'raw_string_literal')
    return undefined;
  const text = literal.text;
  if (text.length < 2 || text.at(-1) !== text[0]) return undefined;
  return text.slice(1, -1);
}
