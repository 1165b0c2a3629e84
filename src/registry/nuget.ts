/**
 * The NuGet v3 client. A source is its service index (`…/v3/index.json`), which names the resources: the
 * flat container (`PackageBaseAddress/3.0.0`: `<base>/<lower-case id>/index.json`, every version, listed or
 * not) answers existence and versions; the registration (`RegistrationsBaseUrl`, SemVer 2.0 flavour first)
 * adds publish dates, whether a version is listed, deprecations, descriptions and dependencies. A source
 * without a registration, or one that fails, leaves those out (and the checks that need dates `unchecked`).
 */

import { RegistryHttpError } from '../core/http.js';
import { isObject } from '../core/json.js';
import type { ExistingPackage, VersionFacts } from '../model/registry-facts.js';
import { compareVersions } from '../versions/index.js';
import { latestRelease } from '../versions/pick.js';
import { datesLookReal, isoTime, parseJson, SourcesClient } from './client.js';
import { withSlash } from './config.js';
import type { RegistrySource } from './sources.js';

const FLAT_CONTAINER = 'PackageBaseAddress/3.0.0';
/** Registration flavours, best first: 3.6.0 includes SemVer 2.0 packages, the others leave them out. */
const REGISTRATIONS = [
  'RegistrationsBaseUrl/3.6.0',
  'RegistrationsBaseUrl/3.4.0',
  'RegistrationsBaseUrl/3.0.0-rc',
  'RegistrationsBaseUrl/3.0.0-beta',
  'RegistrationsBaseUrl',
];
/** Registration pages fetched for one package, at most (nuget.org inlines pages up to 128 versions). */
const MAX_PAGES = 20;
/** NuGet's publish date of an unlisted version. */
const UNLISTED_DATE = /^1900-01-01/;

interface ServiceIndex {
  flatContainer: string;
  registrations?: string;
}

export class NugetClient extends SourcesClient {
  readonly ecosystem = 'NuGet' as const;

  protected override refusal(name: string): string | undefined {
    return /^[A-Za-z0-9_.-]+$/.test(name) ? undefined : `'${name}' is not a package id`;
  }

  protected override cacheName(name: string): string {
    return name.toLowerCase();
  }

  protected async fromSource(source: RegistrySource, name: string): Promise<ExistingPackage | undefined> {
    const id = name.toLowerCase();
    const index = await this.oncePerSource(source, (s) => this.readServiceIndex(s));
    const flat = await this.getJson(source, `${index.flatContainer}${id}/index.json`);
    if (!flat) return undefined;
    const listed = isObject(flat) && Array.isArray(flat.versions) ? flat.versions : undefined;
    if (!listed)
      throw new RegistryHttpError(
        'invalid',
        'the source answered with something that is not a list of versions',
      );
    const versions: Record<string, VersionFacts> = {};
    for (const version of listed) if (typeof version === 'string') versions[version] = { version };
    const facts: ExistingPackage = {
      status: 'exists',
      ecosystem: 'NuGet',
      name,
      versions,
      datesTrusted: false,
    };
    const registration = index.registrations
      ? await this.registration(source, `${index.registrations}${id}/index.json`).catch(() => undefined)
      : undefined;
    if (registration) applyRegistration(facts, registration);
    else facts.trimmed = ['publish dates', 'listed', 'deprecation', 'description'];
    const latest = latestRelease('NuGet', versions);
    if (latest) facts.latest = latest;
    return facts;
  }

  private async readServiceIndex(source: RegistrySource): Promise<ServiceIndex> {
    const doc = await this.getJson(source, source.url);
    if (doc === undefined)
      throw new RegistryHttpError(
        'unavailable',
        'the service index is not there (HTTP 404): is this a v3 source?',
      );
    const resources =
      isObject(doc) && Array.isArray(doc.resources) ? doc.resources.filter(isObject) : undefined;
    if (!resources)
      throw new RegistryHttpError(
        'invalid',
        'the source answered with something that is not a service index',
      );
    const of = (type: string) => {
      const found = resources.find((r) => r['@type'] === type && typeof r['@id'] === 'string');
      return found ? withSlash(found['@id'] as string) : undefined;
    };
    const flatContainer = of(FLAT_CONTAINER);
    if (!flatContainer)
      throw new RegistryHttpError('unavailable', `the service index names no ${FLAT_CONTAINER} resource`);
    const index: ServiceIndex = { flatContainer };
    const registrations = REGISTRATIONS.map(of).find((url) => url !== undefined);
    if (registrations) index.registrations = registrations;
    return index;
  }

  /** The registration's leaves (catalog entries), from the index and the pages it does not inline. */
  private async registration(
    source: RegistrySource,
    url: string,
  ): Promise<Record<string, unknown>[] | undefined> {
    const doc = await this.getJson(source, url);
    if (!isObject(doc) || !Array.isArray(doc.items)) return undefined;
    const entries: Record<string, unknown>[] = [];
    let fetched = 0;
    for (const page of doc.items) {
      if (!isObject(page)) continue;
      let items = page.items;
      if (!Array.isArray(items)) {
        if (typeof page['@id'] !== 'string' || ++fetched > MAX_PAGES) return undefined;
        const full = await this.getJson(source, page['@id']);
        items = isObject(full) ? full.items : undefined;
        if (!Array.isArray(items)) return undefined;
      }
      for (const leaf of items as unknown[])
        if (isObject(leaf) && isObject(leaf.catalogEntry)) entries.push(leaf.catalogEntry);
    }
    return entries;
  }

  /** A JSON document, or undefined for a 404. */
  private async getJson(source: RegistrySource, url: string): Promise<unknown> {
    const body = await this.fetchText(source, url, 'application/json');
    return body === undefined ? undefined : parseJson(body);
  }
}

/** Dates, listing, deprecations, descriptions and dependencies from registration catalog entries. */
function applyRegistration(facts: ExistingPackage, entries: readonly Record<string, unknown>[]): void {
  const versions = facts.versions ?? {};
  const byLower = new Map(Object.keys(versions).map((v) => [v.toLowerCase(), v]));
  const times: string[] = [];
  let description: { version: string; text: string } | undefined;
  for (const entry of entries) {
    if (typeof entry.version !== 'string') continue;
    // The flat container lists normalised lower-case versions; the catalog keeps the author's spelling.
    const key =
      byLower.get(entry.version.toLowerCase()) ?? byLower.get(entry.version.split('+')[0]!.toLowerCase());
    if (key === undefined) continue;
    const version = versions[key]!;
    const published = typeof entry.published === 'string' ? entry.published : undefined;
    if (published && !UNLISTED_DATE.test(published)) {
      const iso = isoTime(published);
      if (iso) {
        version.published = iso;
        times.push(iso);
      }
    }
    if (entry.listed === false || (published !== undefined && UNLISTED_DATE.test(published))) {
      version.yanked = true;
      version.yankedReason = 'unlisted from the feed by its owners';
    }
    const deprecation = deprecationNotice(entry.deprecation);
    if (deprecation) version.deprecated = deprecation;
    const requires = dependencyRanges(entry.dependencyGroups);
    version.dependencies = Object.keys(requires);
    version.requires = requires;
    if (!description || compareVersions('NuGet', key, description.version) > 0)
      description = { version: key, text: typeof entry.description === 'string' ? entry.description : '' };
  }
  facts.datesTrusted = datesLookReal(times);
  const created = times.sort()[0];
  if (created) facts.created = created;
  if (description) facts.description = description.text;
}

/** `Legacy, CriticalBugs: <message>; use <alternate> instead`. */
function deprecationNotice(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const reasons = Array.isArray(value.reasons) ? value.reasons.filter((r) => typeof r === 'string') : [];
  const message = typeof value.message === 'string' && value.message !== '' ? value.message : undefined;
  const alternate = isObject(value.alternatePackage) ? value.alternatePackage.id : undefined;
  const parts = [message ?? (reasons.length > 0 ? reasons.join(', ') : 'deprecated')];
  if (typeof alternate === 'string') parts.push(`use ${alternate} instead`);
  return parts.join('; ');
}

/** Dependencies of every target framework and their ranges: what an install of the version may bring in. */
function dependencyRanges(groups: unknown): Record<string, string> {
  const ranges: Record<string, string> = {};
  if (Array.isArray(groups))
    for (const group of groups)
      if (isObject(group) && Array.isArray(group.dependencies))
        for (const dep of group.dependencies)
          if (isObject(dep) && typeof dep.id === 'string' && !(dep.id in ranges))
            // No range is NuGet's "any version" (`(, )`); target frameworks that disagree are rare, and the
            // first group that names the dependency is taken (the scan does not know the project's target).
            ranges[dep.id] = typeof dep.range === 'string' && dep.range !== '' ? dep.range : '(, )';
  return ranges;
}
