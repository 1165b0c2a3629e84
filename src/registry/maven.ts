/**
 * The Maven repository client, by the repository layout: `<base>/<group path>/<artifact>/maven-metadata.xml`
 * for existence and versions, and the `Last-Modified` of a version's `.pom` for its publish date (the
 * repository keeps no other). Dates are fetched for the lowest and the latest version with the package,
 * and for any other version a reference names through `version()`, which also finds a version whose pom
 * exists although the metadata (which mirrors may serve stale) does not list it.
 */

import { RegistryHttpError } from '../core/http.js';
import { childElement, childElements, childText, parseXml } from '../extractors/xml-tree.js';
import type { ExistingPackage, VersionFacts } from '../model/registry-facts.js';
import { compareVersions } from '../versions/index.js';
import { latestRelease } from '../versions/pick.js';
import { type ClientContext, isoTime, lookupVersion, SourcesClient, sourceHeaders } from './client.js';
import type { RegistrySource } from './sources.js';
import type { VersionAnswer } from './types.js';

export interface MavenCoordinates {
  groupId: string;
  artifactId: string;
}

/** `group:artifact` → its parts; undefined for anything else (a Java package name, a version attached). */
export function mavenCoordinates(name: string): MavenCoordinates | undefined {
  const parts = name.split(':');
  if (parts.length !== 2 || parts.some((p) => p === '' || /[\s/\\]/.test(p))) return undefined;
  return { groupId: parts[0]!, artifactId: parts[1]! };
}

/** `org.apache.logging.log4j:log4j-core` → `org/apache/logging/log4j/log4j-core/`. */
function mavenArtifactPath({ groupId, artifactId }: MavenCoordinates): string {
  return `${groupId.split('.').map(encodeURIComponent).join('/')}/${encodeURIComponent(artifactId)}/`;
}

/** A version that can stand in a repository path: not a property, a range or a path. */
function isPlainVersion(version: string): boolean {
  return version !== '' && !/[\s/\\$[\](),{}]/.test(version);
}

export class MavenClient extends SourcesClient {
  readonly ecosystem = 'Maven' as const;

  protected override refusal(name: string): string | undefined {
    return mavenCoordinates(name) ? undefined : `'${name}' is not a groupId:artifactId coordinate`;
  }

  protected async fromSource(source: RegistrySource, name: string): Promise<ExistingPackage | undefined> {
    const path = mavenArtifactPath(mavenCoordinates(name)!);
    const metadata = await this.fetchText(
      source,
      `${source.url}${path}maven-metadata.xml`,
      'application/xml, text/xml;q=0.9, */*;q=0.1',
    );
    if (metadata === undefined) return undefined;
    const facts = readMavenMetadata(name, metadata);
    const versions = Object.keys(facts.versions ?? {}).sort((a, b) => compareVersions('Maven', a, b));
    const dated = [...new Set([versions[0], facts.latest].filter((v): v is string => v !== undefined))];
    const times: string[] = [];
    await Promise.all(
      dated.map(async (version) => {
        const published = await pomDate(this.context, source, path, version).catch(() => undefined);
        if (published && facts.versions?.[version]) {
          facts.versions[version].published = published;
          times.push(published);
        }
      }),
    );
    // Two versions stamped the same second are a mirror's copy times, not the repository's upload times.
    facts.datesTrusted =
      times.length === dated.length && times.length > 0 && new Set(times).size === times.length;
    const created = times.sort()[0];
    if (created) facts.created = created;
    if (!facts.datesTrusted) facts.trimmed = ['publish dates'];
    return facts;
  }

  async version(name: string, version: string): Promise<VersionAnswer> {
    const coordinates = mavenCoordinates(name);
    if (!this.registry || !coordinates || !isPlainVersion(version))
      return { status: 'unchecked', reason: `no repository path for ${name} ${version}` };
    const path = mavenArtifactPath(coordinates);
    return lookupVersion(this.context, `maven-pom:${this.registry}:${name}@${version}`, async () => {
      const pom = await this.fromSources(async (source) => {
        const published = await pomDate(this.context, source, path, version);
        return published === undefined ? undefined : { published };
      });
      if (!pom) return undefined;
      const facts: VersionFacts = { version };
      if (pom.published) facts.published = pom.published;
      return facts;
    });
  }
}

/**
 * The `Last-Modified` of a version's pom as an ISO time; null when the repository sends none; undefined when
 * there is no such pom.
 */
async function pomDate(
  context: ClientContext,
  source: RegistrySource,
  path: string,
  version: string,
): Promise<string | null | undefined> {
  const artifact = decodeURIComponent(path.split('/').at(-2)!);
  const file = `${encodeURIComponent(artifact)}-${encodeURIComponent(version)}.pom`;
  const answer = await context.http.get(
    `${source.url}${path}${encodeURIComponent(version)}/${file}`,
    sourceHeaders(source),
  );
  if (answer.status === 404) return undefined;
  if (answer.status === 304) throw new RegistryHttpError('invalid', 'HTTP 304 to an unconditional request');
  return isoTime(answer.lastModified) ?? null;
}

/** Normalises a maven-metadata.xml; throws RegistryHttpError when it is not one. */
function readMavenMetadata(name: string, text: string): ExistingPackage {
  const { root, errors } = parseXml(text);
  const versioning = childElement(root, 'versioning');
  if (root?.name !== 'metadata' || errors.length > 0)
    throw new RegistryHttpError(
      'invalid',
      `the repository answered with something that is not maven-metadata.xml${errors[0] ? ` (${errors[0].message})` : ''}`,
    );
  // A repository's metadata names its artifact; another artifact's metadata is a wrong answer, not evidence.
  const coordinates = mavenCoordinates(name);
  const groupId = childText(root, 'groupId');
  const artifactId = childText(root, 'artifactId');
  if (
    (groupId !== undefined && groupId !== coordinates?.groupId) ||
    (artifactId !== undefined && artifactId !== coordinates?.artifactId)
  )
    throw new RegistryHttpError(
      'invalid',
      `the repository answered with the metadata of another artifact (${(groupId ?? '?').slice(0, 100)}:${(artifactId ?? '?').slice(0, 100)})`,
    );
  const versions: Record<string, VersionFacts> = {};
  for (const element of childElements(childElement(versioning, 'versions'), 'version')) {
    const version = element.text.trim();
    if (version) versions[version] = { version };
  }
  const facts: ExistingPackage = {
    status: 'exists',
    ecosystem: 'Maven',
    name,
    versions,
    datesTrusted: false,
  };
  // `release` is the newest non-snapshot deployed; `latest` may be a snapshot. Neither is kept by every
  // repository manager, so the highest release listed is the fallback.
  const release = childText(versioning, 'release');
  const latest = release && versions[release] ? release : latestRelease('Maven', versions);
  if (latest && versions[latest]) facts.latest = latest;
  return facts;
}
