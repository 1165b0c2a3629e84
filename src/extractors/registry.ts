import { jsImports } from './npm/imports.js';
import { packageJson } from './npm/package-json.js';
import { tsconfig } from './npm/tsconfig.js';
import type { Extractor } from './types.js';

/**
 * Every extractor. A file goes to the first one whose `matches` accepts its path, so specific names
 * (package.json) come before broad patterns (*.js), and the document extractor comes last.
 */
export const EXTRACTORS: readonly Extractor[] = [packageJson, tsconfig, jsImports];

export function extractorFor(path: string): Extractor | undefined {
  return EXTRACTORS.find((extractor) => extractor.matches(path));
}

export function extractorById(id: string): Extractor | undefined {
  return EXTRACTORS.find((extractor) => extractor.id === id);
}
