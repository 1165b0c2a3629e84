import { isObject } from '../../core/json.js';
import { lazy } from '../../core/lazy.js';

const yarnParsers = lazy<typeof import('@yarnpkg/parsers')>('@yarnpkg/parsers');

import { pushAll } from '../../core/arrays.js';
import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ExtractError } from '../../model/source.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import { readLiteYaml } from '../yaml-lite.js';
import { tooDeeplyNested } from '../yaml-tree.js';
import { commitOfResolved, GraphBuilder, LockedRefs } from './package-lock.js';
import { classifyNpmSpec, installedName } from './spec.js';

const ID = 'npm/yarn-lock';

const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'];

/** A top-level entry of the lockfile: its header line and the lines under it. */
interface Block {
  /** 0-based index of the header line. */
  start: number;
  /** Its lines, without the blank lines that separate it from the next entry. */
  lines: string[];
}

/** A parsed entry: its descriptors (`lodash@^4.17.0`, …), its fields, and the line of its header. */
interface Entry {
  descriptors: string[];
  value: unknown;
  line: number;
}

/**
 * yarn.lock, classic (v1, yarn's own syntax) and berry (v2+, YAML), both read by yarn's parser. A file that
 * does not parse as a whole is parsed entry by entry, so that a broken entry costs only itself.
 */
export const yarnLock: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'yarn.lock',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const tooDeep = tooDeeplyNested(file.text);
    if (tooDeep) return { ...result, errors: [tooDeep] };
    const { preamble, blocks } = splitBlocks(file.text);
    const collected = new LockedRefs();
    // Berry's lockfile opens with `__metadata`; classic's with its `# yarn lockfile v1` comment.
    const graph = new GraphBuilder(/^__metadata:/m.test(file.text) ? 'yarn-berry' : 'yarn-classic');

    for (const { descriptors, value, line } of readFast(file.text, preamble) ??
      parseWhole(file.text, blocks) ??
      parseEachBlock(preamble, blocks, result.errors)) {
      const first = descriptors[0];
      if (first === undefined || first === '__metadata') continue;
      if (!isObject(value)) {
        result.errors.push({ line, message: `${quoted(first)} is not a lockfile entry` });
        continue;
      }
      const target = parseDescriptor(first);
      if (target.name === '') {
        result.errors.push({ line, message: `${quoted(first)} names no package` });
        continue;
      }
      const dependencyNames = DEPENDENCY_FIELDS.flatMap((field) => {
        const deps = value[field];
        return isObject(deps)
          ? Object.entries(deps).map(([key, spec]) =>
              installedName(key, typeof spec === 'string' ? spec : undefined),
            )
          : [];
      });
      // Berry records each workspace with its dependencies: the project's direct dependencies. Its
      // resolution says so even when the key lists the ranges other workspaces asked for first
      // (`"@x/core@^1.2.0, @x/core@workspace:packages/core"`, as older berry lockfiles write it).
      const workspace = workspaceOf(target.name, descriptors, value);
      if (workspace !== undefined) graph.addRoots(dependencyNames, workspace);
      if (workspace === '.') continue;
      graph.addEdges(target.name, dependencyNames);
      collected.add(lockedRef(target, value, file.path, line));
    }
    result.refs = collected.refs();
    result.facts.push(graph.fact());
    return result;
  },
};

/**
 * The fast path: a berry lockfile through the reader of generated YAML, a classic one through a reader of
 * the regular layout yarn writes (a header line, `  field "value"` lines, `  dependencies:` with
 * `    name "range"` lines). Undefined when the text strays from that layout: then yarn's own parser reads it.
 */
function readFast(text: string, preamble: string): Entry[] | undefined {
  if (isClassicHeader(preamble)) return readClassic(text);
  const doc = readLiteYaml(text);
  if (!doc) return undefined;
  return Object.keys(doc.root).map((key) => ({
    descriptors: key.split(/,\s*/),
    value: doc.root[key],
    line: doc.lineOf(doc.root, key),
  }));
}

function isClassicHeader(preamble: string): boolean {
  return /^# yarn lockfile v1$/m.test(preamble);
}

/** A classic value: `"quoted"` (no escapes) or a bare word. Undefined when it is anything else. */
function classicValue(text: string): string | undefined {
  if (text.startsWith('"'))
    return text.endsWith('"') && !text.slice(1, -1).includes('"') && !text.includes('\\')
      ? text.slice(1, -1)
      : undefined;
  return /^[^\s"'#]+$/.test(text) ? text : undefined;
}

function readClassic(text: string): Entry[] | undefined {
  const entries: Entry[] = [];
  let entry: Record<string, unknown> | undefined;
  let nested: Record<string, string> | undefined;
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      if (!line.endsWith(':')) return undefined;
      const descriptors = headerDescriptors(line);
      entry = {};
      nested = undefined;
      entries.push({ descriptors, value: entry, line: lineNo });
      continue;
    }
    if (!entry) return undefined;
    if (line.startsWith('    ')) {
      if (!nested || line.startsWith('     ')) return undefined;
      const [key, value] = classicPair(line.slice(4));
      if (key === undefined || value === undefined) return undefined;
      nested[key] = value;
      continue;
    }
    const body = line.slice(2);
    if (body.startsWith(' ')) return undefined;
    if (body.endsWith(':')) {
      const key = classicValue(body.slice(0, -1));
      if (key === undefined) return undefined;
      nested = {};
      entry[key] = nested;
      continue;
    }
    nested = undefined;
    const [key, value] = classicPair(body);
    if (key === undefined || value === undefined) return undefined;
    entry[key] = value;
  }
  return entries;
}

/** `name "value"` / `"@scope/name" "value"` / `optional true`. */
function classicPair(body: string): [string | undefined, string | undefined] {
  const space = body.startsWith('"') ? body.indexOf('"', 1) + 1 : body.indexOf(' ');
  if (space <= 0 || body[space] !== ' ') return [undefined, undefined];
  return [classicValue(body.slice(0, space)), classicValue(body.slice(space + 1))];
}

/**
 * The whole file in one parse (several times faster than entry by entry). The parser keeps no positions, so
 * each entry's line is found from its first descriptor in the header lines. The classic parser splits a
 * header with several descriptors into keys that share one value; they are one entry again here.
 */
function parseWhole(text: string, blocks: Block[]): Entry[] | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = yarnParsers().parseSyml(text);
  } catch {
    return undefined;
  }
  const headerLines = new Map<string, number>();
  for (const block of blocks) {
    for (const descriptor of headerDescriptors(block.lines[0] ?? '')) {
      if (!headerLines.has(descriptor)) headerLines.set(descriptor, block.start + 1);
    }
  }
  const entries: Entry[] = [];
  const byValue = new Map<object, Entry>();
  for (const [key, value] of Object.entries(parsed)) {
    const descriptors = key.split(/,\s*/);
    const shared = isObject(value) ? byValue.get(value) : undefined;
    if (shared) {
      pushAll(shared.descriptors, descriptors);
      continue;
    }
    const entry: Entry = { descriptors, value, line: headerLines.get(descriptors[0] ?? '') ?? 1 };
    entries.push(entry);
    if (isObject(value)) byValue.set(value, entry);
  }
  return entries;
}

/**
 * `"a@^1", a@^2:` → [`a@^1`, `a@^2`]; berry quotes the whole list: `"a@npm:^1, a@npm:^2":`. Descriptors hold
 * no quotes or escapes of their own, so the quotes at either end of each part are all there is to drop.
 */
function headerDescriptors(header: string): string[] {
  return header
    .trim()
    .replace(/:$/, '')
    .split(/,\s*/)
    .map((part) => part.replace(/^["']|["']$/g, ''));
}

function parseEachBlock(preamble: string, blocks: Block[], errors: ExtractError[]): Entry[] {
  // parseSyml picks the classic parser from the file's leading comment; each block gets that choice too.
  const prefix = isClassic(preamble) ? '# yarn lockfile v1\n' : '';
  const entries: Entry[] = [];
  for (const block of blocks) {
    const parsed = parseBlock(prefix, block);
    if ('error' in parsed) {
      errors.push(parsed.error);
      continue;
    }
    const keys = Object.keys(parsed.value);
    entries.push({
      descriptors: keys.flatMap((key) => key.split(/,\s*/)),
      value: parsed.value[keys[0] ?? ''],
      line: block.start + 1,
    });
  }
  return entries;
}

function lockedRef(
  target: ReturnType<typeof parseDescriptor>,
  entry: Record<string, unknown>,
  filePath: string,
  line: number,
): PackageRef {
  const ref: PackageRef = {
    ecosystem: 'npm',
    name: target.name,
    source: 'locked',
    extractor: ID,
    location: { file: filePath, line },
  };
  if (typeof entry.version === 'string' && entry.version !== '') ref.version = entry.version;
  if (target.alias !== undefined) ref.alias = target.alias;
  const resolution = typeof entry.resolution === 'string' ? entry.resolution : undefined;
  const resolved = resolution ?? (typeof entry.resolved === 'string' ? entry.resolved : undefined);
  // Berry's resolution is a locator (`name@source`); classic's `resolved` is the URL itself.
  const source = resolution?.startsWith(`${target.name}@`)
    ? resolution.slice(target.name.length + 1)
    : resolved;
  const commit = resolved === undefined ? undefined : commitOfResolved(resolved);
  if (commit !== undefined) {
    ref.origin = 'git';
    ref.commit = commit;
    if (source !== undefined) ref.url = source;
    return ref;
  }
  // A berry resolution to a workspace or a folder decides, whatever range the key asked for first.
  const local = resolution?.startsWith(`${target.name}@`)
    ? classifyNpmSpec(target.name, source ?? '')
    : undefined;
  const classified =
    local?.origin === 'workspace' || local?.origin === 'path'
      ? local
      : classifyNpmSpec(target.name, target.range.replace(/^npm:/, ''));
  ref.origin = classified.origin;
  if (classified.origin === 'workspace' || classified.origin === 'path')
    ref.url = resolution ? source : target.range;
  else if (classified.url !== undefined) ref.url = source ?? classified.url;
  return ref;
}

/** The folder of the workspace a berry entry is (`packages/web`, `.` for the root), if it is one. */
function workspaceOf(
  name: string,
  descriptors: readonly string[],
  entry: Record<string, unknown>,
): string | undefined {
  const ranges = descriptors.map((d) => parseDescriptor(d).range);
  if (typeof entry.resolution === 'string' && entry.resolution.startsWith(`${name}@`))
    ranges.unshift(entry.resolution.slice(name.length + 1));
  return ranges.find((range) => range.startsWith('workspace:'))?.slice('workspace:'.length);
}

/**
 * `lodash@^4.17.0` → lodash; `@scope/x@npm:1.0.0` → @scope/x; `alias@npm:real@^5` → real, installed as alias;
 * a classic key without a range (`balanced-match`) is the name alone.
 */
function parseDescriptor(descriptor: string): { name: string; range: string; alias?: string } {
  const at = descriptor.indexOf('@', descriptor.startsWith('@') ? 1 : 0);
  const name = at === -1 ? descriptor : descriptor.slice(0, at);
  const range = at === -1 ? '' : descriptor.slice(at + 1);
  if (range.startsWith('npm:') && range.includes('@', 5)) {
    const real = parseDescriptor(range.slice(4));
    return real.name === name ? real : { ...real, alias: name };
  }
  return { name, range };
}

function splitBlocks(text: string): { preamble: string; blocks: Block[] } {
  const lines = text.split(/\r?\n/);
  const blocks: Block[] = [];
  let preambleEnd = lines.length;
  let current: Block | undefined;
  for (const [index, line] of lines.entries()) {
    const startsEntry = line !== '' && !/^[\s#]/.test(line);
    if (startsEntry) {
      if (current) blocks.push(current);
      else preambleEnd = index;
      current = { start: index, lines: [line] };
    } else {
      current?.lines.push(line);
    }
  }
  if (current) blocks.push(current);
  for (const block of blocks)
    while (block.lines.length > 1 && block.lines.at(-1)?.trim() === '') block.lines.pop();
  return { preamble: lines.slice(0, preambleEnd).join('\n'), blocks };
}

/** Whether yarn's parser reads this file as classic: it decides from the leading comment lines. */
function isClassic(preamble: string): boolean {
  try {
    const probe = yarnParsers().parseSyml(`${preamble}\nprobe:\n  key "value"\n`);
    return isObject(probe.probe);
  } catch {
    return false;
  }
}

function parseBlock(
  prefix: string,
  block: Block,
): { value: Record<string, unknown> } | { error: ExtractError } {
  try {
    return { value: yarnParsers().parseSyml(`${prefix}${block.lines.join('\n')}\n`) };
  } catch (error) {
    const prefixLines = prefix === '' ? 0 : 1;
    const at = errorLine(error);
    // An error at the end of the input (an unclosed bracket) is reported on the entry's last line.
    const offset = at === undefined ? 0 : Math.min(Math.max(0, at - 1 - prefixLines), block.lines.length - 1);
    const line = block.start + 1 + offset;
    // The YAML parser's `reason` is its message without a position, which would be relative to the entry.
    const reason = isObject(error) && typeof error.reason === 'string' ? error.reason : undefined;
    const message = reason ?? (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
    return { error: { line, message: `invalid yarn.lock entry: ${message}` } };
  }
}

/** 1-based line of a parse error: the classic parser reports `location`, the YAML parser a 0-based `mark`. */
function errorLine(error: unknown): number | undefined {
  if (!isObject(error)) return undefined;
  const location = error.location;
  if (isObject(location) && isObject(location.start) && typeof location.start.line === 'number')
    return location.start.line;
  const mark = error.mark;
  if (isObject(mark) && typeof mark.line === 'number') return mark.line + 1;
  return undefined;
}
