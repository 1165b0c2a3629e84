import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';

const ID = 'maven/gradle-lockfile';
/** `group:artifact:version=configuration,configuration` */
const ENTRY = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)=([\w,-]*)$/;

/**
 * gradle.lockfile (and the per-configuration `gradle/dependency-locks/*.lockfile` of Gradle 6): one locked
 * module per line, with the configurations that resolve it. Comment lines start with `#`; `empty=` lists
 * the configurations that resolve nothing. A module locked only for test configurations gets group `test`.
 * Gradle writes nothing else, so any other line is reported as an error.
 */
export const gradleLockfile: Extractor = {
  id: ID,
  ecosystem: 'Maven',
  kind: 'lockfile',
  matches: (path) =>
    basename(path) === 'gradle.lockfile' || /(?:^|\/)dependency-locks\/[^/]+\.lockfile$/.test(path),
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const edges: Record<string, string[]> = {};
    for (const [i, raw] of file.text.split(/\r?\n/).entries()) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || /^empty=[\w,-]*$/.test(line)) continue;
      const entry = ENTRY.exec(line);
      if (!entry) {
        result.errors.push({
          line: i + 1,
          message: `not a "group:artifact:version=configurations" line: ${quoted(line.slice(0, 60))}`,
        });
        continue;
      }
      const [, group, artifact, version, configurations] = entry;
      const name = `${group}:${artifact}`;
      const ref: PackageRef = {
        ecosystem: 'Maven',
        name,
        version: version!,
        source: 'locked',
        extractor: ID,
        location: { file: file.path, line: i + 1 },
        origin: 'registry',
      };
      const configs = configurations!.split(',').filter(Boolean);
      if (configs.length > 0 && configs.every((config) => config.toLowerCase().includes('test')))
        ref.groups = ['test'];
      result.refs.push(ref);
      edges[name] ??= [];
    }
    // The lockfile records what is installed but not who pulls what in.
    if (result.refs.length > 0) result.facts.push({ kind: 'dependency-graph', ecosystem: 'Maven', edges });
    return result;
  },
};
