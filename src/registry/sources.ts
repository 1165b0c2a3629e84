/**
 * Which registries to ask for Maven, Go, crates.io, RubyGems, Packagist and NuGet packages, read from each
 * tool's own configuration so that a scan asks the mirror or private registry the tool would use, with the
 * same credentials (kept in headers, never shown). Where the tool ships its default in a readable file
 * (Go's `$GOROOT/go.env`, the super POM inside an installed Maven, RubyGems' `defaults.rb`), it is read from
 * there without running anything; when nothing names a registry, the ecosystem's documented public default
 * (PUBLIC_DEFAULTS) is asked, as the tool itself would. npm has no entry: its registry comes only from npm's
 * own configuration.
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { pushAll } from '../core/arrays.js';
import { isObject } from '../core/json.js';
import type { Env } from '../core/paths.js';
import { treeSitterParser } from '../extractors/tree-sitter.js';
import { attribute, childElement, childElements, childText, parseXml } from '../extractors/xml-tree.js';
import { homeOf, ignoredNote, readSmallFile, withSlash } from './config.js';
import { isUntrustedPath, scanTrust, type Trust, trustedPathDirs } from './trust.js';

/**
 * The public registry each tool uses when its configuration names none, as each tool documents it: Maven
 * Central (the super POM's central), the Go module proxy (GOPROXY's default), the crates.io sparse index
 * (Cargo's default protocol since 1.70), RubyGems.org (`Gem.default_sources`), Packagist (Composer's
 * packagist.org repository), and nuget.org's v3 service index (the default NuGet.Config).
 */
export const PUBLIC_DEFAULTS = {
  maven: 'https://repo.maven.apache.org/maven2/',
  go: 'https://proxy.golang.org/',
  crates: 'https://index.crates.io/',
  rubygems: 'https://rubygems.org/',
  packagist: 'https://repo.packagist.org/',
  nuget: 'https://api.nuget.org/v3/index.json',
} as const;

function publicDefault(tool: string, url: string): RegistrySources {
  return {
    sources: [{ url }],
    origin: `${tool}${tool.endsWith('s') ? "'" : "'s"} documented public default`,
  };
}

export const NO_COMPOSER_REPOSITORY =
  'packagist.org is turned off and no other Composer repository is configured (add a repository of type composer to composer.json or COMPOSER_HOME/config.json, or pass --packagist-repository)';

export interface RegistrySource {
  /** The base URL (for NuGet, the service index), ending with `/` unless it names a document. */
  url: string;
  /** The Authorization header to send; never shown. */
  auth?: string;
}

export interface RegistrySources {
  /** Asked in order: a package is missing only when every one of them says so. */
  sources: RegistrySource[];
  /** Where the setting came from: a file, a variable, an option, or the tool's built-in default. */
  origin?: string;
  /** Why there is no source: the `unchecked` reason. */
  reason?: string;
  /**
   * Why "not found" from every source does not settle it: the tool would also look somewhere Vouch cannot
   * (a local folder feed, a VCS repository, a default repository Vouch does not know).
   */
  inconclusive?: string;
  /** What was not used of project-level configuration, once per file (`trust.ts`). */
  ignored?: string[];
}

export interface GoSources extends RegistrySources {
  /** GONOPROXY (default GOPRIVATE) patterns: modules the go command fetches without the proxy. */
  private: string[];
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

function readText(path: string): string | undefined {
  return readSmallFile(path);
}

/** The real path of the first `name` on PATH (symlinks resolved) outside the scanned code, or undefined. */
function findExecutable(name: string, env: Env, trust: Trust): string | undefined {
  const names = process.platform === 'win32' ? [`${name}.exe`, `${name}.cmd`, `${name}.bat`, name] : [name];
  for (const dir of trustedPathDirs(env, trust)) {
    for (const candidate of names) {
      let real: string;
      try {
        real = realpathSync(join(dir, candidate));
      } catch {
        continue;
      }
      if (!isUntrustedPath(real, trust)) return real;
    }
  }
  return undefined;
}

function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** The parent folders of `dir`, nearest first, `dir` included. */
function upwards(dir: string): string[] {
  const out: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    out.push(current);
    if (dirname(current) === current) return out;
  }
}

// ---------------------------------------------------------------------------------------------- Maven

/**
 * Maven: a `<mirror>` of central (`<mirrorOf>` `central`, `*` or `external:*`) in `~/.m2/settings.xml`, then
 * in the installed Maven's `conf/settings.xml`, with the credentials of the `<server>` of the same id; else
 * the `central` repository of the super POM inside the installed Maven (`lib/maven-model-builder-*.jar`).
 */
export async function mavenSources(
  env: Env,
  trust: Trust = scanTrust(process.cwd(), env),
): Promise<RegistrySources> {
  const mavenHome = env.MAVEN_HOME ?? env.M2_HOME ?? mavenHomeOnPath(env, trust);
  const files = [join(homeOf(env), '.m2', 'settings.xml')];
  if (mavenHome) files.push(join(mavenHome, 'conf', 'settings.xml'));
  for (const file of files) {
    const text = readText(file);
    if (text === undefined) continue;
    const mirror = centralMirror(text);
    if (mirror) return { sources: [mirror], origin: file };
  }
  const central = mavenHome ? await superPomCentral(mavenHome) : undefined;
  if (central) return { sources: [{ url: central }], origin: `Maven's built-in default (${mavenHome})` };
  return publicDefault('Maven', PUBLIC_DEFAULTS.maven);
}

function mavenHomeOnPath(env: Env, trust: Trust): string | undefined {
  const mvn = findExecutable('mvn', env, trust);
  return mvn ? dirname(dirname(mvn)) : undefined;
}

/** The first mirror of central in a settings.xml, with its server's credentials when in plain text. */
function centralMirror(text: string): RegistrySource | undefined {
  const { root } = parseXml(text);
  for (const mirror of childElements(childElement(root, 'mirrors'), 'mirror')) {
    const url = childText(mirror, 'url');
    const mirrorOf = (childText(mirror, 'mirrorOf') ?? '').split(',').map((p) => p.trim());
    if (!url || !isHttpUrl(url) || mirrorOf.includes('!central')) continue;
    if (!mirrorOf.some((p) => p === 'central' || p === '*' || p === 'external:*')) continue;
    const source: RegistrySource = { url: withSlash(url) };
    const id = childText(mirror, 'id');
    const server = childElements(childElement(root, 'servers'), 'server').find(
      (s) => id !== undefined && childText(s, 'id') === id,
    );
    const user = childText(server, 'username');
    const password = childText(server, 'password');
    // `{…}` is a password encrypted with settings-security.xml's master password, which Vouch does not read.
    if (user && password && !/^\{.*\}$/.test(password)) source.auth = basicAuth(user, password);
    return source;
  }
  return undefined;
}

/** The `central` repository URL of the super POM in the installed Maven's model builder. */
async function superPomCentral(mavenHome: string): Promise<string | undefined> {
  const lib = join(mavenHome, 'lib');
  let jar: string | undefined;
  try {
    jar = readdirSync(lib).find((n) => /^maven-model-builder-.*\.jar$/.test(n));
  } catch {
    return undefined;
  }
  if (!jar) return undefined;
  const pom = await zipEntry(join(lib, jar), 'org/apache/maven/model/pom-4.0.0.xml');
  if (!pom) return undefined;
  const { root } = parseXml(pom);
  for (const repository of childElements(childElement(root, 'repositories'), 'repository')) {
    const url = childText(repository, 'url');
    if (childText(repository, 'id') === 'central' && url && isHttpUrl(url)) return withSlash(url);
  }
  return undefined;
}

async function zipEntry(path: string, wanted: string): Promise<string | undefined> {
  const yauzl = await import('yauzl');
  let zip: import('yauzl').ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, validateEntrySizes: true });
  } catch {
    return undefined;
  }
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName !== wanted || entry.uncompressedSize > 1024 ** 2) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    zip.close();
  }
}

// ------------------------------------------------------------------------------------------------- Go

/** A `go env` setting the way the go command resolves it: the variable, the GOENV file, `$GOROOT/go.env`. */
function goEnv(env: Env, trust: Trust): { get(key: string): { value: string; origin: string } | undefined } {
  const layers: { values: Record<string, string>; origin: string }[] = [];
  const userFile = goEnvFile(env);
  if (userFile) {
    const text = readText(userFile);
    if (text !== undefined) layers.push({ values: parseGoEnv(text), origin: userFile });
  }
  const goroot = env.GOROOT || goRootOnPath(env, trust);
  if (goroot) {
    const file = join(goroot, 'go.env');
    const text = readText(file);
    if (text !== undefined)
      layers.push({ values: parseGoEnv(text), origin: `Go's built-in default (${file})` });
  }
  return {
    get(key) {
      const value = env[key];
      if (value) return { value, origin: key };
      for (const layer of layers) {
        const found = layer.values[key];
        if (found) return { value: found, origin: layer.origin };
      }
      return undefined;
    },
  };
}

/** The file `go env -w` writes: GOENV, else `go/env` in the user's configuration folder. */
function goEnvFile(env: Env): string | undefined {
  if (env.GOENV === 'off') return undefined;
  if (env.GOENV) return env.GOENV;
  const home = homeOf(env);
  if (process.platform === 'win32') return env.APPDATA ? join(env.APPDATA, 'go', 'env') : undefined;
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'go', 'env');
  const xdg =
    env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(xdg, 'go', 'env');
}

function goRootOnPath(env: Env, trust: Trust): string | undefined {
  const go = findExecutable('go', env, trust);
  return go ? dirname(dirname(go)) : undefined;
}

/** `KEY=VALUE` lines, as cmd/go/internal/cfg reads go.env and the GOENV file. */
function parseGoEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

/**
 * GOPROXY's proxy URLs, in order, up to `direct` or `off` (the go command stops there: `direct` answers
 * everything from the modules' repositories, which Vouch does not ask). A failure or a 404/410 from one
 * proxy moves on to the next; a module is missing only when all of them say so.
 */
export function goSources(env: Env, trust: Trust = scanTrust(process.cwd(), env)): GoSources {
  const settings = goEnv(env, trust);
  const proxy = settings.get('GOPROXY');
  const privatePatterns = (settings.get('GONOPROXY') ?? settings.get('GOPRIVATE'))?.value ?? '';
  const patterns = privatePatterns
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!proxy) return { ...publicDefault('Go', PUBLIC_DEFAULTS.go), private: patterns };
  const sources: RegistrySource[] = [];
  for (const entry of proxy.value.split(/[,|]/).map((e) => e.trim())) {
    if (entry === 'direct' || entry === 'off') break;
    if (isHttpUrl(entry)) sources.push({ url: withSlash(entry) });
  }
  if (sources.length === 0)
    return {
      sources,
      private: patterns,
      origin: proxy.origin,
      reason: `GOPROXY (${proxy.origin}) names no proxy Vouch can ask ('${proxy.value}'): the go command fetches from the modules' repositories; set GOPROXY to a proxy, or pass --go-proxy`,
    };
  return { sources, private: patterns, origin: proxy.origin };
}

/**
 * golang.org/x/mod/module.MatchPrefixPatterns: a pattern of n path elements matches the first n elements
 * of the module path, by path.Match glob rules (`*` and `?` never cross a `/`).
 */
export function matchesGoPrivate(patterns: readonly string[], modulePath: string): boolean {
  const elements = modulePath.split('/');
  return patterns.some((pattern) => {
    const count = pattern.replace(/\/+$/, '').split('/').length;
    if (elements.length < count) return false;
    return globToRegExp(pattern.replace(/\/+$/, '')).test(elements.slice(0, count).join('/'));
  });
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else out += ch.replace(/[.+^${}()|\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

// ------------------------------------------------------------------------------------------- crates.io

type TomlTable = Record<string, unknown>;

/** A JSON object from a configuration file's text; undefined for anything else (the file is skipped). */
function jsonTable(text: string | undefined): TomlTable | undefined {
  if (text === undefined) return undefined;
  try {
    const doc: unknown = JSON.parse(text);
    return isObject(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

async function readToml(path: string): Promise<TomlTable | undefined> {
  const text = readText(path);
  if (text === undefined) return undefined;
  try {
    const { parse } = await import('smol-toml');
    return parse(text) as TomlTable;
  } catch {
    return undefined;
  }
}

/** The registry name's environment form: `my-mirror` → `MY_MIRROR`. */
function cargoEnvName(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** The `[source]` and `[registries]` tables of Cargo configuration files, later files over earlier ones. */
interface CargoTables {
  sources: Record<string, TomlTable>;
  registries: Record<string, TomlTable>;
  origins: Record<string, string>;
}

async function cargoTables(files: readonly string[]): Promise<CargoTables> {
  const tables: CargoTables = { sources: {}, registries: {}, origins: {} };
  for (const file of files) {
    const toml = await readToml(file);
    if (!toml) continue;
    for (const [table, into] of [
      ['source', tables.sources],
      ['registries', tables.registries],
    ] as const) {
      const entries = toml[table];
      if (!isObject(entries)) continue;
      for (const [name, value] of Object.entries(entries))
        if (isObject(value)) {
          into[name] = { ...into[name], ...value };
          tables.origins[`${table}.${name}`] = file;
        }
    }
  }
  return tables;
}

/** The index a registry or source name stands for in these tables, as written (`sparse+…`). */
function cargoIndex(tables: CargoTables, name: string, env: Env): string | undefined {
  const source = tables.sources[name] ?? {};
  const declared = tables.registries[name]?.index;
  return (
    (typeof source.registry === 'string' ? source.registry : undefined) ??
    env[`CARGO_REGISTRIES_${cargoEnvName(name)}_INDEX`] ??
    (typeof declared === 'string' ? declared : undefined)
  );
}

/**
 * Cargo: what `[source.crates-io] replace-with` leads to (following replacements), in the `.cargo/config.toml`
 * files from the project up and `$CARGO_HOME/config.toml`, nearer files first; the replacement's
 * `registry = "sparse+…"` or `[registries.<name>] index` (or `CARGO_REGISTRIES_<NAME>_INDEX`). Only sparse
 * indexes are read over HTTP: a git index, a local registry or vendored sources are a reason instead. The
 * token comes from `CARGO_REGISTRIES_<NAME>_TOKEN` or `$CARGO_HOME/credentials.toml`. A token belongs to a
 * registry name, so it is sent only where the user's own configuration points that name: the project's files
 * (those found walking up from the working directory) may choose the index, not where the user's token goes,
 * unless `trust.projectConfig`.
 */
export async function cratesSources(
  cwd: string,
  env: Env,
  trust: Trust = scanTrust(cwd, env),
): Promise<RegistrySources> {
  const cargoHome = env.CARGO_HOME || join(homeOf(env), '.cargo');
  const userFiles = [join(cargoHome, 'config'), join(cargoHome, 'config.toml')];
  const projectFiles = upwards(cwd)
    .flatMap((dir) => [join(dir, '.cargo', 'config'), join(dir, '.cargo', 'config.toml')])
    .filter((file) => !userFiles.includes(file));
  // Farthest first, so that nearer files override.
  const files = [...projectFiles, ...userFiles].reverse();
  const tables = await cargoTables(files);
  let name = 'crates-io';
  const seen = new Set<string>();
  for (;;) {
    const next = tables.sources[name]?.['replace-with'];
    if (typeof next !== 'string' || seen.has(next)) break;
    seen.add(name);
    name = next;
  }
  if (name === 'crates-io') return publicDefault('Cargo', PUBLIC_DEFAULTS.crates);
  const origin =
    tables.origins[`source.${name}`] ?? tables.origins[`registries.${name}`] ?? 'Cargo configuration';
  const source = tables.sources[name] ?? {};
  if (typeof source['local-registry'] === 'string' || typeof source.directory === 'string')
    return {
      sources: [],
      origin,
      reason: `crates.io is replaced by vendored sources ('${name}' in ${origin}), which are not a registry; pass --crates-index to check against one`,
    };
  const index = cargoIndex(tables, name, env);
  if (!index)
    return { sources: [], origin, reason: `the crates.io replacement '${name}' (${origin}) names no index` };
  if (!index.startsWith('sparse+'))
    return {
      sources: [],
      origin,
      reason: `the crates.io replacement '${name}' (${origin}) is a git index, which Vouch does not read; name a sparse index (sparse+https://…) or pass --crates-index`,
    };
  const token =
    env[`CARGO_REGISTRIES_${cargoEnvName(name)}_TOKEN`] ??
    (await cargoCredential(join(cargoHome, 'credentials.toml'), name)) ??
    (await cargoCredential(join(cargoHome, 'credentials'), name));
  const url = withSlash(index.slice('sparse+'.length));
  const found: RegistrySource = { url };
  const result: RegistrySources = { sources: [found], origin };
  if (!token) return result;
  const userIndex = cargoIndex(await cargoTables([...userFiles].reverse()), name, env);
  if (trust.projectConfig || userIndex === index) found.auth = token;
  else
    result.ignored = [
      ignoredNote(
        origin,
        `points registry '${name}' at ${url}; the token configured for '${name}' is not sent there`,
      ),
    ];
  return result;
}

async function cargoCredential(file: string, name: string): Promise<string | undefined> {
  const toml = await readToml(file);
  const registries = toml?.registries;
  const entry = isObject(registries) ? registries[name] : undefined;
  return isObject(entry) && typeof entry.token === 'string' ? entry.token : undefined;
}

// -------------------------------------------------------------------------------------------- RubyGems

/**
 * RubyGems: `:sources:` of the gemrc files (`/etc/gemrc`, `~/.gemrc`, then the files GEMRC lists; the last
 * that sets it wins); else `Gem.default_sources` in the installed RubyGems' `rubygems/defaults.rb`, read with
 * the Ruby grammar, found through the `gem` or `ruby` on PATH (rbenv shims lead to the selected version).
 */
export async function rubygemsSources(
  env: Env,
  trust: Trust = scanTrust(process.cwd(), env),
): Promise<RegistrySources> {
  const files = ['/etc/gemrc', join(homeOf(env), '.gemrc')];
  if (env.GEMRC) pushAll(files, env.GEMRC.split(delimiter).filter(Boolean));
  let found: RegistrySources | undefined;
  for (const file of files) {
    const text = readText(file);
    if (text === undefined) continue;
    const listed = await gemrcSources(text);
    // Credentials written into a source URL (`https://user:token@host/`) are sent as a header by the HTTP client.
    if (listed && listed.length > 0)
      found = { sources: listed.map((url) => ({ url: withSlash(url) })), origin: file };
  }
  if (found) return found;
  for (const defaults of rubygemsDefaultsFiles(env, trust)) {
    const text = readText(defaults);
    if (text === undefined) continue;
    const url = await rubygemsDefaultSource(text);
    if (url)
      return { sources: [{ url: withSlash(url) }], origin: `RubyGems' built-in default (${defaults})` };
  }
  return publicDefault('RubyGems', PUBLIC_DEFAULTS.rubygems);
}

/** The `:sources:` list of a gemrc (YAML whose keys are Ruby symbols). */
async function gemrcSources(text: string): Promise<string[] | undefined> {
  try {
    const { parse } = await import('yaml');
    const doc = parse(text) as unknown;
    if (!isObject(doc)) return undefined;
    const list = doc[':sources'] ?? doc.sources;
    return Array.isArray(list)
      ? list.filter((s): s is string => typeof s === 'string' && isHttpUrl(s))
      : undefined;
  } catch {
    return undefined;
  }
}

function rubygemsDefaultsFiles(env: Env, trust: Trust): string[] {
  const prefixes: string[] = [];
  for (const dir of trustedPathDirs(env, trust)) {
    if (!dir.endsWith(join('.rbenv', 'shims'))) continue;
    const root = env.RBENV_ROOT ?? dirname(dir);
    const version = env.RBENV_VERSION ?? readText(join(root, 'version'))?.split(/\s+/)[0];
    if (version && version !== 'system') prefixes.push(join(root, 'versions', version));
  }
  for (const name of ['gem', 'ruby']) {
    const found = findExecutable(name, env, trust);
    if (found) prefixes.push(dirname(dirname(found)));
  }
  const files: string[] = [];
  for (const prefix of [...new Set(prefixes)]) {
    const lib = join(prefix, 'lib', 'ruby');
    // `gem update --system` installs into site_ruby, which Ruby loads first.
    for (const area of [join(lib, 'site_ruby'), lib]) {
      let versions: string[] = [];
      try {
        versions = readdirSync(area).filter((n) => /^\d/.test(n));
      } catch {}
      for (const version of versions.sort().reverse())
        files.push(join(area, version, 'rubygems', 'defaults.rb'));
    }
  }
  return files.filter((f) => existsSync(f));
}

/** The first URL of `def self.default_sources` in RubyGems' defaults.rb. */
export async function rubygemsDefaultSource(source: string): Promise<string | undefined> {
  const parser = await treeSitterParser('tree-sitter-ruby/tree-sitter-ruby.wasm');
  const tree = parser.parse(source);
  if (!tree) return undefined;
  try {
    for (const method of tree.rootNode.descendantsOfType('singleton_method')) {
      if (method?.childForFieldName('name')?.text !== 'default_sources') continue;
      for (const literal of method.descendantsOfType(['string_content'])) {
        const text = literal?.text ?? '';
        if (isHttpUrl(text)) return text;
      }
    }
    return undefined;
  } finally {
    tree.delete();
  }
}

// ------------------------------------------------------------------------------------------- Composer

/**
 * Composer: the repositories of type `composer` in the project's composer.json (the nearest one up from the
 * working directory, or the file COMPOSER names), then in `COMPOSER_HOME/config.json`, with credentials from
 * COMPOSER_AUTH and the auth.json files (`http-basic`, `bearer`). Composer also asks its default repository
 * unless `"packagist.org": false` turns it off, and repositories of other types (vcs, path, package) may
 * provide a package too: then "not found" from the composer repositories is not the last word. Credentials
 * belong to a host (auth.json, COMPOSER_AUTH), so the user's reach only the user's own hosts wherever a
 * repository URL comes from: a project's composer.json needs no less trust than Composer gives it.
 */
export function composerSources(cwd: string, env: Env): RegistrySources {
  const fileName = env.COMPOSER || 'composer.json';
  const project = upwards(cwd)
    .map((dir) => join(dir, fileName))
    .find((f) => existsSync(f));
  const home = composerHome(env);
  const layers: { file: string; auth: string }[] = [];
  if (project) layers.push({ file: project, auth: join(dirname(project), 'auth.json') });
  if (home) layers.push({ file: join(home, 'config.json'), auth: join(home, 'auth.json') });
  const sources: RegistrySource[] = [];
  const origins: string[] = [];
  const others = new Set<string>();
  let defaultOff = false;
  const auth = composerAuth([env.COMPOSER_AUTH, ...layers.map((l) => readText(l.auth))]);
  for (const { file } of layers) {
    const doc = jsonTable(readText(file));
    if (!doc) continue;
    const repositories = doc.repositories;
    const entries: [string | undefined, unknown][] = Array.isArray(repositories)
      ? repositories.map((r) => [undefined, r])
      : isObject(repositories)
        ? Object.entries(repositories)
        : [];
    for (const [key, entry] of entries) {
      if ((key === 'packagist.org' || key === 'packagist') && entry === false) defaultOff = true;
      if (!isObject(entry)) continue;
      if (entry['packagist.org'] === false || entry.packagist === false) {
        defaultOff = true;
        continue;
      }
      const url = typeof entry.url === 'string' ? entry.url : undefined;
      if (entry.type === 'composer' && url && isHttpUrl(url)) {
        const source: RegistrySource = { url: withSlash(url) };
        const header = auth(url);
        if (header) source.auth = header;
        sources.push(source);
        if (!origins.includes(file)) origins.push(file);
      } else if (typeof entry.type === 'string') others.add(entry.type);
    }
  }
  // Composer asks packagist.org after the repositories configured, unless it is turned off.
  if (!defaultOff) {
    sources.push({ url: PUBLIC_DEFAULTS.packagist });
    origins.push("Composer's documented public default");
  }
  if (sources.length === 0) return { sources, reason: NO_COMPOSER_REPOSITORY };
  const result: RegistrySources = { sources, origin: origins.join(', ') };
  if (others.size > 0)
    result.inconclusive = `Composer would also look in the ${[...others].join(', ')} repositories configured beside them, which Vouch does not read`;
  return result;
}

function composerHome(env: Env): string | undefined {
  if (env.COMPOSER_HOME) return env.COMPOSER_HOME;
  const home = homeOf(env);
  if (process.platform === 'win32') return env.APPDATA ? join(env.APPDATA, 'Composer') : undefined;
  const xdg =
    env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(home, '.config');
  const candidates = [join(xdg, 'composer'), join(home, '.composer')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/** The Authorization header for a repository URL, from auth.json-shaped documents (first match wins). */
function composerAuth(texts: (string | undefined)[]): (url: string) => string | undefined {
  const basic = new Map<string, string>();
  const bearer = new Map<string, string>();
  for (const text of texts) {
    const doc = jsonTable(text);
    if (!doc) continue;
    if (isObject(doc['http-basic']))
      for (const [host, value] of Object.entries(doc['http-basic']))
        if (isObject(value) && typeof value.username === 'string' && typeof value.password === 'string')
          if (!basic.has(host)) basic.set(host, basicAuth(value.username, value.password));
    if (isObject(doc.bearer))
      for (const [host, token] of Object.entries(doc.bearer))
        if (typeof token === 'string' && !bearer.has(host)) bearer.set(host, `Bearer ${token}`);
  }
  return (url) => {
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return undefined;
    }
    return basic.get(host) ?? bearer.get(host);
  };
}

// ---------------------------------------------------------------------------------------------- NuGet

const NUGET_CONFIG_NAMES = ['nuget.config', 'NuGet.config', 'NuGet.Config'];

/**
 * NuGet: `<packageSources>` of the NuGet.Config files NuGet reads (the user's, then those from the file
 * system root down to the working directory, a nearer file's `<clear/>` dropping the sources before it),
 * less `<disabledPackageSources>`, with `<packageSourceCredentials>` in clear text. v3 sources (a service
 * index, `…/index.json`) are asked; local folders and v2 feeds are not, and make "not found" inconclusive.
 * Credentials belong to a source key: unless `trust.projectConfig`, the user's are sent only to the URL the
 * user's own NuGet.Config gives that key (a project file that re-points the key gets none); credentials a
 * project file writes are its own, and go where that project's sources point.
 */
export function nugetSources(cwd: string, env: Env, trust: Trust = scanTrust(cwd, env)): RegistrySources {
  const files: string[] = [];
  const user =
    process.platform === 'win32'
      ? env.APPDATA
        ? join(env.APPDATA, 'NuGet', 'NuGet.Config')
        : undefined
      : join(homeOf(env), '.nuget', 'NuGet', 'NuGet.Config');
  if (user) files.push(user);
  for (const dir of upwards(cwd).reverse()) {
    const found = NUGET_CONFIG_NAMES.map((n) => join(dir, n)).find((f) => existsSync(f));
    if (found && found !== user) files.push(found);
  }
  const sources = new Map<string, { url: string; protocol?: string; origin: string }>();
  /** Key → URL as the user's own file has it: where the user's credentials for the key may go. */
  const userUrls = new Map<string, string>();
  const disabled = new Set<string>();
  const credentials = new Map<string, { auth: string; user: boolean }>();
  const ignored: string[] = [];
  for (const file of files) {
    const text = readText(file);
    if (text === undefined) continue;
    const { root } = parseXml(text);
    for (const element of childElement(root, 'packageSources')?.children ?? []) {
      const key = attribute(element, 'key');
      if (element.name === 'clear') sources.clear();
      else if (element.name === 'remove' && key) sources.delete(key);
      else if (element.name === 'add' && key) {
        const value = attribute(element, 'value');
        if (!value) continue;
        const protocol = attribute(element, 'protocolVersion');
        sources.set(key, { url: value, origin: file, ...(protocol ? { protocol } : {}) });
        if (file === user) userUrls.set(key, value);
      }
    }
    for (const element of childElements(childElement(root, 'disabledPackageSources'), 'add')) {
      const key = attribute(element, 'key');
      if (key && attribute(element, 'value')?.toLowerCase() === 'true') disabled.add(key);
    }
    for (const source of childElement(root, 'packageSourceCredentials')?.children ?? []) {
      const values = new Map(
        childElements(source, 'add').map((a) => [attribute(a, 'key')?.toLowerCase(), attribute(a, 'value')]),
      );
      const userName = values.get('username');
      const password = values.get('cleartextpassword');
      // Element names encode spaces as _x0020_ (XmlConvert.EncodeName).
      const key = source.name.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
      if (userName && password)
        credentials.set(key, { auth: basicAuth(userName, password), user: file === user });
    }
  }
  const usable: RegistrySource[] = [];
  const unreadable: string[] = [];
  const origins = new Set<string>();
  for (const [key, source] of sources) {
    if (disabled.has(key)) continue;
    // A v3 source's value is its service index.
    if (isHttpUrl(source.url) && (/\.json$/i.test(source.url) || source.protocol === '3')) {
      const found: RegistrySource = { url: source.url };
      const credential = credentials.get(key);
      const mayGo = !credential?.user || trust.projectConfig || userUrls.get(key) === source.url;
      if (credential && mayGo) found.auth = credential.auth;
      else if (credential)
        ignored.push(
          ignoredNote(
            source.origin,
            `points source '${key}' at ${source.url}; the credentials configured for '${key}' are not sent there`,
          ),
        );
      usable.push(found);
      origins.add(source.origin);
    } else unreadable.push(key);
  }
  if (usable.length === 0) {
    const none: RegistrySources =
      unreadable.length > 0
        ? {
            sources: [],
            reason: `the NuGet sources configured (${unreadable.join(', ')}) are local folders or v2 feeds, which Vouch does not read; add a v3 source or pass --nuget-source`,
          }
        : publicDefault('NuGet', PUBLIC_DEFAULTS.nuget);
    if (ignored.length > 0) none.ignored = ignored;
    return none;
  }
  const result: RegistrySources = { sources: usable, origin: [...origins].join(', ') };
  if (ignored.length > 0) result.ignored = ignored;
  if (unreadable.length > 0)
    result.inconclusive = `NuGet would also look in ${unreadable.join(', ')} (local folders or v2 feeds, which Vouch does not read)`;
  return result;
}

/** A source given as an option → its service index: a `.json` URL is one; else `<url>/v3/index.json`. */
export function nugetServiceIndex(url: string): string {
  return /\.json$/i.test(url) ? url : `${withSlash(url)}v3/index.json`;
}
