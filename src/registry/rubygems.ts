/**
 * The RubyGems client: `<source>/api/v1/versions/<name>.json` (one entry per version and platform, with
 * `number`, `created_at`, `prerelease`; yanked versions are not listed). Sources that do not serve that API
 * (gem mirrors and proxies often serve only what Bundler needs) answer it 404 for every gem, so a 404 is
 * confirmed with the compact index Bundler reads (`<source>/info/<name>`) before a gem is called missing.
 * The compact index is also where each version's requirements are (`requirements`, asked for the gems a
 * project declares: the first hop of a fix through a direct dependency).
 */

import { RegistryHttpError } from '../core/http.js';
import { isObject } from '../core/json.js';
import type { ExistingPackage, VersionFacts } from '../model/registry-facts.js';
import { compareVersions } from '../versions/index.js';
import { latestRelease } from '../versions/pick.js';
import { datesLookReal, isoTime, lookupRequirements, parseJson, SourcesClient } from './client.js';
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

  /**
   * Each version's run-time requirements, from the compact index (`<source>/info/<name>`: the versions API
   * does not say); one request per gem, cached like the facts. Undefined when no source has the file.
   */
  async requirements(name: string): Promise<Record<string, Record<string, string>> | undefined> {
    const { registry } = this;
    if (!registry || this.refusal(name)) return undefined;
    const key = `RubyGems-requires:${registry}:${name}`;
    const answer = await lookupRequirements(this.context, key, async () => {
      const text = await this.fromSources((source) =>
        this.fetchText(source, `${source.url}info/${encodeURIComponent(name)}`, 'text/plain'),
      );
      if (text === undefined) return undefined;
      const facts = readCompactInfo(name, text);
      const out: Record<string, Record<string, string>> = {};
      for (const [version, v] of Object.entries(facts.versions ?? {}))
        if (v.requires) out[version] = v.requires;
      return out;
    });
    return answer;
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
    const space = line.indexOf(' ');
    const token = space === -1 ? line : line.slice(0, space);
    // Platform gems are `1.13.3-x86_64-linux`; a gem version never holds a `-`.
    const [version, platform] = token.split('-');
    if (!version) continue;
    versions[version] ??= { version };
    // `<dep>:<req>&<req>,<dep>:<req>|checksum:…,ruby:…`: the plain-Ruby line's requirements win.
    if (space === -1 || (platform !== undefined && versions[version].requires)) continue;
    const requires = compactRequirements(line.slice(space + 1).split('|')[0] ?? '');
    versions[version].requires = requires;
    versions[version].dependencies = Object.keys(requires);
  }
  const facts = packageOf(name, versions);
  facts.trimmed = ['publish dates', 'description'];
  return facts;
}

/** `rack:>= 1.0&< 3,thor:~> 1.0` → `{ rack: '>= 1.0, < 3', thor: '~> 1.0' }` (RubyGems requirement syntax). */
function compactRequirements(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const name = part.slice(0, colon).trim();
    const requirement = part
      .slice(colon + 1)
      .split('&')
      .map((r) => r.trim())
      .filter((r) => r !== '')
      .join(', ');
    if (name !== '') out[name] = requirement === '' ? '>= 0' : requirement;
  }
  return out;
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
