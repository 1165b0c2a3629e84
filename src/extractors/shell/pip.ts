import { parseRequirement, pypiTarget } from '../pypi/requirement.js';
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

/** pip's options (general and `install`) and uv's `pip` interface options that take a value. */
const PIP_VALUE_OPTIONS = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-t',
  '--target',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--root',
  '--prefix',
  '--src',
  '--upgrade-strategy',
  '--progress-bar',
  '--root-user-action',
  '--report',
  '-i',
  '--index-url',
  '--extra-index-url',
  '--index',
  '--default-index',
  '--index-strategy',
  '-f',
  '--find-links',
  '--no-binary',
  '--only-binary',
  '-C',
  '--config-settings',
  '--config-setting',
  '--global-option',
  '--build-option',
  '--log',
  '--log-file',
  '--proxy',
  '--retries',
  '--timeout',
  '--exists-action',
  '--trusted-host',
  '--allow-insecure-host',
  '--cert',
  '--client-cert',
  '--cache-dir',
  '--python',
  '-p',
  '--keyring-provider',
  '--use-feature',
  '--use-deprecated',
  '--group',
  '--extra',
  '--overrides',
  '--exclude-newer',
  '--resolution',
  '--prerelease',
  '--link-mode',
  '--config-file',
  '--directory',
  '--project',
  '-P',
  '--upgrade-package',
  '--reinstall-package',
  '--python-platform',
  '--torch-backend',
  '--color',
]);
/** uv's own subcommands (`uv add`, `uv tool install`, `uvx`) take these besides pip's. */
const UV_VALUE_OPTIONS = new Set([
  ...PIP_VALUE_OPTIONS,
  '--optional',
  '--package',
  '--script',
  '--tag',
  '--branch',
  '--rev',
  '--bounds',
  '--marker',
  '-m',
  '--from',
  '--with',
  '--with-editable',
  '--with-requirements',
  '--env-file',
]);
const PIPX_VALUE_OPTIONS = new Set([
  '--python',
  '--suffix',
  '--pip-args',
  '--index-url',
  '-i',
  '--preinstall',
  '--spec',
  '--global',
]);

/**
 * Resolves pip (any `pipX.Y`, and `python -m pip` via the dispatcher), uv (`uv pip install`, `uv add`,
 * `uv tool install`, `uv tool run`, `uv run --with`), uvx, and pipx (`install`, `inject`, `run`).
 */
export const resolvePip: Resolver = (words) => {
  const [head, ...args] = words;
  if (!head) return [];
  switch (commandName(head.value)) {
    case 'pip':
      return pipInstall(args, PIP_VALUE_OPTIONS);
    case 'uv':
      return uv(args);
    case 'uvx':
      return toolRun(args);
    case 'pipx':
      return pipx(args);
    default:
      return [];
  }
};

function pipInstall(args: ShellWord[], valueOptions: ReadonlySet<string>): ShellPackage[] {
  const parsed = parseArgs(args, valueOptions);
  const [sub, ...requirements] = parsed.positionals;
  if (sub?.value !== 'install') return [];
  // `-r file` and `-c file` name files, not packages; an editable VCS URL or path is a package.
  return pythonPackages([...requirements, ...optionValues(parsed, '-e', '--editable')], 'installed', []);
}

/**
 * The requirement files a `pip install -r FILE` (or `uv pip install -r`, `uv pip sync FILE`) installs from:
 * what it adds is in them, which the caller reads. Empty for any other command.
 */
export function requirementFiles(words: readonly ShellWord[]): ShellWord[] {
  const [head, ...args] = words;
  if (!head) return [];
  let pip: { args: ShellWord[]; options: ReadonlySet<string> } | undefined;
  const name = commandName(head.value);
  if (name === 'pip') pip = { args, options: PIP_VALUE_OPTIONS };
  else if (name === 'uv') {
    const top = parseArgs(args, UV_VALUE_OPTIONS, true);
    if (top.positionals[0]?.value === 'pip') pip = { args: top.rest, options: UV_VALUE_OPTIONS };
  }
  if (!pip) return [];
  const parsed = parseArgs(pip.args, pip.options);
  const [sub, ...named] = parsed.positionals;
  const files =
    sub?.value === 'install'
      ? optionValues(parsed, '-r', '--requirement')
      : sub?.value === 'sync' && name === 'uv'
        ? named
        : [];
  return files.filter((word) => !word.dynamic);
}

function uv(args: ShellWord[]): ShellPackage[] {
  const top = parseArgs(args, UV_VALUE_OPTIONS, true);
  switch (top.positionals[0]?.value) {
    case 'pip':
      return pipInstall(top.rest, UV_VALUE_OPTIONS);
    case 'add': {
      const parsed = parseArgs(top.rest, UV_VALUE_OPTIONS);
      return pythonPackages(parsed.positionals, 'installed', uvAddGroups(parsed));
    }
    case 'tool': {
      const tool = parseArgs(top.rest, UV_VALUE_OPTIONS, true);
      const sub = tool.positionals[0]?.value;
      if (sub === 'run') return toolRun(tool.rest);
      if (sub !== 'install') return [];
      const parsed = parseArgs(tool.rest, UV_VALUE_OPTIONS);
      const named = [...parsed.positionals.slice(0, 1), ...optionValues(parsed, '--with')];
      return pythonPackages(named, 'installed', ['global'], true);
    }
    case 'run':
      return pythonPackages(
        optionValues(parseArgs(top.rest, UV_VALUE_OPTIONS, true), '--with'),
        'executed',
        [],
      );
    default:
      return [];
  }
}

function uvAddGroups(parsed: ParsedArgs): string[] {
  if (hasOption(parsed, '--dev')) return ['dev'];
  const named = optionValues(parsed, '--group', '--optional').map((w) => w.value);
  return named.slice(0, 1);
}

/** `uvx [options] pkg[@version] args`, `uvx --from pkg cmd`, `--with extra`: what runs is downloaded. */
function toolRun(args: ShellWord[]): ShellPackage[] {
  const parsed = parseArgs(args, UV_VALUE_OPTIONS, true);
  const from = optionValues(parsed, '--from');
  const main = from.length > 0 ? from : parsed.positionals.slice(0, 1);
  return pythonPackages([...main, ...optionValues(parsed, '--with')], 'executed', [], true);
}

function pipx(args: ShellWord[]): ShellPackage[] {
  const top = parseArgs(args, PIPX_VALUE_OPTIONS, true);
  switch (top.positionals[0]?.value) {
    case 'install':
      return pythonPackages(parseArgs(top.rest, PIPX_VALUE_OPTIONS).positionals, 'installed', ['global']);
    case 'inject':
      // `pipx inject <venv> pkg...`: the first positional is an installed application's venv.
      return pythonPackages(parseArgs(top.rest, PIPX_VALUE_OPTIONS).positionals.slice(1), 'installed', [
        'global',
      ]);
    case 'run': {
      const parsed = parseArgs(top.rest, PIPX_VALUE_OPTIONS, true);
      const spec = optionValues(parsed, '--spec');
      return pythonPackages(spec.length > 0 ? spec : parsed.positionals, 'executed', []);
    }
    default:
      return [];
  }
}

/**
 * Turns requirement arguments into packages. `atVersion` accepts uv's `tool@1.2` / `tool@latest` form.
 * Words that are not valid requirements are dropped: pip would refuse them.
 */
export function pythonPackages(
  words: ShellWord[],
  source: ShellPackage['source'],
  groups: string[],
  atVersion = false,
): ShellPackage[] {
  const out: ShellPackage[] = [];
  for (const word of words) {
    const target = pythonArgTarget(word, atVersion);
    if (!target) continue;
    const pkg: ShellPackage = { ecosystem: 'PyPI', source, word, ...target };
    if (groups.length > 0) pkg.groups = groups;
    out.push(pkg);
  }
  return out;
}

type PythonTarget = Pick<ShellPackage, 'name' | 'version' | 'spec' | 'origin' | 'url' | 'inferred'>;

const VCS = /^(?:git|hg|svn|bzr)\+/;
const URL_SCHEME = /^(?:https?|ftp|file):\/\//;
const ARCHIVE = /\.(?:whl|tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/;
/** PEP 508's name rule: letters and digits at both ends, `.`, `_`, `-` between. */
const BARE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const UV_TOOL_AT = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?@([^\s/:@]+)$/;

function pythonArgTarget(word: ShellWord, atVersion: boolean): PythonTarget | undefined {
  const arg = word.value.trim();
  if (word.dynamic || arg === '' || arg === '.' || arg === '..') return undefined;
  if (atVersion) {
    const at = UV_TOOL_AT.exec(arg);
    if (at) {
      const name = at[1]!;
      const version = at[2]!;
      return version === 'latest'
        ? { name, spec: 'latest', origin: 'registry' }
        : { name, version, origin: 'registry' };
    }
  }
  const location = pythonLocationTarget(arg);
  if (location !== null) return location;
  // A bare name needs no grammar, and the grammar costs a fraction of a millisecond per call.
  if (BARE_NAME.test(arg)) return { name: arg, origin: 'registry' };
  return requirementTarget(arg);
}

/** Requirements repeat across commands and answers; the cache bounds the grammar's cost. */
const requirementTargets = new Map<string, PythonTarget | undefined>();
const REQUIREMENT_CACHE_SIZE = 2048;

function requirementTarget(arg: string): PythonTarget | undefined {
  if (requirementTargets.has(arg)) return requirementTargets.get(arg);
  const parsed = parseRequirement(arg);
  // `name@1.0` parses as a direct reference to the "URL" `1.0`; pip refuses it.
  const url = parsed.ok ? parsed.requirement.url : undefined;
  const target =
    parsed.ok && (url === undefined || /[:/\\]/.test(url)) ? pypiTarget(parsed.requirement) : undefined;
  if (requirementTargets.size >= REQUIREMENT_CACHE_SIZE) requirementTargets.clear();
  requirementTargets.set(arg, target);
  return target;
}

/**
 * A VCS URL, archive URL or local path: the name comes from `#egg=`, a wheel or sdist file name, or the last
 * path segment (then it is marked inferred). Null when the argument is not a location at all.
 */
export function pythonLocationTarget(arg: string): PythonTarget | undefined | null {
  const isVcs = VCS.test(arg);
  const isUrl = URL_SCHEME.test(arg);
  const isPath = /^(?:\.{1,2}[\\/]|[\\/]|~[\\/]?)/.test(arg) || (!isVcs && !isUrl && ARCHIVE.test(arg));
  if (!isVcs && !isUrl && !isPath) return null;
  const origin = isVcs ? 'git' : isPath || arg.startsWith('file:') ? 'path' : 'url';
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(arg)?.[1];
  if (egg) return { name: egg, origin, url: arg };
  const path = arg.replace(/[#?].*$/, '').replace(/@[^/@]*$/, (m) => (isVcs ? '' : m));
  const last =
    path
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? '';
  const archive = archiveName(last);
  if (archive) return { ...archive, origin, url: arg };
  const name = last.replace(/\.git$/, '');
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(name) || name === '..') return undefined;
  return { name, origin, url: arg, inferred: true };
}

/** `requests-2.19.0-py2.py3-none-any.whl` and `requests-2.19.0.tar.gz` → requests 2.19.0. */
function archiveName(file: string): { name: string; version: string } | undefined {
  if (file.endsWith('.whl')) {
    const [name, version] = file.split('-');
    return name && version ? { name, version } : undefined;
  }
  const sdist = /^(.+?)-(\d[^-]*?)\.(?:tar\.gz|tgz|tar\.bz2|tar\.xz|zip)$/.exec(file);
  return sdist ? { name: sdist[1]!, version: sdist[2]! } : undefined;
}
