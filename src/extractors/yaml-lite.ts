/**
 * A fast reader for the YAML that tools generate (pnpm-lock.yaml): block mappings and `- scalar` lists,
 * plain and quoted scalars, one-line flow collections, comments. Every scalar is a string (the failsafe
 * schema), an empty value null. It keeps only the line of each mapping key, which is all a finding needs,
 * instead of a positioned document: on a large lockfile that was most of a small scan's time. Anything else
 * (block scalars, anchors, aliases, tags, multi-line flow, escapes in double quotes, misaligned blocks)
 * makes it give up, and the caller reads the file with the full YAML parser.
 */

export type Plain = string | null | Plain[] | PlainMap;
export interface PlainMap {
  [key: string]: Plain;
}

export interface LiteDocument {
  root: PlainMap;
  /** The 1-based line of `key` in `map` (1 when unknown). */
  lineOf(map: PlainMap, key: string): number;
}

class Unsupported extends Error {}

interface Frame {
  /** The indentation of the lines inside this block. */
  indent: number;
  container: PlainMap | Plain[];
}

/** The document, or undefined when the text uses YAML this reader does not handle. */
export function readLiteYaml(text: string): LiteDocument | undefined {
  const lines = new WeakMap<PlainMap, Map<string, number>>();
  const root: PlainMap = Object.create(null);
  const stack: Frame[] = [{ indent: 0, container: root }];
  let pending: { key: string; indent: number; parent: PlainMap } | undefined;
  try {
    let lineNo = 0;
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      lineNo++;
      const raw = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      start = end + 1;
      let indent = 0;
      while (raw.charCodeAt(indent) === 32) indent++;
      const body = raw.slice(indent);
      if (body === '' || body.startsWith('#')) continue;
      if (body.startsWith('\t') || body === '---' || body === '...' || body.startsWith('%'))
        throw new Unsupported();
      if (pending) {
        if (indent > pending.indent) {
          const value: PlainMap | Plain[] = body === '-' || body.startsWith('- ') ? [] : Object.create(null);
          pending.parent[pending.key] = value;
          stack.push({ indent, container: value });
        }
        pending = undefined;
      }
      while (stack.length > 1 && indent < stack.at(-1)!.indent) stack.pop();
      const frame = stack.at(-1)!;
      if (indent !== frame.indent) throw new Unsupported();
      if (Array.isArray(frame.container)) {
        if (body !== '-' && !body.startsWith('- ')) throw new Unsupported();
        const item = body.slice(1).trim();
        // `- key: value` (a mapping in a list) and nested lists are more than generated lockfiles use.
        if (item === '' || item.startsWith('- ') || /^(?:[^'"[{#][^#]*?|'[^']*'|"[^"]*"):(?:\s|$)/.test(item))
          throw new Unsupported();
        frame.container.push(value(item));
        continue;
      }
      const { key, rest } = splitKey(body);
      const map = frame.container;
      let keys = lines.get(map);
      if (!keys) {
        keys = new Map();
        lines.set(map, keys);
      }
      keys.set(key, lineNo);
      if (rest === '') {
        map[key] = null;
        pending = { key, indent, parent: map };
      } else map[key] = value(rest);
    }
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  return { root, lineOf: (map, key) => lines.get(map)?.get(key) ?? 1 };
}

/** `key: rest` with the key unquoted; `rest` is '' for `key:` (its value follows on deeper lines). */
function splitKey(body: string): { key: string; rest: string } {
  if (body.startsWith("'") || body.startsWith('"')) {
    const [key, after] = quoted(body);
    if (!after.startsWith(':') || (after.length > 1 && after[1] !== ' ')) throw new Unsupported();
    return { key, rest: stripComment(after.slice(1).trim()) };
  }
  if (body.startsWith('?') || body.startsWith('- ') || body.startsWith('[') || body.startsWith('{'))
    throw new Unsupported();
  const colon = body.indexOf(': ');
  const at = colon !== -1 ? colon : body.endsWith(':') ? body.length - 1 : -1;
  if (at <= 0) throw new Unsupported();
  return { key: body.slice(0, at), rest: stripComment(body.slice(at + 1).trim()) };
}

/** A quoted scalar at the start of `text`, and what follows it. */
function quoted(text: string): [string, string] {
  const quote = text[0]!;
  if (quote === "'") {
    let out = '';
    for (let i = 1; i < text.length; i++) {
      if (text[i] === "'") {
        if (text[i + 1] === "'") {
          out += "'";
          i++;
          continue;
        }
        return [out, text.slice(i + 1)];
      }
      out += text[i];
    }
    throw new Unsupported();
  }
  const close = text.indexOf('"', 1);
  const inner = close === -1 ? '' : text.slice(1, close);
  if (close === -1 || inner.includes('\\')) throw new Unsupported();
  return [inner, text.slice(close + 1)];
}

/** A plain value's trailing ` # comment` is no part of it. */
function stripComment(text: string): string {
  if (text.startsWith("'") || text.startsWith('"')) return text;
  const hash = text.indexOf(' #');
  return hash === -1 ? text : text.slice(0, hash).trimEnd();
}

function value(text: string): Plain {
  const first = text[0];
  if (
    first === '|' ||
    first === '>' ||
    first === '&' ||
    first === '*' ||
    first === '!' ||
    first === '@' ||
    first === '`'
  )
    throw new Unsupported();
  if (first === '{' || first === '[') {
    const [parsed, rest] = flow(text, 0);
    if (stripComment(text.slice(rest).trim()) !== '') throw new Unsupported();
    return parsed;
  }
  if (first === "'" || first === '"') {
    const [scalar, rest] = quoted(text);
    if (stripComment(rest.trim()) !== '') throw new Unsupported();
    return scalar;
  }
  return stripComment(text);
}

/** A one-line flow collection starting at `at`: the value and the index after it. */
function flow(text: string, at: number): [Plain, number] {
  const open = text[at];
  const close = open === '{' ? '}' : ']';
  const out: PlainMap | Plain[] = open === '{' ? Object.create(null) : [];
  let i = at + 1;
  const skip = () => {
    while (text[i] === ' ') i++;
  };
  skip();
  if (text[i] === close) return [out, i + 1];
  for (;;) {
    skip();
    let key: string | undefined;
    if (!Array.isArray(out)) {
      const [k, next] = flowScalar(text, i, ':');
      if (text[next] !== ':') throw new Unsupported();
      key = k;
      i = next + 1;
      skip();
    }
    let item: Plain;
    if (text[i] === '{' || text[i] === '[') [item, i] = flow(text, i);
    else [item, i] = flowScalar(text, i, '');
    if (Array.isArray(out)) out.push(item);
    else out[key!] = item;
    skip();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === close) return [out, i + 1];
    throw new Unsupported();
  }
}

/** A scalar inside a flow collection: quoted, or plain up to `,`, the closing bracket, or `stop`. */
function flowScalar(text: string, at: number, stop: string): [string, number] {
  if (text[at] === "'" || text[at] === '"') {
    const [scalar, rest] = quoted(text.slice(at));
    return [scalar, text.length - rest.length];
  }
  let i = at;
  while (i < text.length) {
    const c = text[i];
    if (c === ',' || c === '}' || c === ']') break;
    if (stop !== '' && c === stop && (text[i + 1] === ' ' || text[i + 1] === undefined)) break;
    if (c === '{' || c === '[') throw new Unsupported();
    i++;
  }
  if (i >= text.length) throw new Unsupported();
  return [text.slice(at, i).trim(), i];
}
