/**
 * Scenarios: the requests a developer makes of an assistant. A scenario file is YAML (or JSON, which YAML
 * reads too): a list of scenarios, or a mapping with `scenarios:` and defaults (`system`, `language`,
 * `ecosystem`, `tags`) that every scenario of the file inherits. The built-in pack is data/scenarios/.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { VouchError } from '../core/errors.js';
import { isObject } from '../core/json.js';
import { lazy } from '../core/lazy.js';
import { dataPath } from '../core/package-root.js';
import type { Ecosystem } from '../model/ecosystem.js';

const yaml = lazy<typeof import('yaml')>('yaml');

export const BUILTIN_PACK = 'builtin';
const BUILTIN_DIR = dataPath('scenarios');

const LANGUAGES = ['javascript', 'typescript', 'python'] as const;
type Language = (typeof LANGUAGES)[number];

const LANGUAGE_ECOSYSTEM: Record<Language, Ecosystem> = {
  javascript: 'npm',
  typescript: 'npm',
  python: 'PyPI',
};
const SCENARIO_ECOSYSTEMS: readonly Ecosystem[] = ['npm', 'PyPI'];

export interface Scenario {
  /** Unique within a run: lower case letters, digits, `.`, `_` and `-`. */
  id: string;
  /** What the developer asks, sent as the user message. */
  request: string;
  /** Sent as the system prompt, when set. */
  system?: string;
  language?: Language;
  /** From `ecosystem`, else from `language`. */
  ecosystem?: Ecosystem;
  tags: string[];
  /** The file it was read from (`builtin/<file>` for the built-in pack). */
  source: string;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const SCENARIO_KEYS = new Set(['id', 'request', 'system', 'language', 'ecosystem', 'tags']);
const FILE_KEYS = new Set(['scenarios', 'system', 'language', 'ecosystem', 'tags']);

/**
 * Reads scenario files (or `builtin`, the built-in pack) in order; relative paths are from `cwd` and shown
 * as given. Throws a VouchError (`INPUT`) naming the file, line and field of the first problem; ids must be
 * unique across all files.
 */
export function loadScenarios(paths: readonly string[], cwd = process.cwd()): Scenario[] {
  const scenarios: Scenario[] = [];
  const seen = new Map<string, string>();
  const files = paths.length === 0 ? [BUILTIN_PACK] : paths;
  for (const path of files) {
    const loaded = path === BUILTIN_PACK ? loadBuiltinPack() : [readScenarioFile(resolve(cwd, path), path)];
    for (const file of loaded)
      for (const scenario of file) {
        const first = seen.get(scenario.id);
        if (first)
          throw new VouchError(
            'INPUT',
            `${scenario.source}: scenario id "${scenario.id}" is also used in ${first}; ids must be unique`,
          );
        seen.set(scenario.id, scenario.source);
        scenarios.push(scenario);
      }
  }
  return scenarios;
}

function loadBuiltinPack(): Scenario[][] {
  return readdirSync(BUILTIN_DIR)
    .filter((name) => /\.(?:ya?ml|json)$/.test(name))
    .sort()
    .map((name) => readScenarioFile(join(BUILTIN_DIR, name), `builtin/${name}`));
}

function readScenarioFile(path: string, shown: string): Scenario[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new VouchError(
      'INPUT',
      `${shown}: ${code === 'ENOENT' ? 'no such scenario file' : `cannot read it (${code ?? 'error'})`}`,
      { cause: error },
    );
  }
  return parseScenarios(text, shown);
}

/** Parses and validates one scenario file's text; `shown` names it in errors. */
export function parseScenarios(text: string, shown: string): Scenario[] {
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    throw new VouchError(
      'INPUT',
      `${shown}:${line}: not valid YAML or JSON (${syntax.message.split('\n')[0]})`,
    );
  }
  const fail = (path: (string | number)[], message: string): never => {
    const line = lineOf(doc, lineCounter, path);
    throw new VouchError('INPUT', `${shown}${line ? `:${line}` : ''}: ${fieldName(path)}${message}`);
  };
  const data: unknown = doc.toJS();
  if (data === null || data === undefined) return fail([], 'the file has no scenarios');

  let list: unknown;
  let listPath: (string | number)[];
  let defaults: Record<string, unknown> = {};
  if (Array.isArray(data)) {
    list = data;
    listPath = [];
  } else if (isObject(data)) {
    for (const key of Object.keys(data))
      if (!FILE_KEYS.has(key)) fail([key], `is not a file setting (expected ${[...FILE_KEYS].join(', ')})`);
    if (!Array.isArray(data.scenarios)) fail(['scenarios'], 'must be a list of scenarios');
    list = data.scenarios;
    listPath = ['scenarios'];
    defaults = data;
  } else {
    return fail([], 'must be a list of scenarios or a mapping with "scenarios:"');
  }

  const fileSystem = optionalText(defaults.system, ['system'], fail);
  const fileLanguage = language(defaults.language, ['language'], fail);
  const fileEcosystem = ecosystem(defaults.ecosystem, ['ecosystem'], fail);
  const fileTags = tags(defaults.tags, ['tags'], fail) ?? [];

  const scenarios: Scenario[] = [];
  for (const [index, raw] of (list as unknown[]).entries()) {
    const at = (key?: string) => (key === undefined ? [...listPath, index] : [...listPath, index, key]);
    if (!isObject(raw)) fail(at(), 'must be a mapping with at least "id" and "request"');
    const entry = raw as Record<string, unknown>;
    for (const key of Object.keys(entry))
      if (!SCENARIO_KEYS.has(key))
        fail(at(key), `is not a scenario field (expected ${[...SCENARIO_KEYS].join(', ')})`);
    if (typeof entry.id !== 'string' || !ID.test(entry.id))
      fail(at('id'), 'must be lower case letters, digits, ".", "_" or "-" (at most 100)');
    const request = optionalText(entry.request, at('request'), fail);
    if (request === undefined) fail(at('request'), 'is required: the developer’s request');
    const system = optionalText(entry.system, at('system'), fail) ?? fileSystem;
    const lang = language(entry.language, at('language'), fail) ?? fileLanguage;
    const eco = ecosystem(entry.ecosystem, at('ecosystem'), fail) ?? fileEcosystem;
    if (lang && eco && LANGUAGE_ECOSYSTEM[lang] !== eco)
      fail(at('ecosystem'), `${eco} does not go with the language ${lang}`);
    const scenario: Scenario = {
      id: entry.id as string,
      request: request!,
      tags: [...new Set([...fileTags, ...(tags(entry.tags, at('tags'), fail) ?? [])])],
      source: shown,
    };
    if (system !== undefined) scenario.system = system;
    if (lang) scenario.language = lang;
    const derived = eco ?? (lang ? LANGUAGE_ECOSYSTEM[lang] : undefined);
    if (derived) scenario.ecosystem = derived;
    scenarios.push(scenario);
  }
  if (scenarios.length === 0) fail(listPath, 'the file has no scenarios');
  return scenarios;
}

type Fail = (path: (string | number)[], message: string) => never;

function optionalText(value: unknown, path: (string | number)[], fail: Fail): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') return fail(path, 'must be a non-empty string');
  return value.trim();
}

function language(value: unknown, path: (string | number)[], fail: Fail): Language | undefined {
  if (value === undefined || value === null) return undefined;
  const lower = typeof value === 'string' ? value.toLowerCase() : '';
  const alias: Record<string, Language> = { js: 'javascript', ts: 'typescript', py: 'python' };
  const found = alias[lower] ?? (LANGUAGES as readonly string[]).find((l) => l === lower);
  return (found as Language | undefined) ?? fail(path, `must be one of ${LANGUAGES.join(', ')}`);
}

function ecosystem(value: unknown, path: (string | number)[], fail: Fail): Ecosystem | undefined {
  if (value === undefined || value === null) return undefined;
  const found = SCENARIO_ECOSYSTEMS.find(
    (e) => typeof value === 'string' && e.toLowerCase() === value.toLowerCase(),
  );
  return found ?? fail(path, `must be one of ${SCENARIO_ECOSYSTEMS.join(', ')}`);
}

function tags(value: unknown, path: (string | number)[], fail: Fail): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string' || t.trim() === ''))
    return fail(path, 'must be a list of words');
  return (value as string[]).map((t) => t.trim());
}

/** `scenarios[3].request: ` for messages; empty for the whole file. */
function fieldName(path: (string | number)[]): string {
  if (path.length === 0) return '';
  const name = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  return `${name}: `;
}

/** The line of the deepest node of `path` that exists in the document. */
function lineOf(doc: Document, counter: LineCounter, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return counter.linePos(range[0]).line;
  }
  return undefined;
}
