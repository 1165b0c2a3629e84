import type { MarkdownIt, Token } from 'markdown-it';
import { pushAll } from '../../core/arrays.js';
import { lazy } from '../../core/lazy.js';
import { basename } from '../../core/paths.js';
import { LineIndex } from '../../model/location.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { SourceFile } from '../../model/source.js';
import { extractShellCommands } from '../shell/index.js';
import type { ExtractContext, Extractor, ExtractResult } from '../types.js';
import {
  type CodeLanguage,
  type CodeRegion,
  candidateRegions,
  confirm,
  dedent,
  loadGrammars,
  notCodeOf,
} from './unfenced.js';

const ID = 'llm/markdown';

/** One parser for every answer; `parse` keeps no state between documents. */
// Through require(), the package is its constructor (its CommonJS build), not a module namespace.
const markdownIt = lazy<typeof import('markdown-it').default>('markdown-it');
let parser: MarkdownIt | undefined;
const markdown = () => {
  parser ??= new (markdownIt())({ html: true });
  return parser;
};

/** Code block languages, by the first word of the info string. */
const SHELL_LANGUAGES = new Set([
  'bash',
  'sh',
  'shell',
  'console',
  'zsh',
  'terminal',
  'shell-session',
  'shellsession',
  'sh-session',
  // Not bash, but their install lines are the same commands; the shell parser's complaints are not reported.
  'powershell',
  'ps1',
  'pwsh',
  'ps',
  'cmd',
  'bat',
  'batch',
  'dos',
]);
const JS_LANGUAGES: Readonly<Record<string, string>> = {
  js: 'js',
  javascript: 'js',
  node: 'js',
  nodejs: 'js',
  jsx: 'jsx',
  mjs: 'mjs',
  cjs: 'cjs',
  ts: 'ts',
  typescript: 'ts',
  tsx: 'tsx',
  mts: 'mts',
  cts: 'cts',
};
const DOCKERFILE_LANGUAGES = new Set(['dockerfile', 'docker', 'containerfile']);
const PYTHON_LANGUAGES = new Set(['python', 'py', 'python3', 'py3', 'ipython', 'ipython3']);
const GO_LANGUAGES = new Set(['go', 'golang']);
const RUST_LANGUAGES = new Set(['rust', 'rs']);
/** Java, Gradle, Ruby, PHP and .NET blocks: routed by `jvmRubyPhpDotnetTarget`. */
const JVM_RUBY_PHP_DOTNET_LANGUAGES = new Set([
  'java',
  'xml',
  'pom',
  'maven',
  'groovy',
  'gradle',
  'kotlin',
  'kt',
  'kts',
  'ruby',
  'rb',
  'gemfile',
  'php',
  'csharp',
  'cs',
  'c#',
  'fsharp',
  'vb',
  'msbuild',
]);
const JSON_LANGUAGES = new Set(['json', 'json5', 'jsonc']);
const INI_LANGUAGES = new Set(['ini', 'cfg', 'dosini']);
const REQUIREMENTS_LANGUAGES = new Set(['requirements', 'pip', 'pip-requirements', 'requirements.txt']);
/** Languages whose blocks are classified by their content, as blocks without a language are. */
const TEXT_LANGUAGES = new Set(['', 'txt', 'text', 'plaintext', 'plain', 'none', 'output']);

/** Manifest file names that a heading, a caption line or an info string can give a block. */
const MANIFEST_NAME =
  /(?:^|[^\w.-])(package\.json|pyproject\.toml|Pipfile|setup\.cfg|setup\.py|(?:[\w-]+[-_.])?requirements(?:[-_.][\w-]+)?\.txt|constraints\.txt)(?![\w.-])/g;
/** A file name in an info string: ```js title="server.js"```, ```json:package.json```, ```requirements.txt```. */
const INFO_FILE_NAME = /(?:^|[\s:="'/])([\w-][\w.-]*\.[A-Za-z][\w]*|Pipfile)(?=$|[\s"'}])/g;

/**
 * A prompt that starts a command line in a console session: `$ `, `% `, `> `, `PS C:\x> `, `C:\x> `,
 * `user@host:~$ `, optionally after a virtualenv marker `(venv) `. A bare `# ` is a comment, not a prompt.
 */
const PROMPT =
  /^(\s*(?:\([\w.-]+\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?[$#]|\$|%|>|PS(?:\s[^>]*)?>|[A-Za-z]:\\[^>]*>)[ \t])/;
/** A line that runs a package manager (for classifying blocks without a language). */
const PACKAGE_MANAGER_LINE =
  /^\s*(?:sudo\s+)?(?:npm|npx|yarn|pnpm|pnpx|bun|bunx|pip\d*(?:\.\d+)?|python\d*(?:\.\d+)?\s+-m\s+pip|py\s+-m\s+pip|uv|uvx|pipx|poetry|pipenv|cargo|go(?=\s+(?:get|install|run|mod)\b)|gem(?=\s+install\b)|bundle(?=\s+(?:add|exec)\b)|composer|dotnet(?=\s+add\b)|Install-Package)\s+\S/;
/** Jupyter magics and shell escapes in Python blocks: `!pip install x`, `%pip install x`. */
const NOTEBOOK_SHELL_LINE = /^(\s*[!%]\s*)(?:pip|pip3|uv|conda|python|npm)\b/;
/**
 * An install command written as a line of a Python block (`pip install requests` above the imports): two
 * names side by side are never Python, so the line is the command the author meant, not a syntax error.
 */
const PYTHON_BLOCK_INSTALL_LINE =
  /^(\s*)(?:sudo\s+)?(?:pip\d*(?:\.\d+)?|python\d*(?:\.\d+)?\s+-m\s+pip|uv(?:\s+pip)?|conda|poetry|pipenv)\s+(?:install|add)\s/;

/**
 * English words that end an install command written in prose ("pip install requests and then …"). A word
 * here is never read as a package name in prose; code (blocks and inline spans) is not filtered.
 * Kept to words that are not also popular package names (`next`, `express`, `request` are packages).
 */
const PROSE_STOP_WORDS = new Set(
  (
    'a about above after afterwards again all already also an and any are as at automatically be because ' +
    'before beforehand below both but by can command commands correctly could dependencies dependency do ' +
    'does done each either e.g ensure etc every first following for from globally here how if in ' +
    'i.e inside instead into is it its just later library libraries locally make manually may might module ' +
    'modules must need needed needs not now of on once only or our package packages please project ' +
    'properly same second should simply since so some step successfully such sure terminal than that the ' +
    'their them then there these they this those though through to too under until us using via was we ' +
    'were what when where whether which while will with within without would yet you your yourself'
  ).split(' '),
);
const COMMAND_WORDS =
  'npm|npx|yarn|pnpm|pnpx|bun|bunx|pip\\d*(?:\\.\\d+)?|uv|uvx|pipx|poetry|pipenv|go|cargo|gem|bundle|composer';
const PYTHON_WORDS = 'python\\d*(?:\\.\\d+)?|py';
const PROSE_COMMAND_WORD = new RegExp(`^(?:${COMMAND_WORDS})$`);
const PROSE_PYTHON_WORD = new RegExp(`^(?:${PYTHON_WORDS})$`);
/**
 * A command word of either kind standing as a word of its own (after what `proseWord` strips before and
 * after it): a line without one holds no command, and is not split into words at all (most lines of prose).
 */
const PROSE_COMMAND_ANYWHERE = new RegExp(
  `(?:^|[\\s(*_["'])(?:${COMMAND_WORDS}|${PYTHON_WORDS})(?=$|[\\s).,;:!?*_"'\\]])`,
);
/** Characters a package spec or option written in prose can hold. */
const PROSE_SPEC = /^[A-Za-z0-9@~^<>=!.,:/+*[\]_'"-]+$/;
/** Characters the shell would read as syntax: such a prose word is quoted before parsing. */
const SHELL_SPECIAL = /[^A-Za-z0-9@~^.,:/+=_-]/;

/**
 * An assistant's answer (Markdown or plain text). Code blocks go, by language, file name or content, to the
 * extractor of the matching file through `ctx.extractSnippet`; install commands in console blocks, inline
 * code spans, comment lines of code and prose are read with the shell extractor. All refs carry the answer
 * as their scope: an answer's install commands and manifest snippets are the declarations for its code.
 */
export const llmMarkdown: Extractor = {
  id: ID,
  kind: 'document',
  matches(path) {
    const name = basename(path).toLowerCase();
    if (/\.(?:md|markdown|mdx)$/.test(name)) return true;
    // requirements*.txt and constraints files belong to the pip extractor even when it is not registered.
    return (
      name.endsWith('.txt') &&
      !/requirements|constraints/.test(name) &&
      !/(?:^|\/)requirements\//.test(path) &&
      name !== 'cmakelists.txt'
    );
  },
  init: loadGrammars,
  extract(file, ctx) {
    return new AnswerReader(file, ctx).read();
  },
};

/** The snippet file name that selects the extractor of unfenced code in each language (C has none). */
const UNFENCED_FILENAME: Record<CodeLanguage, string | undefined> = {
  python: 'snippet.py',
  js: 'snippet.js',
  go: 'snippet.go',
  rust: 'snippet.rs',
  java: 'Snippet.java',
  c: undefined,
};

/** The parser `notCodeOf` judges a snippet with, by its file name (TypeScript has none there). */
const SNIPPET_LANGUAGE: readonly [RegExp, CodeLanguage][] = [
  [/\.py$/, 'python'],
  [/\.(?:js|jsx|mjs|cjs)$/, 'js'],
  [/\.go$/, 'go'],
  [/\.rs$/, 'rust'],
  [/\.java$/, 'java'],
];

interface CodeBlock {
  info: string;
  language: string;
  /** Content lines with the container indentation markdown-it removed. */
  lines: string[];
  /** 1-based answer line of the first content line. */
  firstLine: number;
  /** Per content line: how many characters of the answer line precede the content (indentation, `> `). */
  indents: number[];
  /** 0-based line of the opening fence, or of the first line of an indented block. */
  openLine: number;
}

/** A shell block is a script, a console session (prompts and output), or a Dockerfile's RUN lines. */
type BlockTarget =
  | { kind: 'shell'; form: 'script' | 'console' | 'dockerfile' }
  | { kind: 'snippet'; filename: string };

/** A command found in a line of prose, a code span or a comment, with answer positions for its words. */
interface CommandPiece {
  text: string;
  line: number;
  /** Answer column (1-based) of each character of `text` that starts a word. */
  columnAt: (textColumn: number) => number;
}

class AnswerReader {
  private readonly result: ExtractResult = { refs: [], errors: [], facts: [] };
  private readonly lines: string[];
  /** 0-based answer lines of unfenced code: not prose, and not an indented code block of their own. */
  private readonly codeLines = new Set<number>();

  constructor(
    private readonly file: SourceFile,
    private readonly ctx: ExtractContext,
  ) {
    // markdown-it normalises every line break to \n, so its line numbers count the same lines.
    this.lines = file.text.split(/\r\n?|\n/);
  }

  read(): ExtractResult {
    const tokens = markdown().parse(this.file.text, {});
    const regions = this.unfencedRegions(tokens);
    for (const region of regions) for (let i = region.start; i < region.end; i++) this.codeLines.add(i);
    let pending = 0;
    // Table cells have no line map of their own; they are found in their row's line, left to right.
    let row: { line: number; cursor: number } | undefined;
    for (const token of tokens) {
      // Unfenced code is read where it stands, so that the answer's references keep their order.
      while (token.map && pending < regions.length && regions[pending]!.start <= token.map[0])
        this.unfenced(regions[pending++]!);
      if (token.type === 'tr_open' && token.map) row = { line: token.map[0], cursor: 0 };
      if (token.type === 'fence' || token.type === 'code_block') {
        if (token.map && !this.inCode(token.map)) this.block(token, token.map);
      } else if (token.type === 'inline' && token.map) {
        this.inline(token, this.lines.slice(token.map[0], token.map[1]).join('\n'), token.map[0], 0);
      } else if (token.type === 'inline' && row && token.content !== '') {
        const at = (this.lines[row.line] ?? '').indexOf(token.content, row.cursor);
        if (at === -1 || this.codeLines.has(row.line)) continue;
        row.cursor = at + token.content.length;
        this.inline(token, token.content, row.line, at);
      }
    }
    while (pending < regions.length) this.unfenced(regions[pending++]!);
    for (const ref of this.result.refs) {
      ref.scope = this.file.path;
      // In a project a capitalised npm import looks like the project's own module, so its name is only a guess
      // (npm/imports). An answer has no modules of its own: `require('cocoaDialog')` tells the reader to
      // install that name, and the registry must be asked (it serves legacy capitalised names, JSONStream).
      if (ref.ecosystem === 'npm' && ref.source === 'imported') delete ref.inferred;
    }
    return this.result;
  }

  /** Regions of code outside fences, confirmed by their parsers (./unfenced.ts). */
  private unfencedRegions(tokens: readonly Token[]): CodeRegion[] {
    const fenced = new Set<number>();
    for (const token of tokens)
      if (token.type === 'fence' && token.map)
        for (let i = token.map[0]; i < token.map[1]; i++) fenced.add(i);
    return candidateRegions(this.lines, (i) => fenced.has(i))
      .map((region) => confirm(region, this.lines))
      .filter((region): region is CodeRegion => region !== undefined);
  }

  /** Whether a token's lines overlap unfenced code (an indented block inside it is part of it). */
  private inCode(map: [number, number]): boolean {
    for (let i = map[0]; i < map[1]; i++) if (this.codeLines.has(i)) return true;
    return false;
  }

  /**
   * Unfenced code goes to its language's extractor like a fenced block, but what the parser makes of it is
   * not reported: nothing marked it as code, and the lines around it that it might take for code are prose.
   */
  private unfenced(region: CodeRegion): void {
    const filename = UNFENCED_FILENAME[region.language];
    if (!filename) return;
    const raw = this.lines.slice(region.start, region.end);
    const lines = dedent(raw);
    const block: CodeBlock = {
      info: '',
      language: region.language,
      lines,
      firstLine: region.start + 1,
      indents: lines.map((line, i) => raw[i]!.length - line.length),
      openLine: region.start,
    };
    this.codeWithComments(block, filename, false);
  }

  private block(token: Token, map: [number, number]): void {
    const fenced = token.type === 'fence';
    const content = token.content.endsWith('\n') ? token.content.slice(0, -1) : token.content;
    const lines = content.split('\n');
    const firstLine = fenced ? map[0] + 2 : map[0] + 1;
    const indents = lines.map((line, i) => {
      const raw = this.lines[firstLine - 1 + i] ?? '';
      return raw.endsWith(line) ? raw.length - line.length : 0;
    });
    const info = token.info.trim();
    const language = (info.replace(/^\{?\.?/, '').split(/[\s{}:,]/)[0] ?? '').toLowerCase();
    if (fenced && !this.isClosed(token, map)) {
      this.result.errors.push({
        line: map[0] + 1,
        message: `the code block opened on line ${map[0] + 1} is never closed (a truncated answer?)`,
      });
    }
    if (content.trim() === '') return;
    const block: CodeBlock = { info, language, lines, firstLine, indents, openLine: map[0] };
    const target = this.classify(block);
    if (!target) return;
    if (target.kind === 'shell') {
      const text =
        target.form === 'console'
          ? consoleCommands(lines)
          : target.form === 'dockerfile'
            ? dockerfileCommands(lines)
            : lines.join('\n');
      // Console sessions mix commands and output, so what the shell parser makes of them is not an error.
      this.snippet(block, 'snippet.sh', text, false);
      return;
    }
    // Indentation marks code in Markdown, but in an answer it is as often prose that lost its fence. A fence
    // labelled with a code language that holds something else (SQL, Markdown, a schema) is not code of that
    // language: what it names is still read, but its parse errors are the label's, not the answer's.
    const parsedAs = SNIPPET_LANGUAGE.find(([pattern]) => pattern.test(target.filename))?.[1];
    const mislabelled = fenced && parsedAs !== undefined && notCodeOf(parsedAs, block.lines) === true;
    this.codeWithComments(block, target.filename, fenced && !mislabelled);
  }

  /** A fence is closed when its last line is a closing fence of the same kind. */
  private isClosed(token: Token, map: [number, number]): boolean {
    if (map[1] - map[0] < 2) return false;
    const last = (this.lines[map[1] - 1] ?? '').replace(/^[\s>]*/, '');
    const marker = token.markup[0] ?? '`';
    let run = 0;
    while (last[run] === marker) run++;
    return run >= token.markup.length && last.slice(run).trim() === '';
  }

  private classify(block: CodeBlock): BlockTarget | undefined {
    const { language } = block;
    if (SHELL_LANGUAGES.has(language)) {
      return { kind: 'shell', form: block.lines.some((line) => PROMPT.test(line)) ? 'console' : 'script' };
    }
    if (DOCKERFILE_LANGUAGES.has(language)) return { kind: 'shell', form: 'dockerfile' };
    const named = this.fileNameOf(block);
    if (named) return { kind: 'snippet', filename: named };
    const js = JS_LANGUAGES[language];
    if (js) return { kind: 'snippet', filename: `snippet.${js}` };
    if (PYTHON_LANGUAGES.has(language)) return { kind: 'snippet', filename: 'snippet.py' };
    if (GO_LANGUAGES.has(language)) {
      // Answers often label go.mod `go` too; Go code always has a package clause.
      const code = block.lines.join('\n');
      const goMod = looksLikeGoMod(code) && !GO_PACKAGE_CLAUSE.test(code);
      return { kind: 'snippet', filename: goMod ? 'go.mod' : 'snippet.go' };
    }
    if (RUST_LANGUAGES.has(language)) return { kind: 'snippet', filename: 'snippet.rs' };
    if (JVM_RUBY_PHP_DOTNET_LANGUAGES.has(language) || JSON_LANGUAGES.has(language)) {
      const target = jvmRubyPhpDotnetTarget(language, block.lines.join('\n'));
      if (target || !JSON_LANGUAGES.has(language)) return target;
    }
    if (REQUIREMENTS_LANGUAGES.has(language)) return { kind: 'snippet', filename: 'requirements.txt' };
    const text = block.lines.join('\n');
    if (JSON_LANGUAGES.has(language)) return hasNpmDependencies(text) ? packageJsonTarget : undefined;
    if (language === 'toml') return pyprojectTarget(text) ?? cargoTarget(text);
    if (INI_LANGUAGES.has(language)) {
      return /^\s*install_requires\s*=/m.test(text) ? { kind: 'snippet', filename: 'setup.cfg' } : undefined;
    }
    if (language === 'yaml' || language === 'yml') return undefined;
    return classifyContent(block.lines);
  }

  /**
   * A manifest file name the block is given: in its info string, on the caption line or heading just above
   * it, or as a comment on its first line. A name from outside the info string must suit the language.
   */
  private fileNameOf(block: CodeBlock): string | undefined {
    const fromInfo = [...block.info.matchAll(INFO_FILE_NAME)].map((m) => m[1]!).at(-1);
    if (fromInfo && !/^\d/.test(fromInfo)) return basename(fromInfo);
    const above = [block.openLine - 1, block.openLine - 2]
      .map((i) => this.lines[i] ?? '')
      .find((line) => line.trim() !== '');
    const firstComment = /^\s*(?:#|\/\/)\s*(\S+)\s*$/.exec(block.lines[0] ?? '')?.[1];
    for (const source of [firstComment, above]) {
      const name = source ? [...source.matchAll(MANIFEST_NAME)].map((m) => m[1]!).at(-1) : undefined;
      if (name && suits(name, block)) return name;
    }
    return undefined;
  }

  /**
   * Hands code to the extractor its file name selects. A line of it that is an install command (in a
   * comment, a docstring or a notebook's shell escape) is a command too: no line of code looks like one.
   */
  private codeWithComments(block: CodeBlock, filename: string, keepErrors: boolean): void {
    const python = filename.endsWith('.py');
    const lines = [...block.lines];
    const pieces: CommandPiece[] = [];
    for (const [i, line] of lines.entries()) {
      const line1 = block.firstLine + i;
      const indent = block.indents[i] ?? 0;
      const magic = python ? (NOTEBOOK_SHELL_LINE.exec(line) ?? PYTHON_BLOCK_INSTALL_LINE.exec(line)) : null;
      if (magic) {
        // `!pip install x` and `pip install x` are not Python: the Python extractor gets an empty line instead.
        const start = magic[1]!.length;
        pieces.push({ text: line.slice(start), line: line1, columnAt: (c) => c + start + indent });
        lines[i] = '';
        continue;
      }
      pushAll(pieces, commandLine(line, line1, indent));
    }
    let text = lines.join('\n');
    // `"dependencies": {…}` alone is a fragment of package.json; braces around it make it a document.
    if (filename === 'package.json' && text.trimStart().startsWith('"')) text = `{${text}\n}`;
    const wrapper = xmlFragmentWrapper(filename, text);
    if (wrapper) {
      // The opening tags take a line of their own above the block, so that lines and columns still match.
      text = `${wrapper.open}\n${text}\n${wrapper.close}`;
      block = { ...block, firstLine: block.firstLine - 1, indents: [0, ...block.indents] };
    }
    this.snippet(block, filename, text, keepErrors);
    for (const piece of pieces) this.command(piece);
  }

  /**
   * The snippet's facts (its package name, workspaces) are left out: they would describe the project around
   * the answer rather than the answer.
   */
  private snippet(block: CodeBlock, filename: string, text: string, keepErrors: boolean): void {
    const inner = this.ctx.extractSnippet(this.file, { filename, text, line: block.firstLine });
    for (const ref of inner.refs) {
      const line = ref.location.line;
      if (line !== undefined && ref.location.column !== undefined) {
        ref.location.column += block.indents[line - block.firstLine] ?? 0;
      }
      this.result.refs.push(ref);
    }
    if (!keepErrors) return;
    for (const error of inner.errors) {
      this.result.errors.push({ ...error, message: `in the ${filename} code block: ${error.message}` });
    }
  }

  /** Inline code spans that run a package manager, and install commands written in the prose around them. */
  /** `raw` is the token's source, starting on 0-based line `line0` at 0-based column `column0`. */
  private inline(token: Token, raw: string, line0: number, column0: number): void {
    const positions = new LineIndex(raw);
    // Code spans are blanked out of the prose (UTF-16 units, like the offsets).
    let masked = '';
    let maskedTo = 0;
    let cursor = 0;
    for (const child of token.children ?? []) {
      if (child.type !== 'code_inline') continue;
      const open = findBacktickRun(raw, child.markup, cursor);
      const close = open === -1 ? -1 : findBacktickRun(raw, child.markup, open + child.markup.length);
      if (close === -1) continue;
      const start = open + child.markup.length;
      cursor = close + child.markup.length;
      masked += raw.slice(maskedTo, open) + raw.slice(open, cursor).replace(/[^\n]/g, ' ');
      maskedTo = cursor;
      const at = positions.position(start);
      if (this.codeLines.has(line0 + at.line - 1)) continue;
      const shift = at.column - 1 + (at.line === 1 ? column0 : 0);
      this.command({ text: raw.slice(start, close), line: line0 + at.line, columnAt: (c) => c + shift });
    }
    // In running prose an install verb is followed by words, not packages ("I can add pip install
    // directions"): only a line that is nothing but a command counts.
    const prose = (masked + raw.slice(maskedTo)).split('\n');
    for (const [i, line] of prose.entries()) {
      if (this.codeLines.has(line0 + i)) continue;
      for (const piece of commandLine(line, line0 + 1 + i, i === 0 ? column0 : 0)) this.command(piece);
    }
  }

  /** A command outside code blocks: what it names counts, but the shell parser's complaints do not. */
  private command(piece: CommandPiece): void {
    const inner = extractShellCommands(piece.text, this.file.path);
    for (const ref of inner.refs) this.result.refs.push(placed(ref, piece));
  }
}

/** The answer location of a ref found in a command piece (whose first line is `piece.line`). */
function placed(ref: PackageRef, piece: CommandPiece): PackageRef {
  const line = ref.location.line ?? 1;
  const column = ref.location.column;
  ref.location = {
    file: ref.location.file,
    line: piece.line + line - 1,
    ...(column === undefined ? {} : { column: line === 1 ? piece.columnAt(column) : column }),
  };
  return ref;
}

const packageJsonTarget: BlockTarget = { kind: 'snippet', filename: 'package.json' };

function hasNpmDependencies(text: string): boolean {
  return /"(?:dev|peer|optional)?[dD]ependencies"\s*:/.test(text);
}

function pyprojectTarget(text: string): BlockTarget | undefined {
  if (/^\s*\[(?:project|tool\.poetry|build-system)[\].]/m.test(text)) {
    return { kind: 'snippet', filename: 'pyproject.toml' };
  }
  if (/^\s*\[(?:packages|dev-packages)\]\s*$/m.test(text)) return { kind: 'snippet', filename: 'Pipfile' };
  return undefined;
}

/** Cargo.toml: a `[package]`, `[workspace]`, `[target.…]` or dependency table (Pipfile's is `[packages]`). */
function cargoTarget(text: string): BlockTarget | undefined {
  return /^\s*\[(?:package|workspace|(?:dev-|build-)?dependencies|target)[\].]/m.test(text)
    ? { kind: 'snippet', filename: 'Cargo.toml' }
    : undefined;
}

const GO_PACKAGE_CLAUSE = /^\s*package\s+[A-Za-z_]\w*\s*$/m;

/** go.mod: a `module path` line or a `require (` block. */
function looksLikeGoMod(text: string): boolean {
  return /^\s*(?:module\s+\S+\s*$|require\s*\(\s*$)/m.test(text);
}

const GRADLE_DECLARATION =
  /^\s*(?:dependencies\s*\{|(?:implementation|api|compileOnly|runtimeOnly|testImplementation|testRuntimeOnly|testCompileOnly|kapt|ksp|annotationProcessor|classpath|compile|testCompile)\b\s*[('"]?)/m;
const GEMFILE_LINE = /^\s*(?:source\s+['"]https?:|gem\s+['"(])/m;
const PACKAGE_REFERENCE = /<(?:PackageReference|PackageVersion)\b/;

/**
 * Java, Gradle, Ruby, PHP and .NET blocks by language (or, with language `''`, manifests recognised by
 * content): `<dependency>` XML is a pom.xml, `<PackageReference>` XML a project file, Gradle declarations a
 * build.gradle(.kts), Gemfile lines a Gemfile, JSON with `"require"` a composer.json.
 */
function jvmRubyPhpDotnetTarget(language: string, text: string): BlockTarget | undefined {
  const snippet = (filename: string): BlockTarget => ({ kind: 'snippet', filename });
  const xml = /^\s*</.test(text);
  if (xml && /<dependency>/.test(text)) return snippet('pom.xml');
  if (xml && PACKAGE_REFERENCE.test(text)) return snippet('snippet.csproj');
  if (xml && /<packages>[\s\S]*<package\s/.test(text)) return snippet('packages.config');
  if (/^\s*\{/.test(text) && /"require(?:-dev)?"\s*:\s*\{/.test(text)) return snippet('composer.json');
  switch (language) {
    case 'java':
      return snippet('Snippet.java');
    case 'groovy':
    case 'gradle':
      return GRADLE_DECLARATION.test(text) ? snippet('build.gradle') : undefined;
    case 'kotlin':
    case 'kt':
    case 'kts':
      return GRADLE_DECLARATION.test(text) ? snippet('build.gradle.kts') : undefined;
    case 'gemfile':
      return snippet('Gemfile');
    case 'ruby':
    case 'rb':
      if (/Gem::Specification\.new/.test(text)) return snippet('snippet.gemspec');
      return snippet(GEMFILE_LINE.test(text) && !/^\s*require\s/m.test(text) ? 'Gemfile' : 'snippet.rb');
    case '':
      return /^\s*source\s+['"]https?:/m.test(text) && GEMFILE_LINE.test(text)
        ? snippet('Gemfile')
        : undefined;
    default:
      return undefined;
  }
}

/**
 * A pom.xml or project-file block that is only a fragment (`<dependency>…</dependency>`,
 * `<PackageReference … />`) becomes a document inside the elements it belongs to.
 */
function xmlFragmentWrapper(filename: string, text: string): { open: string; close: string } | undefined {
  if (filename === 'pom.xml' && !/<project[\s>]/.test(text)) {
    return /<dependencies>/.test(text)
      ? { open: '<project>', close: '</project>' }
      : { open: '<project><dependencies>', close: '</dependencies></project>' };
  }
  if (filename.endsWith('.csproj') && !/<Project[\s>]/.test(text)) {
    return /<ItemGroup[\s>]/.test(text)
      ? { open: '<Project>', close: '</Project>' }
      : { open: '<Project><ItemGroup>', close: '</ItemGroup></Project>' };
  }
  return undefined;
}

/** Whether a manifest name from around a block fits what the block holds. */
function suits(name: string, block: CodeBlock): boolean {
  const { language } = block;
  const text = block.lines.join('\n').trimStart();
  const plain = TEXT_LANGUAGES.has(language) || !isKnownLanguage(language);
  if (name === 'package.json') return (JSON_LANGUAGES.has(language) || plain) && /^[{"]/.test(text);
  if (name === 'pyproject.toml' || name === 'Pipfile') return language === 'toml' || plain;
  if (name === 'setup.cfg') return INI_LANGUAGES.has(language) || plain;
  if (name === 'setup.py') return PYTHON_LANGUAGES.has(language) || plain;
  // requirements.txt: requirement lines, not a shell session that installs them.
  return (
    (plain || REQUIREMENTS_LANGUAGES.has(language)) && !block.lines.some((l) => PACKAGE_MANAGER_LINE.test(l))
  );
}

function isKnownLanguage(language: string): boolean {
  return (
    SHELL_LANGUAGES.has(language) ||
    DOCKERFILE_LANGUAGES.has(language) ||
    language in JS_LANGUAGES ||
    PYTHON_LANGUAGES.has(language) ||
    GO_LANGUAGES.has(language) ||
    RUST_LANGUAGES.has(language) ||
    JVM_RUBY_PHP_DOTNET_LANGUAGES.has(language) ||
    JSON_LANGUAGES.has(language) ||
    INI_LANGUAGES.has(language) ||
    REQUIREMENTS_LANGUAGES.has(language) ||
    language === 'toml' ||
    language === 'yaml' ||
    language === 'yml'
  );
}

/** What a block without a (known) language holds, judged from its lines. */
function classifyContent(lines: string[]): BlockTarget | undefined {
  if (lines.some((line) => PROMPT.test(line))) return { kind: 'shell', form: 'console' };
  if (lines.some((line) => PACKAGE_MANAGER_LINE.test(line))) return { kind: 'shell', form: 'script' };
  const text = lines.join('\n');
  if (/^\s*[{[]/.test(text) && hasNpmDependencies(text)) return packageJsonTarget;
  const toml = pyprojectTarget(text) ?? cargoTarget(text);
  if (toml) return toml;
  const manifest = jvmRubyPhpDotnetTarget('', text);
  if (manifest) return manifest;
  // Before the JavaScript test, which Go's `import "fmt"` would pass.
  if (GO_PACKAGE_CLAUSE.test(text)) return { kind: 'snippet', filename: 'snippet.go' };
  if (looksLikeGoMod(text) && /^\s*(?:go\s+\d|require\b)/m.test(text))
    return { kind: 'snippet', filename: 'go.mod' };
  if (/^\s*(?:use\s+\w+(?:::[\w{}*, ]+)+;|extern\s+crate\s+\w+|(?:pub\s+)?fn\s+\w+\s*[(<])/m.test(text))
    return { kind: 'snippet', filename: 'snippet.rs' };
  if (
    /\brequire\s*\(\s*['"`]/.test(text) ||
    /^\s*import\s+(?:[\w*{},\s]+\s+from\s+)?['"]/m.test(text) ||
    /^\s*export\s+(?:default|const|function|class)\b/m.test(text)
  ) {
    return { kind: 'snippet', filename: 'snippet.js' };
  }
  if (
    /^\s*(?:from\s+[\w.]+\s+import\s+\S|import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*\s*$|def\s+\w+\s*\(|if\s+__name__\s*==)/m.test(
      text,
    )
  ) {
    return { kind: 'snippet', filename: 'snippet.py' };
  }
  if (looksLikeRequirements(lines)) return { kind: 'snippet', filename: 'requirements.txt' };
  return undefined;
}

/** Every line a requirement (or pip option or comment), and at least one with a version operator. */
function looksLikeRequirements(lines: string[]): boolean {
  const body = lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const requirement =
    /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[\w,\s-]*\])?\s*(?:(?:==|>=|<=|~=|!=|===|<|>)\s*[\w.*+!-]+\s*,?\s*)*(?:;.*)?$/;
  return (
    body.length > 0 &&
    body.every((l) => requirement.test(l) || /^-(?:r|c|e|-\w[\w-]*)\b/.test(l)) &&
    body.some((l) => /(?:==|>=|<=|~=|!=)/.test(l))
  );
}

/**
 * The command lines of a console session: lines after a prompt (the prompt blanked out, so columns stay)
 * and the continuation lines of a command that ends in `\`. Output lines become empty lines.
 */
function consoleCommands(lines: string[]): string {
  let continued = false;
  return lines
    .map((line) => {
      const prompt = PROMPT.exec(line)?.[1];
      let command: string | undefined;
      if (prompt) command = ' '.repeat(prompt.length) + line.slice(prompt.length);
      else if (continued) command = line.replace(/^(\s*)> /, (m) => ' '.repeat(m.length));
      continued = command?.trimEnd().endsWith('\\') === true;
      return command ?? '';
    })
    .join('\n');
}

/**
 * The shell form of a Dockerfile's `RUN` instructions (the keyword and its `--mount=…` flags blanked out,
 * continuation lines kept); other instructions, and the JSON exec form, become empty lines.
 */
function dockerfileCommands(lines: string[]): string {
  let continued = false;
  return lines
    .map((line) => {
      let command: string | undefined;
      const run = /^\s*RUN(?:\s+--\S+)*\s+/i.exec(line)?.[0];
      if (continued) command = line;
      else if (run && !line.slice(run.length).startsWith('['))
        command = ' '.repeat(run.length) + line.slice(run.length);
      continued = command?.trimEnd().endsWith('\\') === true;
      return command ?? '';
    })
    .join('\n');
}

/** Index of a run of exactly `run.length` backticks at or after `from`, or -1. */
function findBacktickRun(text: string, run: string, from: number): number {
  for (let at = text.indexOf(run, from); at !== -1; at = text.indexOf(run, at + 1)) {
    if (text[at - 1] !== '`' && text[at + run.length] !== '`') return at;
  }
  return -1;
}

/** What may stand before a command at the start of a line: a comment marker, a list bullet, a prompt. */
const COMMAND_LINE_LEAD = /^\s*(?:(?:#+|\/\/+|\/?\*+)\s*)?(?:(?:[-*+]|\d+[.)])\s+)?/;
/** Words that may introduce a command without making it part of a sentence: `e.g. pip install x`. */
const LEAD_IN = /^(?:e\.g\.|i\.e\.|eg\.?|ie\.?),?$/i;
/** Punctuation that opens a command written inside prose, and what closes it. */
const COMMAND_DELIMITERS: Readonly<Record<string, string>> = { '(': ')', "'": "'", '"': '"' };

interface Word {
  raw: string;
  start: number;
}

/**
 * Install commands on a line of prose or code that stand apart from any sentence: at the start of the line
 * (after a comment marker, a list bullet or a prompt) or after a colon, running to the end of the line or of
 * the sentence; or wrapped in parentheses or quotes, `(pip install x)`, `'npm install y'`. An install verb
 * in the middle of a sentence is followed by words, not packages ("I can add pip install directions"),
 * and so is one with an English word in it. `indent` is added to columns.
 */
function commandLine(text: string, line: number, indent: number): CommandPiece[] {
  const lead = COMMAND_LINE_LEAD.exec(text)![0].length;
  const prompt = PROMPT.exec(text.slice(lead))?.[1]?.length ?? 0;
  const from = lead + prompt;
  if (!PROSE_COMMAND_ANYWHERE.test(text.slice(from))) return [];
  const words: Word[] = [];
  const word = /\S+/g;
  word.lastIndex = from;
  for (let m = word.exec(text); m !== null; m = word.exec(text)) words.push({ raw: m[0], start: m.index });
  const pieces: CommandPiece[] = [];
  for (let i = 0; i < words.length; i++) {
    const opener = words[i]!.raw[0]!;
    const closer = Object.hasOwn(COMMAND_DELIMITERS, opener) ? COMMAND_DELIMITERS[opener] : undefined;
    const afterColon = i > 0 && /[:;]$/.test(words[i - 1]!.raw);
    const found =
      closer !== undefined
        ? delimitedCommand(words, i, opener, closer)
        : i === 0 || afterColon
          ? openCommand(words, i)
          : undefined;
    if (found === undefined) continue;
    pieces.push(commandPiece(words.slice(found[0], found[1]), line, indent));
    i = found[1] - 1;
  }
  return pieces;
}

/** Whether a command starts at word `i`: a package manager's name (or `sudo` before one, `python -m`). */
function startsCommand(words: readonly Word[], i: number): boolean {
  const head = proseWord(words[i]!.raw);
  const next = words[i + 1] ? proseWord(words[i + 1]!.raw).core : '';
  if (next === '') return false;
  return (
    (PROSE_COMMAND_WORD.test(head.core) && !head.endsSentence) ||
    (head.core === 'sudo' && PROSE_COMMAND_WORD.test(next)) ||
    (PROSE_PYTHON_WORD.test(head.core) && next === '-m')
  );
}

/** Whether word `j` of a command can be a package spec or an option (no English word, no stray quote). */
function specWord(word: Word): boolean {
  const { core } = proseWord(word.raw);
  const unbalanced = count(core, "'") % 2 === 1 || count(core, '"') % 2 === 1;
  return core !== '' && !unbalanced && !PROSE_STOP_WORDS.has(core.toLowerCase()) && PROSE_SPEC.test(core);
}

/**
 * A command at the start of a line or after a colon: its first word and the index after its last when it
 * runs to the end of the line or of its sentence (or up to a `#` comment or an aside), undefined otherwise.
 */
function openCommand(words: readonly Word[], i: number): [number, number] | undefined {
  const start = LEAD_IN.test(words[i]!.raw) ? i + 1 : i;
  if (start >= words.length || !startsCommand(words, start)) return undefined;
  for (let j = start + 1; j < words.length; j++) {
    const raw = words[j]!.raw;
    if (raw.startsWith('#') || raw.startsWith('(') || /^[^\w-]+$/.test(raw)) return [start, j];
    if (!specWord(words[j]!)) return undefined;
    if (/[.;!?]["')\]]*$/.test(raw)) return [start, j + 1];
  }
  return [start, words.length];
}

/** A command wrapped in `opener`…`closer`: its first word and the index after the word that closes it. */
function delimitedCommand(
  words: readonly Word[],
  i: number,
  opener: string,
  closer: string,
): [number, number] | undefined {
  const first = { raw: words[i]!.raw.slice(opener.length), start: words[i]!.start + opener.length };
  const inner = [first, ...words.slice(i + 1)];
  // `( pip install x )`, `(e.g. pip install x)`: the command starts at the next word.
  const start = first.raw === '' || LEAD_IN.test(first.raw) ? 1 : 0;
  if (start >= inner.length || !startsCommand(inner, start)) return undefined;
  for (let j = start + 1; j < inner.length; j++) {
    const raw = inner[j]!.raw;
    const at = raw.indexOf(closer);
    const word = at === -1 ? inner[j]! : { raw: raw.slice(0, at), start: inner[j]!.start };
    if (!specWord(word)) return undefined;
    if (at !== -1) return [start === 0 ? i : i + 1, i + j + 1];
  }
  return undefined;
}

/**
 * The command of `words` as the shell extractor reads it: words joined with single spaces (quoted where the
 * shell would see syntax, as in `requests>=2`), each word's column in the joined text mapped back to its
 * column in the answer.
 */
function commandPiece(words: readonly Word[], line: number, indent: number): CommandPiece {
  let command = '';
  const wordStarts: { at: number; column: number }[] = [];
  for (const word of words) {
    const { core, offset } = proseWord(word.raw);
    if (core === '') continue;
    if (command !== '') command += ' ';
    wordStarts.push({ at: command.length + 1, column: word.start + offset + 1 + indent });
    command += SHELL_SPECIAL.test(core) && !/['"]/.test(core) ? `'${core}'` : core;
  }
  return {
    text: command,
    line,
    columnAt: (c) => wordStarts.findLast((s) => s.at <= c)?.column ?? c + indent,
  };
}

/** A word of prose without the punctuation around it: `(npm`, `**express**`, `requests.`, `"flask>=2".` */
function proseWord(raw: string): { core: string; offset: number; endsSentence: boolean } {
  let lead = /^[(*_[]*/.exec(raw)![0].length;
  const quote = raw[lead];
  // An opening quote stays only when the word closes it: `"flask>=2"` is one shell word.
  if ((quote === '"' || quote === "'") && raw.indexOf(quote, lead + 1) === -1) lead++;
  let core = raw.slice(lead);
  const trail = /[).,;:!?*_"'\]]*$/.exec(core)![0];
  core = core.slice(0, core.length - trail.length);
  let kept = 0;
  for (const ch of trail) {
    const closes =
      (ch === ']' && count(core, '[') > count(core, ']')) ||
      ((ch === '"' || ch === "'") && count(core, ch) % 2 === 1);
    if (!closes) break;
    core += ch;
    kept++;
  }
  return { core, offset: lead, endsSentence: /[.,;:!?)]/.test(trail.slice(kept)) };
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
