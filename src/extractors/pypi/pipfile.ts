import { basename } from '../../core/paths.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import {
  asString,
  isTable,
  makeRef,
  parseToml,
  type SourcedTarget,
  sourceOfTable,
  TomlLines,
} from './common.js';
import { type PypiTarget, parseRequirement, pypiTarget } from './requirement.js';

const ID = 'pypi/pipfile';

/** Top-level Pipfile tables that are settings, not package categories. */
const NOT_CATEGORIES = new Set(['source', 'requires', 'pipenv', 'scripts']);

/** A Pipfile version: `*` is anything; otherwise a PEP 440 specifier, kept as written if it is not one. */
function versionTarget(name: string, version: string): PypiTarget {
  const text = version.trim();
  if (text === '' || text === '*') return { name, origin: 'registry' };
  const parsed = parseRequirement(`${name}${text}`);
  return parsed.ok ? pypiTarget(parsed.requirement) : { name, spec: text, origin: 'registry' };
}

/**
 * Pipfile: `[packages]` (production), `[dev-packages]` (`dev`), and pipenv's other categories as groups of
 * their name. Values are a version string or a table with version/git/ref/path/file/editable/extras.
 */
export const pipfile: Extractor = {
  id: ID,
  ecosystem: 'PyPI',
  kind: 'manifest',
  matches: (path) => basename(path) === 'Pipfile',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const doc = parseToml(file.text, result.errors);
    if (!doc) return result;
    const toml = new TomlLines(file.text);
    for (const [category, packages] of Object.entries(doc)) {
      if (NOT_CATEGORIES.has(category) || !isTable(packages)) continue;
      const groups = category === 'packages' ? [] : category === 'dev-packages' ? ['dev'] : [category];
      for (const [name, value] of Object.entries(packages)) {
        const line = toml.keyLocation([category], name);
        let target: SourcedTarget;
        if (typeof value === 'string') target = versionTarget(name, value);
        else if (isTable(value)) {
          const source = sourceOfTable(value);
          const version = asString(value.version);
          target = source ? { name, ...source } : versionTarget(name, version ?? '*');
        } else {
          result.errors.push({
            line,
            message: `${quoted(`${category}.${name}`)} is neither a version string nor a table`,
          });
          continue;
        }
        result.refs.push(
          makeRef({ target, extractor: ID, source: 'declared', location: { file: file.path, line }, groups }),
        );
      }
    }
    return result;
  },
};
