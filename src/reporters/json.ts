import type { ScanResult } from '../model/result.js';
import type { Reporter } from './types.js';

/**
 * Levels of the result written piece by piece: the result and its lists. Each entry of a list (a package, a
 * finding) is written by one JSON.stringify: far below V8's string limit, and in a one-shot process, where
 * little of Vouch's own code is optimised yet, the native writer is what is fast.
 */
const STREAMED_LEVELS = 2;
/** Pieces are gathered up to this size before they are handed on: few writes, no giant string. */
const PIECE_BYTES = 1 << 20;

/**
 * The result as `JSON.stringify(result, null, 2)` writes it, in pieces of about a mebibyte: a result of any
 * size can be written, where one string would end in "Invalid string length" past V8's limit.
 */
export function* jsonChunks(result: ScanResult): Generator<string> {
  // One loop over a stack of open lists rather than a generator per level, each piece passed up through all.
  const stack: Frame[] = [];
  // Joined once per piece rather than concatenated piece by piece.
  let parts: string[] = [];
  let size = 0;
  const add = (text: string): void => {
    parts.push(text);
    size += text.length;
  };
  const open = (value: unknown, indent: string, levels: number): void => {
    if (levels === 0 || value === null || typeof value !== 'object' || hasToJson(value)) {
      // JSON text has no raw newline inside a string, so every newline is indentation.
      add((JSON.stringify(value, null, 2) ?? 'null').replaceAll('\n', `\n${indent}`));
      return;
    }
    if (Array.isArray(value)) {
      if (value.length === 0) add('[]');
      else {
        add('[');
        stack.push({ values: value, next: 0, indent, levels, close: `\n${indent}]` });
      }
      return;
    }
    const entries = Object.entries(value).filter(
      ([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol',
    );
    if (entries.length === 0) add('{}');
    else {
      add('{');
      stack.push({
        keys: entries.map(([key]) => key),
        values: entries.map(([, v]) => v),
        next: 0,
        indent,
        levels,
        close: `\n${indent}}`,
      });
    }
  };
  open(result, '', STREAMED_LEVELS);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === frame.values.length) {
      stack.pop();
      add(frame.close);
      continue;
    }
    const i = frame.next++;
    const inner = `${frame.indent}  `;
    const item = frame.values[i];
    add(`${i === 0 ? '' : ','}\n${inner}`);
    if (frame.keys) {
      add(`${JSON.stringify(frame.keys[i])}: `);
      open(item, inner, frame.levels - 1);
    } else open(item === undefined || typeof item === 'function' ? null : item, inner, frame.levels - 1);
    if (size >= PIECE_BYTES) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  add('\n');
  yield parts.join('');
}

/** An array or object being written: its values (and keys), the next one to write, and how to close it. */
interface Frame {
  keys?: string[];
  values: readonly unknown[];
  next: number;
  indent: string;
  levels: number;
  close: string;
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
