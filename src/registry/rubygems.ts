/**
 * The RubyGems client: `<source>/api/v1/versions/<name>.json` (one entry per version and platform, with
 * `number`, `created_at`, `prerelease`; yanked versions are not listed). Sources that do not serve that API
 * (gem mirrors and proxies often serve only what Bundler needs) answer it 404 for every gem, so a 404 is
 * confirmed with the compact index Bundler reads (`<source>/info/<name>`) before a gem is called missing.
 */

import { RegistryHttpError } from '../core/http.js';
import { isObject } from '../core/json.js';
import type { ExistingPackage, VersionFacts } from '../model/registry-facts.js';
import { compareVersions } from '../versions/index.js';
import { latestRelease } from '../versions/pick.js';
import { datesLookReal, isoTime, parseJson, SourcesClient } from './client.js';
import type { RegistrySource } from './sources.js';

export class RubygemsClient extends SourcesClient {
  readonly ecosystem = 'RubyGems' as const;

  protected override refusal(name: string): string | undefined {
    return /^[A-Za-z0-9._-]+$/.test(name) ? undefined : `'${name}' is not a gem name`;
  }

  protected async fromSource(source: RegistrySource, name: string): Promise<ExistingPackage | undefined> {
    const gem = encodeURIComponent(name);
    const api = await this.fetchText(source, `${source.url}api/v1/versions/${gem}.json`, 'application/json');
    if (api !== undefined) return readVersionsJson(name, parseJson(api));
    const compact = await this.fetchText(source, `${source.url}info/${gem}`, 'text/plain');
    return compact === undefined ? undefined : readCompactInfo(name, compact);
  }
}

/** Normalises the versions API's answer; throws RegistryHttpError when it is not one. */
function readVersionsJson(name: string, doc: unknown): ExistingPackage {
  if (!Array.isArray(doc))
    throw new RegistryHttpError(
      'invalid',
      'the source answered with something that is not a list of versions',
    );
  const versions: Record<string, VersionFacts> = {};
  let summary: { version: string; text: string } | undefined;
  for (const entry of doc) {
    if (!isObject(entry) || typeof entry.number !== 'string') continue;
    const version = entry.number;
    versions[version] ??= { version };
    const facts = versions[version];
    // One entry per platform: the version was published with its first one.
    const created = isoTime(entry.created_at);
    if (created && (!facts.published || created < facts.published)) facts.published = created;
    const text = typeof entry.summary === 'string' ? entry.summary : undefined;
    if (text !== undefined && (!summary || compareVersions('RubyGems', version, summary.version) > 0))
      summary = { version, text };
  }
  const facts = packageOf(name, versions);
  const times = Object.values(versions)
    .map((v) => v.published)
    .filter((t): t is string => t !== undefined);
  facts.datesTrusted = datesLookReal(times);
  const created = times.sort()[0];
  if (created) facts.created = created;
  if (summary) facts.description = summary.text;
  return facts;
}

/**
 * Normalises a compact index `info` file: `---`, then `<version>[-<platform>] <dependencies>|<requirements>`
 * per line. It has versions only.
 */
function readCompactInfo(name: string, text: string): ExistingPackage {
  const lines = text.split('\n').map((l) => l.trim());
  if (lines[0] !== '---')
    throw new RegistryHttpError(
      'invalid',
      'the source answered with something that is not a compact index file',
    );
  const versions: Record<string, VersionFacts> = {};
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const token = line.split(' ')[0]!;
    // Platform gems are `1.13.3-x86_64-linux`; a gem version never holds a `-`.
    const version = token.split('-')[0]!;
    if (version) versions[version] ??= { version };
  }
  const facts = packageOf(name, versions);
  facts.trimmed = ['publish dates', 'description'];
  return facts;
}

function packageOf(name: string, versions: Record<string, VersionFacts>): ExistingPackage {
  const latest = latestRelease('RubyGems', versions);
  const facts: ExistingPackage = {
    status: 'exists',
    ecosystem: 'RubyGems',
    name,
    versions,
    datesTrusted: false,
  };
  if (latest) facts.latest = latest;
  return facts;
}
