import { lazy } from '../../core/lazy.js';

const smolToml = lazy<typeof import('smol-toml')>('smol-toml');

import type { Location } from '../../model/location.js';
import type { PackageRef, RefSource } from '../../model/package-ref.js';
import type { ExtractError, SourceFile } from '../../model/source.js';
import type { ExtractResult } from '../types.js';
import type { PypiTarget } from './requirement.js';

/** Helpers shared by the PyPI manifest and lockfile extractors. */

export type Table = Record<string, unknown>;

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asTable(value: unknown): Table | undefined {
  return isTable(value) ? value : undefined;
}

/** The parsed document; undefined when the text is not TOML, with where and why added to `errors`. */
export function parseToml(text: string, errors: ExtractError[]): Table | undefined {
  try {
    return smolToml().parse(text) as Table;
  } catch (error) {
    if (error instanceof smolToml().TomlError) {
      const message = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
      errors.push({ line: error.line, column: error.column, message: `invalid TOML: ${message}` });
    } else errors.push({ line: 1, message: `invalid TOML: ${String(error)}` });
    return undefined;
  }
}

/** A 0-based, end-exclusive range of lines. */
export interface LineRange {
  start: number;
  end: number;
}

interface Header {
  path: string[];
  /** 0-based. */
  line: number;
  array: boolean;
}

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => part === path[i]);
}

/** The path a table header line names: `[tool."poetry".dependencies]` → tool, poetry, dependencies. */
function headerOf(line: string): { path: string[]; array: boolean } | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('[')) return undefined;
  let value: unknown;
  try {
    // The header alone is a valid document, so the real parser reads its quoting and dotted keys.
    value = smolToml().parse(trimmed);
  } catch {
    return undefined;
  }
  const path: string[] = [];
  let array = false;
  for (;;) {
    if (!isTable(value)) return undefined;
    const keys = Object.keys(value);
    if (keys.length === 0) return path.length > 0 ? { path, array } : undefined;
    if (keys.length > 1) return undefined;
    const key = keys[0]!;
    path.push(key);
    const next = value[key];
    array = Array.isArray(next);
    value = array ? (next as unknown[]).at(-1) : next;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Source lines of a TOML document. smol-toml gives values without positions, so a value's line is found
 * by searching the text of the table it belongs to: the table header is located with the parser (one
 * header line at a time), then the key or the quoted value is looked for inside that table.
 */
export class TomlLines {
  readonly lines: string[];
  private readonly headers: Header[] = [];

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
    let inMultiline: '"""' | "'''" | undefined;
    for (const [i, line] of this.lines.entries()) {
      if (inMultiline === undefined) {
        const header = headerOf(line);
        if (header) {
          this.headers.push({ ...header, line: i });
          continue;
        }
      }
      for (const quote of ['"""', "'''"] as const) {
        if (inMultiline !== undefined && inMultiline !== quote) continue;
        if (line.split(quote).length % 2 === 0) inMultiline = inMultiline ? undefined : quote;
      }
    }
  }

  get all(): LineRange {
    return { start: 0, end: this.lines.length };
  }

  /**
   * The lines of the table at `path` up to the next header. Without a header of its own (a dotted key or
   * an inline table), the nearest enclosing table that has one; without any, the whole document.
   */
  table(path: string[]): LineRange {
    for (let depth = path.length; depth > 0; depth--) {
      const prefix = path.slice(0, depth);
      const index = this.headers.findIndex((h) => !h.array && samePath(h.path, prefix));
      if (index !== -1) return this.until(index);
    }
    return this.all;
  }

  /** 1-based line of a key of the table at `section`: `key = …` inside it, or its own `[section.key]` header. */
  keyLocation(section: string[], key: string): number {
    const own = this.headers.find((h) => !h.array && samePath(h.path, [...section, key]));
    if (own) return own.line + 1;
    const range = this.table(section);
    return (this.keyLine(range, key) ?? range.start) + 1;
  }

  /** Every `[[path]]` block in order, each with its sub-tables (`[path.dependencies]`), up to the next one. */
  arrayBlocks(path: string[]): LineRange[] {
    const blocks: LineRange[] = [];
    let open: LineRange | undefined;
    for (const header of this.headers) {
      const isEntry = header.array && samePath(header.path, path);
      if (open && (isEntry || !startsWith(header.path, path))) {
        open.end = header.line;
        open = undefined;
      }
      if (isEntry) {
        open = { start: header.line, end: this.lines.length };
        blocks.push(open);
      }
    }
    return blocks;
  }

  private until(index: number): LineRange {
    const start = this.headers[index]!.line;
    const next = this.headers[index + 1];
    return { start, end: next ? next.line : this.lines.length };
  }

  /** 0-based line in `range`, at or after `from`, that assigns `key` (bare, quoted or dotted). */
  keyLine(range: LineRange, key: string, from = range.start): number | undefined {
    const quoted = `"${escapeRegExp(key)}"|'${escapeRegExp(key)}'`;
    const pattern = new RegExp(
      `^\\s*(?:${/^[A-Za-z0-9_-]+$/.test(key) ? `${escapeRegExp(key)}|` : ''}${quoted})\\s*[=.]`,
    );
    return this.search(range, from, (line) => pattern.test(line));
  }

  /** 0-based line in `range`, at or after `from`, that contains the first of `needles` found anywhere. */
  textLine(range: LineRange, needles: string[], from = range.start): number | undefined {
    for (const needle of needles) {
      if (needle === '') continue;
      const found = this.search(range, from, (line) => line.includes(needle));
      if (found !== undefined) return found;
    }
    return undefined;
  }

  private search(range: LineRange, from: number, test: (line: string) => boolean): number | undefined {
    for (let i = Math.max(from, range.start); i < range.end; i++) if (test(this.lines[i]!)) return i;
    return undefined;
  }
}

/**
 * Finds the lines of a list of values written in order inside one table: each search starts after the
 * previous hit, so repeated names land on successive lines; a miss falls back to the table's first line.
 */
export class ValueCursor {
  private next: number;

  constructor(
    private readonly toml: TomlLines,
    private readonly range: LineRange,
    from?: number,
  ) {
    this.next = from ?? range.start;
  }

  /** 1-based line of the first of `needles` (most specific first). */
  line(needles: string[]): number {
    const found =
      this.toml.textLine(this.range, needles, this.next) ?? this.toml.textLine(this.range, needles);
    if (found === undefined) return this.range.start + 1;
    this.next = found + 1;
    return found + 1;
  }
}

/** The quoted forms a TOML string may take in the text, for finding its line. */
export function quotedForms(value: string): string[] {
  return [`"${value}"`, `'${value}'`, `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`];
}

/** A target whose source table named the exact commit (`rev = "…"`). */
export type SourcedTarget = PypiTarget & { commit?: string };

export function makeRef(options: {
  target: SourcedTarget;
  extractor: string;
  source: RefSource;
  location: Location;
  groups?: string[];
}): PackageRef {
  const { target } = options;
  const ref: PackageRef = {
    ecosystem: 'PyPI',
    name: target.name,
    source: options.source,
    extractor: options.extractor,
    location: options.location,
    origin: target.origin,
  };
  if (target.version !== undefined) ref.version = target.version;
  if (target.spec !== undefined) ref.spec = target.spec;
  if (target.url !== undefined) ref.url = target.url;
  const commit =
    target.commit ??
    (target.origin === 'git' && target.url !== undefined ? vcsReference(target.url).commit : undefined);
  if (commit) ref.commit = commit;
  if (options.groups && options.groups.length > 0) ref.groups = options.groups;
  return ref;
}

/** Where a table-form dependency (Poetry, uv sources, Pipfile) comes from when not from the registry. */
export function sourceOfTable(table: Table): Omit<SourcedTarget, 'name'> | undefined {
  const git = asString(table.git);
  if (git !== undefined) {
    const out: Omit<SourcedTarget, 'name'> = { origin: 'git', url: git };
    const rev = asString(table.rev) ?? asString(table.ref);
    if (isCommitHash(rev)) out.commit = rev;
    return out;
  }
  const path = asString(table.path) ?? asString(table.file);
  if (path !== undefined)
    return { origin: /^[a-z][a-z0-9+.-]*:\/\//i.test(path) ? 'url' : 'path', url: path };
  const url = asString(table.url);
  if (url !== undefined) return { origin: 'url', url };
  if (table.workspace === true) return { origin: 'workspace' };
  return undefined;
}

/** A git commit as lockfiles and `@rev` suffixes write it (abbreviated or full). */
export function isCommitHash(text: string | undefined): text is string {
  return text !== undefined && /^[0-9a-f]{7,40}$/i.test(text);
}

/**
 * The parts of a pip VCS URL: `git+https://host/org/repo.git@v1.0#egg=name&subdirectory=x`. `ref` is the
 * `@rev` after the path, `commit` the same when it is a hash, `repository` the last path segment.
 */
export function vcsReference(url: string): {
  ref?: string;
  commit?: string;
  egg?: string;
  repository?: string;
} {
  const hash = url.indexOf('#');
  const fragment = hash === -1 ? '' : url.slice(hash + 1);
  const base = hash === -1 ? url : url.slice(0, hash);
  const out: { ref?: string; commit?: string; egg?: string; repository?: string } = {};
  for (const param of fragment.split('&')) {
    const [key, value] = param.split('=');
    if (key === 'egg' && value) out.egg = decodeURIComponentSafe(value);
  }
  const lastSlash = base.lastIndexOf('/');
  const at = base.indexOf('@', lastSlash + 1);
  const path = at === -1 ? base : base.slice(0, at);
  if (at !== -1) out.ref = base.slice(at + 1);
  if (isCommitHash(out.ref)) out.commit = out.ref;
  const repository = path
    .replace(/\/+$/, '')
    .split(/[/:]/)
    .at(-1)
    ?.replace(/\.git$/, '');
  if (repository) out.repository = repository;
  return out;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `a-b[x]` → `a-b`: the distribution name in an `#egg=` fragment or a `name[extra]` key. */
export function stripExtras(name: string): string {
  const bracket = name.indexOf('[');
  return (bracket === -1 ? name : name.slice(0, bracket)).trim();
}

/**
 * 1-based lines of the `[[package]]` entries of a lockfile, by index: the entry's `name = …` line. Entries
 * written as an inline array have no headers; their names are searched for in order instead.
 */
function packageLines(toml: TomlLines, names: string[]): number[] {
  const blocks = toml.arrayBlocks(['package']);
  let from = 0;
  return names.map((name, i) => {
    const block = blocks[i];
    if (block && blocks.length === names.length) return (toml.keyLine(block, 'name') ?? block.start) + 1;
    const found =
      toml.textLine(toml.all, quotedForms(name), from) ?? toml.textLine(toml.all, quotedForms(name));
    if (found === undefined) return 1;
    from = found + 1;
    return found + 1;
  });
}

/** A `[[package]]` entry of a TOML lockfile that has a name. */
export interface LockedPackage {
  entry: Table;
  name: string;
  /** 1-based: the entry's `name = …` line. */
  line: number;
}

/**
 * The `[[package]]` entries of a TOML lockfile (Cargo.lock, poetry.lock, pdm.lock, uv.lock) that have a
 * name, in order, each with its line. An entry without a name is reported at its line and left out.
 */
export function namedPackages(entries: unknown[], text: string, errors: ExtractError[]): LockedPackage[] {
  const lines = packageLines(
    new TomlLines(text),
    entries.map((entry) => (isTable(entry) ? (asString(entry.name) ?? '') : '')),
  );
  const named: LockedPackage[] = [];
  for (const [i, entry] of entries.entries()) {
    const line = lines[i] ?? 1;
    const name = isTable(entry) ? asString(entry.name) : undefined;
    if (!isTable(entry) || !name) errors.push({ line, message: 'a [[package]] entry has no name' });
    else named.push({ entry, name, line });
  }
  return named;
}

/** The ref of a package a PyPI lockfile pins: the entry's version, where it comes from, its groups. */
export function lockedRef(options: {
  locked: LockedPackage;
  from: Omit<SourcedTarget, 'name'>;
  groups: string[];
  extractor: string;
  file: string;
}): PackageRef {
  const { locked } = options;
  const target: SourcedTarget = { name: locked.name, ...options.from };
  const version = asString(locked.entry.version);
  if (version) target.version = version;
  return makeRef({
    target,
    extractor: options.extractor,
    source: 'locked',
    location: { file: options.file, line: locked.line },
    groups: options.groups,
  });
}

/**
 * A PyPI lockfile whose `[[package]]` entries each say where the package comes from, its groups and the
 * names it depends on (pdm.lock, poetry.lock): a locked ref per entry, and the dependency graph.
 */
export function readPypiLock(
  file: SourceFile,
  extractor: string,
  read: {
    from: (entry: Table) => Omit<SourcedTarget, 'name'>;
    groups: (entry: Table) => string[];
    dependencies: (entry: Table) => string[];
  },
): ExtractResult {
  const result: ExtractResult = { refs: [], errors: [], facts: [] };
  const doc = parseToml(file.text, result.errors);
  if (!doc) return result;
  const entries = asArray(doc.package);
  const edges: Record<string, string[]> = {};
  for (const locked of namedPackages(entries, file.text, result.errors)) {
    const { entry } = locked;
    result.refs.push(
      lockedRef({ locked, from: read.from(entry), groups: read.groups(entry), extractor, file: file.path }),
    );
    addEdges(edges, locked.name, read.dependencies(entry));
  }
  if (entries.length > 0) result.facts.push({ kind: 'dependency-graph', ecosystem: 'PyPI', edges });
  return result;
}

/** Adds `to` to the names `from` depends on, once each. */
export function addEdges(edges: Record<string, string[]>, from: string, to: string[]): void {
  const list = edges[from] ?? [];
  for (const name of to) if (!list.includes(name)) list.push(name);
  edges[from] = list;
}
