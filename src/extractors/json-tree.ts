import { type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { LineIndex } from '../model/location.js';
import type { ExtractError } from '../model/source.js';

/** A JSON document with source positions, so that every ref can point at its line. */
export interface JsonDocument {
  root: Node | undefined;
  lines: LineIndex;
  errors: ExtractError[];
}

export function parseJson(text: string, options: { allowTrailingComma?: boolean } = {}): JsonDocument {
  const parseErrors: ParseError[] = [];
  const lines = new LineIndex(text);
  let root: Node | undefined;
  try {
    root = parseTree(text, parseErrors, {
      allowTrailingComma: options.allowTrailingComma ?? false,
      disallowComments: false,
    });
  } catch (error) {
    // The parser recurses per nesting level; a hostile document can exhaust the stack.
    if (!(error instanceof RangeError)) throw error;
    return { root: undefined, lines, errors: [{ line: 1, message: 'nested too deeply to read' }] };
  }
  const errors = parseErrors.map((error) => {
    const { line, column } = lines.position(error.offset);
    return { line, column, message: `invalid JSON: ${printParseErrorCode(error.error)}` };
  });
  return { root, lines, errors };
}

/**
 * The document's top-level object. Otherwise undefined and, unless the text did not parse (its errors say why),
 * `<fileName> is not a JSON object` is added to `errors`.
 */
export function rootObject(doc: JsonDocument, fileName: string, errors: ExtractError[]): Node | undefined {
  if (doc.root?.type === 'object') return doc.root;
  if (doc.errors.length === 0) errors.push({ line: 1, message: `${fileName} is not a JSON object` });
  return undefined;
}

export function property(node: Node | undefined, key: string): Node | undefined {
  if (node?.type !== 'object') return undefined;
  for (const prop of node.children ?? []) {
    if (prop.children?.[0]?.value === key) return prop.children[1];
  }
  return undefined;
}

/** The entries of an object node as [key, value node, offset of the key]. */
export function* entries(node: Node | undefined): Generator<[string, Node, number]> {
  if (node?.type !== 'object') return;
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (keyNode && valueNode && typeof keyNode.value === 'string')
      yield [keyNode.value, valueNode, keyNode.offset];
  }
}

export function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}

export function lineOf(doc: JsonDocument, offset: number): number {
  return doc.lines.position(offset).line;
}

/** Most patterns a project file may list for one setting: more is no hint a project writes by hand. */
const MAX_PATTERNS = 1_000;

/**
 * A JSON string or array of strings of globs relative to the file's folder (tsconfig `exclude`, knip
 * `ignore`), as gitignore patterns anchored there (`dist` is that folder's `dist`, not every `dist`).
 * Patterns that climb out of the folder (`../x`) or negate say nothing about the files below: dropped.
 */
export function anchoredPatterns(node: Node | undefined): string[] {
  const items = node?.type === 'array' ? (node.children ?? []) : node ? [node] : [];
  return items
    .slice(0, MAX_PATTERNS)
    .map(stringValue)
    .filter((p): p is string => p !== undefined && p.trim() !== '')
    .map((p) => p.trim().replace(/^\.\//, ''))
    .filter((p) => !p.startsWith('..') && !p.startsWith('!') && !p.startsWith('/'))
    .map((p) => `/${p}`);
}
