/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) that Vouch reads, and the shape checks a
 * record must pass before it is stored. Anything else in a record is ignored.
 */
import { isObject } from '../core/json.js';
import { type Ecosystem, isEcosystem } from '../model/ecosystem.js';

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

/** Why a parsed JSON value is not an OSV record Vouch can use, or undefined when it is one. */
export function osvShapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (typeof value.id !== 'string' || value.id.trim() === '') return 'no "id"';
  if (typeof value.modified !== 'string') return '"modified" missing or not a string';
  for (const key of ['published', 'withdrawn', 'summary', 'details'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') return `"${key}" is not a string`;
  }
  if (value.aliases !== undefined && !isStringArray(value.aliases))
    return '"aliases" is not a list of strings';
  const severityProblem = severityShapeProblem(value.severity, 'severity');
  if (severityProblem) return severityProblem;
  if (value.references !== undefined) {
    if (
      !Array.isArray(value.references) ||
      !value.references.every((r) => isObject(r) && typeof r.url === 'string')
    )
      return '"references" is not a list of {url}';
  }
  if (value.affected === undefined) return undefined;
  if (!Array.isArray(value.affected)) return '"affected" is not a list';
  for (const [i, affected] of value.affected.entries()) {
    const where = `affected[${i}]`;
    if (!isObject(affected)) return `${where} is not an object`;
    const pkg = affected.package;
    if (
      pkg !== undefined &&
      !(isObject(pkg) && typeof pkg.ecosystem === 'string' && typeof pkg.name === 'string')
    )
      return `${where}.package needs "ecosystem" and "name" strings`;
    if (affected.versions !== undefined && !isStringArray(affected.versions))
      return `${where}.versions is not a list of strings`;
    const problem = severityShapeProblem(affected.severity, `${where}.severity`);
    if (problem) return problem;
    if (affected.ranges === undefined) continue;
    if (!Array.isArray(affected.ranges)) return `${where}.ranges is not a list`;
    for (const [j, range] of affected.ranges.entries()) {
      const at = `${where}.ranges[${j}]`;
      if (!isObject(range) || typeof range.type !== 'string') return `${at} has no "type"`;
      if (!Array.isArray(range.events)) return `${at}.events is not a list`;
      for (const event of range.events) {
        if (!isObject(event)) return `${at}.events has an entry that is not an object`;
        let kinds = 0;
        for (const key of EVENT_KEYS) {
          const version = event[key];
          if (version === undefined) continue;
          if (typeof version !== 'string') return `${at}.events has a ${key} that is not a string`;
          kinds++;
        }
        if (kinds !== 1)
          return `${at}.events has an entry without exactly one of introduced, fixed, last_affected, limit`;
      }
    }
  }
  return undefined;
}

function severityShapeProblem(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    !value.every((s) => isObject(s) && typeof s.type === 'string' && typeof s.score === 'string')
  )
    return `"${where}" is not a list of {type, score}`;
  return undefined;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * The Vouch ecosystem an OSV ecosystem string names. `Maven:<repository URL>` and `Packagist:<repository URL>`
 * scope a package to another repository of the same ecosystem, with the same names and version order.
 */
export function vouchEcosystem(osvEcosystem: string): Ecosystem | undefined {
  if (isEcosystem(osvEcosystem)) return osvEcosystem;
  const colon = osvEcosystem.indexOf(':');
  if (colon === -1) return undefined;
  const base = osvEcosystem.slice(0, colon);
  return base === 'Maven' || base === 'Packagist' ? base : undefined;
}

/** OSV `MAL-` records (ossf/malicious-packages) describe malicious releases, not vulnerabilities. */
export function isMaliciousId(id: string): boolean {
  return id.startsWith('MAL-');
}
