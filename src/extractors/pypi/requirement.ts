import { lazy } from '../../core/lazy.js';
import type { RefOrigin } from '../../model/package-ref.js';
import { quoted } from '../quote.js';

const pipRequirements = lazy<typeof import('pip-requirements-js')>('pip-requirements-js');

/** One PEP 508 dependency specifier, as written in requirements files, pyproject.toml and on pip lines. */
export interface PyRequirement {
  name: string;
  extras: string[];
  /** Version clauses, e.g. [{op: '>=', version: '2.8.1'}]. */
  specs: { op: string; version: string }[];
  /** The environment marker text after `;`, e.g. `python_version < "3.8"`. */
  marker?: string;
  /** `name @ url` direct references. */
  url?: string;
}

export type ParsedRequirement = { ok: true; requirement: PyRequirement } | { ok: false; error: string };

/** Splits `req ; marker`, leaving a `;` inside a URL alone (PEP 508 wants a space before it there). */
function splitMarker(text: string): [string, string | undefined] {
  const at = text.includes('@') ? text.search(/\s;/) : text.indexOf(';');
  if (at === -1) return [text.trim(), undefined];
  return [text.slice(0, at).trim(), text.slice(text.indexOf(';', at) + 1).trim() || undefined];
}

/**
 * Longer requirements are refused before the grammar sees them: its cost grows with the length (a 3 MB name
 * exhausts memory), and no real requirement, URL and marker included, comes near it.
 */
export const MAX_REQUIREMENT_LENGTH = 4096;

/**
 * How an error names a requirement it could not read: by its leading name only, cut short. The rest of the
 * line stays out of the message, since a line that is not a requirement may be anything (an included file
 * that is not a requirements file, a token).
 */
function named(body: string): string {
  const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(body)?.[0];
  return name ? ` starting ${quoted(name, 40)}` : '';
}

/**
 * The requirements most files are made of, `name`, `name==1.2.3`, `name[extra]>=1,<2`, read without the
 * grammar, which costs about half a millisecond a line (a 200,000-line file took over a minute) and tens of
 * milliseconds to load (a pyproject.toml of plain requirements no longer loads it). Anything else (URLs,
 * parenthesised clauses, markers' own syntax is never read) goes to the grammar; the property tests hold this
 * reading to the grammar's.
 */
const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const CLAUSE = '(==|!=|<=|>=|~=|<|>)[ \\t]*([A-Za-z0-9._*+!-]+)';
const SIMPLE = new RegExp(
  `^(${NAME})[ \\t]*(?:\\[[ \\t]*(${NAME}(?:[ \\t]*,[ \\t]*${NAME})*)[ \\t]*\\])?[ \\t]*((?:${CLAUSE})(?:[ \\t]*,[ \\t]*${CLAUSE})*)?$`,
);
const ONE_CLAUSE = new RegExp(CLAUSE);

/** Parses a PEP 508 requirement with a real grammar (pip-requirements-js); `===` is handled here. */
export function parseRequirement(text: string): ParsedRequirement {
  if (text.length > MAX_REQUIREMENT_LENGTH)
    return {
      ok: false,
      error: `a requirement longer than ${MAX_REQUIREMENT_LENGTH} characters${named(text)}`,
    };
  const [body, marker] = splitMarker(text);
  // The grammar does not accept arbitrary equality; `name===anything` is rare enough to read by hand.
  const arbitrary = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*===\s*(\S+)$/.exec(body);
  if (arbitrary) {
    const requirement: PyRequirement = {
      name: arbitrary[1]!,
      extras: splitExtras(arbitrary[2]),
      specs: [{ op: '===', version: arbitrary[3]! }],
    };
    if (marker) requirement.marker = marker;
    return { ok: true, requirement };
  }
  const simple = SIMPLE.exec(body);
  if (simple) {
    const requirement: PyRequirement = { name: simple[1]!, extras: splitExtras(simple[2]), specs: [] };
    if (simple[3])
      requirement.specs = simple[3].split(',').map((clause) => {
        const [, op, version] = ONE_CLAUSE.exec(clause)!;
        return { op: op!, version: version! };
      });
    if (marker) requirement.marker = marker;
    return { ok: true, requirement };
  }
  try {
    const parsed = pipRequirements().parsePipRequirementsLine(body);
    if (!parsed || (parsed.type !== 'ProjectName' && parsed.type !== 'ProjectURL')) {
      return { ok: false, error: `not a requirement${named(body)}` };
    }
    const requirement: PyRequirement = { name: parsed.name, extras: parsed.extras ?? [], specs: [] };
    if (parsed.type === 'ProjectName') {
      requirement.specs = (parsed.versionSpec ?? []).map((s) => ({ op: s.operator, version: s.version }));
    } else {
      requirement.url = parsed.url;
    }
    if (marker) requirement.marker = marker;
    return { ok: true, requirement };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    return {
      ok: false,
      error: `invalid requirement${named(body)}: ${message.replace(/^Failed to parse requirements line\. /, '')}`,
    };
  }
}

function splitExtras(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function specifierText(specs: PyRequirement['specs']): string {
  return specs.map((s) => `${s.op}${s.version}`).join(',');
}

export interface PypiTarget {
  name: string;
  version?: string;
  spec?: string;
  origin: RefOrigin;
  url?: string;
}

/**
 * How a requirement becomes ref fields: a single `==X` (no wildcard) or `===X` is an exact version;
 * anything else stays a spec (never read as its lower bound); a URL is a non-registry origin.
 */
export function pypiTarget(requirement: PyRequirement): PypiTarget {
  if (requirement.url !== undefined) {
    const origin: RefOrigin = /^(git|hg|svn|bzr)\+/.test(requirement.url)
      ? 'git'
      : requirement.url.startsWith('file:')
        ? 'path'
        : 'url';
    return { name: requirement.name, origin, url: requirement.url };
  }
  const [only, ...rest] = requirement.specs;
  if (only && rest.length === 0 && (only.op === '===' || (only.op === '==' && !only.version.includes('*')))) {
    return { name: requirement.name, version: only.version, origin: 'registry' };
  }
  const spec = specifierText(requirement.specs);
  return spec
    ? { name: requirement.name, spec, origin: 'registry' }
    : { name: requirement.name, origin: 'registry' };
}
