import { builtinModules } from 'node:module';
import type { ParserOptions, Visitor } from 'oxc-parser';
import { pushAll } from '../../core/arrays.js';
import { lazy } from '../../core/lazy.js';
import { typesPackage } from '../../model/ecosystem.js';
import { LineIndex } from '../../model/location.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { SourceFile } from '../../model/source.js';
import { jsNestingExceeds, nestingError } from '../nesting.js';
import { isRefusal, OxcGuard, type OxcParsed, type OxcRefusal, oxcRefusal } from '../oxc-budget.js';
import type { Extractor, ExtractResult } from '../types.js';
import { packageNameOfSpecifier } from './spec.js';

const ID = 'npm/imports';
const SOURCE_EXTENSION = /\.(?:[mc]?[jt]sx?)$/;
const BUILTINS = new Set(builtinModules);
const oxc = lazy<typeof import('oxc-parser')>('oxc-parser');
const esLexer = lazy<typeof import('es-module-lexer')>('es-module-lexer');

/** Node's own modules: `fs`, `node:fs`, `fs/promises`, and `node:`-only ones such as `node:test`. */
function isNodeBuiltin(specifier: string): boolean {
  if (specifier.startsWith('node:')) return true;
  return BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0] ?? '');
}

function parserOptions(path: string): ParserOptions {
  if (path.endsWith('.d.ts') || path.endsWith('.d.mts') || path.endsWith('.d.cts')) return { lang: 'dts' };
  if (/\.[mc]?ts$/.test(path)) return { lang: 'ts' };
  if (path.endsWith('.tsx')) return { lang: 'tsx' };
  // Plain .js files carry JSX often enough (React) that the JSX grammar is the safer reading.
  return { lang: 'jsx' };
}

interface Use {
  specifier: string;
  offset: number;
  typeOnly: boolean;
  /** Named by `/// <reference types>` or tsconfig `types`: the package or its DefinitelyTyped types. */
  types?: boolean;
}

/**
 * Imports of JavaScript and TypeScript sources, parsed with oxc: static imports and re-exports (from the
 * module record, no AST needed), dynamic `import("literal")`, `require("literal")`, `require.resolve`, and
 * TypeScript `import x = require("literal")` (these three need the AST, so only files that mention them pay).
 */
export const jsImports: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'source',
  matches: (path) => SOURCE_EXTENSION.test(path),
  extract: (file) => extractJsImports(file),
};

/**
 * The refs and facts of one JavaScript/TypeScript file. Configuration files (`vite.config.ts`) are read by
 * their own extractor, which adds what it reads from the AST to these.
 */
export function extractJsImports(file: SourceFile, nestingChecked = false): ExtractResult {
  const result: ExtractResult = { refs: [], errors: [], facts: [] };
  // oxc recurses on the native stack: a file nested deep enough would kill the process, not throw. A
  // caller that reads the file again checks once for both (`nestingChecked`).
  const tooDeep = nestingChecked ? undefined : jsNestingExceeds(file.text);
  if (tooDeep !== undefined) {
    result.errors.push(nestingError(tooDeep));
    return result;
  }
  const lines = new LineIndex(file.text);
  const options = parserOptions(file.path);
  const uses: Use[] = [];
  const masked = maskRequireCalls(file.text);

  // Text oxc would take minutes over (see oxc-budget.ts): its import statements (and masked requires) are
  // read by the lexer alone. A minified file the lexer reads whole is no error; the others are one.
  const lexerOnly = (refusal: OxcRefusal): ExtractResult => {
    const lexed = lexImports(masked?.text ?? file.text);
    if (lexed) pushAll(uses, lexed);
    if (!lexed || refusal.reason !== 'long-line')
      result.errors.push({ line: refusal.line, message: refusal.message });
    addReferenceTypes(file.text, uses);
    return withRefs(result, uses, file.path, options, lines);
  };
  const refusal = oxcRefusal(file.text, options.lang);
  if (refusal) return lexerOnly(refusal);

  // `require("x")` calls are found by the parser itself at the cost of one parse: each candidate call is
  // rewritten in place to the dynamic import `import ("x")` (same length, same lines), so the module record
  // lists the real calls and a candidate inside a string, comment or regex stays inert. Walking the full
  // AST instead costs several times the parse; it remains the fallback when the rewrite breaks the syntax
  // (`function require(x)`, TypeScript `import x = require("y")`).
  const guard = new OxcGuard(file.text);
  let parsed = guard.parse(file.path, masked?.text ?? file.text, options);
  if (isRefusal(parsed)) return lexerOnly(parsed);
  let walkForRequires = false;
  if (masked && parsed.errors.length > 0) {
    parsed = guard.parse(file.path, file.text, options);
    if (isRefusal(parsed)) return lexerOnly(parsed);
    walkForRequires = parsed.errors.length === 0;
  }
  const mod = parsed.module;
  pushAll(uses, recordUses(mod, file.text));

  if (parsed.errors.length > 0) {
    // oxc stops at the first error: a lexer reads the import statements (and the masked requires) of the
    // whole file, Flow's `import type` / `import typeof` included.
    // Blanking the broken lines one round at a time mends a few errors, not hundreds.
    const lexed =
      lexImports(masked?.text ?? file.text) ??
      (parsed.errors.length <= MAX_REPAIRABLE_ERRORS
        ? reparseAroundErrors(file, masked?.text ?? file.text, parsed, guard)
        : undefined);
    if (lexed) {
      const seen = new Set(uses.map((use) => use.offset));
      for (const use of lexed) if (!seen.has(use.offset)) uses.push(use);
    }
    // A Flow file is not broken: TypeScript's grammar cannot read its annotations, the lexer read its imports.
    if (!(lexed && isFlow(file.text))) {
      for (const error of parsed.errors) {
        const label = error.labels[0];
        const pos = label ? lines.position(label.start) : undefined;
        result.errors.push({
          line: pos?.line,
          column: pos?.column,
          message: `syntax error: ${error.message}`,
        });
      }
    }
  }
  const walkTypes = parsed.errors.length === 0 && options.lang !== 'jsx' && needsTypeWalk(file.text);
  if (walkForRequires || walkTypes)
    collectFromAst(parsed.program, uses, { requires: walkForRequires, types: walkTypes });
  if (options.lang !== 'jsx' && !mod.hasModuleSyntax) {
    const ambient = ambientModules(parsed.program);
    if (ambient.length > 0)
      result.facts.push({ kind: 'ambient-modules', ecosystem: 'npm', patterns: ambient });
  }
  addReferenceTypes(file.text, uses);
  return withRefs(result, uses, file.path, options, lines);
}

function addReferenceTypes(text: string, uses: Use[]): void {
  for (const match of text.matchAll(REFERENCE_TYPES)) {
    const specifier = match[1] ?? '';
    uses.push({
      specifier,
      offset: (match.index ?? 0) + match[0].indexOf(specifier),
      typeOnly: true,
      types: true,
    });
  }
}

/** The result with a ref for each use that names a package. */
function withRefs(
  result: ExtractResult,
  uses: readonly Use[],
  path: string,
  options: ParserOptions,
  lines: LineIndex,
): ExtractResult {
  // A declaration file is read by the type checker only: everything it imports is needed for types alone.
  const declarationFile = options.lang === 'dts';
  const placed = new Set<number>();
  for (const use of uses) {
    // A re-export of an imported binding points at the import's own specifier: one ref for both.
    if (placed.has(use.offset)) continue;
    placed.add(use.offset);
    const ref = refOf(declarationFile ? { ...use, typeOnly: true } : use, path, lines);
    if (ref) result.refs.push(ref);
  }
  return result;
}

/** Rounds of blanking a broken line and parsing again: a file broken in more places is read up to there. */
const MAX_REPAIRS = 8;
/** A file with more errors is not mended line by line: each round would pay for all of them again. */
const MAX_REPAIRABLE_ERRORS = 64;

/**
 * The imports of a file neither oxc nor the lexer could read whole: the line of each error is blanked (its
 * length and line breaks kept, so positions stay) and the file parsed again, until it parses or the rounds
 * run out. What the last parse's module record holds is what was recovered.
 */
function reparseAroundErrors(
  file: SourceFile,
  text: string,
  first: Parsed,
  guard: OxcGuard,
): Use[] | undefined {
  const options = parserOptions(file.path);
  let current = text;
  let parsed = first;
  for (let round = 0; round < MAX_REPAIRS && parsed.errors.length > 0; round++) {
    const at = parsed.errors[0]?.labels[0]?.start;
    if (at === undefined) return undefined;
    const start = current.lastIndexOf('\n', at - 1) + 1;
    const newline = current.indexOf('\n', at);
    const end = newline === -1 ? current.length : newline;
    current = current.slice(0, start) + ' '.repeat(end - start) + current.slice(end);
    const again = guard.parse(file.path, current, options);
    // Blanking a line can bring back errors the first parse never reached: past the deadline, no mending.
    if (isRefusal(again)) return undefined;
    parsed = again;
  }
  return recordUses(parsed.module, current);
}

type Parsed = OxcParsed;

/** The imports oxc's module record lists: static imports, re-exports, dynamic imports of a literal. */
function recordUses(mod: Parsed['module'], text: string): Use[] {
  const uses: Use[] = [];
  for (const imp of mod.staticImports) {
    const typeOnly = imp.entries.length > 0 && imp.entries.every((entry) => entry.isType);
    uses.push({ specifier: imp.moduleRequest.value, offset: imp.moduleRequest.start, typeOnly });
  }
  for (const exp of mod.staticExports) {
    const withSource = exp.entries.filter((entry) => entry.moduleRequest);
    const first = withSource[0]?.moduleRequest;
    if (!first) continue;
    uses.push({ specifier: first.value, offset: first.start, typeOnly: withSource.every((e) => e.isType) });
  }
  for (const dyn of mod.dynamicImports) {
    const literal = stringLiteralAt(text, dyn.moduleRequest.start, dyn.moduleRequest.end);
    if (
      literal !== undefined &&
      !RESOLVE_PATHS.test(text.slice(dyn.moduleRequest.end, dyn.moduleRequest.end + 80))
    )
      uses.push({ specifier: literal, offset: dyn.moduleRequest.start, typeOnly: false });
  }
  return uses;
}

/**
 * `require.resolve("x", { paths: [dir] })` (masked as a dynamic import, whose options never hold `paths`)
 * looks x up from other folders, usually those of the package that owns it (a pnpm-safe lookup of a
 * dependency's dependency): it is no import of the file's own package.
 */
const RESOLVE_PATHS = /^\s*,\s*\{\s*["']?paths["']?\s*:/;

/** `/// <reference types="node" />`: the types of a package, looked up as TypeScript does. */
const REFERENCE_TYPES = /^[ \t]*\/\/\/[ \t]*<reference\s+types\s*=\s*["']([^"']+)["']/gm;

/**
 * `// @flow` / `/* @flow *\/` in the leading comments, Flow-only import forms, or a Flow library definition
 * (`declare type`, `declare module`, `declare export` at the top of a .js file, as in flow-typed/).
 */
function isFlow(text: string): boolean {
  if (/^\s*declare\s+(?:type|opaque|module|export|class|function|var)\b/m.test(text)) return true;
  return (
    /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*?(?:\/\/|\/\*)\s*@(?:no)?flow\b/.test(text) ||
    /^\s*import\s+typeof\s/m.test(text)
  );
}

/** Whether the AST may hold imports the module record leaves out: `typeof import("x")`, imports inside `declare module`. */
function needsTypeWalk(text: string): boolean {
  return /\bimport\s*\(\s*["'`]/.test(text) || /\bdeclare\s+module\b/.test(text);
}

/**
 * Imports as es-module-lexer sees them, for a file oxc could not parse to its end; undefined when the lexer
 * cannot read it either. Masked requires are dynamic imports to it too.
 */
function lexImports(text: string): Use[] | undefined {
  const lexer = esLexer();
  try {
    lexer.initSync();
    const [imports] = lexer.parse(text);
    return imports.flatMap((imp) =>
      imp.n === undefined || imp.s < 0
        ? []
        : [
            {
              specifier: imp.n,
              offset: imp.s - (imp.d > -1 ? 1 : 0),
              typeOnly: /^import\s+type(?:of)?\s/.test(text.slice(imp.ss, imp.s)),
            },
          ],
    );
  } catch {
    return undefined;
  }
}

const REQUIRE_CALL = /\brequire(\s*\.\s*resolve)?(?=\s*\()/g;

/** The text with every `require(` / `require.resolve(` turned into `import (`, offsets and lines kept. */
function maskRequireCalls(text: string): { text: string } | undefined {
  if (!text.includes('require')) return undefined;
  let changed = false;
  const out = text.replace(REQUIRE_CALL, (match) => {
    changed = true;
    return `import${match.slice(6).replace(/[^\n]/g, ' ')}`;
  });
  return changed ? { text: out } : undefined;
}

type Program = Parameters<Visitor['visit']>[0];

/**
 * What only the AST shows: `require` calls when the masking broke the syntax, TypeScript's
 * `import x = require("y")`, and (`types`) type-only imports the module record leaves out: `typeof
 * import("x")` and the imports inside `declare module '*.vue' { import type { X } from 'vue' }`.
 */
function collectFromAst(program: Program, uses: Use[], walk: { requires: boolean; types: boolean }): void {
  const visitor: Record<string, (node: never) => void> = {};
  if (walk.requires) {
    visitor.CallExpression = (node: import('oxc-parser').CallExpression) => {
      const callee = node.callee;
      const isRequire =
        (callee.type === 'Identifier' && callee.name === 'require') ||
        (callee.type === 'MemberExpression' &&
          callee.object.type === 'Identifier' &&
          callee.object.name === 'require' &&
          callee.property.type === 'Identifier' &&
          callee.property.name === 'resolve');
      const arg = node.arguments[0];
      if (!isRequire || !arg) return;
      const options = node.arguments[1] as
        | { type: string; properties?: { key?: { name?: string; value?: unknown } }[] }
        | undefined;
      if (
        options?.type === 'ObjectExpression' &&
        options.properties?.some((p) => (p.key?.name ?? p.key?.value) === 'paths')
      )
        return;
      const value = literalValue(arg);
      if (value !== undefined) uses.push({ specifier: value, offset: arg.start, typeOnly: false });
    };
    visitor.TSImportEqualsDeclaration = (node: import('oxc-parser').TSImportEqualsDeclaration) => {
      const reference = node.moduleReference;
      if (reference.type !== 'TSExternalModuleReference') return;
      const value = literalValue(reference.expression);
      if (value !== undefined)
        uses.push({
          specifier: value,
          offset: reference.expression.start,
          typeOnly: node.importKind === 'type',
        });
    };
  }
  if (walk.types) {
    visitor.TSImportType = (node: import('oxc-parser').TSImportType) => {
      uses.push({ specifier: node.source.value, offset: node.source.start, typeOnly: true });
    };
    visitor.TSModuleDeclaration = (node: import('oxc-parser').TSModuleDeclaration) => {
      for (const statement of moduleBlockBody(node)) {
        if (statement.type !== 'ImportDeclaration') continue;
        const source = statement.source as { value: string; start: number };
        uses.push({ specifier: source.value, offset: source.start, typeOnly: true });
      }
    };
  }
  new (oxc().Visitor)(visitor as Visitor extends { new (v: infer V): unknown } ? V : never).visit(program);
}

function moduleBlockBody(node: { body?: unknown }): { type: string; source?: unknown }[] {
  const body = node.body as { type?: string; body?: unknown } | null | undefined;
  return body?.type === 'TSModuleBlock' && Array.isArray(body.body) ? (body.body as { type: string }[]) : [];
}

/**
 * `declare module 'virtual:thing'` and `declare module '*.vue'` at the top of a script (a file without
 * imports or exports): ambient declarations of modules the build provides. In a module file the same
 * statement augments an existing package, which is no declaration of a new one.
 */
function ambientModules(program: Program): string[] {
  const out: string[] = [];
  for (const statement of program.body as { type: string; id?: { type: string; value?: unknown } }[]) {
    if (statement.type !== 'TSModuleDeclaration') continue;
    if (statement.id?.type === 'Literal' && typeof statement.id.value === 'string')
      out.push(statement.id.value);
  }
  return out;
}

function literalValue(node: { type: string; start: number }): string | undefined {
  const n = node as {
    type: string;
    value?: unknown;
    expressions?: unknown[];
    quasis?: { value: { cooked: string } }[];
  };
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n.type === 'TemplateLiteral' && n.expressions?.length === 0) return n.quasis?.[0]?.value.cooked;
  return undefined;
}

/** The string a span holds when it is a plain string literal (or a template without substitutions). */
function stringLiteralAt(text: string, start: number, end: number): string | undefined {
  const raw = text.slice(start, end).trim();
  const quote = raw[0];
  if ((quote === '"' || quote === "'" || quote === '`') && raw.endsWith(quote) && raw.length >= 2) {
    const body = raw.slice(1, -1);
    if (quote === '`' && body.includes('${')) return undefined;
    if (!body.includes(quote) && !body.includes('\\')) return body;
  }
  return undefined;
}

function refOf(use: Use, file: string, lines: LineIndex): PackageRef | undefined {
  return importRef(use, file, lines.position(use.offset));
}

/** The ref of one import specifier at a position; undefined for builtins and what names no package. */
export function importRef(
  use: Omit<Use, 'offset'>,
  file: string,
  position: { line: number; column?: number },
): PackageRef | undefined {
  const specifier = use.specifier.split('?')[0] ?? '';
  if (isNodeBuiltin(specifier)) return undefined;
  const name = packageNameOfSpecifier(specifier);
  if (!name) return undefined;
  const { line, column } = position;
  // `types: ["node"]` means @types/node (or a package that ships its own types); `vite/client` is vite's.
  const typesOf = use.types === true && name === specifier && !name.startsWith('@types/');
  const ref: PackageRef = {
    ecosystem: 'npm',
    name: typesOf ? typesPackage(name) : name,
    source: 'imported',
    extractor: ID,
    location: column === undefined ? { file, line } : { file, line, column },
    importName: use.specifier,
  };
  if (use.typeOnly) ref.typeOnly = true;
  if (typesOf) ref.alternatives = [name];
  // npm has refused capitals in new names for a decade: `SERVER`, `siteConfig` look like the project's own
  // modules (a build placeholder, a haste module), so the name is a guess, and no registry is asked about it.
  if (/[A-Z]/.test(name)) ref.inferred = true;
  return ref;
}
