/**
 * The npm registry client: packuments (`GET <registry>/<name>`, scoped names as `@scope%2fname`), the
 * abbreviated install document (`application/vnd.npm.install-v1+json`) when only versions, dist-tags,
 * deprecations and dependencies are needed, the full document when publish times, descriptions,
 * repositories and maintainers are.
 */

import { RegistryHttpError, redactUrl } from '../core/http.js';
import { isObject } from '../core/json.js';
import type { ExistingPackage, PackageFacts, Sourced, VersionFacts } from '../model/registry-facts.js';
import { cachedLookup, type FetchOutcome } from './cache.js';
import {
  type ClientContext,
  datesLookReal,
  isoTime,
  lookupFacts,
  parseJson,
  snapshotAnswer,
  unchecked,
} from './client.js';
import { NO_NPM_REGISTRY, type NpmConfig, npmAuthHeader, npmRegistryFor } from './config.js';
import type { RegistryClient } from './types.js';

export type NpmDocument = 'full' | 'abbreviated';

const ACCEPT: Record<NpmDocument, string> = {
  abbreviated: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*',
  full: 'application/json',
};

/** The placeholder version npm's security team publishes over a removed malicious package. */
const SECURITY_HOLDING = /-security$/;

/** `@scope/name` → `@scope%2fname`, as npm requests it. */
export function npmDocumentPath(name: string): string {
  if (name.startsWith('@') && name.includes('/')) {
    const slash = name.indexOf('/');
    return `@${encodeURIComponent(name.slice(1, slash))}%2f${encodeURIComponent(name.slice(slash + 1))}`;
  }
  return encodeURIComponent(name);
}

export class NpmClient implements RegistryClient {
  readonly ecosystem = 'npm' as const;
  readonly registry: string | undefined;

  constructor(
    private readonly config: NpmConfig,
    private readonly context: ClientContext,
    private readonly document: NpmDocument = 'full',
  ) {
    this.registry = config.registry ? redactUrl(config.registry) : undefined;
  }

  private readonly perRegistry = new Map<string, { shown: string; auth: string | undefined }>();

  /** The registry as shown (no credentials) and its authorization header, worked out once per registry. */
  private registryFacts(registry: string): { shown: string; auth: string | undefined } {
    let facts = this.perRegistry.get(registry);
    if (!facts) {
      facts = { shown: redactUrl(registry), auth: npmAuthHeader(this.config, registry) };
      this.perRegistry.set(registry, facts);
    }
    return facts;
  }

  async facts(name: string): Promise<Sourced<PackageFacts>> {
    const registry = npmRegistryFor(this.config, name);
    if (!registry)
      return snapshotAnswer(this.context, 'npm', name) ?? unchecked('npm', name, NO_NPM_REGISTRY);
    const { shown, auth } = this.registryFacts(registry);
    const path = npmDocumentPath(name);
    const url = `${registry}${path}`;
    const key = `npm:${this.document}:${shown}${path}`;
    return lookupFacts(this.context, 'npm', name, key, shown, async (validators) => {
      const headers: Record<string, string> = { accept: ACCEPT[this.document] };
      if (auth) headers.authorization = auth;
      if (validators.etag) headers['if-none-match'] = validators.etag;
      if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
      const answer = await this.context.http.get(url, headers);
      if (answer.status === 304) return { status: 'not-modified' };
      if (answer.status === 404)
        return { status: 'missing', value: { status: 'missing', ecosystem: 'npm', name, why: 'not-found' } };
      const facts = readPackument(name, parseJson(answer.body), this.document);
      const outcome: FetchOutcome<PackageFacts> =
        facts.status === 'exists' ? { status: 'found', value: facts } : { status: 'missing', value: facts };
      if (outcome.status === 'found') {
        if (answer.etag) outcome.etag = answer.etag;
        if (answer.lastModified) outcome.lastModified = answer.lastModified;
      }
      return outcome;
    });
  }

  /** npm's search (`GET <registry>/-/v1/search?text=…`) for the words of a name the registry does not have. */
  async search(name: string): Promise<string[]> {
    const registry = npmRegistryFor(this.config, name);
    const text = name.replace(/[@/._-]+/g, ' ').trim();
    if (!registry || text === '') return [];
    const { shown, auth } = this.registryFacts(registry);
    const path = `-/v1/search?text=${encodeURIComponent(text)}&size=${SEARCH_RESULTS}`;
    const { cache, mode, lifetimes, now } = this.context;
    try {
      const answer = await cachedLookup<string[]>(
        cache,
        `npm:search:${shown}${path}`,
        { mode, lifetimes, now },
        async () => {
          const headers: Record<string, string> = { accept: 'application/json' };
          if (auth) headers.authorization = auth;
          const reply = await this.context.http.get(`${registry}${path}`, headers);
          if (reply.status !== 200) return { status: 'missing', value: [] };
          return { status: 'found', value: readSearch(parseJson(reply.body)) };
        },
      );
      return answer.value;
    } catch {
      // A search is a courtesy: when it fails the suggestions come from the popular names alone.
      return [];
    }
  }
}

/** Results asked of a registry's search: the few best are all a suggestion needs. */
const SEARCH_RESULTS = 10;
const NPM_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

/** The package names of a search answer (`{ objects: [{ package: { name } }] }`), at most SEARCH_RESULTS. */
function readSearch(doc: unknown): string[] {
  if (!isObject(doc) || !Array.isArray(doc.objects)) return [];
  const names: string[] = [];
  for (const object of doc.objects.slice(0, SEARCH_RESULTS)) {
    const name = isObject(object) && isObject(object.package) ? object.package.name : undefined;
    if (typeof name === 'string' && name.length <= 214 && NPM_NAME.test(name)) names.push(name);
  }
  return names;
}

/**
 * Normalises a packument (full or abbreviated); throws RegistryHttpError when it is not one. Only a document
 * that is about this package is evidence: a `versions` object under a matching `name`, or the shape npm
 * leaves after an unpublish (`time.unpublished`). Anything else (`{}`, a status object, a registry's root
 * document, a login page turned JSON) is an invalid answer, never "every version was unpublished".
 */
export function readPackument(name: string, doc: unknown, document: NpmDocument): PackageFacts {
  if (!isObject(doc))
    throw new RegistryHttpError(
      'invalid',
      'the registry answered with something that is not a package document',
    );
  if (typeof doc.error === 'string')
    throw new RegistryHttpError('invalid', `the registry answered with an error: ${doc.error.slice(0, 200)}`);
  const time = isObject(doc.time) ? doc.time : undefined;
  const unpublishedShape = isObject(time?.unpublished);
  if (typeof doc.name === 'string' ? doc.name.toLowerCase() !== name.toLowerCase() : !unpublishedShape)
    throw new RegistryHttpError(
      'invalid',
      typeof doc.name === 'string'
        ? `the registry answered with the document of another package ('${doc.name.slice(0, 100)}')`
        : 'the registry answered with a document that names no package',
    );
  if (!isObject(doc.versions) && !unpublishedShape)
    throw new RegistryHttpError('invalid', 'the registry answered with a package document without versions');
  const rawVersions = isObject(doc.versions) ? doc.versions : {};
  const versionNames = Object.keys(rawVersions);
  if (versionNames.length === 0) {
    const unpublished = isObject(time?.unpublished) ? isoTime(time.unpublished.time) : undefined;
    return {
      status: 'missing',
      ecosystem: 'npm',
      name,
      why: 'unpublished',
      ...(unpublished ? { detail: unpublished } : {}),
    };
  }
  const description = typeof doc.description === 'string' ? doc.description : undefined;
  if (
    versionNames.every((v) => SECURITY_HOLDING.test(v)) &&
    (versionNames.length === 1 || /security holding package/i.test(description ?? ''))
  ) {
    return {
      status: 'missing',
      ecosystem: 'npm',
      name,
      why: 'security-holding',
      detail: description ?? versionNames[0]!,
    };
  }

  const versions: Record<string, VersionFacts> = {};
  const times: string[] = [];
  for (const version of versionNames) {
    const raw = rawVersions[version];
    const facts: VersionFacts = { version };
    const published = isoTime(time?.[version]);
    if (published) {
      facts.published = published;
      times.push(published);
    }
    if (isObject(raw)) {
      // npm un-deprecates with an empty message.
      if (typeof raw.deprecated === 'string' && raw.deprecated !== '') facts.deprecated = raw.deprecated;
      const dependencies = {
        ...(isObject(raw.dependencies) ? raw.dependencies : {}),
        ...(isObject(raw.optionalDependencies) ? raw.optionalDependencies : {}),
      };
      facts.dependencies = Object.keys(dependencies);
      const requires: Record<string, string> = {};
      for (const [dependency, spec] of Object.entries(dependencies))
        if (typeof spec === 'string') requires[dependency] = spec;
      facts.requires = requires;
    }
    versions[version] = facts;
  }
  const distTags: Record<string, string> = {};
  if (isObject(doc['dist-tags']))
    for (const [tag, version] of Object.entries(doc['dist-tags']))
      if (typeof version === 'string' && versions[version]) distTags[tag] = version;

  const facts: ExistingPackage = {
    status: 'exists',
    ecosystem: 'npm',
    name: typeof doc.name === 'string' ? doc.name : name,
    versions,
    distTags,
    datesTrusted: time !== undefined && isoTime(time.created) !== undefined && datesLookReal(times),
  };
  if (distTags.latest) facts.latest = distTags.latest;
  const created = isoTime(time?.created);
  if (created) facts.created = created;
  const trimmed: string[] = [];
  if (!time) trimmed.push('time');
  if (document === 'full') {
    const latest = facts.latest ? rawVersions[facts.latest] : undefined;
    const latestDoc = isObject(latest) ? latest : {};
    facts.description =
      description ?? (typeof latestDoc.description === 'string' ? latestDoc.description : '');
    facts.repository = repositoryUrl(doc.repository) ?? repositoryUrl(latestDoc.repository) ?? '';
    if (Array.isArray(doc.maintainers)) facts.maintainers = doc.maintainers.length;
    else trimmed.push('maintainers');
  } else {
    trimmed.push('description', 'repository', 'maintainers');
  }
  if (trimmed.length > 0) facts.trimmed = trimmed;
  return facts;
}

function repositoryUrl(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (isObject(value) && typeof value.url === 'string' && value.url !== '') return value.url;
  return undefined;
}
