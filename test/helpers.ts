import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExtractContext, Extractor, ExtractResult } from '../src/extractors/types.js';
import type { PackageRef } from '../src/model/package-ref.js';

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

/** `npm:express@4.17.1 installed [dev] (git) as alias`: what a user reads off one ref. */
export function refSummary(ref: PackageRef): string {
  let text = `${ref.ecosystem}:${ref.name}`;
  if (ref.version !== undefined) text += `@${ref.version}`;
  if (ref.spec !== undefined) text += ` ${ref.spec}`;
  text += ` ${ref.source}`;
  if (ref.groups) text += ` [${ref.groups.join(',')}]`;
  if (ref.origin && ref.origin !== 'registry') text += ` (${ref.origin})`;
  if (ref.alias) text += ` as ${ref.alias}`;
  return text;
}
