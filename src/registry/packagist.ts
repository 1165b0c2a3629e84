/**
 * The Composer repository client (Packagist and its mirrors, Private Packagist, Satis with metadata): the
 * repository's `packages.json` names where Composer 2 metadata lives (`metadata-url`, `/p2/%package%.json`
 * on Packagist); that file lists the tagged versions of one package, minified (each entry only what changed
 * since the previous one, `"__unset"` for a key dropped), with `time`, `abandoned`, `require` (the constraints
 * become `VersionFacts.requires`, for the lowest release of a direct dependency that admits a fix). Development
 * branches (`~dev.json`) are not read: references name releases.
 */

import { RegistryHttpError } from '../core/http.js';
import { isObject } from '../core/json.js';
import type { ExistingPackage, VersionFacts } from '../model/registry-facts.js';
import { compareVersions } from '../versions/index.js';
import { latestRelease } from '../versions/pick.js';
import { datesLookReal, isoTime, parseJson, SourcesClient } from './client.js';
import type { RegistrySource } from './sources.js';

export class PackagistClient extends SourcesClient {
  readonly ecosystem = 'Packagist' as const;

  protected override refusal(name: string): string | undefined {
    return /^[a-z0-9]([_.-]?[a-z0-9]+)*\/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$/.test(name.toLowerCase())
      ? undefined
      : `'${name}' is not a vendor/package name`;
  }

  protected override cacheName(name: string): string {
    return name.toLowerCase();
  }

  protected async fromSource(source: RegistrySource, name: string): Promise<ExistingPackage | undefined> {
    const key = name.toLowerCase();
    const template = await this.oncePerSource(source, (s) => this.readRoot(s));
    const body = await this.fetchText(source, template.replace('%package%', key), 'application/json');
    return body === undefined ? undefined : readComposerMetadata(name, key, parseJson(body));
  }

  private async readRoot(source: RegistrySource): Promise<string> {
    const body = await this.fetchText(source, `${source.url}packages.json`, 'application/json');
    if (body === undefined)
      throw new RegistryHttpError('unavailable', 'not a Composer repository (it has no packages.json)');
    const root = parseJson(body);
    const url = isObject(root) ? root['metadata-url'] : undefined;
    if (typeof url !== 'string' || !url.includes('%package%'))
      throw new RegistryHttpError(
        'unavailable',
        'the repository serves no Composer 2 metadata (its packages.json has no metadata-url)',
      );
    // Composer reads a metadata-url that starts with `/` from the repository's host.
    return new URL(url, source.url).toString().replace('%25package%25', '%package%');
  }
}

/** Composer's MetadataMinifier::expand: each entry carries only what changed since the one before. */
export function expandMinified(entries: readonly unknown[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let current: Record<string, unknown> | undefined;
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    if (!current) current = { ...entry };
    else {
      current = { ...current };
      for (const [key, value] of Object.entries(entry)) {
        if (value === '__unset') delete current[key];
        else current[key] = value;
      }
    }
    out.push(current);
  }
  return out;
}

/** Normalises a Composer 2 metadata file; throws RegistryHttpError when it is not one. */
function readComposerMetadata(name: string, key: string, doc: unknown): ExistingPackage {
  const packages = isObject(doc) && isObject(doc.packages) ? doc.packages : undefined;
  // The file lists the package under its name; a file about other packages is not an answer about this one.
  const listed = packages
    ? Object.entries(packages).find(([listedName]) => listedName.toLowerCase() === key)?.[1]
    : undefined;
  if (!Array.isArray(listed))
    throw new RegistryHttpError(
      'invalid',
      'the repository answered with something that is not package metadata',
    );
  const entries =
    isObject(doc) && doc.minified === 'composer/2.0' ? expandMinified(listed) : listed.filter(isObject);
  const versions: Record<string, VersionFacts> = {};
  let canonical: string | undefined;
  let description: { version: string; text: string } | undefined;
  let repository: string | undefined;
  for (const entry of entries) {
    if (typeof entry.version !== 'string') continue;
    const version = entry.version;
    canonical ??= typeof entry.name === 'string' ? entry.name : undefined;
    const requires = packageRequirements(entry.require);
    const facts: VersionFacts = { version, dependencies: Object.keys(requires), requires };
    const published = isoTime(entry.time);
    if (published) facts.published = published;
    const abandoned = abandonedNotice(entry.abandoned);
    if (abandoned) facts.deprecated = abandoned;
    versions[version] = facts;
    if (!description || compareVersions('Packagist', version, description.version) > 0) {
      description = { version, text: typeof entry.description === 'string' ? entry.description : '' };
      const sourceInfo = isObject(entry.source) ? entry.source.url : undefined;
      repository = typeof sourceInfo === 'string' ? sourceInfo : '';
    }
  }
  const times = Object.values(versions)
    .map((v) => v.published)
    .filter((t): t is string => t !== undefined);
  const latest = latestRelease('Packagist', versions);
  const facts: ExistingPackage = {
    status: 'exists',
    ecosystem: 'Packagist',
    name: canonical ?? name,
    versions,
    datesTrusted: datesLookReal(times),
  };
  if (latest) facts.latest = latest;
  const created = times.sort()[0];
  if (created) facts.created = created;
  if (description) facts.description = description.text;
  if (repository !== undefined) facts.repository = repository;
  return facts;
}

/** Composer marks a package abandoned with `true` or the name of its replacement. */
function abandonedNotice(value: unknown): string | undefined {
  if (value === true) return 'abandoned by its maintainers';
  if (typeof value === 'string' && value !== '') return `abandoned by its maintainers; use ${value} instead`;
  return undefined;
}

/** Package requirements and their constraints, without platform ones (`php`, `ext-json`, `composer-runtime-api`). */
function packageRequirements(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [name, constraint] of Object.entries(value))
    if (name.includes('/') && typeof constraint === 'string') out[name] = constraint;
  return out;
}
