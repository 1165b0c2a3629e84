import type { Document, LineCounter, YAMLMap } from 'yaml';
import { lazy } from '../core/lazy.js';

const yaml = lazy<typeof import('yaml')>('yaml');

import { pushAll } from '../core/arrays.js';
import type { ExtractError } from '../model/source.js';
import { type LiteDocument, type Plain, type PlainMap, readLiteYaml } from './yaml-lite.js';

/** The top-level mapping of a YAML file, and the 1-based line of an offset in the file. */
export interface YamlMapping {
  root: YAMLMap;
  lineOf: (offset: number | undefined) => number;
}

/**
 * Parses a YAML file whose top level must be a mapping (pnpm's files). What keeps it from being read goes to
 * `errors`: nesting too deep to parse, the first YAML error, a top level that is not a mapping. Undefined when
 * there is no mapping to read (an empty file is not an error). A mapping with errors is still returned.
 */
export function parseYamlMapping(
  text: string,
  fileName: string,
  errors: ExtractError[],
): YamlMapping | undefined {
  const tooDeep = tooDeeplyNested(text);
  if (tooDeep) {
    errors.push(tooDeep);
    return undefined;
  }
  const lineCounter = new (yaml().LineCounter)();
  // Failsafe: every scalar is a string, so that `version: 1.10` stays `1.10`.
  const doc = yaml().parseDocument(text, { lineCounter, schema: 'failsafe', uniqueKeys: false });
  pushAll(errors, firstYamlError(doc, lineCounter));
  const root = doc.contents;
  if (root === null) return undefined;
  if (!yaml().isMap(root)) {
    if (doc.errors.length === 0) errors.push({ line: 1, message: `${fileName} is not a YAML mapping` });
    return undefined;
  }
  return { root, lineOf: (offset) => (offset === undefined ? 1 : lineCounter.linePos(offset).line) };
}

/** The first YAML error with its line; the ones after it are mostly echoes of it. */
function firstYamlError(doc: Document, lineCounter: LineCounter): ExtractError[] {
  const [first] = doc.errors;
  if (!first) return [];
  const line = first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line;
  const reason = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : '';
  return [{ line, message: `invalid YAML: ${reason}${more}` }];
}

const MAX_INDENT = 200;
const MAX_FLOW_DEPTH = 100;

/**
 * YAML parsers recurse once per nesting level, and V8 aborts the whole process (no catchable error) when it
 * compiles a regular expression that deep in the stack. Lockfiles nest a handful of levels, so a text nested
 * by hundreds (by indentation, or by `[`/`{`) is refused before it reaches the parser.
 */
export function tooDeeplyNested(text: string): ExtractError | undefined {
  let line = 1;
  let indent = 0;
  let atLineStart = true;
  let flowDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') {
      line++;
      indent = 0;
      atLineStart = true;
      continue;
    }
    if (atLineStart && (char === ' ' || char === '\t')) {
      if (++indent > MAX_INDENT) return { line, message: 'nested too deeply to read' };
      continue;
    }
    atLineStart = false;
    if (char === '[' || char === '{') {
      if (++flowDepth > MAX_FLOW_DEPTH) return { line, message: 'nested too deeply to read' };
    } else if ((char === ']' || char === '}') && flowDepth > 0) {
      flowDepth--;
    }
  }
  return undefined;
}

/**
 * A YAML file whose top level must be a mapping, as plain values (strings, lists, mappings, null) with the
 * line of every key: generated files go through the fast reader (`yaml-lite.ts`), anything it does not
 * handle through the full parser. Errors as `parseYamlMapping` reports them.
 */
export function parseYamlPlain(
  text: string,
  fileName: string,
  errors: ExtractError[],
): LiteDocument | undefined {
  const tooDeep = tooDeeplyNested(text);
  if (tooDeep) {
    errors.push(tooDeep);
    return undefined;
  }
  const lite = readLiteYaml(text);
  if (lite) return lite;
  const mapping = parseYamlMapping(text, fileName, errors);
  if (!mapping) return undefined;
  const lines = new WeakMap<PlainMap, Map<string, number>>();
  const convert = (node: unknown): Plain => {
    if (yaml().isMap(node)) {
      const out: PlainMap = Object.create(null);
      const keys = new Map<string, number>();
      lines.set(out, keys);
      for (const pair of node.items) {
        const key = yaml().isScalar(pair.key) ? pair.key : undefined;
        if (key === undefined || typeof key.value !== 'string') continue;
        out[key.value] = convert(pair.value);
        keys.set(key.value, mapping.lineOf(key.range?.[0]));
      }
      return out;
    }
    if (yaml().isSeq(node)) return node.items.map(convert);
    if (yaml().isScalar(node)) return typeof node.value === 'string' ? node.value : null;
    return null;
  };
  const root = convert(mapping.root) as PlainMap;
  return { root, lineOf: (map, key) => lines.get(map)?.get(key) ?? 1 };
}
