import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ExtractError, ProjectFact, SourceFile } from '../../model/source.js';
import { quoted } from '../quote.js';
import type { ExtractContext, Extractor, ExtractResult } from '../types.js';
import { makeRef, stripExtras, vcsReference } from './common.js';
import { type PypiTarget, parseRequirement, pypiTarget, specifierText } from './requirement.js';

const ID = 'pypi/requirements';

/**
 * requirements*.txt, *requirements*.txt, constraints*.txt, anything in a `requirements/` folder, and the
 * pip-tools inputs named the same way with `.in`. Other `.in` files (MANIFEST.in, autoconf's Makefile.in)
 * are templates, not requirements, so `.in` follows the same name rules as `.txt`.
 */
export function isRequirementsFile(path: string): boolean {
  const name = basename(path).toLowerCase();
  const extension = /\.(?:txt|in)$/.exec(name);
  if (!extension) return false;
  const stem = name.slice(0, extension.index);
  const folder = path.split('/').at(-2)?.toLowerCase();
  return stem.includes('requirements') || stem.startsWith('constraints') || folder === 'requirements';
}

/** pip's requirement-file options, long name → [short name, takes a value]. */
const OPTIONS = new Map<string, [string | undefined, boolean]>([
  ['index-url', ['i', true]],
  ['extra-index-url', [undefined, true]],
  ['no-index', [undefined, false]],
  ['constraint', ['c', true]],
  ['requirement', ['r', true]],
  ['editable', ['e', true]],
  ['find-links', ['f', true]],
  ['no-binary', [undefined, true]],
  ['only-binary', [undefined, true]],
  ['prefer-binary', [undefined, false]],
  ['require-hashes', [undefined, false]],
  ['pre', [undefined, false]],
  ['trusted-host', [undefined, true]],
  ['use-feature', [undefined, true]],
  // Per-requirement options; `install-option` was removed in pip 23.1 but old files still carry it.
  ['global-option', [undefined, true]],
  ['config-settings', ['C', true]],
  ['hash', [undefined, true]],
  ['install-option', [undefined, true]],
]);
const SHORT_OPTIONS = new Map(
  [...OPTIONS].flatMap(([long, [short]]) => (short ? [[short, long] as const] : [])),
);

/** One line as pip sees it: continuations joined, comments removed, starting on `line` (1-based). */
interface LogicalLine {
  line: number;
  text: string;
}

/**
 * The line up to its comment: a `#` at its start or after whitespace. A scan, not pip's `(^|\s+)#.*$`: that
 * pattern backtracks over every run of whitespace, and a line of 200,000 spaces took minutes.
 */
function withoutComment(line: string): string {
  for (let at = line.indexOf('#'); at !== -1; at = line.indexOf('#', at + 1))
    if (at === 0 || /\s/.test(line[at - 1]!)) return line.slice(0, at);
  return line;
}

/**
 * pip's `join_lines` + `ignore_comments`: a trailing `\` joins the next line (a comment line ends the
 * join), `#` starts a comment at the start of a line or after whitespace (so `#egg=` in URLs survives).
 */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const physical = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  let pending: string[] = [];
  let pendingLine = 0;
  const emit = (line: number, joined: string) => {
    const stripped = withoutComment(joined).trim();
    if (stripped) out.push({ line, text: stripped });
  };
  for (const [i, raw] of physical.entries()) {
    const isComment = /^\s*#/.test(raw);
    if (!raw.endsWith('\\') || isComment) {
      if (pending.length > 0) {
        // A comment line ends a continuation; pip keeps it apart by prefixing a space.
        emit(pendingLine, pending.join('') + (isComment ? ` ${raw}` : raw));
        pending = [];
      } else {
        emit(i + 1, raw);
      }
    } else {
      if (pending.length === 0) pendingLine = i + 1;
      pending.push(raw.slice(0, -1));
    }
  }
  if (pending.length > 0) emit(pendingLine, pending.join(''));
  return out;
}

/** pip's `break_args_options`: the requirement ends at the first space-separated token starting with `-`. */
function splitArgsOptions(text: string): [string, string] {
  const tokens = text.split(' ');
  const first = tokens.findIndex((token) => token.startsWith('-'));
  if (first === -1) return [text.trim(), ''];
  return [tokens.slice(0, first).join(' ').trim(), tokens.slice(first).join(' ')];
}

/** POSIX shell-style words, as pip's `shlex.split` makes of the options part of a line. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\'))
        word += text[++i]!;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i]!;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

type ParsedOption = { option: string; value?: string } | { error: string };

/** optparse's reading of the words: `--opt=v`, `--opt v`, unique `--prefix`, `-rfile`, `-r file`. */
function parseOptions(words: string[]): ParsedOption[] {
  const out: ParsedOption[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=');
      const written = word.slice(2, eq === -1 ? undefined : eq);
      const candidates = OPTIONS.has(written)
        ? [written]
        : [...OPTIONS.keys()].filter((o) => o.startsWith(written));
      if (candidates.length !== 1) {
        out.push({
          error: `${candidates.length === 0 ? 'unknown' : 'ambiguous'} option ${quoted(`--${written}`)}`,
        });
        continue;
      }
      const option = candidates[0]!;
      const takesValue = OPTIONS.get(option)![1];
      if (!takesValue) out.push({ option });
      else if (eq !== -1) out.push({ option, value: word.slice(eq + 1) });
      else if (i + 1 < words.length) out.push({ option, value: words[++i]! });
      else out.push({ error: `option --${option} needs a value` });
    } else if (word.startsWith('-') && word.length > 1) {
      // Short options cluster (`-e.`, `-rfile`): the first one taking a value eats the rest of the word.
      for (let j = 1; j < word.length; j++) {
        const option = SHORT_OPTIONS.get(word[j]!);
        if (!option) {
          out.push({ error: `unknown option -${word[j]}` });
          break;
        }
        if (!OPTIONS.get(option)![1]) {
          out.push({ option });
          continue;
        }
        const rest = word.slice(j + 1);
        if (rest) out.push({ option, value: rest });
        else if (i + 1 < words.length) out.push({ option, value: words[++i]! });
        else out.push({ error: `option -${word[j]} needs a value` });
        break;
      }
    }
    // pip ignores stray words among the options.
  }
  return out;
}

/** Per pip: `${NAME}` with upper-case letters, digits and `_` is expanded from the environment. */
const ENV_VAR = /\$\{[A-Z0-9_]+\}/g;

type Target = PypiTarget & { inferred?: boolean };
type LineOutcome = { target: Target } | { error: string } | { skip: true };

const ARCHIVE = /\.(?:whl|tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/i;
const WHEEL = /^([^-]+)-([^-]+)(?:-[^-]+)?-[^-]+-[^-]+-[^-]+\.whl$/i;
const SDIST = /^([A-Za-z0-9_.]+)-(\d[^-]*)\.(?:tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/i;

function isUrl(text: string): boolean {
  return (
    /^(?:git|hg|svn|bzr)\+/i.test(text) ||
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ||
    text.startsWith('file:')
  );
}

/** A local path as pip recognises one; version operators or spaces mean a mistyped requirement instead. */
function looksLikePath(text: string): boolean {
  const path = text.replace(/\s+;.*$/, '');
  if (/[\s<>=!~,;]/.test(path)) return false;
  return path.includes('/') || path.includes('\\') || path.startsWith('.') || ARCHIVE.test(path);
}

/**
 * A bare URL or path line (or an editable's target). The name comes from `#egg=`, else from a wheel or
 * PEP 625 sdist file name, else (VCS only) from the repository name as a guess; a local folder without any
 * of these is the project itself or a sibling, with nothing to check.
 */
function linkTarget(text: string): LineOutcome {
  const link = text.replace(/\s+;.*$/, '').replace(/\[[^\]]*\]$/, '');
  const vcs = /^(?:git|hg|svn|bzr)\+/i.test(link);
  const origin = vcs ? 'git' : link.startsWith('file:') || !isUrl(link) ? 'path' : 'url';
  const reference = vcsReference(link);
  const target: Target = { name: '', origin, url: link };
  const file = decodeSafe(link.split(/[?#]/)[0]!.split(/[/\\]/).at(-1) ?? '');
  const archive = WHEEL.exec(file) ?? SDIST.exec(file);
  if (reference.egg) target.name = stripExtras(reference.egg);
  else if (archive) {
    target.name = archive[1]!;
    target.version = archive[2]!;
  } else if (vcs && reference.repository) {
    target.name = reference.repository;
    target.inferred = true;
  }
  return target.name ? { target } : { skip: true };
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function requirementTarget(args: string): LineOutcome {
  if (isUrl(args)) return linkTarget(args);
  const variables: string[] = [];
  // Placeholders the PEP 508 grammar accepts, so a line using `${VAR}` still parses; restored below.
  const placeholder = (i: number) => `vouchenv${i}x`;
  const substituted = args.replace(ENV_VAR, (match) => placeholder(variables.push(match) - 1));
  const restore = (s: string) =>
    variables.reduce((out, variable, i) => out.split(placeholder(i)).join(variable), s);
  const parsed = parseRequirement(substituted);
  if (!parsed.ok) return looksLikePath(args) ? linkTarget(args) : { error: restore(parsed.error) };
  const requirement = parsed.requirement;
  // A name only known at install time cannot be checked, and is not an error in the file.
  if (variables.some((_, i) => requirement.name.includes(placeholder(i)))) return { skip: true };
  requirement.specs = requirement.specs.map((s) => ({ op: s.op, version: restore(s.version) }));
  if (requirement.url !== undefined) requirement.url = restore(requirement.url);
  if (requirement.marker !== undefined) requirement.marker = restore(requirement.marker);
  const target: Target = pypiTarget(requirement);
  if (target.version?.includes('${')) {
    delete target.version;
    target.spec = specifierText(requirement.specs);
  }
  return { target };
}

/** Reads one requirements file and, through `ctx.readRelative`, the files it includes. */
class RequirementsReader {
  private readonly visited = new Set<string>();

  constructor(
    private readonly ctx: ExtractContext,
    private readonly result: ExtractResult,
  ) {}

  /**
   * `includedAt`: the line of the top-level file whose `-r`/`-c` led here; problems in included files are
   * reported there, since errors belong to the file being extracted.
   */
  read(file: SourceFile, constraint: boolean, includedAt?: number): LogicalLine[] {
    this.visited.add(`${constraint}:${file.path}`);
    const lines = logicalLines(file.text);
    const error = (line: number, message: string) => {
      const out: ExtractError =
        includedAt === undefined
          ? { line, message }
          : { line: includedAt, message: `${file.path}:${line}: ${message}` };
      this.result.errors.push(out);
    };
    for (const { line, text } of lines) {
      const [args, options] = splitArgsOptions(text);
      if (args) {
        this.requirement(requirementTarget(args), file, line, constraint, error);
        continue;
      }
      for (const parsed of parseOptions(shellWords(options))) {
        if ('error' in parsed) {
          error(line, parsed.error);
          continue;
        }
        const { option, value = '' } = parsed;
        if (option === 'requirement' || option === 'constraint') {
          this.include(file, value, constraint || option === 'constraint', line, includedAt, error);
        } else if (option === 'editable') {
          this.requirement(linkTarget(value), file, line, constraint, error);
        }
      }
    }
    return lines;
  }

  private requirement(
    outcome: LineOutcome,
    file: SourceFile,
    line: number,
    constraint: boolean,
    error: (line: number, message: string) => void,
  ): void {
    if ('error' in outcome) error(line, outcome.error);
    if (!('target' in outcome)) return;
    const { inferred, ...target } = outcome.target;
    const ref: PackageRef = makeRef({
      target,
      extractor: ID,
      source: 'declared',
      location: { file: file.path, line },
      groups: constraint ? ['constraint'] : [],
    });
    if (inferred) ref.inferred = true;
    this.result.refs.push(ref);
  }

  private include(
    from: SourceFile,
    path: string,
    constraint: boolean,
    line: number,
    includedAt: number | undefined,
    error: (line: number, message: string) => void,
  ): void {
    const included = this.ctx.readRelative(from, path);
    if ('error' in included) {
      error(
        line,
        `cannot read ${constraint ? 'constraints' : 'requirements'} file ${quoted(path)}: ${included.error}`,
      );
      return;
    }
    // Files that include each other (or themselves) are read once.
    if (this.visited.has(`${constraint}:${included.path}`)) return;
    this.read(included, constraint, includedAt ?? line);
  }
}

/**
 * pip-compile (and `uv pip compile`) annotate each pinned package with the packages that require it:
 * `# via flask` / `# via` + `#   flask` lines below it, or `  # via a, b` on the line itself.
 * `-r requirements.in` or `name (pyproject.toml)` mean the project asked for it directly.
 */
function compiledGraph(
  text: string,
  lines: LogicalLine[],
  names: Map<number, string>,
): ProjectFact | undefined {
  const starts = new Set(lines.map((l) => l.line));
  const edges: Record<string, string[]> = {};
  const roots = new Set<string>();
  let annotated = false;
  let current: string | undefined;
  let listing = false;
  const addVia = (entry: string) => {
    const via = entry.trim();
    if (!current || !via) return;
    annotated = true;
    if (via.startsWith('-r ') || /\([^)]*\)$/.test(via)) roots.add(current);
    else if (!via.startsWith('-c ')) {
      const parent = stripExtras(via);
      edges[parent] ??= [];
      if (!edges[parent].includes(current)) edges[parent].push(current);
    }
  };
  for (const [i, raw] of text.split(/\r?\n|\r/).entries()) {
    const lineNo = i + 1;
    if (starts.has(lineNo)) {
      current = names.get(lineNo);
      listing = false;
      if (current) edges[current] ??= [];
    }
    const comment = /^\s*#(.*)$/.exec(raw)?.[1];
    if (comment === undefined) {
      const inline = /\s#\s*via\s+(.+)$/.exec(raw)?.[1];
      if (inline) for (const entry of inline.split(',')) addVia(entry);
      continue;
    }
    const via = /^\s*via(?:\s+(.*))?$/.exec(comment);
    if (via) {
      listing = via[1] === undefined || via[1].trim() === '';
      if (!listing) for (const entry of via[1]!.split(',')) addVia(entry);
    } else if (listing && /^\s{2,}\S/.test(comment)) {
      addVia(comment);
    } else {
      // Any other comment (a section note such as pip-compile's "unsafe packages") ends the package.
      listing = false;
      current = undefined;
    }
  }
  if (!annotated) return undefined;
  const fact: ProjectFact = { kind: 'dependency-graph', ecosystem: 'PyPI', edges };
  if (roots.size > 0) fact.roots = [...roots];
  return fact;
}

/**
 * pip requirements files: requirements, `-r` includes (refs keep the included file's path and lines),
 * `-c` constraints (group `constraint`: they pin, they do not ask for anything), `-e` editables, URLs,
 * VCS links and paths, per-requirement options (hashes never reach the version), `${VAR}`s kept as
 * written. A pip-compile output also yields the dependency graph from its `# via` annotations.
 */
export const requirementsTxt: Extractor = {
  id: ID,
  ecosystem: 'PyPI',
  kind: 'manifest',
  matches: isRequirementsFile,
  extract(file, ctx) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    // A constraints file scanned on its own still only pins what something else asks for.
    const constraint = basename(file.path).toLowerCase().startsWith('constraints');
    const lines = new RequirementsReader(ctx, result).read(file, constraint);
    const names = new Map<number, string>();
    for (const ref of result.refs) {
      if (ref.location.file === file.path && ref.location.line !== undefined)
        names.set(ref.location.line, ref.name);
    }
    const graph = compiledGraph(file.text, lines, names);
    if (graph) result.facts.push(graph);
    return result;
  },
};
