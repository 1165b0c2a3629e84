import type { Node } from 'jsonc-parser';
import { pushAll } from '../../core/arrays.js';
import { basename } from '../../core/paths.js';
import type { ProjectFact } from '../../model/source.js';
import { anchoredPatterns, parseJson, property, stringValue } from '../json-tree.js';
import type { Extractor, ExtractResult } from '../types.js';

const ID = 'npm/knip-config';
/** Most names one `ignoreDependencies` may list: more is no configuration a project writes by hand. */
const MAX_NAMES = 1_000;

/**
 * knip's JSON configuration (`knip.json`, `knip.jsonc`, `.knip.json`, `.knip.jsonc`; package.json's `knip`
 * key is read by the package.json extractor through `knipFacts`): the project's own statements of what is
 * not code to check (`ignore`) and of dependencies it provides some other way (`ignoreDependencies`). Both
 * are hints from inside the scanned tree, so they only ever narrow what a phantom finding or a parse error
 * means; see `knipFacts`. A `knip.ts`/`knip.config.js` is code and is not read.
 */
export const knipConfig: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'manifest',
  matches: (path) => /^\.?knip\.jsonc?$/.test(basename(path)),
  extract(file) {
    if (file.text.trim() === '') return { refs: [], errors: [], facts: [] };
    const doc = parseJson(file.text, { allowTrailingComma: true });
    const result: ExtractResult = { refs: [], errors: doc.errors, facts: [] };
    if (doc.root && doc.root.type !== 'object') {
      result.errors.push({ line: 1, message: 'not a knip configuration (an object is expected)' });
      return result;
    }
    pushAll(result.facts, knipFacts(doc.root));
    return result;
  },
};

/**
 * The top-level `ignore` globs (files knip does not analyse: a parse error there fails nothing) and the
 * `ignoreDependencies` names (regular expressions exist only in a JavaScript config, so every JSON entry is
 * a name; an entry with a `*` or a `/` pattern syntax that no package name has is kept as written and
 * simply matches nothing). Per-workspace settings (`workspaces: {…}`) are not read.
 */
export function knipFacts(config: Node | undefined): ProjectFact[] {
  if (config?.type !== 'object') return [];
  const facts: ProjectFact[] = [];
  const ignored = anchoredPatterns(property(config, 'ignore'));
  if (ignored.length > 0)
    facts.push({ kind: 'lint-ignores', ecosystem: 'npm', patterns: ignored, by: 'knip' });
  const list = property(config, 'ignoreDependencies');
  const names = (list?.type === 'array' ? (list.children ?? []) : [])
    .slice(0, MAX_NAMES)
    .map(stringValue)
    .filter((name): name is string => name !== undefined && name.trim() !== '');
  if (names.length > 0) facts.push({ kind: 'ignored-dependencies', ecosystem: 'npm', names, by: 'knip' });
  return facts;
}
