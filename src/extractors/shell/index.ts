import type { Command, SyntaxNode, Word } from 'unbash';
import { lazy } from '../../core/lazy.js';

const unbash = lazy<typeof import('unbash')>('unbash');

import { pushAll } from '../../core/arrays.js';
import { LineIndex } from '../../model/location.js';
import type { PackageRef } from '../../model/package-ref.js';
import { bracketNestingExceeds, nestingError } from '../nesting.js';
import type { Extractor, ExtractResult } from '../types.js';
import { commandName, parseArgs, type Resolver, type ShellPackage, type ShellWord } from './args.js';
import { resolveCargo } from './cargo.js';
import { resolveComposer } from './composer.js';
import { resolveDotnet } from './dotnet.js';
import { resolveGo } from './go.js';
import { resolveMaven } from './maven.js';
import { type ProjectInstaller, projectInstaller, resolveNpm } from './npm.js';
import { requirementFiles, resolvePip } from './pip.js';
import { resolvePipenv } from './pipenv.js';
import { resolvePoetry } from './poetry.js';
import { resolveRuby } from './ruby.js';

const ID = 'shell';

/** One resolver per package manager, by command name (after `commandName` normalisation). */
const RESOLVERS: Readonly<Record<string, Resolver>> = {
  npm: resolveNpm,
  npx: resolveNpm,
  yarn: resolveNpm,
  pnpm: resolveNpm,
  pnpx: resolveNpm,
  bun: resolveNpm,
  bunx: resolveNpm,
  pip: resolvePip,
  uv: resolvePip,
  uvx: resolvePip,
  pipx: resolvePip,
  poetry: resolvePoetry,
  pipenv: resolvePipenv,
  go: resolveGo,
  cargo: resolveCargo,
  gem: resolveRuby,
  bundle: resolveRuby,
  bundler: resolveRuby,
  composer: resolveComposer,
  dotnet: resolveDotnet,
  nuget: resolveDotnet,
  // PowerShell's Package Manager Console; PowerShell command names are case-insensitive.
  'Install-Package': resolveDotnet,
  'install-package': resolveDotnet,
  mvn: resolveMaven,
  mvnw: resolveMaven,
};

/** Python modules that `python -m <module>` runs as the package manager of the same name. */
const PYTHON_MODULES = new Set(['pip', 'pipx', 'uv', 'poetry', 'pipenv']);
const PYTHON_VALUE_OPTIONS = new Set(['-X', '-W', '-m', '-c']);

/**
 * Commands that run the command after them. The sets are the options taking a value, which must not be
 * mistaken for that command; `lookupOnly` options make the wrapper run nothing (`command -v npm`).
 */
const WRAPPERS: Readonly<Record<string, { values: ReadonlySet<string>; lookupOnly?: string[] }>> = {
  sudo: {
    values: new Set([
      '-u',
      '--user',
      '-g',
      '--group',
      '-h',
      '--host',
      '-p',
      '--prompt',
      '-C',
      '--close-from',
      '-D',
      '--chdir',
      '-r',
      '--role',
      '-t',
      '--type',
      '-T',
      '--command-timeout',
      '-U',
      '--other-user',
    ]),
  },
  doas: { values: new Set(['-u', '-C']) },
  env: { values: new Set(['-u', '--unset', '-C', '--chdir']) },
  time: { values: new Set(['-f', '--format', '-o', '--output']) },
  nohup: { values: new Set() },
  nice: { values: new Set(['-n', '--adjustment']) },
  command: { values: new Set(), lookupOnly: ['-v', '-V'] },
  exec: { values: new Set(['-a']) },
};
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh']);

/** Recovery restarts after parse errors; each re-parses the rest of the script, so they are bounded. */
const MAX_RESTARTS = 50;
/** `bash -c "…"` inside `sh -c "…"`: deeper nesting is not worth following. */
const MAX_NESTED_SCRIPTS = 3;

/**
 * Install and run commands of shell scripts, parsed with unbash. Every simple command is visited, wherever
 * it stands (`&&`, `||`, `;`, pipelines, subshells, `if`/`for` bodies, command substitutions, `sh -c '…'`);
 * wrappers (`sudo`, `env`, `VAR=x`, `time`, `nohup`, `command`, `exec`) are stripped and the command word
 * picks the package manager's resolver.
 */
export const shellScript: Extractor = {
  id: ID,
  kind: 'source',
  matches: (path) => /\.(?:sh|bash)$/.test(path),
  extract: (file) => extractShellCommands(file.text, file.path),
};

/** Refs of every install/run command in `text`; used for shell files and for commands in answers. */
export function extractShellCommands(text: string, file: string): ExtractResult {
  const { projectInstalls: _projectInstalls, ...result } = extractShellInstalls(text, file);
  return result;
}

/** What installs from files rather than names: a project's lockfile (`npm ci`), or requirement files. */
export type ProjectManager = ProjectInstaller | 'pip';

/**
 * A command that installs a project's own dependencies (`npm ci`) or the requirement files it names
 * (`pip install -r requirements.txt`: `files`, as written), and where it stands.
 */
export interface ProjectInstall {
  manager: ProjectManager;
  line: number;
  files?: string[];
}

/**
 * The refs of `extractShellCommands`, and the commands that install a project's dependencies without naming
 * any (what such a command adds is in the project's lockfile, which the caller reads).
 */
export function extractShellInstalls(
  text: string,
  file: string,
): ExtractResult & { projectInstalls: ProjectInstall[] } {
  const result: ExtractResult & { projectInstalls: ProjectInstall[] } = {
    refs: [],
    errors: [],
    facts: [],
    projectInstalls: [],
  };
  const lines = new LineIndex(text);
  const seenErrors = new Set<string>();
  const addError = (offset: number, message: string) => {
    const key = `${offset}\0${message}`;
    if (seenErrors.has(key)) return;
    seenErrors.add(key);
    const { line, column } = lines.position(offset);
    result.errors.push({ line, column, message: `shell syntax error: ${message}` });
  };
  // The syntax tree is walked by recursion, one call per level: bound the levels before parsing.
  const tooDeep = bracketNestingExceeds(text);
  if (tooDeep !== undefined) {
    result.errors.push(nestingError(tooDeep));
    return result;
  }
  const found: Found = { packages: [], projects: [] };
  walkSource(text, (pos) => pos, true, 0, found, addError);
  for (const pkg of found.packages) result.refs.push(toRef(pkg, file, lines));
  for (const project of found.projects)
    result.projectInstalls.push({
      manager: project.manager,
      line: lines.position(project.offset).line,
      ...(project.files ? { files: project.files } : {}),
    });
  return result;
}

type PositionMap = (pos: number) => number;

/** What the walk collects: packages named, and project installs (at the offset of their command word). */
interface Found {
  packages: ShellPackage[];
  projects: { manager: ProjectManager; offset: number; files?: string[] }[];
}

/**
 * Parses `source` and collects packages. unbash gives up on the rest of a script after some errors, so after
 * an error the parse restarts on the next line, and only what stands before that line is kept from the
 * earlier pass.
 */
function walkSource(
  source: string,
  toOffset: PositionMap,
  exact: boolean,
  depth: number,
  out: Found,
  addError: (offset: number, message: string) => void,
): void {
  let start = 0;
  for (let pass = 0; start < source.length; pass++) {
    const script = start === 0 ? unbash().parse(source) : unbash().parseRegion(source, start, source.length);
    const firstError = script.errors?.[0];
    const end = firstError && pass < MAX_RESTARTS ? lineEndAfter(source, firstError.pos) : source.length;
    for (const error of script.errors ?? [])
      if (error.pos < end) addError(toOffset(error.pos), error.message);
    new Walker(end, depth, out, addError).visit(script, toOffset, exact);
    start = end;
  }
}

function lineEndAfter(source: string, pos: number): number {
  const newline = source.indexOf('\n', pos);
  return newline === -1 ? source.length : newline + 1;
}

class Walker {
  constructor(
    /** Nodes starting at or after this offset belong to the next pass. */
    private readonly end: number,
    private readonly depth: number,
    private readonly out: Found,
    private readonly addError: (offset: number, message: string) => void,
  ) {}

  visit(node: SyntaxNode, toOffset: PositionMap, exact: boolean): void {
    if ('pos' in node && node.pos >= this.end) return;
    // Only substitutions hold commands inside a word; resolving the parts of every word costs a third.
    if (node.type === 'Word' && !/`|[$<>]\(/.test(node.text)) return;
    if (node.type === 'Command') this.command(node, toOffset, exact);
    if (node.type === 'CommandExpansion' || node.type === 'ProcessSubstitution') {
      const script = node.script;
      if (script?.source !== undefined) {
        // Escaped backticks are decoded into a script of their own, whose positions index the decoded text.
        const anchor = toOffset(node.pos);
        for (const error of script.errors ?? []) this.addError(anchor, error.message);
        unbash().forEachChild(script, (child) => this.visit(child, () => anchor, false));
        return;
      }
      for (const error of script?.errors ?? []) this.addError(toOffset(error.pos), error.message);
    }
    unbash().forEachChild(node, (child) => this.visit(child, toOffset, exact));
  }

  private command(command: Command, toOffset: PositionMap, exact: boolean): void {
    const words: ShellWord[] = [];
    for (const word of [command.name, ...command.args]) {
      if (word?.type !== 'Word' || word.end > this.end) continue;
      words.push({
        value: word.value,
        text: word.text,
        offset: toOffset(word.pos),
        exact,
        dynamic: isDynamic(word),
      });
    }
    pushAll(this.out.packages, this.dispatch(words));
  }

  private dispatch(words: ShellWord[]): ShellPackage[] {
    const unwrapped = unwrap(words);
    const head = unwrapped?.[0];
    if (!unwrapped || !head || head.dynamic) return [];
    const name = commandName(head.value);
    const rest = unwrapped.slice(1);
    if (name === 'python') {
      const module = pythonModule(rest);
      return module ? this.dispatch(module) : [];
    }
    if (SHELLS.has(name)) {
      this.nestedScript(rest);
      return [];
    }
    const resolver = RESOLVERS[name];
    if (resolver === resolveNpm) {
      const manager = projectInstaller(unwrapped);
      if (manager) this.out.projects.push({ manager, offset: head.offset });
    }
    if (resolver === resolvePip) {
      const files = requirementFiles(unwrapped).map((word) => word.value);
      if (files.length > 0) this.out.projects.push({ manager: 'pip', offset: head.offset, files });
    }
    return resolver ? resolver(unwrapped, (inner) => this.dispatch(inner)) : [];
  }

  /** `bash -c 'npm i x'`: the string is a script of its own. */
  private nestedScript(args: ShellWord[]): void {
    if (this.depth >= MAX_NESTED_SCRIPTS) return;
    const flagAt = args.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(w.value));
    const script = flagAt === -1 ? undefined : args[flagAt + 1];
    if (!script || script.dynamic) return;
    // Positions inside the string are exact only when it is written verbatim: bare, or quoted without escapes.
    const quoted = script.text.length === script.value.length + 2 && /^(['"]).*\1$/s.test(script.text);
    const verbatim = script.exact && (script.text === script.value || quoted);
    const start = script.offset + (quoted ? 1 : 0);
    const toOffset: PositionMap = verbatim ? (pos) => start + pos : () => script.offset;
    walkSource(script.value, toOffset, verbatim, this.depth + 1, this.out, this.addError);
  }
}

/** Strips `sudo -E`, `env -i A=1`, `time -p`, `nohup`, `command`, `exec`; undefined when nothing runs. */
function unwrap(words: ShellWord[]): ShellWord[] | undefined {
  let current = words;
  for (;;) {
    const head = current[0];
    const wrapper = head && !head.dynamic ? WRAPPERS[commandName(head.value)] : undefined;
    if (!wrapper) return current;
    let rest = current.slice(1);
    // `env A=1 B=2 cmd`: assignments before the command.
    const parsed = parseArgs(rest, wrapper.values, true);
    if (wrapper.lookupOnly?.some((option) => parsed.options.has(option))) return undefined;
    rest = parsed.positionals.length > 0 ? [parsed.positionals[0]!, ...parsed.rest] : [];
    while (rest[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0].value)) rest = rest.slice(1);
    if (rest.length === 0) return undefined;
    current = rest;
  }
}

/** `python -m pip install x` → the words `pip install x`; undefined unless a package manager module runs. */
function pythonModule(args: ShellWord[]): ShellWord[] | undefined {
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const attached = /^-m(.+)$/.exec(word.value);
    if (word.value === '-m' || attached) {
      const module = attached ? { ...word, value: attached[1]! } : args[i + 1];
      if (!module || !PYTHON_MODULES.has(module.value)) return undefined;
      return [module, ...args.slice(attached ? i + 1 : i + 2)];
    }
    // A script or `-c code` runs before any `-m` could.
    if (!word.value.startsWith('-') || word.value === '-c') return undefined;
    if (PYTHON_VALUE_OPTIONS.has(word.value)) i++;
  }
  return undefined;
}

/**
 * Expansions and brace lists make a word's run-time value unknowable. A plain glob is kept: it matches no
 * file in the usual case and stays as written, as in `pip install w==1.*`.
 */
function isDynamic(word: Word): boolean {
  for (const part of word.parts ?? []) {
    switch (part.type) {
      case 'Literal':
      case 'SingleQuoted':
      case 'AnsiCQuoted':
      case 'Glob':
        continue;
      case 'DoubleQuoted':
      case 'LocaleString':
        if (part.parts.every((child) => child.type === 'Literal')) continue;
        return true;
      default:
        return true;
    }
  }
  return false;
}

function toRef(pkg: ShellPackage, file: string, lines: LineIndex): PackageRef {
  const { line, column } = lines.position(pkg.word.offset);
  const ref: PackageRef = {
    ecosystem: pkg.ecosystem,
    name: pkg.name,
    source: pkg.source,
    extractor: ID,
    location: { file, line, column },
  };
  if (pkg.version !== undefined) ref.version = pkg.version;
  if (pkg.spec !== undefined) ref.spec = pkg.spec;
  if (pkg.origin !== undefined) ref.origin = pkg.origin;
  if (pkg.url !== undefined) ref.url = pkg.url;
  if (pkg.alias !== undefined) ref.alias = pkg.alias;
  if (pkg.groups && pkg.groups.length > 0) ref.groups = pkg.groups;
  if (pkg.inferred) ref.inferred = true;
  return ref;
}
