/**
 * The Go module proxy client (the GOPROXY protocol): `<proxy>/<module>/@v/list` for existence and the tagged
 * versions, `@v/<version>.info` for a version's time, `@latest` for a module without tags. Module paths and
 * versions are case-encoded (`!` + lower case for each capital), as the protocol requires.
 *
 * A 404 or 410 is "not found" for a module path only. A name that `go get` or `go install` accepts may be
 * a package inside a module (`golang.org/x/text/language`), so a name the proxy does not know as a module
 * is looked up by its parent paths, as the go command does, and answers with the module that contains it.
 */

import { RegistryHttpError } from '../core/http.js';
import { isObject } from '../core/json.js';
import type { ExistingPackage, VersionFacts } from '../model/registry-facts.js';
import { goScheme } from '../versions/go.js';
import { compareVersions } from '../versions/index.js';
import { isPrerelease } from '../versions/prerelease.js';
import { datesLookReal, isoTime, lookupVersion, parseJson, SourcesClient } from './client.js';
import { type GoSources, matchesGoPrivate, type RegistrySource } from './sources.js';
import type { VersionAnswer } from './types.js';

/** The proxy's "no such module or version" statuses. */
const NOT_FOUND = [410];
/** Versions dated with the package (the lowest ones, for the creation time) besides the latest. */
const DATED_LOWEST = 3;

/** golang.org/x/mod/module.EscapePath / EscapeVersion: `Azure` → `!azure`. */
export function goEscape(text: string): string {
  return text.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

function isTaggedVersion(version: string): boolean {
  return version.startsWith('v') && goScheme.parse(version) !== undefined;
}

/** The path and its parents down to two elements (`host/x`): where a module containing it may start. */
export function modulePathCandidates(path: string): string[] {
  const elements = path.split('/');
  const out: string[] = [];
  for (let n = elements.length; n >= Math.min(2, elements.length); n--)
    out.push(elements.slice(0, n).join('/'));
  return out;
}

export class GoProxyClient extends SourcesClient<GoSources> {
  readonly ecosystem = 'Go' as const;

  protected override refusal(name: string): string | undefined {
    return matchesGoPrivate(this.config.private, name)
      ? 'the module matches GOPRIVATE/GONOPROXY: the go command fetches it from its repository, not from the proxy'
      : undefined;
  }

  protected async fromSource(source: RegistrySource, path: string): Promise<ExistingPackage | undefined> {
    for (const candidate of modulePathCandidates(path)) {
      const list = await this.fetchText(
        source,
        `${source.url}${goEscape(candidate)}/@v/list`,
        undefined,
        NOT_FOUND,
      );
      if (list !== undefined) return this.readModule(source, candidate, list);
    }
    return undefined;
  }

  private async readModule(source: RegistrySource, module: string, list: string): Promise<ExistingPackage> {
    if (/^\s*</.test(list))
      throw new RegistryHttpError('invalid', 'the proxy answered with a page, not a list of versions');
    const versions: Record<string, VersionFacts> = {};
    for (const line of list.split('\n')) {
      const version = line.trim().split(/\s+/)[0] ?? '';
      if (version === '') continue;
      if (!isTaggedVersion(version))
        throw new RegistryHttpError(
          'invalid',
          `the proxy listed '${version.slice(0, 40)}', which is not a version`,
        );
      versions[version] = { version };
    }
    const ascending = Object.keys(versions).sort((a, b) => compareVersions('Go', a, b));
    // The go command's `@latest`: the highest release, else the highest pre-release, else the proxy's answer.
    let latest = [...ascending].reverse().find((v) => !isPrerelease('Go', v)) ?? ascending.at(-1);
    if (!latest) {
      const info = await this.info(source, module, '@latest');
      if (info) {
        versions[info.version] = info;
        latest = info.version;
      }
    }
    const wanted = [...new Set([...ascending.slice(0, DATED_LOWEST), ...(latest ? [latest] : [])])];
    await Promise.all(
      wanted
        .filter((v) => versions[v]?.published === undefined)
        .map(async (version) => {
          const info = await this.info(source, module, `${goEscape(version)}.info`).catch(() => undefined);
          if (info?.published && versions[version]) versions[version].published = info.published;
        }),
    );
    const times = Object.values(versions)
      .map((v) => v.published)
      .filter((t): t is string => t !== undefined);
    const facts: ExistingPackage = {
      status: 'exists',
      ecosystem: 'Go',
      name: module,
      versions,
      datesTrusted: times.length > 0 && datesLookReal(times),
    };
    if (latest) facts.latest = latest;
    const created = times.sort()[0];
    if (created) facts.created = created;
    if (!facts.datesTrusted) facts.trimmed = ['publish dates'];
    return facts;
  }

  /** `@v/<version>.info` or `@latest`: the version and its time; undefined when the proxy has none. */
  private async info(
    source: RegistrySource,
    module: string,
    file: string,
  ): Promise<VersionFacts | undefined> {
    const at = file === '@latest' ? '' : '@v/';
    const body = await this.fetchText(
      source,
      `${source.url}${goEscape(module)}/${at}${file}`,
      'application/json',
      NOT_FOUND,
    );
    if (body === undefined) return undefined;
    const doc = parseJson(body);
    if (!isObject(doc) || typeof doc.Version !== 'string' || !isTaggedVersion(doc.Version))
      throw new RegistryHttpError('invalid', 'the proxy answered with something that is not version info');
    const facts: VersionFacts = { version: doc.Version };
    const published = isoTime(doc.Time);
    if (published) facts.published = published;
    return facts;
  }

  /** A version the list does not have (a pseudo-version) or does not date, from `@v/<version>.info`. */
  async version(module: string, version: string): Promise<VersionAnswer> {
    if (!this.registry || !isTaggedVersion(version))
      return { status: 'unchecked', reason: `'${version}' is not a module version` };
    return lookupVersion(this.context, `go-info:${this.registry}:${module}@${version}`, () =>
      this.fromSources((source) => this.info(source, module, `${goEscape(version)}.info`)),
    );
  }
}
