import { basename } from '../../core/paths.js';
import type { ProjectFact, SourceFile } from '../../model/source.js';
import { quoted } from '../quote.js';
import type { Extractor, ExtractResult } from '../types.js';
import { makeRef } from './common.js';
import { parseRequirement, pypiTarget } from './requirement.js';

const ID = 'pypi/setup-cfg';

interface ValueLine {
  text: string;
  line: number;
}

interface Entry {
  /** As written: setuptools keeps the case of keys, so extras keep theirs. */
  key: string;
  line: number;
  /** The text after `=` and every continuation line, each with its line. */
  lines: ValueLine[];
}

/**
 * setup.cfg as Python's configparser reads it: `[section]`, `key = value` or `key: value`, and
 * continuation lines indented below a key (the `ini` package has no notion of those, and setuptools'
 * dangling lists depend on them). Full-line `#`/`;` comments are skipped.
 */
function readConfig(text: string): Map<string, Entry[]> {
  const sections = new Map<string, Entry[]>();
  let section: Entry[] | undefined;
  let entry: Entry | undefined;
  for (const [i, raw] of text.split(/\r?\n|\r/).entries()) {
    const line = i + 1;
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const indented = /^\s/.test(raw);
    if (indented && entry) {
      if (trimmed) entry.lines.push({ text: trimmed, line });
      continue;
    }
    // configparser keeps blank lines inside a value when indented lines follow.
    if (!trimmed) continue;
    const header = /^\[(.+)\]\s*$/.exec(trimmed);
    if (header) {
      const name = header[1]!.trim();
      section = sections.get(name) ?? [];
      sections.set(name, section);
      entry = undefined;
      continue;
    }
    const separator = /[=:]/.exec(trimmed);
    if (!section || !separator) {
      entry = undefined;
      continue;
    }
    const key = trimmed.slice(0, separator.index).trim();
    const value = trimmed.slice(separator.index + 1).trim();
    entry = { key, line, lines: value ? [{ text: value, line }] : [] };
    section.push(entry);
  }
  return sections;
}

/**
 * setup.cfg: `[options] install_requires`, `setup_requires` (group `build`), `tests_require` (group
 * `test`), `[options.extras_require]` (group = the extra), `file:` directives, and `[metadata] name`.
 */
export const setupCfg: Extractor = {
  id: ID,
  ecosystem: 'PyPI',
  kind: 'manifest',
  matches: (path) => basename(path) === 'setup.cfg',
  extract(file, ctx) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const sections = readConfig(file.text);

    const requirement = (
      source: SourceFile,
      text: string,
      line: number,
      groups: string[],
      errorLine?: number,
    ) => {
      const parsed = parseRequirement(text);
      if (!parsed.ok) {
        const message = errorLine === undefined ? parsed.error : `${source.path}:${line}: ${parsed.error}`;
        result.errors.push({ line: errorLine ?? line, message });
        return;
      }
      result.refs.push(
        makeRef({
          target: pypiTarget(parsed.requirement),
          extractor: ID,
          source: 'declared',
          location: { file: source.path, line },
          groups,
        }),
      );
    };

    const list = (entry: Entry, groups: string[]) => {
      const first = entry.lines[0];
      if (!first) return;
      // `file: requirements.txt, more.txt` reads the requirements from those files (setuptools ≥ 62.6).
      const directive = /^file:\s*(.*)$/.exec(first.text);
      if (directive && entry.lines.length === 1) {
        for (const path of directive[1]!
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean)) {
          const included = ctx.readRelative(file, path);
          if ('error' in included) {
            result.errors.push({
              line: first.line,
              message: `cannot read ${quoted(path)}: ${included.error}`,
            });
            continue;
          }
          for (const [i, raw] of included.text.split(/\r?\n|\r/).entries()) {
            const text = raw.replace(/(^|\s)#.*$/, '').trim();
            if (text) requirement(included, text, i + 1, groups, first.line);
          }
        }
        return;
      }
      if (entry.lines.length > 1) {
        for (const { text, line } of entry.lines)
          if (!text.startsWith('#')) requirement(file, text, line, groups);
        return;
      }
      // setuptools splits a one-line value on `;` (so a marker there breaks it, for setuptools too).
      for (const item of first.text
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean))
        requirement(file, item, first.line, groups);
    };

    const groupsOf = new Map([
      ['install_requires', []],
      ['setup_requires', ['build']],
      ['tests_require', ['test']],
    ]);
    for (const entry of sections.get('options') ?? []) {
      // setuptools still accepts the dashed spellings (`install-requires`), with a warning.
      const groups = groupsOf.get(entry.key.toLowerCase().replace(/-/g, '_'));
      if (groups) list(entry, groups);
    }
    for (const entry of sections.get('options.extras_require') ?? []) list(entry, [entry.key]);

    const name = (sections.get('metadata') ?? []).find((e) => e.key.toLowerCase() === 'name')?.lines[0]?.text;
    if (sections.has('metadata') || sections.has('options')) {
      const fact: ProjectFact = { kind: 'manifest', ecosystem: 'PyPI' };
      if (name) fact.name = name;
      result.facts.push(fact);
    }
    return result;
  },
};
