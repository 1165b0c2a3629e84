import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { VouchError } from '../core/errors.js';
import { isSeverity } from '../model/severity.js';
import type { FailOn } from './policy.js';

/** `vouch.config.json`: defaults for the command line, and data the user adds to Vouch's own. */
export interface VouchConfig {
  failOn?: FailOn;
  exclude?: string[];
  maxFileSize?: number;
  includeDocuments?: boolean;
  /** Python import name → distribution name, added to (and overriding) the built-in table. */
  pythonImportMap?: Record<string, string>;
}

const CONFIG_FILE = 'vouch.config.json';

/** The configuration named, or the one in the working directory, or none. */
export function loadConfig(cwd: string, explicit?: string): VouchConfig {
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
  return validateConfig(data, path);
}

function validateConfig(data: unknown, path: string): VouchConfig {
  const fail = (message: string): never => {
    throw new VouchError('CONFIG', `${path}: ${message}`);
  };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('must be a JSON object');
  const raw = data as Record<string, unknown>;
  const config: VouchConfig = {};
  const known = new Set([
    '$schema',
    'failOn',
    'exclude',
    'maxFileSize',
    'includeDocuments',
    'pythonImportMap',
  ]);
  for (const key of Object.keys(raw)) if (!known.has(key)) fail(`unknown setting "${key}"`);
  if (raw.failOn !== undefined) {
    if (typeof raw.failOn !== 'string' || !(raw.failOn === 'none' || isSeverity(raw.failOn))) {
      fail('"failOn" must be one of info, low, medium, high, critical, none');
    }
    config.failOn = raw.failOn as FailOn;
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
