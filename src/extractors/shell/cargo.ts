import { cargoRequirement } from '../rust/cargo-toml.js';
import {
  commandName,
  hasOption,
  optionValues,
  type ParsedArgs,
  parseArgs,
  type Resolver,
  type ShellPackage,
  type ShellWord,
} from './args.js';

/** Options of cargo itself, before the subcommand. */
const CARGO_VALUE_OPTIONS = new Set(['--color', '--config', '-Z', '-C']);
/** `cargo add` and `cargo install` options that take the next word as value. */
const ADD_VALUE_OPTIONS = new Set([
  ...CARGO_VALUE_OPTIONS,
  '-F',
  '--features',
  '--rename',
  '--registry',
  '--index',
  '--path',
  '--git',
  '--branch',
  '--tag',
  '--rev',
  '-p',
  '--package',
  '--manifest-path',
  '--lockfile-path',
  '--target',
  '--target-dir',
  '--root',
  '--profile',
  '--version',
  '--vers',
  '-j',
  '--jobs',
  '--bin',
  '--example',
  '--message-format',
  '--timings',
]);
/** A crate name (crates.io allows letters, digits, `-` and `_`, starting with a letter). */
const CRATE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * Resolves `cargo add` (groups `dev` / `build` / `optional`, `--rename`, `--git`, `--path`),
 * `cargo install` and `cargo binstall` (group `global`: a binary for the machine, not a dependency of the
 * project). `cargo +nightly …` picks a toolchain first. In `cargo add`, `foo@1.2` is a requirement as in
 * Cargo.toml (`^1.2`); `cargo install` reads a bare `1.2.3` as that exact version.
 */
export const resolveCargo: Resolver = (words) => {
  const [head, ...args] = words;
  if (!head || commandName(head.value) !== 'cargo') return [];
  const toolchainless = args[0]?.value.startsWith('+') ? args.slice(1) : args;
  const top = parseArgs(toolchainless, CARGO_VALUE_OPTIONS, true);
  switch (top.positionals[0]?.value) {
    case 'add':
      return add(parseArgs(top.rest, ADD_VALUE_OPTIONS));
    case 'install':
    case 'binstall':
      return install(parseArgs(top.rest, ADD_VALUE_OPTIONS));
    default:
      return [];
  }
};

function add(parsed: ParsedArgs): ShellPackage[] {
  const groups = hasOption(parsed, '--dev')
    ? ['dev']
    : hasOption(parsed, '--build')
      ? ['build']
      : hasOption(parsed, '--optional')
        ? ['optional']
        : [];
  const rename = optionValues(parsed, '--rename')[0]?.value;
  const source = location(parsed);
  const named = parsed.positionals.filter((w) => !w.dynamic);
  // `cargo add --git URL` or `--path DIR` without a crate name adds the one crate found there.
  if (named.length === 0 && source) return located(source, 'installed', groups);
  return named.flatMap((word) => {
    const pkg = namedCrate(word, cargoRequirement, source);
    if (!pkg) return [];
    if (rename && named.length === 1 && rename !== pkg.name) pkg.alias = rename;
    if (groups.length > 0) pkg.groups = groups;
    return [pkg];
  });
}

function install(parsed: ParsedArgs): ShellPackage[] {
  const source = location(parsed);
  const version = optionValues(parsed, '--version', '--vers')[0]?.value;
  const named = parsed.positionals.filter((w) => !w.dynamic);
  if (named.length === 0 && source) return located(source, 'installed', ['global']);
  return named.flatMap((word) => {
    const pkg = namedCrate(word, installRequirement, source);
    if (!pkg) return [];
    if (version !== undefined && pkg.version === undefined && pkg.spec === undefined)
      Object.assign(pkg, installRequirement(version));
    pkg.groups = ['global'];
    return [pkg];
  });
}

/** `cargo install --version 1.2.3` installs exactly 1.2.3; an operator (`~1.2`, `^1`) makes it a requirement. */
function installRequirement(requirement: string): Pick<ShellPackage, 'version' | 'spec'> {
  const text = requirement.trim();
  return /^\d/.test(text) && cargoRequirement(`=${text}`).version !== undefined
    ? { version: text }
    : cargoRequirement(text);
}

/** The crate a word names (`name` or `name@requirement`), from `--git`/`--path` when given. */
function namedCrate(
  word: ShellWord,
  requirement: (text: string) => Pick<ShellPackage, 'version' | 'spec'>,
  source: Location | undefined,
): ShellPackage | undefined {
  const at = word.value.indexOf('@');
  const name = at === -1 ? word.value : word.value.slice(0, at);
  if (!CRATE_NAME.test(name)) return undefined;
  const text = at === -1 ? undefined : word.value.slice(at + 1);
  if (text === '') return undefined;
  return {
    ecosystem: 'crates.io',
    source: 'installed',
    word,
    name,
    origin: 'registry',
    ...(text === undefined ? {} : requirement(text)),
    ...source?.target,
  };
}

interface Location {
  target: Pick<ShellPackage, 'origin' | 'url'>;
  word: ShellWord;
}

/** `--git URL` or `--path DIR`: where the crates come from instead of the registry. */
function location(parsed: ParsedArgs): Location | undefined {
  const git = optionValues(parsed, '--git')[0];
  if (git && !git.dynamic) return { target: { origin: 'git', url: git.value }, word: git };
  const path = optionValues(parsed, '--path')[0];
  if (path && !path.dynamic) return { target: { origin: 'path', url: path.value }, word: path };
  return undefined;
}

/** The one crate of a git repository or folder, named after its last path segment (a guess). */
function located(source: Location, from: ShellPackage['source'], groups: string[]): ShellPackage[] {
  const last = source.word.value
    .replace(/[#?].*$/, '')
    .replace(/[/\\]+$/, '')
    .split(/[/\\:]/)
    .pop()
    ?.replace(/\.git$/, '');
  if (!last || !CRATE_NAME.test(last)) return [];
  const pkg: ShellPackage = {
    ecosystem: 'crates.io',
    name: last,
    source: from,
    word: source.word,
    inferred: true,
    ...source.target,
  };
  if (groups.length > 0) pkg.groups = groups;
  return [pkg];
}
