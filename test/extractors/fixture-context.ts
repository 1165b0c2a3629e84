import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Extractor, ExtractResult } from '../../src/extractors/types.js';
import { FIXTURES, testContext } from '../helpers.js';

/**
 * Runs an extractor on a fixture with includes read from disk beside it, as the core would: paths are
 * relative to test/fixtures/extractors, like the fixture's own.
 */
export function extractWithIncludes(extractor: Extractor, ...parts: string[]): ExtractResult {
  const path = parts.join('/');
  const read = (relative: string) => {
    const abs = `${FIXTURES}extractors/${relative}`;
    return existsSync(abs) ? { path: relative, text: readFileSync(abs, 'utf8') } : undefined;
  };
  const ctx = testContext({
    readRelative: (from, relativePath) =>
      read(posix.normalize(posix.join(posix.dirname(from.path), relativePath))),
  });
  const file = read(path);
  if (!file) throw new Error(`no fixture ${path}`);
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
