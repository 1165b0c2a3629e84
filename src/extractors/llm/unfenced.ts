/**
 * Code that an answer writes without fences: the whole answer, or runs of lines between prose. Markdown
 * cannot tell such code from prose (the top-level `import` lines become a paragraph, an indented function
 * body an "indented code block" that starts mid-docstring), so candidate regions are found from the shapes
 * of their lines and then confirmed by the language's own parser: a region is kept when it parses, or when
 * most of its lines do after the prose lines at its edges are trimmed.
 */
import { isRefusal, OxcGuard, oxcRefusal } from '../oxc-budget.js';
import { TreeSitterGrammar } from '../tree-sitter.js';
import { brokenRows } from '../tree-sitter-errors.js';

export type CodeLanguage = 'python' | 'js' | 'go' | 'rust' | 'java' | 'c';

export interface CodeRegion {
  /** 0-based answer line of the first line of the region. */
  start: number;
  /** 0-based answer line after the last line of the region. */
  end: number;
  language: CodeLanguage;
}

/**
 * Lines that only code starts with: an import in one of its forms, a function or class, a module clause.
 * Tested on the trimmed line; the first language whose pattern matches wins.
 */
const ANCHORS: readonly [CodeLanguage, RegExp][] = [
  ['c', /^#\s*include\s*[<"]/],
  ['java', /^(?:import\s+(?:static\s+)?[\w.]+(?:\.\*)?;|package\s+[\w.]+;)\s*$/],
  ['java', /^public\s+(?:final\s+|abstract\s+)?(?:class|interface|enum|record)\s+\w+/],
  ['go', /^(?:package\s+[A-Za-z_]\w*\s*$|import\s*\(\s*$|func\s+(?:\([^)]*\)\s*)?\w+\s*\()/],
  [
    'rust',
    /^(?:use\s+\w+(?:::[\w{}*, ]+)+;|extern\s+crate\s+\w+|(?:pub\s+)?(?:async\s+)?fn\s+\w+\s*[(<]|#\[\w)/,
  ],
  [
    'python',
    /^(?:import\s+[A-Za-z_][\w.]*(?:\s+as\s+\w+)?(?:\s*,\s*[A-Za-z_][\w.]*(?:\s+as\s+\w+)?)*\s*(?:#.*)?$|from\s+\.*[A-Za-z_][\w.]*\s+import\s+[\w(*]|(?:async\s+)?def\s+\w+\s*\(|class\s+\w+\s*[(:]|if\s+__name__\s*==)/,
  ],
  [
    'js',
    /^(?:import\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]|export\s+(?:default|const|let|function|class|async)\b|(?:const|let|var)\s+[\w${}[\],\s]+=\s*(?:await\s+)?require\s*\(|module\.exports\b|(?:async\s+)?function\s*\*?\s*[\w$]+\s*\()/,
  ],
  ['go', /^import\s+(?:\w+\s+)?"[^"]+"\s*$/],
  ['js', /\brequire\s*\(\s*['"`][^'"`]+['"`]\s*\)/],
];

/** A statement keyword that opens a block (`if x:`, `for x in y {`) or stands alone. */
const KEYWORD_LINE =
  /^(?:(?:if|elif|else|for|while|try|except|finally|with|async\s+with|async\s+for|match|case|switch|do)\b.*[:{]\s*(?:#.*|\/\/.*)?$|(?:return|raise|yield|pass|break|continue|throw|await|assert|del|global|nonlocal)\b(?:\s*$|\s*[^\s\w]|\s+[\w.]+(?:\(.*\))?\s*;?\s*$|\s+\S.*[()[\]{};'"=].*$))/;
/** `x = 1`, `a, b = f()`, `self.x += 1`, `let y: T = …`. */
const ASSIGNMENT =
  /^(?:(?:const|let|var|val|mut)\s+)?[A-Za-z_$][\w$.]*(?:\[[^\]]*\])?(?:\s*:\s*[\w[\], .|]+)?(?:\s*,\s*[A-Za-z_$][\w$.]*)*\s*(?:[-+*/%|&^@]|\/\/|\*\*|<<|>>|:)?=(?!=)/;
/** `print("x")`, `app.listen(3000);`, `main()`, `fmt.Println(x)`. */
const CALL = /^(?:await\s+)?[A-Za-z_$][\w$.]*(?:\[[^\]]*\])?\s*\(.*[)([{,]\s*;?\s*(?:#.*|\/\/.*)?$/;
/** A line that only code (or a comment in code) starts or ends like this. */
const CODE_EDGE = /^(?:#|\/\/|\/\*|\*\/|[})\]]|@[\w.]+|"""|''')|[{([;]\s*$/;

type LineKind = 'blank' | 'anchor' | 'code' | 'prose';

interface Classified {
  kind: LineKind;
  language?: CodeLanguage;
}

function classify(line: string): Classified {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'blank' };
  for (const [language, pattern] of ANCHORS) if (pattern.test(trimmed)) return { kind: 'anchor', language };
  // Indentation is code's, not prose's: a prose line that wraps into an indented one is trimmed by the parser.
  if (/^\s/.test(line)) return { kind: 'code' };
  if (KEYWORD_LINE.test(trimmed) || ASSIGNMENT.test(trimmed) || CALL.test(trimmed) || CODE_EDGE.test(trimmed))
    return { kind: 'code' };
  return { kind: 'prose' };
}

/** Runs of three quotes toggle a Python string that may hold prose lines at column 0. */
function togglesTripleQuote(line: string): boolean {
  return ((line.match(/"""|'''/g)?.length ?? 0) & 1) === 1;
}

/**
 * Candidate regions: maximal runs of code-shaped lines (blank lines inside them included) that hold at least
 * one anchor, bounded by prose lines and by lines `skip` rejects (fenced blocks). The language is the one
 * most anchors name.
 */
export function candidateRegions(lines: readonly string[], skip: (line: number) => boolean): CodeRegion[] {
  const regions: CodeRegion[] = [];
  let start = -1;
  let last = -1;
  let inString = false;
  const votes = new Map<CodeLanguage, number>();
  const close = () => {
    if (start !== -1 && votes.size > 0) {
      const language = [...votes].sort((a, b) => b[1] - a[1])[0]![0];
      regions.push({ start, end: last + 1, language });
    }
    start = -1;
    last = -1;
    inString = false;
    votes.clear();
  };
  for (const [i, line] of lines.entries()) {
    if (skip(i)) {
      close();
      continue;
    }
    const { kind, language } = inString ? { kind: 'code' as const, language: undefined } : classify(line);
    if (kind === 'prose') {
      close();
      continue;
    }
    if (kind === 'blank') continue;
    if (start === -1) start = i;
    last = i;
    if (language) votes.set(language, (votes.get(language) ?? 0) + 1);
    if (togglesTripleQuote(line)) inString = !inString;
  }
  close();
  return regions;
}

/** Share of a region's non-blank lines that may fail to parse for it still to count as code. */
const MAX_BROKEN_SHARE = 0.25;
/** Share of a fenced block's code lines that fail to parse above which it is not code of its label. */
const NOT_CODE_SHARE = 0.5;
/** Times the edges are trimmed and the region parsed again. */
const MAX_TRIMS = 6;
/** Lines blanked one by one before a JavaScript region counts as broken throughout. */
const MAX_JS_ROUNDS = 8;

const GRAMMARS: Partial<Record<CodeLanguage, TreeSitterGrammar>> = {
  python: new TreeSitterGrammar('tree-sitter-python/tree-sitter-python.wasm', 'Python'),
  go: new TreeSitterGrammar('tree-sitter-go/tree-sitter-go.wasm', 'Go'),
  rust: new TreeSitterGrammar('tree-sitter-rust/tree-sitter-rust.wasm', 'Rust'),
  java: new TreeSitterGrammar('tree-sitter-java/tree-sitter-java.wasm', 'Java'),
};

/** Loads the grammars `confirm` parses with (the import extractors load the same ones, once per process). */
export async function loadGrammars(): Promise<void> {
  await Promise.all(Object.values(GRAMMARS).map((grammar) => grammar.load()));
}

/**
 * The part of a candidate region that is code, judged by the language's parser: lines the parser cannot
 * place are trimmed from the edges, and what remains is kept when at most a quarter of its lines are
 * broken. C has no parser here (and no package registry): its regions are kept as found, so that their
 * lines are not read as prose.
 */
export function confirm(region: CodeRegion, lines: readonly string[]): CodeRegion | undefined {
  if (region.language === 'c') return region;
  let { start, end } = region;
  for (let round = 0; round <= MAX_TRIMS; round++) {
    while (start < end && lines[start]!.trim() === '') start++;
    while (end > start && lines[end - 1]!.trim() === '') end--;
    if (start >= end) return undefined;
    const slice = dedent(lines.slice(start, end));
    const broken = brokenLines(region.language, slice);
    if (broken === undefined) return undefined;
    const nonBlank = slice.filter((line) => line.trim() !== '').length;
    if (broken.size === 0) return { start, end, language: region.language };
    if (round < MAX_TRIMS && (broken.has(0) || broken.has(slice.length - 1))) {
      if (broken.has(0)) start++;
      if (broken.has(slice.length - 1)) end--;
      continue;
    }
    return broken.size / nonBlank <= MAX_BROKEN_SHARE ? { start, end, language: region.language } : undefined;
  }
  return undefined;
}

/**
 * Whether a fenced block labelled with a code language holds something else (SQL, Markdown, a protobuf
 * schema in a ```python block): more than half of its lines that are neither blank nor comments fail to
 * parse. Its parse errors would describe the label, not the answer's code. Undefined when there is no parser for the language.
 */
export function notCodeOf(language: CodeLanguage, lines: readonly string[]): boolean | undefined {
  const broken = brokenLines(language, lines);
  if (broken === undefined) return undefined;
  // Comment lines prove nothing: a Markdown heading is a Python comment.
  const counted = [...lines.keys()].filter((i) => !/^\s*(?:#|\/\/|$)/.test(lines[i]!));
  const brokenCounted = counted.filter((i) => broken.has(i)).length;
  return counted.length > 0 && brokenCounted / counted.length > NOT_CODE_SHARE;
}

/** The lines with the indentation they all share removed. */
export function dedent(lines: readonly string[]): string[] {
  let shared = Number.POSITIVE_INFINITY;
  for (const line of lines)
    if (line.trim() !== '') shared = Math.min(shared, /^[ \t]*/.exec(line)![0].length);
  if (!Number.isFinite(shared) || shared === 0) return [...lines];
  return lines.map((line) => line.slice(Math.min(shared, /^[ \t]*/.exec(line)![0].length)));
}

/** 0-based lines of `text` the parser could not place, or undefined when there is no parser to ask. */
function brokenLines(language: CodeLanguage, lines: readonly string[]): Set<number> | undefined {
  const text = lines.join('\n');
  if (language === 'js') return jsBrokenLines(text);
  const grammar = GRAMMARS[language];
  if (!grammar) return undefined;
  let broken: Set<number> | undefined;
  grammar.read(text, (root) => {
    broken = brokenRows(root, true);
  });
  // Not read at all (error-dense text): no line of it can be trusted.
  return broken ?? new Set(lines.keys());
}

/**
 * oxc reports errors without an error tree: the line of each error is blanked and the text parsed again
 * (a few rounds), so a stray prose line costs one line rather than the whole region.
 */
function jsBrokenLines(text: string): Set<number> {
  const broken = new Set<number>();
  const lines = text.split('\n');
  // Text oxc would take minutes over (see oxc-budget.ts): no line of it can be trusted.
  if (oxcRefusal(text, 'jsx')) return new Set(lines.keys());
  // Blanking a line can bring back errors the parse before never reached: every round is under one deadline.
  const guard = new OxcGuard(text);
  for (let round = 0; round < MAX_JS_ROUNDS; round++) {
    const current = lines.map((line, i) => (broken.has(i) ? '' : line)).join('\n');
    const parsed = guard.parse('snippet.jsx', current, { lang: 'jsx' });
    if (isRefusal(parsed)) break;
    const { errors } = parsed;
    if (errors.length === 0) return broken;
    const offset = errors[0]?.labels?.[0]?.start;
    if (offset === undefined) break;
    const row = current.slice(0, offset).split('\n').length - 1;
    if (broken.has(row)) break;
    broken.add(row);
  }
  // Still broken after the rounds: no line of it can be trusted.
  return new Set(lines.keys());
}
