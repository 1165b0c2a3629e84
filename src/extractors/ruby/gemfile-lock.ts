import { basename } from '../../core/paths.js';
import type { PackageRef, RefOrigin } from '../../model/package-ref.js';
import { isCommitHash } from '../pypi/common.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';

const ID = 'ruby/gemfile-lock';
/** Sections whose specs are installed gems, and where those come from. */
const SOURCE_SECTIONS: Readonly<Record<string, RefOrigin>> = {
  GEM: 'registry',
  GIT: 'git',
  PATH: 'path',
  'PLUGIN SOURCE': 'registry',
};
/** Bundler's spec line: `name (version[-platform])` at 4 spaces. */
const SPEC = /^ {4}(?! )(\S+?)(?: \(([^-)]*)(?:-([^)]*))?\))?$/;
/** A dependency of the spec above: `name` or `name (requirement)` at 6 spaces. */
const SPEC_DEPENDENCY = /^ {6}(?! )(\S+?)(?: \([^)]*\))?$/;
const DEPENDENCY = /^ {2}(?! )(\S+?)(?: \(([^)]*)\))?(!)?$/;

/**
 * Gemfile.lock (and gems.locked), read line by line as Bundler's own lockfile parser does (the format is
 * Bundler's, indentation-structured, and no parser for it is installed): each GEM, GIT, PATH and PLUGIN
 * SOURCE section's specs become locked refs (GIT: the `revision` as the commit; PATH: origin `path`), with
 * the platform suffix dropped (`nokogiri (1.13.3-x86_64-linux)` is 1.13.3, reported once); the indented
 * lines under a spec are its dependencies (the graph), and DEPENDENCIES lists the roots.
 */
export const gemfileLock: Extractor = {
  id: ID,
  ecosystem: 'RubyGems',
  kind: 'lockfile',
  matches: (path) => {
    const name = basename(path);
    return name === 'Gemfile.lock' || name === 'gems.locked' || name.endsWith('.gemfile.lock');
  },
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const edges: Record<string, string[]> = {};
    const roots: string[] = [];
    const seen = new Set<string>();
    let section: string | undefined;
    let inSpecs = false;
    let remote: string | undefined;
    let revision: string | undefined;
    let current: string | undefined;
    for (const [i, line] of file.text.split(/\r?\n/).entries()) {
      const lineNumber = i + 1;
      if (line.trim() === '') continue;
      if (/^(?:<{7}|={7}|>{7})/.test(line)) {
        result.errors.push({ line: lineNumber, message: 'an unresolved merge conflict marker' });
        continue;
      }
      if (!line.startsWith(' ')) {
        section = line.trim();
        inSpecs = false;
        remote = undefined;
        revision = undefined;
        current = undefined;
        continue;
      }
      if (section === 'DEPENDENCIES') {
        const dependency = DEPENDENCY.exec(line);
        if (dependency) roots.push(dependency[1]!);
        else
          result.errors.push({
            line: lineNumber,
            message: `not a dependency line: ${quoted(line.trim())}`,
          });
        continue;
      }
      const origin = section === undefined ? undefined : SOURCE_SECTIONS[section];
      if (origin === undefined) continue;
      const option = /^ {2}([\w-]+):(?: (.*))?$/.exec(line);
      if (option) {
        const [, key, value] = option;
        inSpecs = key === 'specs';
        if (key === 'remote') remote = value?.trim();
        if (key === 'revision') revision = value?.trim();
        continue;
      }
      const dependency = inSpecs ? SPEC_DEPENDENCY.exec(line) : null;
      if (dependency) {
        const name = dependency[1]!;
        if (current !== undefined && !edges[current]!.includes(name)) edges[current]!.push(name);
        continue;
      }
      const spec = inSpecs ? SPEC.exec(line) : null;
      if (!spec) {
        result.errors.push({ line: lineNumber, message: `not a spec line: ${quoted(line.trim())}` });
        continue;
      }
      const [, name, version] = spec;
      current = name!;
      edges[current] ??= [];
      if (version === undefined || version.trim() === '') {
        result.errors.push({ line: lineNumber, message: `the gem ${quoted(current)} has no version` });
        continue;
      }
      // One gem locked for several platforms is one gem to vet.
      const key = `${name}\0${version}\0${origin}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const ref: PackageRef = {
        ecosystem: 'RubyGems',
        name: name!,
        version: version.trim(),
        source: 'locked',
        extractor: ID,
        location: { file: file.path, line: lineNumber, column: 5 },
        origin,
      };
      if (origin !== 'registry' && remote !== undefined) ref.url = remote;
      if (origin === 'git' && isCommitHash(revision)) ref.commit = revision;
      result.refs.push(ref);
    }
    if (Object.keys(edges).length > 0 || roots.length > 0)
      result.facts.push({ kind: 'dependency-graph', ecosystem: 'RubyGems', roots, edges });
    return result;
  },
};
