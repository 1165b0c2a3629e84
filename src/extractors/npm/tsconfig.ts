import { basename } from '../../core/paths.js';
import { anchoredPatterns, entries, lineOf, parseJson, property, stringValue } from '../json-tree.js';
import type { Extractor, ExtractResult } from '../types.js';
import { importRef } from './imports.js';

const ID = 'npm/tsconfig';

/**
 * tsconfig.json / jsconfig.json: `compilerOptions.paths` patterns (`@/*`, `~utils`) and `baseUrl` (under
 * which `import "components/x"` is a local folder), so that such imports are not packages; and
 * `compilerOptions.types` (`["node"]` needs `@types/node`), read as type-only imports. `extends` is not
 * followed: each config in the tree is read on its own, for the files below it.
 */
export const tsconfig: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'manifest',
  matches: (path) => /^(?:tsconfig|jsconfig)(?:\.[\w-]+)*\.json$/.test(basename(path)),
  extract(file) {
    // tsc reads an empty config as `{}`.
    if (file.text.trim() === '') return { refs: [], errors: [], facts: [] };
    const doc = parseJson(file.text, { allowTrailingComma: true });
    const result: ExtractResult = { refs: [], errors: doc.errors, facts: [] };
    const options = property(doc.root, 'compilerOptions');
    const patterns = [...entries(property(options, 'paths'))].map(([key]) => key);
    if (patterns.length > 0) result.facts.push({ kind: 'import-aliases', ecosystem: 'npm', patterns });
    const baseUrl = stringValue(property(options, 'baseUrl'));
    if (baseUrl !== undefined) result.facts.push({ kind: 'module-roots', ecosystem: 'npm', dirs: [baseUrl] });
    // What the project's own type-check leaves out (tsconfig.json / jsconfig.json, the config editors and
    // `tsc` use; a tsconfig.build.json's exclude only narrows a build): a parse error there fails nothing.
    if (/^(?:tsconfig|jsconfig)\.json$/.test(basename(file.path))) {
      const excluded = anchoredPatterns(property(doc.root, 'exclude'));
      if (excluded.length > 0)
        result.facts.push({ kind: 'lint-ignores', ecosystem: 'npm', patterns: excluded, by: 'tsconfig' });
    }
    const types = property(options, 'types');
    for (const item of types?.type === 'array' ? (types.children ?? []) : []) {
      const specifier = stringValue(item);
      if (specifier === undefined || specifier.startsWith('.')) continue;
      const ref = importRef({ specifier, typeOnly: true, types: true }, file.path, {
        line: lineOf(doc, item.offset),
      });
      if (ref) result.refs.push({ ...ref, extractor: ID });
    }
    return result;
  },
};
