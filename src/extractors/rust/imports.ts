import type { Node } from 'web-tree-sitter';
import type { PackageRef } from '../../model/package-ref.js';
import { TreeSitterGrammar } from '../tree-sitter.js';
import { brokenRows, nodeStart, wellFormed } from '../tree-sitter-errors.js';
import type { Extractor } from '../types.js';

const ID = 'rust/imports';

const grammar = new TreeSitterGrammar('tree-sitter-rust/tree-sitter-rust.wasm', 'Rust');

/** Crates every Rust program has (the sysroot), and path keywords that name the current crate or module. */
const NOT_PACKAGES = new Set([
  'std',
  'core',
  'alloc',
  'proc_macro',
  'test',
  'crate',
  'self',
  'super',
  'Self',
]);

/** Items whose names a `use` may start with (Rust 2018 paths are relative to the current module). */
const ITEMS = [
  'mod_item',
  'struct_item',
  'enum_item',
  'union_item',
  'trait_item',
  'function_item',
  'type_item',
  'const_item',
  'static_item',
  'macro_definition',
];

/**
 * Crates named by Rust sources, parsed with tree-sitter: the first segment of every `use` path (`use a::b`,
 * `use ::a::b`, `use {a::x, b}`, `use a::{self, c}`, anywhere in the file) and `extern crate a`. A first
 * segment that names something of the file itself is no crate: a module or item declared in it (`mod
 * config; use config::Settings;`), a name another `use` brought in (`use std::cmp::Ordering; use
 * Ordering::*;`) or an alias (`use x as y`). The crate name is the identifier with `_` where the package
 * may have `-` (crates.io treats them as one), and a library can be renamed in its package's manifest, so
 * every ref is `inferred`.
 */
export const rustImports: Extractor = {
  id: ID,
  ecosystem: 'crates.io',
  kind: 'source',
  matches: (path) => path.endsWith('.rs'),
  init: () => grammar.load(),
  extract(file) {
    return grammar.read(file.text, (root, result) => {
      const broken = brokenRows(root, false);
      // A declaration on a broken line names nothing for sure (`use tokio::runtime as as rt;`).
      const declarations = root
        .descendantsOfType(['use_declaration', 'extern_crate_declaration'])
        .filter(
          (declaration): declaration is Node => declaration !== null && wellFormed(declaration, broken),
        );
      const local = new Set<string>();
      for (const item of root.descendantsOfType(ITEMS)) {
        const name = item.childForFieldName('name');
        if (name) local.add(identifier(name));
      }
      for (const declaration of declarations) {
        if (declaration.type === 'use_declaration') {
          const argument = declaration.childForFieldName('argument');
          if (!argument) continue;
          // `use lazy_static::lazy_static;` binds the crate's own name: that stays the crate.
          const crates = new Set(firstSegments(argument).map(identifier));
          const bound = new Set<string>();
          bindings(argument, true, bound);
          for (const name of bound) if (!crates.has(name)) local.add(name);
        } else {
          const alias = declaration.childForFieldName('alias');
          if (alias) local.add(identifier(alias));
        }
      }
      for (const declaration of declarations) {
        const crates =
          declaration.type === 'use_declaration'
            ? firstSegments(declaration.childForFieldName('argument'))
            : [declaration.childForFieldName('name')].filter((n): n is Node => n !== null);
        for (const node of crates) {
          const name = identifier(node);
          if (NOT_PACKAGES.has(name) || (declaration.type === 'use_declaration' && local.has(name))) continue;
          const ref: PackageRef = {
            ecosystem: 'crates.io',
            name,
            source: 'imported',
            extractor: ID,
            location: { file: file.path, ...nodeStart(node) },
            importName: name,
            inferred: true,
          };
          result.refs.push(ref);
        }
      }
    });
  },
};

/** `r#async` is the identifier `async`. */
function identifier(node: Node): string {
  return node.text.startsWith('r#') ? node.text.slice(2) : node.text;
}

/**
 * The nodes naming the first segment of each path of a use tree; path keywords (`crate`, `self`, `super`)
 * come back too and are filtered by name.
 */
function firstSegments(tree: Node | null): Node[] {
  if (!tree) return [];
  switch (tree.type) {
    case 'identifier':
    case 'crate':
    case 'self':
    case 'super':
      return [tree];
    case 'scoped_identifier': {
      const path = tree.childForFieldName('path');
      // `::a::b`: the innermost segment without a path is the crate.
      if (!path) return firstSegments(tree.childForFieldName('name'));
      return firstSegments(path);
    }
    case 'scoped_use_list': {
      const path = tree.childForFieldName('path');
      return path ? firstSegments(path) : firstSegments(tree.childForFieldName('list'));
    }
    case 'use_as_clause':
      return firstSegments(tree.childForFieldName('path'));
    case 'use_wildcard':
      return firstSegments(tree.firstNamedChild);
    case 'use_list':
      return tree.namedChildren.flatMap((child) => (child ? firstSegments(child) : []));
    default:
      return [];
  }
}

/**
 * Adds the names a use tree brings into scope, other than a crate named alone (`use serde;` binds `serde`,
 * which is the crate itself): `use a::b` binds `b`, `use a::{c, d as e}` binds `c` and `e`.
 */
function bindings(tree: Node, top: boolean, out: Set<string>): void {
  switch (tree.type) {
    case 'identifier':
      if (!top) out.add(identifier(tree));
      return;
    case 'scoped_identifier': {
      const name = tree.childForFieldName('name');
      if (name) out.add(identifier(name));
      return;
    }
    case 'use_as_clause': {
      const alias = tree.childForFieldName('alias');
      if (alias) out.add(identifier(alias));
      return;
    }
    case 'scoped_use_list': {
      const list = tree.childForFieldName('list');
      if (list) for (const child of list.namedChildren) if (child) bindings(child, false, out);
      return;
    }
    case 'use_list':
      for (const child of tree.namedChildren) if (child) bindings(child, top, out);
      return;
  }
}
