/**
 * Which registries to ask, read from the package managers' own configuration, so that a scan asks the same
 * mirror or private registry (Artifactory, Nexus, Verdaccio, devpi) with the same credentials that
 * `npm install` and `pip install` would use. Vouch names no registry host of its own: when no
 * configuration names one, the package manager's built-in default is read from its installed files
 * (npm's `@npmcli/config` definitions, pip's `pip/_internal/models/index.py`), found through PATH and parsed
 * as text: nothing of an installed tool ever runs, and installs inside the scanned code are not looked at
 * (`trust.ts`). Credentials are kept in headers and never shown.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import ini from 'ini';
import { lazy } from '../core/lazy.js';
import type { Env } from '../core/paths.js';
import { treeSitterParser } from '../extractors/tree-sitter.js';
import { isUntrustedPath, PROJECT_CONFIG_HINT, scanTrust, type Trust, trustedPathDirs } from './trust.js';

const oxc = lazy<typeof import('oxc-parser')>('oxc-parser');

/** An installed tool's file read for its defaults is larger than this only if it is not that file. */
const MAX_TOOL_FILE_BYTES = 4 * 1024 ** 2;

export const NO_NPM_REGISTRY =
  'no npm registry configured (set registry in .npmrc or npm_config_registry), and no installed npm was found to take its default from';
export const NO_PYPI_INDEX =
  'no PyPI index configured (set index-url in pip.conf or PIP_INDEX_URL), and no installed pip was found to take its default from';

export interface NpmConfig {
  /** The default registry, ending with `/`; undefined when nothing names one (`reason` says so). */
  registry?: string;
  /** Where the registry setting came from: a file, an environment variable, or npm's built-in default. */
  source?: string;
  /** `@scope` → registry URL. */
  scopes: Record<string, string>;
  /** Every setting read, later layers over earlier ones, `${VAR}` expanded (except in untrusted files). */
  settings: Record<string, string>;
  /** What was not used of project-level configuration, once per file (`trust.ts`). */
  ignored?: string[];
}

export interface PipConfig {
  index?: string;
  source?: string;
  /** `extra-index-url`: asked when the main index does not have a name, as pip would. */
  extra: string[];
}

export function homeOf(env: Env): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/** npm's `${VAR}` / `${VAR?}` expansion in .npmrc values: an unset `${VAR}` stays as written. */
export function expandEnv(text: string, env: Env): string {
  return text.replace(
    /(?<!\\)(\\*)\$\{([^${}?]+)(\?)?\}/g,
    (whole, escapes: string, name: string, optional) => {
      if (escapes.length % 2) return whole.slice((escapes.length + 1) / 2);
      const value = env[name] ?? (optional === '?' ? '' : `\${${name}}`);
      return escapes.slice(escapes.length / 2) + value;
    },
  );
}

export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** A small text file, or undefined when it is missing, unreadable, not a regular file or too large. */
export function readSmallFile(path: string, maxBytes = MAX_TOOL_FILE_BYTES): string | undefined {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > maxBytes) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** An .npmrc's settings, `${VAR}` expanded when `env` is given. */
function readNpmrc(path: string, env: Env | undefined): Record<string, string> {
  const text = readSmallFile(path);
  if (text === undefined) return {};
  const expand = (t: string) => (env ? expandEnv(t, env) : t);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(ini.parse(text))) {
    if (typeof value === 'string') out[expand(key)] = expand(value);
    else if (typeof value === 'boolean' || typeof value === 'number') out[expand(key)] = String(value);
  }
  return out;
}

/**
 * The settings of a project `.npmrc` that may be used without trusting it: all but those that name an
 * environment variable, which would otherwise put the user's secrets (`${GITHUB_TOKEN}`) into a header for
 * a host the file chose. Credentials written out in the file are the project's own; the user's credentials
 * are bound to their registry's URL (`//host/path/:_authToken`), which a project cannot re-point.
 */
function untrustedNpmrc(values: Record<string, string>): { kept: Record<string, string>; dropped: string[] } {
  const kept: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (key.includes('${') || value.includes('${')) dropped.push(key);
    else kept[key] = value;
  }
  return { kept, dropped };
}

/** What is said once about a project file whose settings were not all used. */
export function ignoredNote(file: string, what: string): string {
  return `${file}: ${what} (registry configuration inside the scanned project is not trusted with credentials; ${PROJECT_CONFIG_HINT})`;
}

/** npm's local prefix: the nearest folder from cwd up with a package.json or node_modules. */
function localPrefix(cwd: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/**
 * The installed npm's package folder, from npm_execpath or the `npm` found on PATH: never a relative entry
 * nor one inside the scanned code, and never an install that resolves into it.
 */
export function findNpmInstall(env: Env, trust: Trust = scanTrust(process.cwd(), env)): string | undefined {
  const candidates: string[] = [];
  if (env.npm_execpath && isAbsolute(env.npm_execpath)) candidates.push(env.npm_execpath);
  for (const dir of trustedPathDirs(env, trust)) {
    candidates.push(join(dir, 'npm'));
    // Windows installs keep npm beside node: <dir>/node_modules/npm.
    candidates.push(join(dir, 'node_modules', 'npm', 'bin', 'npm-cli.js'));
  }
  for (const candidate of candidates) {
    let real: string;
    try {
      real = realpathSync(candidate);
    } catch {
      continue;
    }
    const npmDir = dirname(dirname(real));
    if (isUntrustedPath(candidate, trust) || isUntrustedPath(npmDir, trust)) continue;
    if (existsSync(join(npmDir, 'package.json')) && existsSync(join(npmDir, 'bin', 'npm-cli.js')))
      return npmDir;
  }
  return undefined;
}

const NPM_DEFINITIONS = join('node_modules', '@npmcli', 'config', 'lib', 'definitions', 'definitions.js');

/**
 * npm's built-in default registry: the `default` of `new Definition('registry', { default: '…' })` in the
 * installed npm's config definitions, read from the parsed source. The file is never loaded as code: an
 * "npm" found on PATH may be anyone's.
 */
export function npmDefaultRegistry(npmDir: string): string | undefined {
  const path = join(npmDir, NPM_DEFINITIONS);
  let stamp: string;
  try {
    const stats = statSync(path);
    stamp = `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return undefined;
  }
  // Parsing npm's definitions costs more than a warm check of ten packages: a server parses them once.
  const kept = defaultRegistries.get(path);
  if (kept?.stamp === stamp) return kept.registry;
  const registry = parseDefaultRegistry(path);
  defaultRegistries.set(path, { stamp, registry });
  return registry;
}

const defaultRegistries = new Map<string, { stamp: string; registry: string | undefined }>();

function parseDefaultRegistry(path: string): string | undefined {
  const source = readSmallFile(path);
  if (source === undefined) return undefined;
  const { parseSync, Visitor } = oxc();
  const parsed = parseSync('definitions.js', source, { lang: 'js', sourceType: 'script' });
  let found: string | undefined;
  new Visitor({
    NewExpression(node) {
      const [name, options] = node.arguments;
      if (found !== undefined || node.callee.type !== 'Identifier' || node.callee.name !== 'Definition')
        return;
      if (name?.type !== 'Literal' || name.value !== 'registry' || options?.type !== 'ObjectExpression')
        return;
      for (const property of options.properties) {
        if (property.type !== 'Property' || property.computed) continue;
        const key = property.key.type === 'Identifier' ? property.key.name : undefined;
        if (
          key === 'default' &&
          property.value.type === 'Literal' &&
          typeof property.value.value === 'string'
        )
          found = property.value.value;
      }
    },
  }).visit(parsed.program);
  return found !== undefined && /^https?:\/\//.test(found) ? withSlash(found) : undefined;
}

/**
 * npm's configuration, lowest layer first: npm's own `npmrc`, the global `<prefix>/etc/npmrc`, the user's
 * `~/.npmrc`, the project's `.npmrc`, then `npm_config_*` variables; npm's built-in default registry last.
 * Unless `trust.projectConfig`, the project's `.npmrc` gives registry URLs only (`untrustedNpmrc`).
 */
export function npmConfig(cwd: string, env: Env, trust: Trust = scanTrust(cwd, env)): NpmConfig {
  const settings: Record<string, string> = {};
  const sources: Record<string, string> = {};
  const layer = (values: Record<string, string>, source: string) => {
    for (const [key, value] of Object.entries(values)) {
      settings[key] = value;
      sources[key] = source;
    }
  };
  const ignored: string[] = [];
  const npmDir = findNpmInstall(env, trust);
  if (npmDir) layer(readNpmrc(join(npmDir, 'npmrc'), env), join(npmDir, 'npmrc'));
  const globalFile =
    env.npm_config_globalconfig ??
    join(env.npm_config_prefix ?? env.PREFIX ?? dirname(dirname(process.execPath)), 'etc', 'npmrc');
  layer(readNpmrc(globalFile, env), globalFile);
  const userFile = env.npm_config_userconfig ?? join(homeOf(env), '.npmrc');
  layer(readNpmrc(userFile, env), userFile);
  const projectFile = join(localPrefix(cwd), '.npmrc');
  if (projectFile !== userFile) {
    if (trust.projectConfig) layer(readNpmrc(projectFile, env), projectFile);
    else {
      const { kept, dropped } = untrustedNpmrc(readNpmrc(projectFile, undefined));
      layer(kept, projectFile);
      if (dropped.length > 0) ignored.push(ignoredNote(projectFile, `ignored ${dropped.join(', ')}`));
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !/^npm_config_/i.test(name)) continue;
    const key = name.slice('npm_config_'.length);
    const lower = key.toLowerCase();
    // Variables other than these are npm's flags (cache, prefix, …), not registry settings.
    if (lower === 'registry' || lower.endsWith(':registry')) layer({ [lower]: value }, name);
  }
  const config: NpmConfig = { scopes: {}, settings, ...(ignored.length > 0 ? { ignored } : {}) };
  for (const [key, value] of Object.entries(settings)) {
    const scope = /^(@[^:]+):registry$/.exec(key)?.[1];
    if (scope && value) config.scopes[scope] = withSlash(value);
  }
  if (settings.registry) {
    config.registry = withSlash(settings.registry);
    config.source = sources.registry!;
  } else if (npmDir) {
    const fallback = npmDefaultRegistry(npmDir);
    if (fallback) {
      config.registry = fallback;
      config.source = `npm's built-in default (${npmDir})`;
    }
  }
  return config;
}

/** The registry a package name is fetched from: its scope's, else the default. */
export function npmRegistryFor(config: NpmConfig, name: string): string | undefined {
  if (name.startsWith('@')) {
    const scoped = config.scopes[name.slice(0, name.indexOf('/'))];
    if (scoped) return scoped;
  }
  return config.registry;
}

/**
 * The authorization header npm would send to a registry: the most specific `//host/path/:_authToken`,
 * `:_auth` or `:username` + `:_password` setting, walking up the registry's path.
 */
export function npmAuthHeader(config: NpmConfig, registry: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(registry);
  } catch {
    return undefined;
  }
  const s = config.settings;
  for (let key = `//${parsed.host}${parsed.pathname}`; key.length > 2; key = key.replace(/([^/]+|\/)$/, '')) {
    const token = s[`${key}:_authToken`];
    if (token) return `Bearer ${token}`;
    const basic = s[`${key}:_auth`];
    if (basic) return `Basic ${basic}`;
    const user = s[`${key}:username`];
    const password = s[`${key}:_password`];
    if (user && password) {
      const plain = Buffer.from(password, 'base64').toString('utf8');
      return `Basic ${Buffer.from(`${user}:${plain}`).toString('base64')}`;
    }
  }
  return undefined;
}

/**
 * Python's configparser format as pip reads it: `[section]`, `key = value` or `key: value`, values
 * continued on indented lines, `#` and `;` comment lines.
 */
export function parsePipConf(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  let lastKey: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    if (/^\s/.test(raw) && section && lastKey !== undefined) {
      section[lastKey] = `${section[lastKey]}\n${trimmed}`.trim();
      continue;
    }
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      const name = header[1]!.trim();
      section = sections[name] ??= {};
      lastKey = undefined;
      continue;
    }
    const separator = trimmed.search(/[=:]/);
    if (separator <= 0 || !section) continue;
    // pip accepts index_url for index-url.
    lastKey = trimmed.slice(0, separator).trim().toLowerCase().replace(/_/g, '-');
    section[lastKey] = trimmed.slice(separator + 1).trim();
  }
  return sections;
}

/** pip's configuration files, lowest priority first, as pip lists them for this platform. */
function pipConfigFiles(env: Env): string[] {
  if (env.PIP_CONFIG_FILE === '/dev/null' || env.PIP_CONFIG_FILE === 'nul') return [];
  const home = homeOf(env);
  const files: string[] = [];
  if (process.platform === 'win32') {
    files.push(join(env.ProgramData ?? 'C:\\ProgramData', 'pip', 'pip.ini'));
    files.push(join(home, 'pip', 'pip.ini'));
    if (env.APPDATA) files.push(join(env.APPDATA, 'pip', 'pip.ini'));
  } else {
    const xdgDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter(Boolean);
    for (const dir of [...xdgDirs].reverse()) files.push(join(dir, 'pip', 'pip.conf'));
    files.push('/etc/pip.conf');
    files.push(join(home, '.pip', 'pip.conf'));
    if (process.platform === 'darwin')
      files.push(join(home, 'Library', 'Application Support', 'pip', 'pip.conf'));
    const xdgHome =
      env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
    files.push(join(xdgHome, 'pip', 'pip.conf'));
  }
  if (env.VIRTUAL_ENV)
    files.push(join(env.VIRTUAL_ENV, process.platform === 'win32' ? 'pip.ini' : 'pip.conf'));
  if (env.PIP_CONFIG_FILE) files.push(env.PIP_CONFIG_FILE);
  return files;
}

/** pip's index: PIP_INDEX_URL, else `index-url` of the config files ([install] over [global]), else pip's default. */
export async function pipConfig(env: Env, trust: Trust = scanTrust(process.cwd(), env)): Promise<PipConfig> {
  const config: PipConfig = { extra: [] };
  const split = (value: string) => value.split(/\s+/).filter(Boolean);
  for (const file of pipConfigFiles(env)) {
    const text = readSmallFile(file);
    if (text === undefined) continue;
    const sections = parsePipConf(text);
    for (const name of ['global', 'install']) {
      const section = sections[name];
      if (!section) continue;
      if (section['index-url']) {
        config.index = section['index-url'];
        config.source = file;
      }
      if (section['extra-index-url']) config.extra = split(section['extra-index-url']);
    }
  }
  if (env.PIP_INDEX_URL) {
    config.index = env.PIP_INDEX_URL;
    config.source = 'PIP_INDEX_URL';
  }
  if (env.PIP_EXTRA_INDEX_URL) config.extra = split(env.PIP_EXTRA_INDEX_URL);
  if (!config.index) {
    const pip = findPipInstall(env, trust);
    const fallback = pip ? await pipDefaultIndex(pip) : undefined;
    if (fallback) {
      config.index = fallback;
      config.source = `pip's built-in default (${pip})`;
    }
  }
  return config;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort().reverse();
  } catch {
    return [];
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `pip` package folders under a Python prefix (`/usr`, a virtualenv, a pyenv version). */
function pipUnder(prefix: string): string[] {
  const found: string[] = [];
  for (const lib of [join(prefix, 'lib'), join(prefix, 'local', 'lib')]) {
    for (const python of listDir(lib).filter((n) => /^python3/.test(n))) {
      for (const packages of ['site-packages', 'dist-packages'])
        found.push(join(lib, python, packages, 'pip'));
    }
  }
  found.push(join(prefix, 'Lib', 'site-packages', 'pip'));
  return found;
}

/**
 * The installed pip's package folder, without running Python: the active virtualenv's, else the one beside
 * the first `pip`/`python3` on PATH (pyenv shims lead to the selected pyenv version); never one inside the
 * scanned code.
 */
function findPipInstall(env: Env, trust: Trust): string | undefined {
  const prefixes: string[] = [];
  if (env.VIRTUAL_ENV) prefixes.push(env.VIRTUAL_ENV);
  for (const dir of trustedPathDirs(env, trust)) {
    if (!['pip', 'pip3', 'python3', 'python', 'pip.exe', 'python.exe'].some((n) => existsSync(join(dir, n))))
      continue;
    if (dir.endsWith(join('pyenv', 'shims')) || dir.endsWith(join('.pyenv', 'shims'))) {
      const root = env.PYENV_ROOT ?? dirname(dir);
      let selected = env.PYENV_VERSION;
      if (!selected) {
        try {
          selected = readFileSync(join(root, 'version'), 'utf8').split(/\s+/)[0];
        } catch {
          selected = undefined;
        }
      }
      if (selected && selected !== 'system') prefixes.push(join(root, 'versions', selected));
      continue;
    }
    prefixes.push(dirname(dir));
  }
  for (const prefix of prefixes) {
    if (isUntrustedPath(prefix, trust)) continue;
    for (const pip of pipUnder(prefix)) {
      if (
        isDir(pip) &&
        !isUntrustedPath(pip, trust) &&
        existsSync(join(pip, '_internal', 'models', 'index.py'))
      )
        return pip;
    }
  }
  return undefined;
}

/** The URL of `PyPI = PackageIndex("…")` in pip's own source, read with the Python grammar. */
async function pipDefaultIndex(pipDir: string): Promise<string | undefined> {
  const source = readSmallFile(join(pipDir, '_internal', 'models', 'index.py'));
  if (source === undefined) return undefined;
  const parser = await treeSitterParser('tree-sitter-python/tree-sitter-python.wasm');
  const tree = parser.parse(source);
  if (!tree) return undefined;
  try {
    for (const statement of tree.rootNode.namedChildren) {
      const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : undefined;
      if (assignment?.type !== 'assignment') continue;
      if (assignment.childForFieldName('left')?.text !== 'PyPI') continue;
      const call = assignment.childForFieldName('right');
      if (call?.type !== 'call' || call.childForFieldName('function')?.text !== 'PackageIndex') continue;
      const first = call.childForFieldName('arguments')?.namedChild(0);
      if (first?.type !== 'string') return undefined;
      const content = first.namedChildren.find((c) => c?.type === 'string_content')?.text;
      if (!content || !/^https?:\/\//.test(content)) return undefined;
      // pip's index is the host; its Simple API lives under /simple/.
      return `${withSlash(content)}simple/`;
    }
    return undefined;
  } finally {
    tree.delete();
  }
}

export interface PypiEndpoints {
  /** The PEP 503/691 Simple API base, ending with `/`. */
  simple: string;
  /** The JSON API base (`<base>/pypi/`), when the index is laid out like PyPI's (`…/simple/`). */
  json?: string;
}

/** `https://host/simple` → Simple API `https://host/simple/`, JSON API `https://host/pypi/`. */
export function pypiEndpoints(indexUrl: string): PypiEndpoints {
  const simple = withSlash(indexUrl);
  const match = /^(.*\/)simple\/$/.exec(simple);
  return match ? { simple, json: `${match[1]}pypi/` } : { simple };
}
