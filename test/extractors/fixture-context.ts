import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Extractor, ExtractResult, Included } from '../../src/extractors/types.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import type { ProjectFact } from '../../src/model/source.js';
import { FIXTURES, fixturePath, testContext } from '../helpers.js';

export const EXTRACTOR_FIXTURES = fixturePath('extractors');

/**
 * Runs an extractor on a fixture, reading its includes from disk relative to the including file, as the core
 * does. The fixture's path and those of its includes (their refs' `location.file`) are relative to `root`.
 */
export function extractWithIncludes(extractor: Extractor, path: string, root = FIXTURES): ExtractResult {
  const read = (...parts: string[]): Included => {
    const abs = resolve(root, ...parts);
    return existsSync(abs)
      ? { path: relative(root, abs), text: readFileSync(abs, 'utf8') }
      : { error: 'no such file' };
  };
  const ctx = testContext({ readRelative: (from, relativePath) => read(dirname(from.path), relativePath) });
  const file = read(path);
  if ('error' in file) throw new Error(`no fixture ${path}`);
  return extractor.extract(file, ctx);
}

/** `name version|spec [groups] line` for each ref: what a user reads in a report. */
export function summarize(out: ExtractResult): string[] {
  return out.refs.map((ref) => {
    const what = ref.version ?? (ref.spec === undefined ? '*' : `(${ref.spec})`);
    const groups = ref.groups?.length ? ` [${ref.groups.join(',')}]` : '';
    const file = ref.location.file.split('/').at(-1);
    return `${ref.name} ${what}${groups} ${file}:${ref.location.line}`;
  });
}

/** The first ref of that name (and version, when given); without one the test fails, naming the refs there are. */
export function findRef(out: ExtractResult, name: string, version?: string): PackageRef {
  const ref = out.refs.find((r) => r.name === name && (version === undefined || r.version === version));
  if (!ref) throw new Error(`no ref ${name}@${version ?? '*'} in ${out.refs.map((r) => r.name).join(', ')}`);
  return ref;
}

/** The dependency graph a lockfile gave; without one the test fails. */
export function dependencyGraph(out: ExtractResult): Extract<ProjectFact, { kind: 'dependency-graph' }> {
  const fact = out.facts.find((f) => f.kind === 'dependency-graph');
  if (fact?.kind !== 'dependency-graph') throw new Error('no dependency graph');
  return fact;
}
