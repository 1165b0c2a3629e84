import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ProjectFact } from '../../model/source.js';
import { entries, lineOf, parseJson, property, rootObject, stringValue } from '../json-tree.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import { composerConstraint, isPlatformPackage } from './common.js';

const ID = 'php/composer-json';
const FIELDS: ReadonlyArray<[string, string[]]> = [
  ['require', []],
  ['require-dev', ['dev']],
];

/**
 * composer.json: `require` and `require-dev` (group `dev`). Platform requirements (`php`, `ext-*`,
 * `lib-*`, `composer-plugin-api`, …) are checks on the running PHP, not packages, and are left out. The
 * package's own `name` is the manifest's.
 */
export const composerJson: Extractor = {
  id: ID,
  ecosystem: 'Packagist',
  kind: 'manifest',
  matches: (path) => basename(path) === 'composer.json',
  extract(file) {
    const doc = parseJson(file.text);
    const result: ExtractResult = { refs: [], errors: doc.errors, facts: [] };
    const root = rootObject(doc, 'composer.json', result.errors);
    if (!root) return result;
    for (const [field, groups] of FIELDS) {
      const requirements = property(root, field);
      if (requirements && requirements.type !== 'object') {
        result.errors.push({
          line: lineOf(doc, requirements.offset),
          message: `${quoted(field)} is not an object`,
        });
        continue;
      }
      for (const [name, value, offset] of entries(requirements)) {
        const constraint = stringValue(value);
        if (constraint === undefined) {
          result.errors.push({
            line: lineOf(doc, offset),
            message: `${quoted(`${field}.${name}`)} is not a string`,
          });
          continue;
        }
        if (isPlatformPackage(name)) continue;
        const ref: PackageRef = {
          ecosystem: 'Packagist',
          name,
          ...composerConstraint(constraint),
          source: 'declared',
          extractor: ID,
          location: { file: file.path, line: lineOf(doc, offset) },
          origin: 'registry',
        };
        if (groups.length > 0) ref.groups = groups;
        result.refs.push(ref);
      }
    }
    const fact: ProjectFact = { kind: 'manifest', ecosystem: 'Packagist' };
    const name = stringValue(property(root, 'name'));
    if (name) fact.name = name;
    result.facts.push(fact);
    return result;
  },
};
