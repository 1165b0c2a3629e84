import { classifyNpmSpec, isValidNpmName, type NpmTarget, splitNameAndSpec } from '../npm/spec.js';
import {
  commandName,
  hasOption,
  type ParsedArgs,
  parseArgs,
  type Resolver,
  type ShellPackage,
  type ShellWord,
} from './args.js';

/** npm's install command and its aliases (npm accepts every prefix of `install` and of the typo `isntall`). */
const NPM_INSTALL = new Set([
  'install',
  'i',
  'in',
  'ins',
  'inst',
  'insta',
  'instal',
  'isnt',
  'isnta',
  'isntal',
  'isntall',
  'add',
  'install-test',
  'it',
]);
const NPM_EXEC = new Set(['exec', 'x']);
const NPM_INIT = new Set(['init', 'create', 'innit']);

/** Options that take the next word as their value, so that word is never read as a package. */
const NPM_VALUE_OPTIONS = new Set([
  '--registry',
  '--prefix',
  '-C',
  '--workspace',
  '-w',
  '--tag',
  '--before',
  '--omit',
  '--include',
  '--install-strategy',
  '--cache',
  '--userconfig',
  '--globalconfig',
  '--loglevel',
  '--location',
  '--otp',
  '--scope',
  '--save-prefix',
  '--proxy',
  '--https-proxy',
  '--noproxy',
  '--cafile',
  '--ca',
  '--cert',
  '--key',
  '--fetch-retries',
  '--fetch-timeout',
  '--script-shell',
  '--node-options',
  '--package',
  '-p',
  '--call',
  '-c',
  '--init-module',
  '--init-author-name',
  '--init-author-email',
  '--init-author-url',
  '--init-license',
  '--init-version',
]);
const YARN_VALUE_OPTIONS = new Set([
  '--cwd',
  '--registry',
  '--modules-folder',
  '--cache-folder',
  '--global-folder',
  '--link-folder',
  '--network-timeout',
  '--mutex',
  '--use-yarnrc',
  '--preferred-cache-folder',
  '--package',
  '-p',
]);
const PNPM_VALUE_OPTIONS = new Set([
  '--filter',
  '-F',
  '--dir',
  '-C',
  '--registry',
  '--store-dir',
  '--virtual-store-dir',
  '--modules-dir',
  '--lockfile-dir',
  '--reporter',
  '--loglevel',
  '--workspace-concurrency',
  '--resolution-mode',
  '--node-linker',
  '--package',
  '--allow-build',
]);
const BUN_VALUE_OPTIONS = new Set([
  '--cwd',
  '--registry',
  '--config',
  '-c',
  '--backend',
  '--cache-dir',
  '--network-concurrency',
  '--concurrent-scripts',
  '--linker',
  '--omit',
  '--filter',
  '-F',
  '--package',
  '-p',
]);

const NON_REGISTRY = /^(?:git\+|git:|git@|github:|gitlab:|bitbucket:|gist:|https?:\/\/|file:|link:)/;

/**
 * Resolves npm, npx, yarn, pnpm, pnpx, bun and bunx commands: installs (`source: installed`) and the
 * packages that `npx`, `npm exec`, `dlx`, `bunx` and `npm init <initializer>` download and run
 * (`source: executed`).
 */
export const resolveNpm: Resolver = (words) => {
  const [head, ...args] = words;
  if (!head) return [];
  switch (commandName(head.value)) {
    case 'npm':
      return npm(args);
    case 'npx':
      return execute(args, NPM_VALUE_OPTIONS, ['--package', '-p']);
    case 'yarn':
      return yarn(args);
    case 'pnpm':
      return pnpm(args);
    case 'pnpx':
      return execute(args, PNPM_VALUE_OPTIONS, ['--package']);
    case 'bun':
      return bun(args);
    case 'bunx':
      return execute(args, BUN_VALUE_OPTIONS, ['--package', '-p']);
    default:
      return [];
  }
};

/** Splits `<global options> <subcommand> <rest>`. */
function subcommand(args: ShellWord[], valueOptions: ReadonlySet<string>) {
  const parsed = parseArgs(args, valueOptions, true);
  return { global: parsed, name: parsed.positionals[0]?.value, rest: parsed.rest };
}

function npm(args: ShellWord[]): ShellPackage[] {
  const { global, name, rest } = subcommand(args, NPM_VALUE_OPTIONS);
  if (name === undefined) return [];
  if (NPM_INSTALL.has(name)) {
    const parsed = parseArgs(rest, NPM_VALUE_OPTIONS);
    const groups = installGroups([global, parsed], {
      dev: ['-D', '--save-dev'],
      optional: ['-O', '--save-optional'],
      peer: ['--save-peer'],
    });
    return packages(parsed.positionals, 'installed', groups);
  }
  if (NPM_EXEC.has(name)) return execute(rest, NPM_VALUE_OPTIONS, ['--package', '-p']);
  if (NPM_INIT.has(name)) return create(rest, NPM_VALUE_OPTIONS);
  return [];
}

function yarn(args: ShellWord[]): ShellPackage[] {
  const { name, rest } = subcommand(args, YARN_VALUE_OPTIONS);
  switch (name) {
    case 'add': {
      const parsed = parseArgs(rest, YARN_VALUE_OPTIONS);
      const groups = installGroups([parsed], {
        dev: ['-D', '--dev'],
        optional: ['-O', '--optional'],
        peer: ['-P', '--peer'],
      });
      return packages(parsed.positionals, 'installed', groups);
    }
    case 'global': {
      const inner = subcommand(rest, YARN_VALUE_OPTIONS);
      if (inner.name !== 'add') return [];
      return packages(parseArgs(inner.rest, YARN_VALUE_OPTIONS).positionals, 'installed', ['global']);
    }
    case 'workspace': {
      // `yarn workspace <name> add x`: the workspace name is not a package.
      const workspace = parseArgs(rest, YARN_VALUE_OPTIONS, true);
      return yarn(workspace.rest);
    }
    case 'dlx':
      return execute(rest, YARN_VALUE_OPTIONS, ['--package', '-p']);
    case 'create':
      return create(rest, YARN_VALUE_OPTIONS);
    default:
      // `yarn install <pkg>` is refused by yarn ("use yarn add"), so it installs nothing.
      return [];
  }
}

function pnpm(args: ShellWord[]): ShellPackage[] {
  const { global, name, rest } = subcommand(args, PNPM_VALUE_OPTIONS);
  switch (name) {
    case 'add':
    case 'install':
    case 'i': {
      // pnpm turns `install <pkg>` into `add <pkg>`.
      const parsed = parseArgs(rest, PNPM_VALUE_OPTIONS);
      const groups = installGroups([global, parsed], {
        dev: ['-D', '--save-dev'],
        optional: ['-O', '--save-optional'],
        peer: ['--save-peer'],
      });
      return packages(parsed.positionals, 'installed', groups);
    }
    case 'dlx':
      return execute(rest, PNPM_VALUE_OPTIONS, ['--package']);
    case 'create':
      return create(rest, PNPM_VALUE_OPTIONS);
    default:
      // `pnpm exec` runs binaries already installed in the project.
      return [];
  }
}

function bun(args: ShellWord[]): ShellPackage[] {
  const { global, name, rest } = subcommand(args, BUN_VALUE_OPTIONS);
  switch (name) {
    case 'add':
    case 'a':
    case 'install':
    case 'i': {
      const parsed = parseArgs(rest, BUN_VALUE_OPTIONS);
      const groups = installGroups([global, parsed], {
        dev: ['-d', '-D', '--dev', '--development'],
        optional: ['--optional'],
        peer: ['--peer'],
      });
      return packages(parsed.positionals, 'installed', groups);
    }
    case 'x':
      return execute(rest, BUN_VALUE_OPTIONS, ['--package', '-p']);
    case 'create':
    case 'c':
      return create(rest, BUN_VALUE_OPTIONS);
    default:
      return [];
  }
}

function installGroups(
  parsed: ParsedArgs[],
  flags: { dev: string[]; optional: string[]; peer: string[] },
): string[] {
  const has = (...names: string[]) => parsed.some((p) => hasOption(p, ...names));
  const location = parsed.flatMap((p) => p.options.get('--location') ?? []).map((w) => w.value);
  if (has('-g', '--global') || location.includes('global')) return ['global'];
  if (has(...flags.dev)) return ['dev'];
  if (has(...flags.optional)) return ['optional'];
  if (has(...flags.peer)) return ['peer'];
  return [];
}

/**
 * `npx pkg args`, `npm exec -- pkg args`, `dlx pkg`: the first positional is the package and everything after
 * it belongs to the command run. With `-p/--package pkg` the positional is a binary name, not a package.
 */
function execute(args: ShellWord[], valueOptions: ReadonlySet<string>, packageOptions: string[]) {
  const parsed = parseArgs(args, valueOptions, true);
  const named = packageOptions.flatMap((option) => parsed.options.get(option) ?? []);
  return packages(named.length > 0 ? named : parsed.positionals, 'executed', []);
}

/** `npm init <initializer>` and `yarn/pnpm/bun create <initializer>` run the package `create-<initializer>`. */
function create(args: ShellWord[], valueOptions: ReadonlySet<string>): ShellPackage[] {
  const initializer = parseArgs(args, valueOptions, true).positionals[0];
  if (!initializer || initializer.dynamic) return [];
  const name = initializerPackage(initializer.value);
  return name ? packages([{ ...initializer, value: name }], 'executed', []) : [];
}

/**
 * The package an initializer names, by npm's documented rules: `foo` → `create-foo`, `@usr/foo` →
 * `@usr/create-foo`, `@usr` → `@usr/create`, with any `@version` carried over.
 */
function initializerPackage(initializer: string): string | undefined {
  if (isNonRegistryArg(initializer)) return undefined;
  const [name, spec] = splitNameAndSpec(initializer);
  const version = spec === undefined ? '' : `@${spec}`;
  if (!name.startsWith('@')) return `create-${name}${version}`;
  const slash = name.indexOf('/');
  return slash === -1
    ? `${name}/create${version}`
    : `${name.slice(0, slash)}/create-${name.slice(slash + 1)}${version}`;
}

function packages(words: ShellWord[], source: ShellPackage['source'], groups: string[]): ShellPackage[] {
  const out: ShellPackage[] = [];
  for (const word of words) {
    const target = npmArgTarget(word);
    if (!target) continue;
    const pkg: ShellPackage = { ecosystem: 'npm', name: target.name, source, word, origin: target.origin };
    if (target.version !== undefined) pkg.version = target.version;
    if (target.spec !== undefined) pkg.spec = target.spec;
    if (target.url !== undefined) pkg.url = target.url;
    if (target.alias !== undefined) pkg.alias = target.alias;
    if (target.inferred) pkg.inferred = true;
    if (groups.length > 0) pkg.groups = groups;
    out.push(pkg);
  }
  return out;
}

function isNonRegistryArg(arg: string): boolean {
  return (
    NON_REGISTRY.test(arg) ||
    /^(?:\.{1,2}|~)?\//.test(arg) ||
    arg === '.' ||
    arg === '..' ||
    /\.(?:tgz|tar\.gz|tar)$/.test(arg) ||
    // `user/repo` and `user/repo#ref` are GitHub shorthands.
    /^[\w.-]+\/[\w.-]+(?:#.*)?$/.test(arg)
  );
}

/** What one argument of an install command names; undefined for words that cannot be a package. */
function npmArgTarget(word: ShellWord): (NpmTarget & { inferred?: boolean }) | undefined {
  const arg = word.value;
  if (word.dynamic) {
    // `express@$VERSION`: the name is known even though the version is not.
    const [name] = splitNameAndSpec(arg);
    return isValidNpmName(name) ? { name, origin: 'registry' } : undefined;
  }
  if (isNonRegistryArg(arg)) {
    const name = nameOfLocation(arg);
    if (!name || !isValidNpmName(name)) return undefined;
    // classifyNpmSpec would read `./lib` as the GitHub shorthand `user/repo`, so local paths are decided here.
    const local =
      /^(?:\.{1,2}|~)?[/\\]/.test(arg) || (/\.(?:tgz|tar\.gz|tar)$/.test(arg) && !/^[a-z+]+:/.test(arg));
    const target: NpmTarget = local ? { name, origin: 'path', url: arg } : classifyNpmSpec(name, arg);
    return { ...target, inferred: true };
  }
  const [name, spec] = splitNameAndSpec(arg);
  return isValidNpmName(name) ? classifyNpmSpec(name, spec ?? '') : undefined;
}

/** `git+https://host/u/express.git#4.17.1` → `express`, `./vendor/left-pad-1.3.0.tgz` → `left-pad`. */
function nameOfLocation(location: string): string | undefined {
  const path = location.replace(/#.*$/, '').replace(/[/\\]+$/, '');
  const last = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf(':'), path.lastIndexOf('\\')) + 1);
  if (last === '.' || last === '..') return undefined;
  if (/\.(?:tgz|tar\.gz|tar)$/.test(last))
    return last.replace(/\.(?:tgz|tar\.gz|tar)$/, '').replace(/-v?\d.*$/, '');
  return last.replace(/\.git$/, '') || undefined;
}

/** A JavaScript package manager that installs a project's own dependencies (from its lockfile). */
export type ProjectInstaller = 'npm' | 'yarn' | 'pnpm' | 'bun';

/**
 * `npm install`, `npm ci`, `yarn`, `yarn install`, `pnpm install`, `bun install` with no package named: the
 * command installs what the project's manifest and lockfile say. Undefined for any other command.
 */
export function projectInstaller(words: readonly ShellWord[]): ProjectInstaller | undefined {
  const [head, ...args] = words;
  if (!head) return undefined;
  const manager = commandName(head.value);
  const table: Record<string, { options: ReadonlySet<string>; installs: ReadonlySet<string | undefined> }> = {
    npm: { options: NPM_VALUE_OPTIONS, installs: new Set([...NPM_INSTALL, 'ci', 'clean-install']) },
    yarn: { options: YARN_VALUE_OPTIONS, installs: new Set([undefined, 'install']) },
    pnpm: { options: PNPM_VALUE_OPTIONS, installs: new Set(['install', 'i']) },
    bun: { options: BUN_VALUE_OPTIONS, installs: new Set(['install', 'i']) },
  };
  const entry = table[manager];
  if (!entry) return undefined;
  const { name, rest } = subcommand(args, entry.options);
  if (!entry.installs.has(name)) return undefined;
  return parseArgs(rest, entry.options).positionals.length === 0 ? (manager as ProjectInstaller) : undefined;
}
