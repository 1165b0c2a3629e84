import type { Node } from 'web-tree-sitter';
import type { ExtractError } from '../model/source.js';
import { quoted } from './quote.js';

/**
 * tree-sitter recovers from syntax errors with ERROR and MISSING nodes; a file is reported once, at the first
 * of them, and what stands around the break is still read. An ERROR node can wrap a whole file whose only
 * problem is deep inside (a missing `)`), so the search goes down to the innermost erroneous node.
 */
export function firstSyntaxError(root: Node, text: string): ExtractError | undefined {
  if (!root.hasError) return undefined;
  let node = root;
  for (;;) {
    if (node.isMissing) {
      const missing = node.isNamed ? node.type : JSON.stringify(node.type);
      return { ...nodeStart(node), message: `syntax error: missing ${missing}` };
    }
    const inner = node.children.find((child) => child?.hasError);
    if (inner) {
      node = inner;
      continue;
    }
    if (node.isError) return unexpected(node, text);
    return { line: 1, message: 'syntax error' };
  }
}

function unexpected(node: Node, text: string): ExtractError {
  const snippet = text.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + 40));
  const first = snippet.split('\n')[0]?.trim() ?? '';
  const message = first ? `syntax error: unexpected ${quoted(first)}` : 'syntax error';
  return { ...nodeStart(node), message };
}

/** The 1-based line and column where a node starts (tree-sitter counts from 0). */
export function nodeStart(node: Node): { line: number; column: number } {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

/**
 * 0-based rows holding what the parser could not place: the tokens an ERROR node holds directly (not the
 * well-formed nodes it may wrap), and with `missing` the rows of MISSING nodes (a `)` it had to invent).
 * A row is broken however little of it is.
 */
export function brokenRows(root: Node, missing: boolean): Set<number> {
  const rows = new Set<number>();
  if (!root.hasError) return rows;
  const mark = (node: Node) => {
    for (let row = node.startPosition.row; row <= node.endPosition.row; row++) rows.add(row);
  };
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.isMissing) {
      if (missing) mark(node);
      continue;
    }
    if (node.isError && node.childCount === 0) {
      mark(node);
      continue;
    }
    for (const child of node.children) {
      if (!child) continue;
      if (node.isError && child.childCount === 0) mark(child);
      else if (child.hasError || child.isMissing) stack.push(child);
    }
  }
  return rows;
}

/**
 * Whether a node is well-formed enough to name a package: nothing unplaced inside it or on its lines. A
 * missing `;` or `)` invents nothing; a stray word does (`import pandas as pd as _pd`).
 */
export function wellFormed(node: Node, broken: ReadonlySet<number>): boolean {
  if (node.isError || (node.hasError && node.descendantsOfType('ERROR').length > 0)) return false;
  for (let row = node.startPosition.row; row <= node.endPosition.row; row++)
    if (broken.has(row)) return false;
  return true;
}
