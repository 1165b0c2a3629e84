import { basename } from '../../core/paths.js';
import { entries, parseJson, property } from '../json-tree.js';
import type { Extractor } from '../types.js';

/**
 * `compilerOptions.paths` of tsconfig.json / jsconfig.json: the patterns (`@/*`, `~utils`) that are aliases
 * for local files, so an import that matches one is not a package. `extends` is not followed.
 */
export const tsconfig: Extractor = {
  id: 'npm/tsconfig',
  ecosystem: 'npm',
  kind: 'manifest',
  matches: (path) => /^(?:tsconfig|jsconfig)(?:\.[\w-]+)*\.json$/.test(basename(path)),
  extract(file) {
    const doc = parseJson(file.text, { allowTrailingComma: true });
    const paths = property(property(doc.root, 'compilerOptions'), 'paths');
    const patterns = [...entries(paths)].map(([key]) => key);
    return {
      refs: [],
      errors: doc.errors,
      facts: patterns.length > 0 ? [{ kind: 'import-aliases', ecosystem: 'npm', patterns }] : [],
    };
  },
};
