import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { VouchError } from '../core/errors.js';
import { isObject } from '../core/json.js';
import { isEcosystem } from '../model/ecosystem.js';
import { FINDING_KIND_IDS, type FindingKind } from '../model/finding.js';
import { isSeverity, type Severity } from '../model/severity.js';
import type { FailOn, IgnoreEntry, PrivateEntry } from './policy.js';

/** `vouch.config.json`: defaults for the command line, the gate's policy, and data added to Vouch's own. */
export interface VouchConfig {
  /** Where it was read from (as given or found), for messages and suppression reports. */
  path?: string;
  /** The threshold for every kind without one of its own. */
  failOn?: FailOn;
  /** Thresholds per finding kind (`"failOn": { "default": "low", "outdated": "none" }`). */
  failOnKind?: Partial<Record<FindingKind, FailOn>>;
  /** The severity every finding of a kind gets (`"severity": { "outdated": "info" }`). */
  severity?: Partial<Record<FindingKind, Severity>>;
  /** Fail (exit 2) when a check that matters could not run for a package in scope. */
  strict?: boolean;
  /** Names, scopes and indexes that are the organisation's own: never asked of a registry. */
  private?: PrivateEntry[];
  /** Findings accepted, each with a reason and optionally a last day. */
  ignore?: IgnoreEntry[];
  /** Honour `vouch-ignore` comments in the scanned source (default true). */
  inlineSuppressions?: boolean;
  exclude?: string[];
  maxFileSize?: number;
  includeDocuments?: boolean;
  /** Python import name → distribution name, added to (and overriding) the built-in table. */
  pythonImportMap?: Record<string, string>;
}

const CONFIG_FILE = 'vouch.config.json';

/** The configuration named, or the one in the working directory, or none (`explicit` false: none). */
export function loadConfig(cwd: string, explicit?: string | false): VouchConfig {
  if (explicit === false) return {};
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, CONFIG_FILE);
  if (!existsSync(path)) {
    if (explicit) throw new VouchError('CONFIG', `${explicit}: no such configuration file`);
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new VouchError('CONFIG', `${path}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return { ...validateConfig(data, path), path: explicit ?? CONFIG_FILE };
}

const FAIL_ON_TEXT = 'one of info, low, medium, high, critical, none';
const isFailOn = (value: unknown): value is FailOn =>
  typeof value === 'string' && (value === 'none' || isSeverity(value));
const isKind = (value: string): value is FindingKind => (FINDING_KIND_IDS as string[]).includes(value);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2099-01-01`, a real calendar day. */
function isDay(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

function validateConfig(data: unknown, path: string): VouchConfig {
  const fail = (message: string): never => {
    throw new VouchError('CONFIG', `${path}: ${message}`);
  };
  if (!isObject(data)) return fail('must be a JSON object');
  const raw = data;
  const config: VouchConfig = {};
  const known = new Set([
    '$schema',
    'failOn',
    'severity',
    'strict',
    'private',
    'ignore',
    'inlineSuppressions',
    'exclude',
    'maxFileSize',
    'includeDocuments',
    'pythonImportMap',
  ]);
  for (const key of Object.keys(raw)) if (!known.has(key)) fail(`unknown setting "${key}"`);
  if (raw.failOn !== undefined) {
    if (isObject(raw.failOn)) {
      const perKind: Partial<Record<FindingKind, FailOn>> = {};
      for (const [key, value] of Object.entries(raw.failOn)) {
        if (!isFailOn(value)) fail(`"failOn.${key}" must be ${FAIL_ON_TEXT}`);
        if (key === 'default') config.failOn = value as FailOn;
        else if (isKind(key)) perKind[key] = value as FailOn;
        else fail(`"failOn": unknown finding kind "${key}" (known: default, ${FINDING_KIND_IDS.join(', ')})`);
      }
      config.failOnKind = perKind;
    } else if (isFailOn(raw.failOn)) config.failOn = raw.failOn;
    else fail(`"failOn" must be ${FAIL_ON_TEXT}, or an object of them by finding kind`);
  }
  if (raw.severity !== undefined) {
    if (!isObject(raw.severity)) fail('"severity" must map finding kinds to severities');
    const severity: Partial<Record<FindingKind, Severity>> = {};
    for (const [key, value] of Object.entries(raw.severity as Record<string, unknown>)) {
      if (!isKind(key)) fail(`"severity": unknown finding kind "${key}"`);
      if (typeof value !== 'string' || !isSeverity(value))
        fail(`"severity.${key}" must be one of info, low, medium, high, critical`);
      severity[key as FindingKind] = value as Severity;
    }
    config.severity = severity;
  }
  if (raw.strict !== undefined) {
    if (typeof raw.strict !== 'boolean') fail('"strict" must be true or false');
    config.strict = raw.strict as boolean;
  }
  if (raw.inlineSuppressions !== undefined) {
    if (typeof raw.inlineSuppressions !== 'boolean') fail('"inlineSuppressions" must be true or false');
    config.inlineSuppressions = raw.inlineSuppressions as boolean;
  }
  if (raw.private !== undefined) {
    if (!Array.isArray(raw.private))
      fail('"private" must be an array of names, globs or { package, ecosystem, index }');
    config.private = (raw.private as unknown[]).map((entry, i) => privateEntry(entry, `private[${i}]`, fail));
  }
  if (raw.ignore !== undefined) {
    if (!Array.isArray(raw.ignore))
      fail('"ignore" must be an array of { kind, package, version, id, path, reason, until }');
    config.ignore = (raw.ignore as unknown[]).map((entry, i) => ignoreEntry(entry, `ignore[${i}]`, fail));
  }
  if (raw.exclude !== undefined) {
    if (!Array.isArray(raw.exclude) || raw.exclude.some((p) => typeof p !== 'string')) {
      fail('"exclude" must be an array of strings');
    }
    config.exclude = raw.exclude as string[];
  }
  if (raw.maxFileSize !== undefined) {
    if (typeof raw.maxFileSize !== 'number' || !(raw.maxFileSize > 0))
      fail('"maxFileSize" must be a positive number');
    config.maxFileSize = raw.maxFileSize as number;
  }
  if (raw.includeDocuments !== undefined) {
    if (typeof raw.includeDocuments !== 'boolean') fail('"includeDocuments" must be true or false');
    config.includeDocuments = raw.includeDocuments as boolean;
  }
  if (raw.pythonImportMap !== undefined) {
    const map = raw.pythonImportMap;
    if (typeof map !== 'object' || map === null || Object.values(map).some((v) => typeof v !== 'string')) {
      fail('"pythonImportMap" must map import names to distribution names');
    }
    config.pythonImportMap = map as Record<string, string>;
  }
  return config;
}

function nonEmptyString(value: unknown, where: string, fail: (m: string) => never): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail(`"${where}" must be a non-empty string`);
  return value as string;
}

function privateEntry(entry: unknown, where: string, fail: (m: string) => never): PrivateEntry {
  if (typeof entry === 'string') {
    if (entry.trim() === '') fail(`"${where}" must not be empty`);
    return { package: entry };
  }
  if (!isObject(entry)) return fail(`"${where}" must be a name, a glob or { package, ecosystem, index }`);
  for (const key of Object.keys(entry))
    if (!['package', 'ecosystem', 'index'].includes(key)) fail(`"${where}": unknown field "${key}"`);
  const out: PrivateEntry = {};
  const pkg = nonEmptyString(entry.package, `${where}.package`, fail);
  if (pkg !== undefined) out.package = pkg;
  const index = nonEmptyString(entry.index, `${where}.index`, fail);
  if (index !== undefined) {
    if (!URL.canParse(index)) fail(`"${where}.index" must be a URL`);
    out.index = index;
  }
  if (entry.ecosystem !== undefined) {
    if (typeof entry.ecosystem !== 'string' || !isEcosystem(entry.ecosystem))
      fail(`"${where}.ecosystem" must be an OSV ecosystem name (npm, PyPI, …)`);
    out.ecosystem = entry.ecosystem as PrivateEntry['ecosystem'];
  }
  if (out.package === undefined && out.index === undefined)
    fail(`"${where}" needs a "package" or an "index"`);
  return out;
}

function ignoreEntry(entry: unknown, where: string, fail: (m: string) => never): IgnoreEntry {
  if (!isObject(entry)) return fail(`"${where}" must be an object`);
  const fields = ['kind', 'package', 'ecosystem', 'version', 'id', 'path', 'reason', 'until'];
  for (const key of Object.keys(entry)) if (!fields.includes(key)) fail(`"${where}": unknown field "${key}"`);
  const reason = nonEmptyString(entry.reason, `${where}.reason`, fail);
  if (reason === undefined) return fail(`"${where}" needs a "reason": say why the finding is accepted`);
  const out: IgnoreEntry = { reason };
  if (entry.kind !== undefined) {
    if (typeof entry.kind !== 'string' || !isKind(entry.kind))
      fail(`"${where}.kind" must be a finding kind (${FINDING_KIND_IDS.join(', ')})`);
    out.kind = entry.kind as FindingKind;
  }
  if (entry.ecosystem !== undefined) {
    if (typeof entry.ecosystem !== 'string' || !isEcosystem(entry.ecosystem))
      fail(`"${where}.ecosystem" must be an OSV ecosystem name (npm, PyPI, …)`);
    out.ecosystem = entry.ecosystem as IgnoreEntry['ecosystem'];
  }
  for (const key of ['package', 'version', 'id', 'path'] as const) {
    const value = nonEmptyString(entry[key], `${where}.${key}`, fail);
    if (value !== undefined) out[key] = value;
  }
  const until = nonEmptyString(entry.until, `${where}.until`, fail);
  if (until !== undefined) {
    if (!isDay(until)) fail(`"${where}.until" must be a date as YYYY-MM-DD`);
    out.until = until;
  }
  if (!out.kind && !out.package && !out.id && !out.path)
    fail(`"${where}" must name at least one of "kind", "package", "id" or "path"`);
  return out;
}

/**
 * A warning when the configuration was read from inside a folder being scanned: the repository under scan
 * then decides its own gate (`failOn: none`, `exclude`), which is the scanned code vouching for itself.
 */
export function configInScannedTree(
  config: VouchConfig,
  inputs: readonly string[],
  cwd: string,
): string | undefined {
  if (!config.path) return undefined;
  const file = realPath(resolve(cwd, config.path));
  for (const input of inputs) {
    if (input === '-') continue;
    const folder = realPath(resolve(cwd, input));
    if (file.startsWith(`${folder}${sep}`) && isFolder(folder)) {
      const shown = config.path;
      return (
        `the configuration ${shown} lies inside the scanned folder ${input}: the code under scan sets its own ` +
        'gate (failOn, exclude, ignore); to pin yours, pass --config FILE from outside it, or --no-config'
      );
    }
  }
  return undefined;
}

function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
