import type { ScanResult } from '../model/result.js';
import type { Reporter } from './types.js';

/** Levels of the result written piece by piece: the result, its lists, each entry of a list. */
const STREAMED_LEVELS = 3;
/** Pieces are gathered up to this size before they are handed on: few writes, no giant string. */
const PIECE_BYTES = 1 << 20;

/**
 * The result as `JSON.stringify(result, null, 2)` writes it, in pieces of about a mebibyte: a result of any
 * size can be written, where one string would end in "Invalid string length" past V8's limit.
 */
export function* jsonChunks(result: ScanResult): Generator<string> {
  let buffer = '';
  for (const piece of streamValue(result, '', STREAMED_LEVELS)) {
    buffer += piece;
    if (buffer.length >= PIECE_BYTES) {
      yield buffer;
      buffer = '';
    }
  }
  yield `${buffer}\n`;
}

function* streamValue(value: unknown, indent: string, levels: number): Generator<string> {
  if (levels === 0 || value === null || typeof value !== 'object' || hasToJson(value)) {
    // JSON text has no raw newline inside a string, so every newline is indentation.
    yield (JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return yield '[]';
    yield '[';
    for (const [i, item] of value.entries()) {
      yield `${i === 0 ? '' : ','}\n${inner}`;
      yield* streamValue(item === undefined || typeof item === 'function' ? null : item, inner, levels - 1);
    }
    return yield `\n${indent}]`;
  }
  const entries = Object.entries(value).filter(
    ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
  );
  if (entries.length === 0) return yield '{}';
  yield '{';
  for (const [i, [key, item]] of entries.entries()) {
    yield `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* streamValue(item, inner, levels - 1);
  }
  yield `\n${indent}}`;
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** The result as it is; its schema is documented in docs/json-output.md and versioned by `schemaVersion`. */
export const jsonReporter: Reporter = Object.assign(
  (result: ScanResult) => [...jsonChunks(result)].join(''),
  {
    chunks: jsonChunks,
  },
);
