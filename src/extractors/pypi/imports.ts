import type { Node } from 'web-tree-sitter';
import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import { TreeSitterGrammar } from '../tree-sitter.js';
import { brokenRows, nodeStart, wellFormed } from '../tree-sitter-errors.js';
import type { Extractor, ExtractResult } from '../types.js';
import { asArray, asString, asTable, makeRef, parseToml } from './common.js';
import {
  alternativeDistributions,
  isPython2StdlibModule,
  isStdlibModule,
  type ResolvedImport,
  resolveImport,
} from './import-map.js';
import { parseRequirement, pypiTarget } from './requirement.js';

const ID = 'pypi/imports';
const SOURCE_EXTENSION = /\.pyi?$/;
/** Every import form contains this word: `import`, `__import__`, `import_module`, `importorskip`. */
const IMPORT_WORD = 'import';
/** Imports are handled where they stand; strings and comments cannot hold one. */
const NOT_DESCENDED = new Set([
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'string',
  'comment',
]);
/** Handlers after which the code copes without the module. */
const HANDLES_MISSING_MODULE = new Set(['ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException']);
const IMPORT_FUNCTIONS = new Set(['__import__', 'import_module', 'importorskip']);
const MODULE_NAME = /^[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*$/u;

const grammar = new TreeSitterGrammar('tree-sitter-python/tree-sitter-python.wasm', 'Python');

/** What the statements around an import say about it. */
interface Scope {
  /** Inside a `try:` body whose handlers cope with a missing module, or `with suppress(ImportError):`. */
  optional: boolean;
  /** Inside `if TYPE_CHECKING:`. */
  typeOnly: boolean;
  /** This node is such a `try`/`with`: its `body` is optional. */
  guardsBody: boolean;
  /** This node is `if TYPE_CHECKING:`: its `consequence` is type-only. */
  typeChecking: boolean;
  /** Inside a function body: an import there runs when the function does, after what the function wrote. */
  inFunction?: boolean;
  /** Inside the `except ImportError` handler that imports a replacement for the preferred module. */
  fallback?: boolean;
}

const MODULE_SCOPE: Scope = { optional: false, typeOnly: false, guardsBody: false, typeChecking: false };
/** A stub (`.pyi`) is read by type checkers only, so everything it imports is type-only. */
const STUB_SCOPE: Scope = { ...MODULE_SCOPE, typeOnly: true };

/** One module named by the source, before it becomes a ref. */
interface ModuleUse {
  module: string;
  at: Node;
  optional: boolean;
  typeOnly: boolean;
  inFunction?: boolean;
}

/** Modules only type checkers know (typeshed's private helpers): no distribution installs them. */
const CHECKER_ONLY = new Set(['_typeshed']);
/**
 * Modules type checkers ship themselves (typeshed's standard library has `typing_extensions`): a type-only
 * import of one (`if TYPE_CHECKING:`, a stub) needs no distribution; a runtime import still does.
 */
const CHECKER_PROVIDED = new Set(['typing_extensions']);
/**
 * What a `setup.py` imports to build: the build front end provides it (the project's `build-system`
 * requires, or pip's fallback for a project without one), not the project's runtime dependencies.
 */
const SETUP_SCRIPT_MODULES = new Set(['setuptools', 'distutils', 'pkg_resources']);
/**
 * IPython defines `get_ipython` in the namespace of the code it runs: a file that asks for it runs its
 * IPython imports only inside IPython, which is there by definition.
 */
const IPYTHON_HOST = /\bget_ipython\s*\(/;
/** PEP 723 inline script metadata: a `# /// script` block of `#` lines closed by `# ///`. */
const INLINE_METADATA = /^# \/\/\/ script[ \t]*\r?\n((?:#(?:| .*)\r?\n)+?)# \/\/\/[ \t]*$/m;

/**
 * Imports of Python sources, parsed with tree-sitter (error-tolerant, so a broken file still yields the
 * imports around the break): `import a.b`, `from a import b`, `importlib.import_module("a")`,
 * `__import__("a")` and `pytest.importorskip("a")`, wherever they stand. Relative imports, `__future__`
 * and the standard library are not packages and are left out.
 */
export const pythonImports: Extractor = {
  id: ID,
  ecosystem: 'PyPI',
  kind: 'source',
  matches: (path) => SOURCE_EXTENSION.test(path),
  init: () => grammar.load(),
  extract(file, ctx) {
    const setupScript = basename(file.path) === 'setup.py';
    const ipythonHost = IPYTHON_HOST.test(file.text);
    return grammar.read(file.text, (root, result) => {
      readInlineMetadata(file.path, file.text, result);
      const required = (use: ModuleUse): boolean => {
        const top = use.module.split('.')[0] ?? '';
        if (use.typeOnly && CHECKER_PROVIDED.has(top)) return false;
        if (setupScript && SETUP_SCRIPT_MODULES.has(top)) return false;
        return isPackageModule(use.module) && !writtenAtRunTime(use, file.text);
      };
      const hosted = (use: ModuleUse): ModuleUse =>
        ipythonHost && use.module.split('.')[0] === 'IPython' ? { ...use, optional: true } : use;
      const resolve = (module: string) => resolveImport(module, ctx.pythonImportMap);
      const refOf = (use: ModuleUse, resolved: ResolvedImport): PackageRef => {
        const ref: PackageRef = {
          ecosystem: 'PyPI',
          name: resolved.name,
          source: 'imported',
          extractor: ID,
          location: { file: file.path, ...nodeStart(use.at) },
          importName: use.module,
        };
        if (use.optional) ref.optional = true;
        if (use.typeOnly) ref.typeOnly = true;
        if (resolved.inferred) ref.inferred = true;
        const others = alternativeDistributions(resolved.name);
        if (others.length > 0) ref.alternatives = others;
        return ref;
      };
      const top = file.path.endsWith('.pyi') ? STUB_SCOPE : MODULE_SCOPE;
      collectImports(root, file.text, top, {
        broken: brokenRows(root, false),
        module(found) {
          const use = hosted(found);
          if (required(use)) result.refs.push(refOf(use, resolve(use.module)));
        },
        from(found, names) {
          const use = hosted(found);
          if (!required(use)) return;
          // `from google.cloud import storage` names the distribution in the imported name, not the module.
          const depth = use.module.split('.').length;
          let named = false;
          for (const name of names) {
            if (name.isMissing) continue;
            const sub = { ...use, module: `${use.module}.${name.text}`, at: name };
            const resolved = resolve(sub.module);
            if (resolved.key !== undefined && resolved.key.split('.').length > depth) {
              result.refs.push(refOf(sub, resolved));
              named = true;
            }
          }
          if (!named) result.refs.push(refOf(use, resolve(use.module)));
        },
      });
    });
  },
};

/**
 * PEP 723: a script that declares its own dependencies (`# /// script` … `dependencies = ["fonttools"]`)
 * runs in an environment made from them alone (`uv run --script`, `pipx run`): the block is that one
 * file's manifest, so its imports are checked against it and nothing else.
 */
function readInlineMetadata(path: string, text: string, result: ExtractResult): void {
  const match = INLINE_METADATA.exec(text);
  if (!match) return;
  const firstLine = text.slice(0, match.index).split('\n').length;
  const lines = (match[1] ?? '').split(/\r?\n/).slice(0, -1);
  const toml = lines.map((line) => line.replace(/^# ?/, '')).join('\n');
  const errors: ExtractResult['errors'] = [];
  const doc = parseToml(toml, errors);
  for (const error of errors)
    result.errors.push({ line: firstLine + (error.line ?? 1), message: error.message });
  if (!doc) return;
  result.facts.push({ kind: 'manifest', ecosystem: 'PyPI' });
  for (const item of asArray(asTable(doc)?.dependencies)) {
    const text = asString(item);
    if (text === undefined) continue;
    const index = lines.findIndex((line) => line.includes(text));
    const line = firstLine + 1 + Math.max(index, 0);
    const requirement = parseRequirement(text);
    if (!requirement.ok) {
      result.errors.push({ line, message: requirement.error });
      continue;
    }
    result.refs.push(
      makeRef({
        target: pypiTarget(requirement.requirement),
        extractor: ID,
        source: 'declared',
        location: { file: path, line },
      }),
    );
  }
}

/** Error recovery can leave a MISSING identifier (empty text) where a module name belongs. */
function isPackageModule(module: string): boolean {
  return MODULE_NAME.test(module) && !isStdlibModule(module) && !CHECKER_ONLY.has(module.split('.')[0] ?? '');
}

/**
 * A test that writes a module and then imports it (`(tmp / "site_app.py").write_text(…)`, then `from
 * site_app import app` inside the test function): the file names the module as a file (`"site_app.py"`) or
 * a path segment (`tmp / "site_app"`), and the import runs inside a function, after the write. That module
 * is the test's own.
 */
function writtenAtRunTime(use: ModuleUse, text: string): boolean {
  if (!use.inFunction) return false;
  const top = use.module.split('.')[0] ?? '';
  // A file name (`"site_app.py"`), or a path segment (`tmp_path / "site_package"`): a module put on disk.
  return new RegExp(`["']${top}\\.py["']|/\\s*["']${top}["']`).test(text);
}

interface Sink {
  /** Rows with a syntax error: an import on them names nothing for sure (`import pandas as pd as _pd`). */
  broken: ReadonlySet<number>;
  module(use: ModuleUse): void;
  /** `from module import names`: `names` are the first identifiers of what is imported (none for `*`). */
  from(use: ModuleUse, names: Node[]): void;
}

/**
 * Walks the tree with a cursor (no recursion, so deep nesting cannot overflow the stack), entering only
 * nodes whose text contains the word `import`: everything else cannot hold an import, and skipping it keeps
 * large files cheap.
 */
function collectImports(root: Node, text: string, top: Scope, sink: Sink): void {
  const occurrences: number[] = [];
  for (let i = text.indexOf(IMPORT_WORD); i !== -1; i = text.indexOf(IMPORT_WORD, i + 1)) occurrences.push(i);
  if (occurrences.length === 0) return;
  const holdsImport = (start: number, end: number): boolean => {
    let lo = 0;
    let hi = occurrences.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (occurrences[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < occurrences.length && occurrences[lo]! + IMPORT_WORD.length <= end;
  };

  const cursor = root.walk();
  // A node without the word is never descended into, so its scope is never read: it keeps its parent's.
  const scopeOfCurrent = (parent: Scope): Scope =>
    holdsImport(cursor.startIndex, cursor.endIndex)
      ? enter(cursor.currentNode, cursor.currentFieldName, parent, sink)
      : parent;
  const scopes: Scope[] = [top];
  try {
    for (;;) {
      if (
        !NOT_DESCENDED.has(cursor.nodeType) &&
        holdsImport(cursor.startIndex, cursor.endIndex) &&
        cursor.gotoFirstChild()
      ) {
        scopes.push(scopeOfCurrent(scopes.at(-1)!));
        continue;
      }
      for (;;) {
        if (scopes.length === 1) return;
        if (cursor.gotoNextSibling()) {
          scopes[scopes.length - 1] = scopeOfCurrent(scopes[scopes.length - 2]!);
          break;
        }
        cursor.gotoParent();
        scopes.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The scope of a node that may hold an import; an import it is goes to `sink`. */
function enter(node: Node, field: string | null, parent: Scope, sink: Sink): Scope {
  const scope: Scope = {
    optional: parent.optional || (parent.guardsBody && field === 'body'),
    fallback:
      parent.fallback === true ||
      (parent.guardsBody && node.type === 'except_clause' && exceptCopesWithMissingModule(node)),
    typeOnly: parent.typeOnly || (parent.typeChecking && field === 'consequence'),
    guardsBody: false,
    typeChecking: false,
    inFunction: parent.inFunction === true || node.type === 'function_definition',
  };
  switch (node.type) {
    case 'try_statement':
      scope.guardsBody = tryCopesWithMissingModule(node);
      break;
    case 'with_statement':
      scope.guardsBody = suppressesMissingModule(node);
      break;
    case 'if_statement':
    case 'elif_clause':
      scope.typeChecking = isTypeCheckingTest(node.childForFieldName('condition'));
      break;
    case 'import_statement':
      if (!wellFormed(node, sink.broken)) break;
      for (const name of node.childrenForFieldName('name')) {
        const dotted = importedDottedName(name);
        if (dotted)
          sink.module({ module: dottedText(dotted), at: dotted, ...flags(scope, dottedText(dotted)) });
      }
      break;
    case 'import_from_statement': {
      if (!wellFormed(node, sink.broken)) break;
      // A relative import (`from . import x`, `from ..a import b`) is a `relative_import`: the project itself.
      const module = node.childForFieldName('module_name');
      if (module?.type !== 'dotted_name') break;
      const names = node
        .childrenForFieldName('name')
        .map((name) => importedDottedName(name)?.firstNamedChild)
        .filter((name): name is Node => name?.type === 'identifier');
      sink.from({ module: dottedText(module), at: module, ...flags(scope, dottedText(module)) }, names);
      break;
    }
    case 'call': {
      const callee = calleeName(node);
      if (callee === undefined || !IMPORT_FUNCTIONS.has(callee)) break;
      const argument = node.childForFieldName('arguments')?.firstNamedChild;
      const module = argument?.type === 'string' ? plainString(argument) : undefined;
      if (argument && module !== undefined) {
        // pytest skips the test when the module is missing: the code copes without it.
        const optional = scope.optional || callee === 'importorskip';
        sink.module({ module, at: argument, optional, typeOnly: scope.typeOnly });
      }
      break;
    }
  }
  return scope;
}

function flags(scope: Scope, module: string): { optional: boolean; typeOnly: boolean; inFunction: boolean } {
  // A Python 2 module in the fallback of a compatibility import (`try: from io import StringIO / except
  // ImportError: from StringIO import StringIO`) never runs on Python 3: it is as optional as the preferred
  // one. Any other fallback is required: it is what runs when the preferred module is missing.
  const python2 = scope.fallback === true && isPython2StdlibModule(module);
  return {
    optional: scope.optional || python2,
    typeOnly: scope.typeOnly,
    inFunction: scope.inFunction === true,
  };
}

/** `a.b` of `import a.b` or `import a.b as c`. */
function importedDottedName(node: Node): Node | undefined {
  const dotted = node.type === 'aliased_import' ? node.childForFieldName('name') : node;
  return dotted?.type === 'dotted_name' ? dotted : undefined;
}

/** `a . b` and `a.\<newline>b` are both `a.b`. */
function dottedText(dotted: Node): string {
  return dotted.namedChildren
    .filter((part) => part.type === 'identifier')
    .map((part) => part.text)
    .join('.');
}

/** `f` of `f(...)` and of `x.y.f(...)`. */
function calleeName(call: Node): string | undefined {
  const callee = call.childForFieldName('function');
  if (callee?.type === 'identifier') return callee.text;
  if (callee?.type === 'attribute') return callee.childForFieldName('attribute')?.text;
  return undefined;
}

/** The value of a string literal without prefixes that change it (f, b, t); undefined otherwise. */
function plainString(node: Node): string | undefined {
  const start = node.firstChild;
  const end = node.lastChild;
  if (start?.type !== 'string_start' || end?.type !== 'string_end' || /[bBfFtT]/.test(start.text))
    return undefined;
  if (node.namedChildren.some((part) => part.type === 'interpolation')) return undefined;
  return node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex);
}

/**
 * Whether the first handler that catches a missing module lets the code go on without it. A handler that
 * raises or exits (`raise SystemExit("numpy is required: pip install numpy")`, `sys.exit(1)`, a bare
 * `raise`) only words the failure better: the import is still required.
 */
function tryCopesWithMissingModule(tryNode: Node): boolean {
  const handler = tryNode.namedChildren.find(
    (clause) => clause.type === 'except_clause' && catchesMissingModule(clause),
  );
  return handler !== undefined && !endsTheProgram(handler);
}

/** Whether an `except` clause catches a missing module and lets the code go on (a fallback import). */
function exceptCopesWithMissingModule(clause: Node): boolean {
  return catchesMissingModule(clause) && !endsTheProgram(clause);
}

function catchesMissingModule(clause: Node): boolean {
  const caught = clause.childrenForFieldName('value');
  // A bare `except:` catches everything.
  return caught.length === 0 || caught.some(namesMissingModuleError);
}

/** Functions that end the program: `sys.exit()`, `exit()`, `quit()`, `os._exit()`. */
const EXITS = new Set(['exit', 'quit', '_exit']);

/** Whether a handler's block raises or exits in one of its own statements (not in a nested branch). */
function endsTheProgram(clause: Node): boolean {
  const block = clause.namedChildren.find((child) => child.type === 'block');
  for (const statement of block?.namedChildren ?? []) {
    if (statement.type === 'raise_statement') return true;
    const call = statement.type === 'expression_statement' ? statement.firstNamedChild : null;
    if (call?.type === 'call' && EXITS.has(calleeName(call) ?? '')) return true;
  }
  return false;
}

/** `with suppress(ImportError):` and `with contextlib.suppress(ImportError, OSError):`. */
function suppressesMissingModule(withNode: Node): boolean {
  const clause = withNode.namedChildren.find((child) => child.type === 'with_clause');
  for (const item of clause?.namedChildren ?? []) {
    const value = item.childForFieldName('value');
    if (value?.type !== 'call' || calleeName(value) !== 'suppress') continue;
    const args = value.childForFieldName('arguments')?.namedChildren ?? [];
    if (args.some(namesMissingModuleError)) return true;
  }
  return false;
}

/** Whether an `except` expression (a name, `builtins.ImportError`, a tuple of them) covers ImportError. */
function namesMissingModuleError(expression: Node): boolean {
  switch (expression.type) {
    case 'identifier':
      return HANDLES_MISSING_MODULE.has(expression.text);
    case 'attribute':
      return HANDLES_MISSING_MODULE.has(expression.childForFieldName('attribute')?.text ?? '');
    case 'as_pattern': {
      // `except ImportError as error:`: the caught expression comes first, the name bound after `as`.
      const caught = expression.firstNamedChild;
      return caught !== null && namesMissingModuleError(caught);
    }
    case 'tuple':
    case 'parenthesized_expression':
    case 'expression_list':
      return expression.namedChildren.some(namesMissingModuleError);
    default:
      return false;
  }
}

/** `TYPE_CHECKING`, `typing.TYPE_CHECKING`, `t.TYPE_CHECKING`. */
function isTypeCheckingTest(condition: Node | null): boolean {
  if (condition?.type === 'identifier') return condition.text === 'TYPE_CHECKING';
  if (condition?.type === 'attribute')
    return condition.childForFieldName('attribute')?.text === 'TYPE_CHECKING';
  return false;
}
