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
