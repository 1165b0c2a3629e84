/**
 * The PyPI client: the JSON API (`<base>/pypi/<name>/json`) for versions, upload times, yanked releases and
 * the project's links, and the PEP 691 Simple API (`<index>/<name>/`, JSON) to confirm a 404 — indexes that
 * do not serve the JSON API (many mirrors and proxies) answer 404 there for every name — and for indexes
 * not laid out like PyPI. `extra-index-url` indexes are asked before a name is called missing, as pip
 * would install from them.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RegistryHttpError, redactUrl } from '../core/http.js';
import { isObject } from '../core/json.js';
import { lazy } from '../core/lazy.js';
import { parseRequirement, specifierText } from '../extractors/pypi/requirement.js';
import { normalizePypiName } from '../model/ecosystem.js';
import type { ExistingPackage, PackageFacts, Sourced, VersionFacts } from '../model/registry-facts.js';
import type { FetchOutcome, Validators } from './cache.js';
import { cachedLookup } from './cache.js';
import {
  type ClientContext,
  datesLookReal,
  isoTime,
  lookupFacts,
  parseJson,
  snapshotAnswer,
  unchecked,
} from './client.js';
import { NO_PYPI_INDEX, type PipConfig, type PypiEndpoints, pypiEndpoints } from './config.js';
import type { RegistryClient } from './types.js';

const pep440 = lazy<typeof import('@renovatebot/pep440')>('@renovatebot/pep440');
const htmlparser2 = lazy<typeof import('htmlparser2')>('htmlparser2');

const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
const SIMPLE_HTML = /^\s*(text\/html|application\/vnd\.pypi\.simple\.v1\+html)\s*(;|$)/i;
const SIMPLE_ACCEPT = `${SIMPLE_JSON}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1`;

/** Project URL labels that point at the source (PyPI shows them under "Source"). */
const SOURCE_LABEL = /^(source|source code|code|repository|github|gitlab|git|homepage|home)$/i;
const FORGE = /^https?:\/\/(www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|sr\.ht)\//i;

export class PypiClient implements RegistryClient {
  readonly ecosystem = 'PyPI' as const;
  readonly registry: string | undefined;

  constructor(
    private readonly config: PipConfig,
    private readonly context: ClientContext,
  ) {
    this.registry = config.index ? redactUrl(config.index) : undefined;
  }

  async facts(name: string): Promise<Sourced<PackageFacts>> {
    const index = this.config.index;
    if (!index) return snapshotAnswer(this.context, 'PyPI', name) ?? unchecked('PyPI', name, NO_PYPI_INDEX);
    const key = normalizePypiName(name);
    const endpoints = pypiEndpoints(index);
    const shown = redactUrl(index);
    return lookupFacts(this.context, 'PyPI', name, `pypi:${shown}:${key}`, shown, async (validators) => {
      try {
        return await this.fromIndexes(name, key, endpoints, validators);
      } catch (error) {
        // pip installs from an extra index when the main one fails: a name found there exists.
        if (!(error instanceof RegistryHttpError) || error.kind !== 'unavailable') throw error;
        for (const extra of this.config.extra) {
          const facts = await this.simple(pypiEndpoints(extra).simple, name, key).catch(() => undefined);
          if (facts) return { status: 'found', value: facts };
        }
        throw error;
      }
    });
  }

  private async fromIndexes(
    name: string,
    key: string,
    endpoints: PypiEndpoints,
    validators: Validators,
  ): Promise<FetchOutcome<PackageFacts>> {
    if (endpoints.json) {
      const answer = await this.context.http.get(
        `${endpoints.json}${key}/json`,
        conditional(validators, 'application/json'),
      );
      if (answer.status === 304) return { status: 'not-modified' };
      if (answer.status === 200) {
        const facts = readJsonApi(name, parseJson(answer.body));
        const outcome: FetchOutcome<PackageFacts> = { status: 'found', value: facts };
        if (answer.etag) outcome.etag = answer.etag;
        if (answer.lastModified) outcome.lastModified = answer.lastModified;
        return outcome;
      }
    }
    for (const simple of [endpoints.simple, ...this.config.extra.map((u) => pypiEndpoints(u).simple)]) {
      const facts = await this.simple(simple, name, key);
      if (facts) return { status: 'found', value: facts };
    }
    return { status: 'missing', value: { status: 'missing', ecosystem: 'PyPI', name, why: 'not-found' } };
  }

  /** The Simple API page of a project: its facts, or undefined for a 404. */
  private async simple(base: string, name: string, key: string): Promise<ExistingPackage | undefined> {
    if (base.startsWith('file:')) {
      // A local index (`file:///opt/index/simple`) is a folder per project.
      return existsSync(fileURLToPath(`${base}${key}/`))
        ? { status: 'exists', ecosystem: 'PyPI', name, datesTrusted: false }
        : undefined;
    }
    const answer = await this.context.http.get(`${base}${key}/`, { accept: SIMPLE_ACCEPT });
    if (answer.status === 404) return undefined;
    if (answer.status === 304) throw new RegistryHttpError('invalid', 'HTTP 304 to an unconditional request');
    if (answer.contentType?.includes(SIMPLE_JSON)) return readSimpleJson(name, key, parseJson(answer.body));
    if (answer.contentType && SIMPLE_HTML.test(answer.contentType))
      return readSimpleHtml(name, key, answer.body);
    throw new RegistryHttpError(
      'invalid',
      `the index answered with ${answer.contentType ? `'${answer.contentType.slice(0, 60)}'` : 'no content type'}, not a Simple API project page`,
    );
  }

  /** The unconditional run-time requirements of one release, with their specifiers. */
  async releaseRequirements(name: string, version: string): Promise<Record<string, string> | undefined> {
    const requiresDist = await this.releaseRequiresDist(name, version);
    return requiresDist && requirementSpecs(requiresDist);
  }

  /** The names of one release's unconditional run-time requirements. */
  async dependencies(name: string, version: string): Promise<string[] | undefined> {
    const requiresDist = await this.releaseRequiresDist(name, version);
    return requiresDist && requirementNames(requiresDist);
  }

  /**
   * `requires_dist` of one release, from `<base>/pypi/<name>/<version>/json`, asked once and cached like the
   * rest for both readings above; undefined when the release is unknown or the index cannot be asked.
   */
  private async releaseRequiresDist(name: string, version: string): Promise<string[] | undefined> {
    const index = this.config.index;
    const json = index ? pypiEndpoints(index).json : undefined;
    if (!json) return undefined;
    const url = `${json}${normalizePypiName(name)}/${encodeURIComponent(version)}/json`;
    try {
      const answer = await cachedLookup<string[] | null>(
        this.context.cache,
        `pypi-release-requires-dist:${redactUrl(url)}`,
        { mode: this.context.mode, lifetimes: this.context.lifetimes, now: this.context.now },
        async (validators) => {
          const response = await this.context.http.get(url, conditional(validators, 'application/json'));
          if (response.status === 304) return { status: 'not-modified' };
          if (response.status === 404) return { status: 'missing', value: null };
          const doc = parseJson(response.body);
          const info = isObject(doc) && isObject(doc.info) ? doc.info : undefined;
          if (!info) return { status: 'found', value: null };
          const requiresDist = Array.isArray(info.requires_dist) ? info.requires_dist : [];
          return {
            status: 'found',
            value: requiresDist.filter((text): text is string => typeof text === 'string'),
          };
        },
      );
      return answer.value ?? undefined;
    } catch {
      return undefined;
    }
  }
}

function conditional(validators: Validators, accept: string): Record<string, string> {
  const headers: Record<string, string> = { accept };
  if (validators.etag) headers['if-none-match'] = validators.etag;
  if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
  return headers;
}

/** Names of the unconditional run-time requirements (`extra == …` ones are optional). */
function requirementNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const text of value) {
    if (typeof text !== 'string') continue;
    const parsed = parseRequirement(text);
    if (!parsed.ok || parsed.requirement.marker?.includes('extra')) continue;
    names.push(parsed.requirement.name);
  }
  return names;
}

/** The unconditional run-time requirements and their specifiers (`extra == …` ones are optional). */
function requirementSpecs(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(value)) return out;
  for (const text of value) {
    if (typeof text !== 'string') continue;
    const parsed = parseRequirement(text);
    if (!parsed.ok || parsed.requirement.marker?.includes('extra')) continue;
    out[parsed.requirement.name] = specifierText(parsed.requirement.specs);
  }
  return out;
}

/** Normalises a JSON API document; throws RegistryHttpError when it is not one. */
function readJsonApi(name: string, doc: unknown): ExistingPackage {
  if (!isObject(doc) || !isObject(doc.info))
    throw new RegistryHttpError(
      'invalid',
      'the index answered with something that is not a project document',
    );
  const info = doc.info;
  if (typeof info.name !== 'string' || normalizePypiName(info.name) !== normalizePypiName(name))
    throw new RegistryHttpError('invalid', anotherProject(info.name));
  const releases = isObject(doc.releases) ? doc.releases : {};
  const versions: Record<string, VersionFacts> = {};
  const times: string[] = [];
  for (const [version, files] of Object.entries(releases)) {
    // A release with no files cannot be installed.
    if (!Array.isArray(files) || files.length === 0) continue;
    const facts: VersionFacts = { version };
    let earliest: string | undefined;
    let yanked = true;
    for (const file of files) {
      if (!isObject(file)) continue;
      const uploaded =
        isoTime(file.upload_time_iso_8601) ??
        isoTime(typeof file.upload_time === 'string' ? `${file.upload_time}Z` : undefined);
      if (uploaded && (!earliest || uploaded < earliest)) earliest = uploaded;
      if (file.yanked !== true) yanked = false;
      else if (typeof file.yanked_reason === 'string' && file.yanked_reason && !facts.yankedReason)
        facts.yankedReason = file.yanked_reason;
    }
    if (earliest) {
      facts.published = earliest;
      times.push(earliest);
    }
    if (yanked) facts.yanked = true;
    else delete facts.yankedReason;
    versions[version] = facts;
  }
  const latest = typeof info.version === 'string' ? info.version : undefined;
  if (latest && versions[latest]) versions[latest].dependencies = requirementNames(info.requires_dist);
  const facts: ExistingPackage = {
    status: 'exists',
    ecosystem: 'PyPI',
    name: typeof info.name === 'string' ? info.name : name,
    versions,
    description: typeof info.summary === 'string' ? info.summary : '',
    repository: sourceUrl(info) ?? '',
    datesTrusted: datesLookReal(times),
  };
  if (latest && versions[latest]) facts.latest = latest;
  const created = times.sort()[0];
  if (created) facts.created = created;
  if (times.length === 0 && Object.keys(versions).length > 0) facts.trimmed = ['upload times'];
  return facts;
}

function sourceUrl(info: Record<string, unknown>): string | undefined {
  if (isObject(info.project_urls)) {
    for (const [label, url] of Object.entries(info.project_urls))
      if (
        typeof url === 'string' &&
        (SOURCE_LABEL.test(label) ? FORGE.test(url) || /source|repo|code/i.test(label) : FORGE.test(url))
      )
        return url;
  }
  if (typeof info.home_page === 'string' && FORGE.test(info.home_page)) return info.home_page;
  return undefined;
}

/** Normalises a PEP 691 JSON project page (versions from PEP 700's list, else from the file names). */
function readSimpleJson(name: string, key: string, doc: unknown): ExistingPackage {
  if (!isObject(doc) || !Array.isArray(doc.files))
    throw new RegistryHttpError(
      'invalid',
      'the index answered with something that is not a Simple API project page',
    );
  if (typeof doc.name !== 'string' || normalizePypiName(doc.name) !== key)
    throw new RegistryHttpError('invalid', anotherProject(doc.name));
  const versions: Record<string, VersionFacts> = {};
  const stillListed = new Set<string>();
  const times: string[] = [];
  if (Array.isArray(doc.versions))
    for (const v of doc.versions) if (typeof v === 'string') versions[v] = { version: v };
  for (const file of doc.files) {
    if (!isObject(file) || typeof file.filename !== 'string') continue;
    const version = versionOfFile(file.filename, key);
    if (!version) continue;
    versions[version] ??= { version, yanked: true };
    const facts = versions[version];
    const uploaded = isoTime(file['upload-time']);
    if (uploaded) {
      times.push(uploaded);
      if (!facts.published || uploaded < facts.published) facts.published = uploaded;
    }
    if (file.yanked === undefined || file.yanked === false) stillListed.add(version);
    else if (typeof file.yanked === 'string' && file.yanked && !facts.yankedReason)
      facts.yankedReason = file.yanked;
  }
  for (const facts of Object.values(versions)) {
    if (stillListed.has(facts.version) || facts.yanked !== true) {
      delete facts.yanked;
      delete facts.yankedReason;
    }
  }
  const facts: ExistingPackage = {
    status: 'exists',
    ecosystem: 'PyPI',
    name: typeof doc.name === 'string' ? doc.name : name,
    versions,
    datesTrusted: false,
    trimmed: ['description', 'repository', 'latest'],
  };
  // Upload times of the Simple API (PEP 700) are real, but the first upload is the creation time only
  // when every file is listed; deleted files are not.
  if (times.length > 0 && datesLookReal(times)) facts.datesTrusted = true;
  return facts;
}

function anotherProject(found: unknown): string {
  return typeof found === 'string'
    ? `the index answered with the page of another project ('${found.slice(0, 100)}')`
    : 'the index answered with a project document that names no project';
}

/**
 * Normalises a PEP 503 HTML project page: one anchor per distribution file, its text the file name, yanked
 * files marked `data-yanked` (PEP 592). It is evidence only when it is one: it declares the Simple API's
 * version (PEP 629's `pypi:repository-version`) or lists at least one file of this project. Any other HTML
 * (a captive portal, a proxy's error page, a login form) is an invalid answer, never "the project exists".
 */
function readSimpleHtml(name: string, key: string, html: string): ExistingPackage {
  const files: { filename: string; yanked?: string }[] = [];
  let declared = false;
  let anchor: { text: string; href: string; yanked?: string } | undefined;
  const parser = new (htmlparser2().Parser)(
    {
      onopentag(tag, attributes) {
        if (tag === 'meta' && attributes.name === 'pypi:repository-version') declared = true;
        if (tag !== 'a') return;
        anchor = { text: '', href: attributes.href ?? '' };
        if (attributes['data-yanked'] !== undefined) anchor.yanked = attributes['data-yanked'];
      },
      ontext(text) {
        if (anchor) anchor.text += text;
      },
      onclosetag(tag) {
        if (tag !== 'a' || !anchor) return;
        const fromHref = decodeURIComponent(anchor.href.split(/[#?]/)[0]!.split('/').at(-1) ?? '');
        const filename = anchor.text.trim() || fromHref;
        files.push({ filename, ...(anchor.yanked !== undefined ? { yanked: anchor.yanked } : {}) });
        anchor = undefined;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  const versions: Record<string, VersionFacts> = {};
  const listed = new Set<string>();
  for (const file of files) {
    const version = versionOfFile(file.filename, key);
    if (!version) continue;
    versions[version] ??= { version, yanked: true };
    if (file.yanked === undefined) listed.add(version);
    else if (file.yanked && !versions[version].yankedReason) versions[version].yankedReason = file.yanked;
  }
  if (!declared && Object.keys(versions).length === 0)
    throw new RegistryHttpError(
      'invalid',
      'the index answered with an HTML page that is not a Simple API project page (no file of the project, no pypi:repository-version)',
    );
  for (const facts of Object.values(versions))
    if (listed.has(facts.version)) {
      delete facts.yanked;
      delete facts.yankedReason;
    }
  return {
    status: 'exists',
    ecosystem: 'PyPI',
    name,
    versions,
    datesTrusted: false,
    trimmed: ['description', 'repository', 'latest', 'publish dates'],
  };
}

/** The version in a wheel (`name-1.0-py3-none-any.whl`) or sdist (`name-1.0.tar.gz`) file name. */
export function versionOfFile(filename: string, key: string): string | undefined {
  let version: string | undefined;
  if (filename.endsWith('.whl')) {
    const [project, wheelVersion] = filename.split('-');
    if (project !== undefined && normalizePypiName(project) === key) version = wheelVersion;
  } else {
    const stem = filename.replace(/\.(tar\.gz|tar\.bz2|tgz|zip|tar)$/, '');
    if (stem === filename) return undefined;
    const dash = stem.lastIndexOf('-');
    if (dash > 0 && normalizePypiName(stem.slice(0, dash)) === key) version = stem.slice(dash + 1);
  }
  return version && pep440().valid(version) && pep440().parse(version) ? version : undefined;
}
