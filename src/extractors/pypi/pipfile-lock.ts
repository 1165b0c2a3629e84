import { pushAll } from '../../core/arrays.js';
import { basename } from '../../core/paths.js';
import type { PackageRef } from '../../model/package-ref.js';
import { entries, lineOf, parseJson, property, rootObject, stringValue } from '../json-tree.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import { makeRef, type SourcedTarget, sourceOfTable, type Table } from './common.js';

const ID = 'pypi/pipfile-lock';

/**
 * Pipfile.lock: `default` (production), `develop` (`dev`) and pipenv's other categories (groups of their
 * name). `"version": "==X"` is the locked version; git entries carry the resolved commit in `ref`. A name
 * locked at the same version in several sections is installed once: the first section (production) wins.
 */
export const pipfileLock: Extractor = {
  id: ID,
  ecosystem: 'PyPI',
  kind: 'lockfile',
  matches: (path) => basename(path) === 'Pipfile.lock',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    // An empty lockfile locks nothing; it is not a broken one.
    if (file.text.trim() === '') return result;
    const doc = parseJson(file.text);
    pushAll(result.errors, doc.errors);
    const root = rootObject(doc, 'Pipfile.lock', result.errors);
    if (!root) return result;
    const seen = new Set<string>();
    const sections = [...entries(root)].filter(([key]) => key !== '_meta');
    // `default` first, so that production wins over a duplicate in `develop`.
    sections.sort(([a], [b]) => Number(b === 'default') - Number(a === 'default'));
    for (const [section, packages, offset] of sections) {
      if (packages.type !== 'object') {
        result.errors.push({ line: lineOf(doc, offset), message: `${quoted(section)} is not an object` });
        continue;
      }
      const groups = section === 'default' ? [] : section === 'develop' ? ['dev'] : [section];
      for (const [name, entry, keyOffset] of entries(packages)) {
        const line = lineOf(doc, keyOffset);
        if (entry.type !== 'object') {
          result.errors.push({ line, message: `${quoted(`${section}.${name}`)} is not an object` });
          continue;
        }
        const fields: Table = {};
        for (const [key, value] of entries(entry)) {
          const text = stringValue(value);
          if (text !== undefined) fields[key] = text;
        }
        const target: SourcedTarget = { name, ...(sourceOfTable(fields) ?? { origin: 'registry' }) };
        const version = stringValue(property(entry, 'version'));
        if (version?.startsWith('==') && !version.includes('*')) target.version = version.slice(2).trim();
        else if (version !== undefined && version !== '*') target.spec = version;
        const key = `${name.toLowerCase()}@${target.version ?? ''}`;
        if (target.version !== undefined && seen.has(key)) continue;
        seen.add(key);
        const ref: PackageRef = makeRef({
          target,
          extractor: ID,
          source: 'locked',
          location: { file: file.path, line },
          groups,
        });
        result.refs.push(ref);
      }
    }
    return result;
  },
};
