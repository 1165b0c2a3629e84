import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ExtractError } from '../../model/source.js';
import { goScheme } from '../../versions/go.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';

const ID = 'go/go-mod';

/** One token of a go.mod line: a word, a quoted string (unquoted here), or punctuation (`(`, `[`, `,`, …). */
interface Token {
  kind: 'word' | 'string' | 'punctuation';
  value: string;
  line: number;
  column: number;
}

/** One directive: its verb (the block's, inside a block), its arguments and its trailing comment. */
interface Directive {
  verb: string;
  args: Token[];
  line: number;
  comment?: string;
}

/**
 * Reads go.mod into directives the way golang.org/x/mod/modfile does: `//` comments, interpreted and raw
 * strings, `verb ( … )` blocks whose lines take the block's verb. Problems are collected, and reading goes on
 * with the next line.
 */
function readGoMod(text: string): { directives: Directive[]; errors: ExtractError[] } {
  const errors: ExtractError[] = [];
  const lines = lexLines(text, errors);
  const directives: Directive[] = [];
  let block: { verb: string; line: number } | undefined;
  for (const { tokens, comment } of lines) {
    const first = tokens[0];
    if (!first) continue;
    if (block) {
      if (first.value === ')' && first.kind === 'punctuation') {
        if (tokens.length > 1) errors.push(at(tokens[1]!, 'unexpected text after ")"'));
        block = undefined;
        continue;
      }
      directives.push(directive(block.verb, tokens, first.line, comment));
      continue;
    }
    if (first.kind !== 'word') {
      errors.push(at(first, `unexpected ${quoted(first.value)}: a directive starts with its verb`));
      continue;
    }
    const paren = (t: Token | undefined, value: string) => t?.kind === 'punctuation' && t.value === value;
    if (paren(tokens[1], '(') && tokens.length === 2) {
      block = { verb: first.value, line: first.line };
      continue;
    }
    // `require ()` written on one line: an empty block.
    if (paren(tokens[1], '(') && paren(tokens[2], ')') && tokens.length === 3) continue;
    const stray = tokens.find((t) => paren(t, '(') || paren(t, ')'));
    if (stray) {
      errors.push(at(stray, `unexpected ${quoted(stray.value)}`));
      continue;
    }
    directives.push(directive(first.value, tokens.slice(1), first.line, comment));
  }
  if (block) errors.push({ line: block.line, message: `the ${block.verb} block is never closed with ")"` });
  return { directives, errors };
}

function directive(verb: string, args: Token[], line: number, comment: string | undefined): Directive {
  return comment === undefined ? { verb, args, line } : { verb, args, line, comment };
}

function at(token: Token, message: string): ExtractError {
  return { line: token.line, column: token.column, message };
}

/** Punctuation tokens: block parentheses, and the brackets and commas of `retract [v1, v2]`. */
const PUNCTUATION = '()[]{},';

/** modfile's isIdent: anything but space, punctuation and quotes. */
function isWordChar(ch: string): boolean {
  return !/\s/.test(ch) && !PUNCTUATION.includes(ch) && ch !== '"' && ch !== '`';
}

/** The tokens of each line, with the text of a trailing `//` comment. */
function lexLines(text: string, errors: ExtractError[]): { tokens: Token[]; comment?: string }[] {
  const out: { tokens: Token[]; comment?: string }[] = [];
  let tokens: Token[] = [];
  let comment: string | undefined;
  let line = 1;
  let lineStart = 0;
  const endLine = () => {
    out.push(comment === undefined ? { tokens } : { tokens, comment });
    tokens = [];
    comment = undefined;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const column = i - lineStart + 1;
    if (ch === '\n') {
      endLine();
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      comment = text.slice(i + 2, end === -1 ? text.length : end).trim();
      i = end === -1 ? text.length : end;
      continue;
    }
    if (PUNCTUATION.includes(ch)) {
      tokens.push({ kind: 'punctuation', value: ch, line, column });
      i++;
      continue;
    }
    if (ch === '"' || ch === '`') {
      const end = closingQuote(text, i);
      if (end === -1) {
        errors.push({ line, column, message: 'unterminated string' });
        i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
        continue;
      }
      const raw = text.slice(i, end + 1);
      tokens.push({ kind: 'string', value: ch === '`' ? raw.slice(1, -1) : unquote(raw), line, column });
      // A raw string may span lines; later tokens keep counting from where it ends.
      for (let j = i; j <= end; j++) {
        if (text[j] === '\n') {
          line++;
          lineStart = j + 1;
        }
      }
      i = end + 1;
      continue;
    }
    let end = i;
    while (end < text.length && isWordChar(text[end]!) && !text.startsWith('//', end)) end++;
    tokens.push({ kind: 'word', value: text.slice(i, end), line, column });
    i = end;
  }
  endLine();
  return out;
}

/** Index of the quote that closes the string opening at `start`, or -1 (an interpreted string ends at its line). */
function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote === '"' && ch === '\\') i++;
    else if (quote === '"' && ch === '\n') return -1;
    else if (ch === quote) return i;
  }
  return -1;
}

/** Go and JSON share the escapes that can appear in a module path or version; anything else stays as written. */
function unquote(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}

/** A module version as go.mod writes it: `v` and SemVer (`v1.2.3`, `v0.0.0-2021…-abcdef`, `v2.0.0+incompatible`). */
export function isGoVersion(version: string): boolean {
  return version.startsWith('v') && goScheme.parse(version) !== undefined;
}

/** `./fork`, `../x`, `/abs`, `C:\x`: a replacement that is a folder, not a module. */
function isLocalPath(path: string): boolean {
  return /^(?:\.{1,2}(?:[/\\]|$)|[/\\]|[A-Za-z]:[/\\])/.test(path);
}

/** The form of each directive's arguments, for the usage message of a wrong one. */
const USAGE: Readonly<Record<string, string>> = {
  module: 'module module/path',
  go: 'go 1.23',
  toolchain: 'toolchain go1.23.1',
  godebug: 'godebug key=value',
  require: 'require module/path v1.2.3',
  exclude: 'exclude module/path v1.2.3',
  replace: 'replace module/path [v1.2.3] => other/module v1.4.5 (or => ./local/path)',
  retract: 'retract v1.2.3 or retract [v1.2.0, v1.2.9]',
  tool: 'tool package/path',
  ignore: 'ignore ./folder',
};

interface Require {
  path: string;
  version: string;
  line: number;
  column: number;
  indirect: boolean;
}

interface Replace {
  path: string;
  /** Undefined: every version of `path`. */
  version?: string;
  target: string;
  targetVersion?: string;
  line: number;
  column: number;
}

/**
 * go.mod: `require` (single lines and blocks; `// indirect` → group `indirect`), with `replace` applied: a
 * replaced requirement is reported as its replacement (the code that is built), under the original path as
 * `alias` since imports keep using it; a local folder replacement has origin `path`. `exclude`, `retract`,
 * `go`, `toolchain`, `godebug`, `tool` and `ignore` name no packages. The module path is the manifest's own
 * name, so imports of the module's packages are local. Versions are kept as written (`v1.2.3`): Go's version
 * order reads them with or without the `v` OSV leaves out.
 */
export const goMod: Extractor = {
  id: ID,
  ecosystem: 'Go',
  kind: 'manifest',
  matches: (path) => basename(path) === 'go.mod',
  extract(file) {
    const { directives, errors } = readGoMod(file.text);
    const result: ExtractResult = { refs: [], errors, facts: [] };
    const requires: Require[] = [];
    const replaces: Replace[] = [];
    let module: string | undefined;
    const usage = (d: Directive) => errors.push({ line: d.line, message: `usage: ${USAGE[d.verb]}` });
    for (const d of directives) {
      const args = d.args.map((t) => t.value);
      switch (d.verb) {
        case 'module':
          if (args.length === 1) module = args[0];
          else usage(d);
          break;
        case 'require': {
          const [path, version] = args;
          if (args.length !== 2 || !path || !version) {
            usage(d);
            break;
          }
          const indirect = d.comment !== undefined && /^indirect(?:;|$)/.test(d.comment);
          requires.push({ path, version, line: d.line, column: d.args[0]!.column, indirect });
          break;
        }
        case 'replace': {
          const replace = readReplace(d);
          if (typeof replace === 'string') errors.push({ line: d.line, message: replace });
          else replaces.push(replace);
          break;
        }
        case 'go':
        case 'toolchain':
        case 'godebug':
        case 'tool':
        case 'ignore':
          if (args.length !== 1) usage(d);
          break;
        case 'exclude':
          if (args.length !== 2) usage(d);
          break;
        case 'retract':
          if (args.length === 0) usage(d);
          break;
        default:
          errors.push({ line: d.line, message: `unknown directive: ${quoted(d.verb)}` });
      }
    }

    const used = new Map<Replace, Require[]>();
    for (const require of requires) {
      // A replacement of one version takes precedence over one of every version.
      const replace =
        replaces.find((r) => r.path === require.path && r.version === require.version) ??
        replaces.find((r) => r.path === require.path && r.version === undefined);
      if (replace) {
        used.set(replace, [...(used.get(replace) ?? []), require]);
        continue;
      }
      const ref = baseRef(file.path, require.path, require.line, require.column);
      setVersion(ref, require.version, result.errors, require.line);
      if (require.indirect) ref.groups = ['indirect'];
      result.refs.push(ref);
    }
    for (const [replace, replaced] of used) {
      const ref = baseRef(file.path, replace.target, replace.line, replace.column);
      if (replace.targetVersion === undefined) {
        ref.origin = 'path';
        ref.url = replace.target;
      } else setVersion(ref, replace.targetVersion, result.errors, replace.line);
      if (replace.target !== replace.path) ref.alias = replace.path;
      if (replaced.every((r) => r.indirect)) ref.groups = ['indirect'];
      result.refs.push(ref);
    }
    result.refs.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
    result.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    result.facts.push(
      module ? { kind: 'manifest', ecosystem: 'Go', name: module } : { kind: 'manifest', ecosystem: 'Go' },
    );
    return result;
  },
};

function baseRef(file: string, name: string, line: number, column: number): PackageRef {
  return {
    ecosystem: 'Go',
    name,
    source: 'declared',
    extractor: ID,
    location: { file, line, column },
    origin: 'registry',
  };
}

/** A version Go would refuse is kept as the spec it is, with an error: the module is still declared. */
function setVersion(ref: PackageRef, version: string, errors: ExtractError[], line: number): void {
  if (isGoVersion(version)) {
    ref.version = version;
    return;
  }
  ref.spec = version;
  errors.push({ line, message: `${quoted(ref.name)}: version ${quoted(version)} is not of the form v1.2.3` });
}

/** `old [v] => new [v]`; a message when the directive cannot be read. */
function readReplace(d: Directive): Replace | string {
  const args = d.args.map((t) => t.value);
  const arrow = args.indexOf('=>');
  const before = arrow === -1 ? [] : args.slice(0, arrow);
  const after = arrow === -1 ? [] : args.slice(arrow + 1);
  const [path, version] = before;
  const [target, targetVersion] = after;
  if (!path || !target || before.length > 2 || after.length > 2) return `usage: ${USAGE.replace}`;
  if (targetVersion === undefined && !isLocalPath(target))
    return `replacement module without version must be a folder path (./ or ../ or absolute): ${target}`;
  if (targetVersion !== undefined && isLocalPath(target))
    return `a folder replacement takes no version: ${target} ${targetVersion}`;
  const column = d.args[arrow + 1]!.column;
  const replace: Replace = { path, target, line: d.line, column };
  if (version !== undefined) replace.version = version;
  if (targetVersion !== undefined) replace.targetVersion = targetVersion;
  return replace;
}
