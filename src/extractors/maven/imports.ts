import type { Node } from 'web-tree-sitter';
import type { PackageRef } from '../../model/package-ref.js';
import { TreeSitterGrammar } from '../tree-sitter.js';
import { brokenRows, nodeStart, wellFormed } from '../tree-sitter-errors.js';
import type { Extractor } from '../types.js';

const ID = 'maven/imports';
/** Segments of a package that name the artifact closely enough to report: `org.apache.logging` of log4j. */
const NAME_SEGMENTS = 3;
/**
 * Packages of the Java platform (the JDK's modules, and Android's runtime), which no dependency provides.
 * `javax.*` is excluded whole, although a few `javax` packages (servlet, persistence) come from artifacts:
 * an application server usually provides those.
 */
const PLATFORM_PREFIXES = [
  'java.',
  'javax.',
  'jdk.',
  'sun.',
  'com.sun.',
  'org.w3c.dom.',
  'org.xml.sax.',
  'org.ietf.jgss.',
  'org.omg.',
  'android.',
  'dalvik.',
];

const grammar = new TreeSitterGrammar('tree-sitter-java/tree-sitter-java.wasm', 'Java');

/**
 * Imports of Java sources, parsed with tree-sitter. No table maps a Java package to the artifact that ships
 * it (artifacts and packages are named independently), so each import is reported by its package prefix,
 * the first three segments (`com.fasterxml.jackson` for `com.fasterxml.jackson.databind.ObjectMapper`), as
 * an inferred name. The phantom check reads these only in answers, and only to say that an answer uses a
 * library without any dependency block (see project/phantom.ts). Platform packages, the file's own package
 * (compared by the same prefix) and `import` of classes without a package are left out.
 */
export const javaImports: Extractor = {
  id: ID,
  ecosystem: 'Maven',
  kind: 'source',
  matches: (path) => path.endsWith('.java'),
  init: () => grammar.load(),
  extract(file) {
    return grammar.read(file.text, (root, result) => {
      // Error recovery can wrap declarations in an ERROR node; imports stand at the top either way.
      const declarations = root.namedChildren.flatMap((node) =>
        node.type === 'ERROR' ? node.namedChildren : [node],
      );
      const own = declarations.find((node) => node.type === 'package_declaration');
      const ownPrefix = own ? prefixOf(dottedName(own)?.split('.') ?? []) : undefined;
      const broken = brokenRows(root, false);
      for (const declaration of declarations) {
        // A declaration on a broken line names nothing for sure.
        if (declaration.type !== 'import_declaration' || !wellFormed(declaration, broken)) continue;
        const name = declaration.namedChildren.find(
          (child) => child.type === 'scoped_identifier' || child.type === 'identifier',
        );
        if (!name) continue;
        const path = name.text.replace(/\s+/g, '');
        const wildcard = declaration.namedChildren.some((child) => child.type === 'asterisk');
        const segments = packageSegments(path.split('.'), wildcard);
        if (segments.length === 0) continue;
        const packageName = segments.join('.');
        if (PLATFORM_PREFIXES.some((prefix) => `${packageName}.`.startsWith(prefix))) continue;
        if (ownPrefix && `${packageName}.`.startsWith(`${ownPrefix}.`)) continue;
        const prefix = prefixOf(segments);
        const ref: PackageRef = {
          ecosystem: 'Maven',
          name: prefix,
          source: 'imported',
          extractor: ID,
          location: { file: file.path, ...nodeStart(name) },
          importName: wildcard ? `${path}.*` : path,
          inferred: true,
        };
        result.refs.push(ref);
      }
    });
  },
};

function dottedName(declaration: Node): string | undefined {
  return declaration.namedChildren
    .find((child) => child.type === 'scoped_identifier' || child.type === 'identifier')
    ?.text.replace(/\s+/g, '');
}

/**
 * The package part of an imported name: everything before the first capitalised segment (the class; Java
 * naming conventions), or all but the last segment when none is capitalised, or all of it for `.*`.
 */
function packageSegments(parts: string[], wildcard: boolean): string[] {
  const classAt = parts.findIndex((part) => /^[A-Z]/.test(part));
  if (classAt !== -1) return parts.slice(0, classAt);
  return wildcard ? parts : parts.slice(0, -1);
}

function prefixOf(segments: string[]): string {
  return segments.slice(0, NAME_SEGMENTS).join('.');
}
