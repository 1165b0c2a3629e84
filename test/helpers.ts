import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtractContext, Extractor, ExtractResult } from '../src/extractors/types.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function fixturePath(...parts: string[]): string {
  return `${FIXTURES}${parts.join('/')}`;
}

/** A context for running one extractor alone: includes are read from disk, snippets are not expected. */
export function testContext(overrides: Partial<ExtractContext> = {}): ExtractContext {
  return {
    pythonImportMap: new Map(),
    readRelative: () => undefined,
    extractSnippet: () => ({ refs: [], errors: [], facts: [] }),
    ...overrides,
  };
}

export function extractFixture(extractor: Extractor, ...parts: string[]): ExtractResult {
  const path = fixturePath(...parts);
  return extractor.extract({ path: parts.join('/'), text: readFileSync(path, 'utf8') }, testContext());
}
