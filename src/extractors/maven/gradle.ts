import { pushAll } from '../../core/arrays.js';
import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ExtractError, SourceFile } from '../../model/source.js';
import { quoted } from '../quote.js';
import type { ExtractContext, Extractor, ExtractResult } from '../types.js';
import { mavenVersionTarget, parseCoordinate } from './coordinates.js';
import {
  accessorKey,
  type CatalogLibrary,
  readVersionCatalog,
  type VersionCatalog,
} from './version-catalog.js';

const ID = 'maven/gradle';
/** Where a build file's version catalog may be: beside it, or in the folders of the root project above. */
const CATALOG_PATHS = [
  'gradle/libs.versions.toml',
  '../gradle/libs.versions.toml',
  '../../gradle/libs.versions.toml',
];
const PROPERTIES_PATHS = ['gradle.properties', '../gradle.properties', '../../gradle.properties'];
const MAX_TEMPLATE_DEPTH = 10;
const MAX_BLOCK_DEPTH = 100;
const NESTED_TOO_DEEPLY = 'blocks nested too deeply to read';
/** Calls whose arguments are the dependency (a BOM, a test-fixtures variant, a variant of a catalog entry). */
const WRAPPERS = new Set(['platform', 'enforcedPlatform', 'testFixtures', 'variantOf']);
/** Leading parts of a variable's path that name where it is stored, not the variable. */
const STORAGE_PREFIXES = new Set(['rootProject', 'project', 'ext', 'extra', 'properties']);

type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'newline';

interface Token {
  kind: TokenKind;
  /** The token as written; for strings, the content between the quotes. */
  text: string;
  /** A double-quoted string: `$name` and `${expression}` are templates in it. */
  template: boolean;
  line: number;
  column: number;
}

/**
 * build.gradle and build.gradle.kts, read with a small lexer for the parts both DSLs share (strings with
 * their templates, comments, identifiers, brackets) and a statement reader for `dependencies { }` blocks.
 *
 * Why not a grammar: tree-sitter-groovy 0.1.2 splits `implementation platform('g:a:v')` into two statements
 * and leaves `implementation libs.x.y` as an ERROR, two of the most common forms; no Kotlin grammar is
 * installed. The reader understands, in both DSLs and wherever a `dependencies { }` block stands
 * (`subprojects { }`, `buildscript { }`, Kotlin multiplatform source sets):
 * - `conf 'g:a:v'`, `conf("g:a:v")`, `conf 'g:a:v', 'g:b:v'`, `"conf"("g:a:v")`, `add("conf", "g:a:v")`;
 * - `conf group: 'g', name: 'a', version: 'v'` and Kotlin's `conf(group = "g", name = "a", version = "v")`;
 * - `platform(…)`, `enforcedPlatform(…)`, `testFixtures(…)` around any of these, and `kotlin("x")`;
 * - `libs.x.y` and `libs.bundles.z` when gradle/libs.versions.toml is in the tree;
 * - `$name` and `${name}` templates from `ext { }`, `ext.name =`, `def`/`val`/`var` variables, `extra["…"]`,
 *   Groovy maps (`ext.versions = [spring: '…']` → `${versions.spring}`) and gradle.properties;
 * - `constraints { }` entries as version facts (group `managed`).
 * Configurations give groups: `test…`/`…Test…` → `test`; `compileOnly` → `provided`; annotation processors
 * (`annotationProcessor`, `kapt`, `ksp`) and `buildscript` `classpath` → `build`; `developmentOnly` → `dev`.
 * Plugins (`plugins { id … version … }`) are build tooling and are left out, as Maven build plugins are.
 */
export const gradleBuild: Extractor = {
  id: ID,
  ecosystem: 'Maven',
  kind: 'manifest',
  matches: (path) => {
    const name = basename(path);
    return name === 'build.gradle' || name === 'build.gradle.kts';
  },
  extract(file, ctx) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const lexed = tokenize(file.text);
    pushAll(result.errors, lexed.errors);
    const brackets = matchBrackets(lexed.tokens);
    pushAll(result.errors, brackets.errors);
    const reader = new GradleReader(file, lexed.tokens, brackets, ctx, result);
    reader.read();
    result.facts.push({ kind: 'manifest', ecosystem: 'Maven' });
    return result;
  },
};

function tokenize(text: string): { tokens: Token[]; errors: ExtractError[] } {
  const tokens: Token[] = [];
  const errors: ExtractError[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const push = (kind: TokenKind, start: number, tokenText: string, template = false) =>
    tokens.push({ kind, text: tokenText, template, line, column: start - lineStart + 1 });
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      if (tokens.at(-1)?.kind !== 'newline') push('newline', i, '\n');
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      if (end === -1)
        errors.push({ line, column: i - lineStart + 1, message: 'a /* comment is never closed' });
      for (let j = i; j < stop; j++) {
        if (text[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i;
      const startLine = line;
      const startColumn = i - lineStart + 1;
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      i += quote.length;
      let content = '';
      let closed = false;
      let braces = 0;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '\\' && i + 1 < text.length) {
          content += text[i + 1];
          i += 2;
          continue;
        }
        if (c === '"' && d === '$' && text[i + 1] === '{') braces++;
        else if (braces > 0 && d === '}') braces--;
        if (braces === 0 && text.startsWith(quote, i)) {
          closed = true;
          i += quote.length;
          break;
        }
        if (d === '\n') {
          if (!triple && braces === 0) break;
          line++;
          lineStart = i + 1;
        }
        content += d;
        i++;
      }
      if (!closed)
        errors.push({
          line: startLine,
          column: startColumn,
          message: `a string opened with ${quote} is never closed`,
        });
      tokens.push({
        kind: 'string',
        text: content,
        template: c === '"',
        line: startLine,
        column: startColumn,
      });
      if (start === i) i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const start = i;
      while (i < text.length && /[\w.]/.test(text[i]!)) i++;
      push('number', start, text.slice(start, i));
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < text.length && /[\w$]/.test(text[i]!)) i++;
      push('ident', start, text.slice(start, i));
      continue;
    }
    push('punct', i, c);
    i++;
  }
  return { tokens, errors };
}

const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS = new Set([')', ']', '}']);

/** The index of the closing bracket of each opening one; unbalanced brackets are errors. */
function matchBrackets(tokens: Token[]): {
  match: Map<number, number>;
  opener: Map<number, number>;
  errors: ExtractError[];
} {
  const match = new Map<number, number>();
  const opener = new Map<number, number>();
  const errors: ExtractError[] = [];
  const stack: number[] = [];
  for (const [i, token] of tokens.entries()) {
    if (token.kind !== 'punct') continue;
    if (OPENERS[token.text]) {
      stack.push(i);
      continue;
    }
    if (!CLOSERS.has(token.text)) continue;
    const open = stack.at(-1);
    if (open !== undefined && OPENERS[tokens[open]!.text] === token.text) {
      match.set(open, i);
      opener.set(i, open);
      stack.pop();
    } else if (errors.length === 0) {
      errors.push({ line: token.line, column: token.column, message: `unexpected ${quoted(token.text)}` });
    }
  }
  if (stack.length > 0 && errors.length === 0) {
    const first = tokens[stack[0]!]!;
    errors.push({
      line: first.line,
      column: first.column,
      message: `the ${quoted(first.text)} on line ${first.line} is never closed`,
    });
  }
  // An unclosed bracket extends to the end of the file.
  for (const open of stack) match.set(open, tokens.length);
  return { match, opener, errors };
}

/** Where a statement of a `dependencies` block stands. */
interface DependencyScope {
  buildscript: boolean;
  /** Inside `constraints { }`: versions for dependencies declared elsewhere. */
  constraints: boolean;
}

class GradleReader {
  private readonly variables = new Map<string, Token>();
  private readonly properties = new Map<string, string>();
  private catalog: VersionCatalog | undefined;
  private catalogFile: SourceFile | undefined;
  private catalogRead = false;

  constructor(
    private readonly file: SourceFile,
    private readonly tokens: Token[],
    private readonly brackets: { match: Map<number, number>; opener: Map<number, number> },
    private readonly ctx: ExtractContext,
    private readonly result: ExtractResult,
  ) {}

  read(): void {
    this.collectVariables();
    for (const path of PROPERTIES_PATHS) {
      const found = this.ctx.readRelative(this.file, path);
      if ('error' in found) continue;
      for (const [key, value] of readProperties(found.text))
        if (!this.properties.has(key)) this.properties.set(key, value);
    }
    this.block(0, this.tokens.length, { inDependencies: false, buildscript: false }, 0);
  }

  /** The statements in [start, end): a `dependencies` block's are declarations; any other block is searched. */
  private block(
    start: number,
    end: number,
    where: { inDependencies: boolean; buildscript: boolean },
    depth: number,
  ): void {
    if (this.tooDeep(start, depth)) return;
    for (const [from, to] of this.statements(start, end)) {
      const blocks = this.topLevelBlocks(from, to);
      const first = blocks[0];
      const head = first === undefined ? undefined : this.blockName(from, first);
      if (where.inDependencies) {
        if (head === 'constraints' && first !== undefined) {
          this.dependencyBlock(
            first + 1,
            this.closer(first),
            { buildscript: where.buildscript, constraints: true },
            depth + 1,
          );
          continue;
        }
        const declared = this.dependencyStatement(from, first ?? to, {
          buildscript: where.buildscript,
          constraints: false,
        });
        // A closure after a declaration configures it (`exclude group: …`); any other block may hold more
        // declarations (`if (…) { … }`).
        if (declared) continue;
      }
      for (const open of blocks) {
        const name = this.blockName(from, open);
        this.block(
          open + 1,
          this.closer(open),
          {
            // `if (…) { implementation … }` inside a dependencies block still declares.
            inDependencies: name === 'dependencies' || where.inDependencies,
            buildscript: where.buildscript || name === 'buildscript',
          },
          depth + 1,
        );
      }
    }
  }

  private dependencyBlock(start: number, end: number, scope: DependencyScope, depth: number): void {
    if (this.tooDeep(start, depth)) return;
    for (const [from, to] of this.statements(start, end)) {
      const blocks = this.topLevelBlocks(from, to);
      const declared = this.dependencyStatement(from, blocks[0] ?? to, scope);
      if (declared) continue;
      for (const open of blocks) this.dependencyBlock(open + 1, this.closer(open), scope, depth + 1);
    }
  }

  /**
   * One statement of a dependencies block, up to its closure: `conf args`, `conf(args)`, `"conf"(args)` or
   * `add("conf", args)`. True when it declared something.
   */
  private dependencyStatement(from: number, to: number, scope: DependencyScope): boolean {
    const head = this.tokens[from];
    if (!head || (head.kind !== 'ident' && head.kind !== 'string')) return false;
    const next = this.tokens[from + 1];
    let configuration = head.text;
    let args: [number, number];
    if (next?.kind === 'punct' && next.text === '(') {
      args = [from + 2, Math.min(this.closer(from + 1), to)];
    } else if (
      head.kind === 'ident' &&
      (next === undefined || next.kind === 'string' || next.kind === 'ident')
    ) {
      args = [from + 1, to];
    } else {
      return false;
    }
    let list = this.splitArguments(args[0], args[1]);
    if (configuration === 'add' && head.kind === 'ident') {
      const named = list[0];
      const configToken = named && named[1] - named[0] === 1 ? this.tokens[named[0]] : undefined;
      if (configToken?.kind !== 'string') return false;
      configuration = configToken.text;
      list = list.slice(1);
    }
    const groups = scope.constraints ? ['managed'] : configurationGroups(configuration, scope.buildscript);
    const before = this.result.refs.length;
    this.dependencyArguments(list, groups);
    return this.result.refs.length > before;
  }

  /** Arguments of a declaration: notations, a group/name/version map, wrapped or catalog forms. */
  private dependencyArguments(list: [number, number][], groups: string[]): void {
    const named = new Map<string, Token>();
    for (const [start, end] of list) {
      const first = this.tokens[start];
      const second = this.tokens[start + 1];
      if (!first) continue;
      if (
        first.kind === 'ident' &&
        second?.kind === 'punct' &&
        (second.text === ':' || second.text === '=') &&
        end - start === 3
      ) {
        const value = this.tokens[start + 2]!;
        const literal = value.kind === 'ident' ? this.lookup(value.text) : value;
        if (literal?.kind === 'string') named.set(first.text, literal);
        continue;
      }
      if (first.kind === 'string' && end - start === 1) {
        this.notation(first, groups);
        continue;
      }
      if (first.kind !== 'ident') continue;
      if (second?.kind === 'punct' && second.text === '(') {
        const inner = this.splitArguments(start + 2, this.closer(start + 1));
        if (WRAPPERS.has(first.text)) this.dependencyArguments(inner, groups);
        else if (first.text === 'kotlin') this.kotlinModule(inner, groups);
        // Anything else (project(…), files(…), fileTree(…)) is not a registry artifact.
        continue;
      }
      this.accessor(start, end, groups);
    }
    const group = named.get('group');
    const name = named.get('name');
    if (group && name) {
      const version = named.get('version');
      const coordinate = `${this.resolve(group)}:${this.resolve(name)}${version ? `:${this.resolve(version)}` : ''}`;
      this.push(coordinate, group, groups);
    }
  }

  /** `'g:a:v'`; a string that is not a notation (a path, a task name) is not a dependency. */
  private notation(token: Token, groups: string[]): void {
    this.push(this.resolve(token), token, groups);
  }

  private push(text: string, at: Token, groups: string[]): void {
    const coordinate = parseCoordinate(text);
    if (!coordinate) return;
    const ref: PackageRef = {
      ecosystem: 'Maven',
      name: `${coordinate.group}:${coordinate.artifact}`,
      source: 'declared',
      extractor: ID,
      location: { file: this.file.path, line: at.line, column: at.column },
      origin: 'registry',
      ...(coordinate.version === undefined ? {} : mavenVersionTarget(coordinate.version)),
    };
    if (groups.length > 0) ref.groups = groups;
    this.result.refs.push(ref);
  }

  /** `kotlin("stdlib")` is `org.jetbrains.kotlin:kotlin-stdlib`, at the version given or the plugin's. */
  private kotlinModule(list: [number, number][], groups: string[]): void {
    const [moduleArg, versionArg] = list.map(([start, end]) =>
      end - start === 1 && this.tokens[start]?.kind === 'string' ? this.tokens[start] : undefined,
    );
    if (!moduleArg) return;
    const version = versionArg ? `:${this.resolve(versionArg)}` : '';
    this.push(`org.jetbrains.kotlin:kotlin-${this.resolve(moduleArg)}${version}`, moduleArg, groups);
  }

  /** `libs.x.y`, `libs.bundles.z` (a trailing `.get()` is the Kotlin provider call), or a variable holding a notation. */
  private accessor(start: number, end: number, groups: string[]): void {
    const parts: string[] = [];
    for (let i = start; i < end; i += 2) {
      const token = this.tokens[i];
      if (token?.kind !== 'ident') return;
      if (token.text === 'get' && this.tokens[i + 1]?.text === '(') break;
      parts.push(token.text);
      const dot = this.tokens[i + 1];
      if (i + 1 < end && (dot?.kind !== 'punct' || dot.text !== '.')) return;
    }
    const at = this.tokens[start]!;
    if (parts[0] === 'libs' && parts.length > 1) {
      const catalog = this.versionCatalog();
      if (!catalog) return;
      if (parts[1] === 'versions' || parts[1] === 'plugins') return;
      const libraries: CatalogLibrary[] =
        parts[1] === 'bundles'
          ? (catalog.bundles.get(accessorKey(parts.slice(2).join('.'))) ?? [])
          : [catalog.libraries.get(accessorKey(parts.slice(1).join('.')))].filter(
              (library): library is CatalogLibrary => library !== undefined,
            );
      if (libraries.length === 0) {
        this.result.errors.push({
          line: at.line,
          column: at.column,
          message: `${quoted(parts.join('.'))} is not in ${this.catalogFile?.path ?? 'the version catalog'}`,
        });
        return;
      }
      for (const library of libraries) {
        const ref: PackageRef = {
          ecosystem: 'Maven',
          name: library.name,
          ...library.target,
          source: 'declared',
          extractor: ID,
          location: { file: this.file.path, line: at.line, column: at.column },
          origin: 'registry',
        };
        if (groups.length > 0) ref.groups = groups;
        this.result.refs.push(ref);
      }
      return;
    }
    const variable = this.lookup(parts.join('.'));
    if (variable) this.push(this.resolve(variable), at, groups);
  }

  private versionCatalog(): VersionCatalog | undefined {
    if (!this.catalogRead) {
      this.catalogRead = true;
      for (const path of CATALOG_PATHS) {
        const found = this.ctx.readRelative(this.file, path);
        if ('error' in found) continue;
        this.catalogFile = found;
        // The catalog's own errors are reported when it is scanned itself.
        this.catalog = readVersionCatalog(found.text);
        break;
      }
    }
    return this.catalog;
  }

  /** A string's value with its templates replaced by the variables they name; unknown ones stay as written. */
  private resolve(token: Token, depth = 0): string {
    if (!token.template || depth > MAX_TEMPLATE_DEPTH) return token.text;
    return token.text.replace(
      /\$\{([^}]*)\}|\$([A-Za-z_][\w.]*)/g,
      (whole, braced?: string, bare?: string) => {
        if (braced !== undefined) return this.value(braced.trim(), depth) ?? whole;
        // `$a.b` is a property path in Groovy but `$a` followed by text in Kotlin: the longest known prefix wins.
        const parts = (bare ?? '').split('.');
        for (let n = parts.length; n > 0; n--) {
          const found = this.value(parts.slice(0, n).join('.'), depth);
          if (found !== undefined) return [found, ...parts.slice(n)].join('.');
        }
        return whole;
      },
    );
  }

  private value(path: string, depth: number): string | undefined {
    const found = this.lookup(path);
    if (found) return this.resolve(found, depth + 1);
    return this.properties.get(stripStorage(path)) ?? this.properties.get(path);
  }

  private lookup(path: string): Token | undefined {
    return this.variables.get(path) ?? this.variables.get(stripStorage(path));
  }

  /**
   * Variables anywhere in the file, in statement position: `name = '…'` (inside `ext { }` and elsewhere),
   * `def`/`val`/`var name = '…'`, `ext.name = '…'`, `ext['name'] = '…'`, `extra["name"] = "…"`,
   * `set("name", "…")`, `val name by extra("…")`, and map literals `name = [key: '…']`.
   */
  private collectVariables(): void {
    const tokens = this.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const previous = tokens[i - 1];
      const atStatement =
        previous === undefined ||
        previous.kind === 'newline' ||
        (previous.kind === 'punct' && (previous.text === '{' || previous.text === ';'));
      if (!atStatement) continue;
      let j = i;
      if (tokens[j]?.kind === 'ident' && ['def', 'val', 'var', 'String'].includes(tokens[j]!.text)) j++;
      const path: string[] = [];
      for (;;) {
        const token = tokens[j];
        if (token?.kind === 'ident') {
          path.push(token.text);
          j++;
        } else if (token?.kind === 'punct' && token.text === '[' && tokens[j + 1]?.kind === 'string') {
          // ext['name'], extra["name"]
          path.push(tokens[j + 1]!.text);
          j += 3;
        } else break;
        if (tokens[j]?.kind === 'punct' && tokens[j]!.text === '.') j++;
        else if (!(tokens[j]?.kind === 'punct' && tokens[j]!.text === '[')) break;
      }
      if (path.length === 0) continue;
      // `val name: String = "…"`
      if (tokens[j]?.text === ':' && tokens[j + 1]?.kind === 'ident') j += 2;
      const operator = tokens[j];
      const value = tokens[j + 1];
      const name = stripStorage(path.join('.'));
      if (operator?.text === '=' && value?.kind === 'string') {
        this.variables.set(name, value);
      } else if (operator?.text === '=' && value?.text === '[') {
        this.mapVariables(name, j + 1);
      } else if (operator?.text === 'by' && value?.text === 'extra' && tokens[j + 2]?.text === '(') {
        const literal = tokens[j + 3];
        if (literal?.kind === 'string') this.variables.set(name, literal);
      } else if (path.at(-1) === 'set' && operator?.text === '(') {
        const key = tokens[j + 1];
        const literal = tokens[j + 3];
        if (key?.kind === 'string' && tokens[j + 2]?.text === ',' && literal?.kind === 'string')
          this.variables.set(key.text, literal);
      }
    }
  }

  /** `[spring: '5.3.0', 'jackson': '2.15.0']` → `name.spring`, `name.jackson`. */
  private mapVariables(name: string, open: number): void {
    const close = this.closer(open);
    for (const [start, end] of this.splitArguments(open + 1, close)) {
      const key = this.tokens[start];
      const value = this.tokens[start + 2];
      if (end - start === 3 && key && this.tokens[start + 1]?.text === ':' && value?.kind === 'string')
        this.variables.set(`${name}.${key.text}`, value);
    }
  }

  /** Blocks nested deeper than anyone writes are not read (and the stack stays safe); said once. */
  private tooDeep(start: number, depth: number): boolean {
    if (depth <= MAX_BLOCK_DEPTH) return false;
    if (!this.result.errors.some((error) => error.message === NESTED_TOO_DEEPLY)) {
      const token = this.tokens[start - 1] ?? this.tokens[0];
      this.result.errors.push({ line: token?.line ?? 1, message: NESTED_TOO_DEEPLY });
    }
    return true;
  }

  private closer(open: number): number {
    return this.brackets.match.get(open) ?? this.tokens.length;
  }

  /**
   * Statements in [start, end): split at newlines and `;` outside brackets. A line that ends in `,` or `.`,
   * or a next line that starts with `.`, continues the statement.
   */
  private statements(start: number, end: number): [number, number][] {
    const out: [number, number][] = [];
    let from = start;
    let i = start;
    while (i < end) {
      const token = this.tokens[i]!;
      if (token.kind === 'punct' && OPENERS[token.text]) {
        i = Math.min(this.closer(i), end - 1) + 1;
        continue;
      }
      const separator = token.kind === 'newline' || (token.kind === 'punct' && token.text === ';');
      if (separator) {
        const before = this.tokens[i - 1];
        const after = this.tokens[i + 1];
        const continues =
          token.kind === 'newline' &&
          ((before?.kind === 'punct' && (before.text === ',' || before.text === '.')) ||
            (after?.kind === 'punct' && after.text === '.'));
        if (!continues) {
          if (i > from) out.push([from, i]);
          from = i + 1;
        }
      }
      i++;
    }
    if (end > from) out.push([from, end]);
    return out;
  }

  /** Indices of the `{` that open blocks at the statement's own level. */
  private topLevelBlocks(from: number, to: number): number[] {
    const out: number[] = [];
    for (let i = from; i < to; i++) {
      const token = this.tokens[i]!;
      if (token.kind !== 'punct' || !OPENERS[token.text]) continue;
      if (token.text === '{') out.push(i);
      i = this.closer(i);
    }
    return out;
  }

  /** The name a block is opened with: `dependencies {`, `x.dependencies {`, `configure(…) {` → `configure`. */
  private blockName(from: number, open: number): string | undefined {
    let i = open - 1;
    const group = this.tokens[i]?.text === ')' ? this.brackets.opener.get(i) : undefined;
    if (group !== undefined) i = group - 1;
    const token = this.tokens[i];
    return i >= from && token?.kind === 'ident' ? token.text : undefined;
  }

  /** Top-level comma-separated parts of [start, end), newlines dropped. */
  private splitArguments(start: number, end: number): [number, number][] {
    const out: [number, number][] = [];
    let from = start;
    const flush = (to: number) => {
      let a = from;
      let b = to;
      while (a < b && this.tokens[a]!.kind === 'newline') a++;
      while (b > a && this.tokens[b - 1]!.kind === 'newline') b--;
      if (b > a) out.push([a, b]);
    };
    for (let i = start; i < end; i++) {
      const token = this.tokens[i]!;
      if (token.kind === 'punct' && OPENERS[token.text]) {
        i = this.closer(i);
        continue;
      }
      if (token.kind === 'punct' && token.text === ',') {
        flush(i);
        from = i + 1;
      }
    }
    flush(end);
    return out;
  }
}

function stripStorage(path: string): string {
  const parts = path.split('.');
  while (parts.length > 1 && STORAGE_PREFIXES.has(parts[0]!)) parts.shift();
  return parts.join('.');
}

/** Groups by configuration name (see `gradleBuild`). */
function configurationGroups(configuration: string, buildscript: boolean): string[] {
  if (buildscript || configuration === 'classpath') return ['build'];
  const lower = configuration.toLowerCase();
  if (lower.includes('test')) return ['test'];
  if (/^(?:annotationprocessor|kapt|ksp)/.test(lower) || lower.endsWith('annotationprocessor'))
    return ['build'];
  if (lower === 'compileonly' || lower === 'compileonlyapi' || lower.startsWith('provided'))
    return ['provided'];
  if (lower === 'developmentonly') return ['dev'];
  return [];
}

/**
 * gradle.properties entries (`key=value`, `key: value`, `key value`; `#` and `!` comments; a trailing `\`
 * continues the value). No .properties parser is installed and the format is this line syntax.
 */
function readProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trimStart();
    const separator = /\s*[=:]\s*|\s+/.exec(line);
    if (!separator) continue;
    out.set(line.slice(0, separator.index), line.slice(separator.index + separator[0].length).trim());
  }
  return out;
}
