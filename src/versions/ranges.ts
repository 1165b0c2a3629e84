/**
 * The one reading of version requirements, per ecosystem: npm ranges (node-semver), PEP 440 specifiers
 * (@renovatebot/pep440) and Poetry's `^`/`~`/`*`/`||` on top of them, Cargo requirements (a bare `0.8.0` is
 * `^0.8.0`), RubyGems requirements (`~>`), Composer constraints, NuGet and Maven interval notation, Go module
 * queries. Each reading yields what a requirement admits, and the same as a union of intervals of the
 * ecosystem's version order, so that advisories are checked against the whole range, never its lower bound.
 */
import semver from 'semver';
import { lazy } from '../core/lazy.js';
import type { Ecosystem } from '../model/ecosystem.js';
import { compareVersions } from './index.js';
import { isPrerelease } from './prerelease.js';

const pep440 = lazy<typeof import('@renovatebot/pep440')>('@renovatebot/pep440');
const pep440Specifier = lazy<typeof import('@renovatebot/pep440/lib/specifier.js')>(
  '@renovatebot/pep440/lib/specifier.js',
);

/** One end of an interval; absent means unbounded. */
export interface Bound {
  version: string;
  inclusive: boolean;
}

/** Versions between two bounds by the ecosystem's order. */
export interface VersionInterval {
  lower?: Bound;
  upper?: Bound;
}

/** A requirement read per its ecosystem's rules. */
export interface VersionRange {
  /**
   * Whether the range admits a version. Pre-releases follow the ecosystem's default (left out unless the
   * range names one) unless `prereleases` is set.
   */
  admits(version: string, options?: { prereleases?: boolean }): boolean;
  /** The lowest versions the range admits where it says so (`>=2` → `2`); `0` stands for "from the first". */
  lows: string[];
  /** The range names a pre-release itself (`>=2.0rc1`, `^2.0.0-beta`). */
  namesPrerelease: boolean;
  /**
   * What the range admits as a union of intervals (pre-releases aside). A superset where the syntax cuts
   * single versions out (`!=1.3`): `admits` has the last word on a version.
   */
  intervals: VersionInterval[];
}

export type ReadRange =
  | { range: VersionRange }
  /** An npm dist-tag (`latest`, `next`): what it installs is registry data. */
  | { tag: string }
  | { reason: string };

type Op = '<' | '<=' | '>' | '>=' | '=' | '!=';
/** One primitive comparison; a requirement is a union (OR) of sets of them (AND). */
interface Comparator {
  op: Op;
  version: string;
}

const ANY: VersionRange = { admits: () => true, lows: ['0'], namesPrerelease: false, intervals: [{}] };

/** A requirement as its ecosystem reads it, without registry data; a reason when it cannot be read. */
export function readRange(ecosystem: Ecosystem, spec: string | undefined): ReadRange {
  const text = spec?.trim() ?? '';
  if (text === '' || text === '*') return { range: ANY };
  switch (ecosystem) {
    case 'npm':
      return readNpmRange(text);
    case 'PyPI':
      return readPypiRange(text);
    case 'crates.io':
      return readCargoRequirement(text);
    case 'RubyGems':
      return readGemRequirement(text);
    case 'Packagist':
      return readComposerConstraint(text);
    case 'NuGet':
      return readNugetRange(text);
    case 'Maven':
      return readMavenRange(text);
    case 'Go':
      return readGoQuery(text);
  }
}

// ---------------------------------------------------------------------------------------------------------
// npm (and Cargo, whose requirements are npm's with `,` for a space and a bare version meaning `^`)

function readNpmRange(text: string): ReadRange {
  let range: semver.Range;
  try {
    range = new semver.Range(text, { loose: true });
  } catch {
    return /^[A-Za-z][\w.-]*$/.test(text)
      ? { tag: text }
      : { reason: `'${text}' is not a semver range: what it installs needs registry data` };
  }
  return { range: npmVersionRange(range) };
}

function npmVersionRange(range: semver.Range): VersionRange {
  const sets = range.set.map((set) =>
    set.flatMap((c): Comparator[] =>
      c.value === '' ? [] : [{ op: npmOp(c.operator), version: c.semver.version }],
    ),
  );
  const lows: string[] = [];
  for (const set of range.set) {
    // node-semver reads the empty range of an any-comparator (`x`) as `*`.
    const low = semver.minVersion(new semver.Range(set.map((c) => c.value).join(' ')));
    if (low) lows.push(low.version);
  }
  return {
    // satisfies() is false for what node-semver cannot read as a version.
    admits: (version, options) =>
      semver.satisfies(version, range, { loose: true, includePrerelease: options?.prereleases === true }),
    lows,
    // node-semver writes the upper end of `^1.2.3` as `<2.0.0-0`: that `-0` is its own, not a pre-release named.
    namesPrerelease: range.set.some((set) =>
      set.some(
        (c) =>
          c.value !== '' &&
          c.semver.prerelease.length > 0 &&
          !(c.operator === '<' && c.semver.prerelease.join('.') === '0'),
      ),
    ),
    intervals: sets.map((set) => intervalOf('npm', set)),
  };
}

function npmOp(operator: string): Op {
  return operator === '' ? '=' : (operator as Op);
}

/**
 * Cargo: comparators separated by `,`; `^`, `~`, `=`, `<`, `>`, `<=`, `>=`, `*` wildcards mean what they mean
 * to npm, and a bare version is a caret requirement (`"0.8.0"` admits `>=0.8.0 <0.9.0`).
 */
function readCargoRequirement(text: string): ReadRange {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => p === '')) return { reason: `'${text}' is not a Cargo version requirement` };
  const npm = parts.map((p) => (/^[0-9]/.test(p) && !p.includes('*') ? `^${p}` : p)).join(' ');
  try {
    return { range: npmVersionRange(new semver.Range(npm)) };
  } catch {
    return { reason: `'${text}' is not a Cargo version requirement` };
  }
}

// ---------------------------------------------------------------------------------------------------------
// PyPI: PEP 440 specifiers, and Poetry's constraints

function readPypiRange(text: string): ReadRange {
  if (pep440().validRange(text)) return { range: pep440Range([text]) };
  const sets = text.split(/\s*\|\|?\s*/).map(poetryToPep440);
  if (sets.some((s) => s === undefined || !pep440().validRange(s)))
    return { reason: `'${text}' is neither a PEP 440 version specifier nor a Poetry constraint` };
  return { range: pep440Range(sets as string[]) };
}

/**
 * One Poetry constraint set (no `||`) as a PEP 440 specifier: `^1.2.3` → `>=1.2.3,<2.0.0`, `^0.2` →
 * `>=0.2,<0.3`, `~1.2` → `>=1.2,<1.3`, `1.*` → `==1.*`, a bare version → `==`. Clauses are separated by
 * commas or spaces, as Poetry allows.
 */
function poetryToPep440(set: string): string | undefined {
  const clauses = set
    .replace(/(>=|<=|!=|==|~=|>|<|\^|~)\s+/g, '$1')
    .split(/[\s,]+/)
    .filter((c) => c !== '');
  if (clauses.length === 0) return undefined;
  const out: string[] = [];
  for (const clause of clauses) {
    if (clause === '*') continue;
    const caret = /^\^(\d+(?:\.\d+)*)$/.exec(clause)?.[1];
    const tilde = /^~(\d+(?:\.\d+)*)$/.exec(clause)?.[1];
    if (caret !== undefined) out.push(`>=${caret}`, `<${bumpCaret(caret)}`);
    else if (tilde !== undefined) out.push(`>=${tilde}`, `<${bumpTilde(tilde)}`);
    else if (/^\d[\w.!+-]*\*?$/.test(clause)) out.push(`==${clause}`);
    else out.push(clause);
  }
  return out.length === 0 ? '>=0' : out.join(',');
}

/** The first version a caret requirement leaves out: bump the first non-zero part (or the last one given). */
function bumpCaret(version: string): string {
  const parts = version.split('.').map(Number);
  let i = parts.findIndex((p) => p !== 0);
  if (i === -1) i = parts.length - 1;
  return [...parts.slice(0, i), parts[i]! + 1].join('.');
}

/** Poetry's and Cargo's tilde: the minor when one is given, else the major. */
function bumpTilde(version: string): string {
  const parts = version.split('.').map(Number);
  const i = parts.length > 1 ? 1 : 0;
  return [...parts.slice(0, i), parts[i]! + 1].join('.');
}

/** A union of PEP 440 specifiers (one for plain pip, several for Poetry's `||`). */
function pep440Range(specifiers: string[]): VersionRange {
  const lows: string[] = [];
  const intervals: VersionInterval[] = [];
  for (const text of specifiers) {
    const set: Comparator[] = [];
    let bounded = false;
    for (const clause of pep440Specifier().parse(text)) {
      const version = clause.version;
      switch (clause.operator) {
        case '>':
          bounded = true;
          set.push({ op: '>', version });
          break;
        case '>=':
        case '<':
        case '<=':
          if (clause.operator === '>=') {
            bounded = true;
            lows.push(version);
          }
          set.push({ op: clause.operator, version });
          break;
        case '==':
        case '===':
          bounded = true;
          lows.push(version);
          if (clause.prefix === '.*')
            set.push({ op: '>=', version }, { op: '<', version: bumpLast(version) });
          else set.push({ op: '=', version });
          break;
        case '~=': {
          bounded = true;
          lows.push(version);
          // `~=1.4.5` is `>=1.4.5, ==1.4.*`: the release without its last part, bumped, in the same epoch
          // (`~=1!2.0` ends below `1!3`). The library has read the version: the pattern always matches.
          const [, epoch, release] = /^v?((?:\d+!)?)(\d+(?:\.\d+)*)/i.exec(version) as RegExpExecArray;
          const upper = `${epoch}${bumpLast(release!.split('.').slice(0, -1).join('.'))}`;
          set.push({ op: '>=', version }, { op: '<', version: upper });
          break;
        }
      }
    }
    if (!bounded) lows.push('0');
    intervals.push(intervalOf('PyPI', set));
  }
  return {
    admits: (version, options) =>
      specifiers.some((text) => {
        try {
          return pep440().satisfies(version, text, options?.prereleases ? { prereleases: true } : undefined);
        } catch {
          return false;
        }
      }),
    lows,
    namesPrerelease: specifiers.some((text) => /\d[._-]?(a|b|rc|c|alpha|beta|pre|preview|dev)/i.test(text)),
    intervals,
  };
}

/** `2.2` → `2.3`: the first version after a prefix. */
function bumpLast(prefix: string): string {
  const parts = prefix.split('.');
  const last = parts.length - 1;
  parts[last] = String(Number(parts[last]) + 1);
  return parts.join('.');
}

// ---------------------------------------------------------------------------------------------------------
// The ecosystems whose requirements are read here into comparators

/**
 * RubyGems: clauses separated by `,`; `=`, `!=`, `>`, `<`, `>=`, `<=` and `~>` (pessimistic: `~> 2.1` is
 * `>= 2.1, < 3`, `~> 2.1.3` is `>= 2.1.3, < 2.2`); a bare version is `=`.
 */
function readGemRequirement(text: string): ReadRange {
  const set: Comparator[] = [];
  for (const clause of text.split(',')) {
    const match = /^\s*(~>|>=|<=|!=|=|>|<)?\s*([0-9][0-9A-Za-z.-]*)\s*$/.exec(clause);
    if (!match) return { reason: `'${text}' is not a RubyGems version requirement` };
    const [, op = '=', version = ''] = match;
    if (op === '~>') set.push({ op: '>=', version }, { op: '<', version: gemBump(version) });
    else set.push({ op: op as Op, version });
  }
  return { range: comparatorRange('RubyGems', [set]) };
}

/**
 * Gem::Version#bump: drop the pre-release part and the last segment, then add one to the new last. Segments
 * are Gem::Version's: runs of digits or of letters (`1.0.0rc1` is 1, 0, 0, rc, 1); the first is a number.
 */
function gemBump(version: string): string {
  const segments = version.match(/[0-9]+|[a-z]+/gi) as RegExpMatchArray;
  const firstLetters = segments.findIndex((s) => !/^[0-9]/.test(s));
  const release = firstLetters === -1 ? segments : segments.slice(0, firstLetters);
  if (release.length > 1) release.pop();
  release[release.length - 1] = String(Number(release.at(-1)) + 1);
  return release.join('.');
}

/**
 * Composer: `||` (or `|`) between alternatives, `,` or spaces between clauses; `^` (`^1.2` is `>=1.2.0
 * <2.0.0`, `^0.3` is `<0.4.0`), `~` (`~1.2` is `>=1.2.0 <2.0.0`, `~1.2.3` is `<1.3.0`), wildcards (`1.0.*`),
 * hyphen ranges (`1.0 - 2.0` is `>=1.0.0 <2.1.0`), a `v` prefix and stability flags (`@dev`) ignored.
 * Partial versions are filled to three parts, as Packagist's advisories write them.
 */
function readComposerConstraint(text: string): ReadRange {
  const sets: Comparator[][] = [];
  for (const alternative of text.split(/\s*\|\|?\s*/)) {
    const set = composerSet(alternative);
    if (!set) return { reason: `'${text}' is not a Composer version constraint` };
    sets.push(set);
  }
  return { range: comparatorRange('Packagist', sets) };
}

function composerSet(text: string): Comparator[] | undefined {
  const hyphen = /^\s*v?([0-9][0-9.]*)\s+-\s+v?([0-9][0-9.]*)\s*$/.exec(text);
  if (hyphen) {
    const upper = hyphen[2]!;
    const parts = upper.split('.');
    return [
      { op: '>=', version: full(hyphen[1]!) },
      parts.length >= 3 ? { op: '<=', version: upper } : { op: '<', version: full(bumpLast(upper)) },
    ];
  }
  const clauses = text.replace(/(>=|<=|!=|==|<>|>|<|=|\^|~)\s+/g, '$1').split(/[\s,]+/);
  const set: Comparator[] = [];
  for (const raw of clauses) {
    // Empty when the text starts or ends with a separator, or is a stability flag alone (`@dev`: any version).
    const clause = raw.replace(/@(?:dev|alpha|beta|RC|stable)$/i, '').replace(/^(\D*)v(?=\d)/, '$1');
    if (clause === '*' || clause === '') continue;
    const match = /^(>=|<=|!=|==|<>|>|<|=|\^|~)?([0-9][0-9A-Za-z.*-]*)$/.exec(clause);
    if (!match) return undefined;
    const [, op = '=', version = ''] = match;
    if (version.includes('*')) {
      const prefix = version.replace(/\.\*$/, '');
      if (prefix.includes('*')) return undefined;
      set.push({ op: '>=', version: full(prefix) }, { op: '<', version: full(bumpLast(prefix)) });
    } else if (op === '^')
      set.push({ op: '>=', version: full(version) }, { op: '<', version: full(bumpCaret(numeric(version))) });
    else if (op === '~')
      set.push(
        { op: '>=', version: full(version) },
        {
          op: '<',
          version: full(version.split('.').length >= 3 ? bumpTilde(numeric(version)) : bumpFirst(version)),
        },
      );
    else set.push({ op: op === '==' ? '=' : op === '<>' ? '!=' : (op as Op), version });
  }
  return set;
}

function numeric(version: string): string {
  return version.replace(/[^0-9.].*$/, '').replace(/\.$/, '');
}

function bumpFirst(version: string): string {
  return String(Number(version.split('.')[0]) + 1);
}

/** `1.2` → `1.2.0`: Packagist orders `1.2.0` above `1.2` (PHP's version_compare), and advisories write three parts. */
function full(version: string): string {
  const parts = version.split('.');
  while (parts.length < 3) parts.push('0');
  return parts.join('.');
}

/**
 * NuGet: interval notation (`[1.0,2.0)`, `(,1.0]`, `[1.0]`), floating versions (`1.*`, `1.2.*`), and a bare
 * version, which NuGet reads as a minimum (`1.0` is `>= 1.0`).
 */
function readNugetRange(text: string): ReadRange {
  const floating = /^([0-9]+(?:\.[0-9]+)*)\.\*$/.exec(text)?.[1];
  if (floating !== undefined)
    return {
      range: comparatorRange('NuGet', [
        [
          { op: '>=', version: floating },
          { op: '<', version: bumpLast(floating) },
        ],
      ]),
    };
  // A `*` elsewhere (`1.*-*`, pre-release floating) is not read: interval notation refuses it.
  if (/^[0-9]/.test(text) && !text.includes('*'))
    return { range: comparatorRange('NuGet', [[{ op: '>=', version: text }]]) };
  const sets = intervalNotation(text);
  return sets && sets.length === 1
    ? { range: comparatorRange('NuGet', sets) }
    : { reason: `'${text}' is not a NuGet version range` };
}

/**
 * Maven: interval notation, several intervals joined by commas (`(,1.0],[1.2,)`), or a soft requirement (a
 * bare version, which Maven resolves to that version).
 */
function readMavenRange(text: string): ReadRange {
  // Brackets, parentheses or commas anywhere make it interval notation (which refuses `1.0)`, `1.0,2.0`).
  if (!/[[\](),]/.test(text)) return { range: comparatorRange('Maven', [[{ op: '=', version: text }]]) };
  const sets = intervalNotation(text);
  return sets
    ? { range: comparatorRange('Maven', sets) }
    : { reason: `'${text}' is not a Maven version range` };
}

/** `[1.0,2.0)`, `(,1.0]`, `[1.2]`, several of them separated by commas. */
function intervalNotation(text: string): Comparator[][] | undefined {
  const sets: Comparator[][] = [];
  const pattern = /\s*([[(])\s*([^,[\]()]*?)\s*(?:(,)\s*([^,[\]()]*?)\s*)?([\])])\s*(,|$)/gy;
  let end = 0;
  while (end < text.length) {
    const match = pattern.exec(text);
    if (match === null) break;
    end = pattern.lastIndex;
    const [, open, low = '', comma, high = '', close] = match;
    if (comma === undefined) {
      if (open !== '[' || close !== ']' || low === '') return undefined;
      sets.push([{ op: '=', version: low }]);
      continue;
    }
    const set: Comparator[] = [];
    if (low !== '') set.push({ op: open === '[' ? '>=' : '>', version: low });
    if (high !== '') set.push({ op: close === ']' ? '<=' : '<', version: high });
    sets.push(set);
  }
  // The text is not empty (readRange reads that as any version): reaching its end means one interval or more.
  return end === text.length ? sets : undefined;
}

/**
 * Go names exact module versions; `go get` also takes queries: `v1` or `v1.2` (the newest of that line),
 * `<v1.3`, `>=v1.2.0`. `latest`, `upgrade`, `patch` and branch names resolve through the module proxy.
 */
function readGoQuery(text: string): ReadRange {
  const compare = /^(<=|>=|<|>)(v[0-9][0-9A-Za-z.+-]*)$/.exec(text);
  if (compare) return { range: comparatorRange('Go', [[{ op: compare[1] as Op, version: compare[2]! }]]) };
  const prefix = /^v([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (prefix) {
    const [, major = '0', minor] = prefix;
    const low = minor === undefined ? `v${major}.0.0` : `v${major}.${minor}.0`;
    const high = minor === undefined ? `v${Number(major) + 1}.0.0` : `v${major}.${Number(minor) + 1}.0`;
    return {
      range: comparatorRange('Go', [
        [
          { op: '>=', version: low },
          { op: '<', version: high },
        ],
      ]),
    };
  }
  if (/^v[0-9]/.test(text)) return { range: comparatorRange('Go', [[{ op: '=', version: text }]]) };
  return { reason: `'${text}' is a Go module query: what it resolves to needs the module proxy` };
}

// ---------------------------------------------------------------------------------------------------------
// Comparators → ranges

/**
 * A range from a union of comparator sets, compared by the ecosystem's version order. Pre-releases are
 * admitted only when asked, or when the set names one itself (as npm, pip, Bundler, Composer's stable
 * minimum and NuGet all do).
 */
function comparatorRange(ecosystem: Ecosystem, sets: Comparator[][]): VersionRange {
  const namesPrerelease = sets.some((set) => set.some((c) => isPrerelease(ecosystem, c.version)));
  const lows: string[] = [];
  for (const set of sets) {
    const interval = intervalOf(ecosystem, set);
    if (!interval.lower) lows.push('0');
    else if (interval.lower.inclusive) lows.push(interval.lower.version);
  }
  return {
    admits: (version, options) => {
      if (!(options?.prereleases || namesPrerelease) && isPrerelease(ecosystem, version)) return false;
      return sets.some((set) => set.every((c) => satisfies(ecosystem, version, c)));
    },
    lows,
    namesPrerelease,
    intervals: sets.map((set) => intervalOf(ecosystem, set)),
  };
}

function satisfies(ecosystem: Ecosystem, version: string, c: Comparator): boolean {
  const order = compareVersions(ecosystem, version, c.version);
  switch (c.op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
  }
}

/** The tightest interval a comparator set allows (`!=` cuts single versions out, which no interval shows). */
function intervalOf(ecosystem: Ecosystem, set: readonly Comparator[]): VersionInterval {
  const interval: VersionInterval = {};
  const tighterLower = (bound: Bound) => {
    const current = interval.lower;
    const order = current ? compareVersions(ecosystem, bound.version, current.version) : 1;
    if (order > 0 || (order === 0 && !bound.inclusive)) interval.lower = bound;
  };
  const tighterUpper = (bound: Bound) => {
    const current = interval.upper;
    const order = current ? compareVersions(ecosystem, bound.version, current.version) : -1;
    if (order < 0 || (order === 0 && !bound.inclusive)) interval.upper = bound;
  };
  for (const c of set) {
    if (c.op === '>' || c.op === '>=' || c.op === '=')
      tighterLower({ version: c.version, inclusive: c.op !== '>' });
    if (c.op === '<' || c.op === '<=' || c.op === '=')
      tighterUpper({ version: c.version, inclusive: c.op !== '<' });
  }
  return interval;
}

/** Whether two intervals share a version (the order is dense enough that `(1.0, 1.0.1)` is not empty). */
export function intervalsOverlap(ecosystem: Ecosystem, a: VersionInterval, b: VersionInterval): boolean {
  return below(ecosystem, a.lower, b.upper) && below(ecosystem, b.lower, a.upper);
}

function below(ecosystem: Ecosystem, lower: Bound | undefined, upper: Bound | undefined): boolean {
  if (!lower || !upper) return true;
  const order = compareVersions(ecosystem, lower.version, upper.version);
  return order < 0 || (order === 0 && lower.inclusive && upper.inclusive);
}
