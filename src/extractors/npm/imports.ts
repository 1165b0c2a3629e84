import { builtinModules } from 'node:module';
import type { ParserOptions, Visitor } from 'oxc-parser';
import { lazy } from '../../core/lazy.js';
import { LineIndex } from '../../model/location.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { Extractor, ExtractResult } from '../types.js';
import { packageNameOfSpecifier } from './spec.js';

const ID = 'npm/imports';
const SOURCE_EXTENSION = /\.(?:[mc]?[jt]sx?)$/;
const BUILTINS = new Set(builtinModules);
const oxc = lazy<typeof import('oxc-parser')>('oxc-parser');

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
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const lines = new LineIndex(file.text);
    const options = parserOptions(file.path);
    const uses: Use[] = [];

    // `require("x")` calls are found by the parser itself at the cost of one parse: each candidate call is
    // rewritten in place to the dynamic import `import ("x")` (same length, same lines), so the module record
    // lists the real calls and a candidate inside a string, comment or regex stays inert. Walking the full
    // AST instead costs several times the parse; it remains the fallback when the rewrite breaks the syntax
    // (`function require(x)`, TypeScript `import x = require("y")`).
    const masked = maskRequireCalls(file.text);
    const { parseSync } = oxc();
    let parsed = parseSync(file.path, masked?.text ?? file.text, options);
    let walkForRequires = false;
    if (masked && parsed.errors.length > 0) {
      parsed = parseSync(file.path, file.text, options);
      walkForRequires = parsed.errors.length === 0;
    }
    for (const error of parsed.errors) {
      const label = error.labels[0];
      const pos = label ? lines.position(label.start) : undefined;
      result.errors.push({ line: pos?.line, column: pos?.column, message: `syntax error: ${error.message}` });
    }
    const mod = parsed.module;
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
      const literal = stringLiteralAt(file.text, dyn.moduleRequest.start, dyn.moduleRequest.end);
      if (literal !== undefined)
        uses.push({ specifier: literal, offset: dyn.moduleRequest.start, typeOnly: false });
    }
    if (walkForRequires) collectRequires(parsed.program, uses);

    // A declaration file is read by the type checker only: everything it imports is needed for types alone.
    const declarationFile = options.lang === 'dts';
    for (const use of uses) {
      const ref = refOf(declarationFile ? { ...use, typeOnly: true } : use, file.path, lines);
      if (ref) result.refs.push(ref);
    }
    return result;
  },
};

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

function collectRequires(program: Parameters<Visitor['visit']>[0], uses: Use[]): void {
  new (oxc().Visitor)({
    CallExpression(node) {
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
      const value = literalValue(arg);
      if (value !== undefined) uses.push({ specifier: value, offset: arg.start, typeOnly: false });
    },
    TSImportEqualsDeclaration(node) {
      const reference = node.moduleReference;
      if (reference.type !== 'TSExternalModuleReference') return;
      const value = literalValue(reference.expression);
      if (value !== undefined) {
        uses.push({
          specifier: value,
          offset: reference.expression.start,
          typeOnly: node.importKind === 'type',
        });
      }
    },
  }).visit(program);
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
  const specifier = use.specifier.split('?')[0] ?? '';
  if (isNodeBuiltin(specifier)) return undefined;
  const name = packageNameOfSpecifier(specifier);
  if (!name) return undefined;
  const { line, column } = lines.position(use.offset);
  const ref: PackageRef = {
    ecosystem: 'npm',
    name,
    source: 'imported',
    extractor: ID,
    location: { file, line, column },
    importName: use.specifier,
  };
  if (use.typeOnly) ref.typeOnly = true;
  return ref;
}
