/**
 * The gate's policy, the one place where findings become decisions: severity overrides, private packages,
 * accepted findings (`ignore` entries and inline comments, with reasons and last days), baselines, what
 * could not be checked, and the exit code. The scan applies it before assembling the result, so that every
 * reporter shows the same decisions and computes none.
 */
import ignore from 'ignore';
import { EXIT } from '../core/exit-codes.js';
import { type Ecosystem, isEcosystem, packageKey } from '../model/ecosystem.js';
import { FINDING_KIND_IDS, type Finding, type FindingKind } from '../model/finding.js';
import type { PackageRef } from '../model/package-ref.js';
import {
  type CheckRun,
  type IgnoredFinding,
  isMissingEvidence,
  type NotChecked,
  type ScanResult,
  type SkippedFile,
  type Suppression,
  type SuppressionStatus,
  type Unchecked,
} from '../model/result.js';
import { type Severity, severityRank } from '../model/severity.js';

export type FailOn = Severity | 'none';

export { EXIT } from '../core/exit-codes.js';

/** What decides the exit code: a threshold, thresholds per kind, and whether gaps in the evidence fail. */
export interface GatePolicy {
  failOn?: FailOn;
  failOnKind?: Partial<Record<FindingKind, FailOn>>;
  strict?: boolean;
}

/** A package that is the organisation's own, by name (a glob: `@acme/*`, `acme-*`) or by where it comes from. */
export interface PrivateEntry {
  package?: string;
  ecosystem?: Ecosystem;
  /** A private index or registry URL: references that point into it (a URL or git source) are private. */
  index?: string;
}

/** A finding accepted on purpose: every field given must match; `reason` is required, `until` optional. */
export interface IgnoreEntry {
  kind?: FindingKind;
  /** A name or a glob (`*` matches any run of characters), compared as the ecosystem compares names. */
  package?: string;
  ecosystem?: Ecosystem;
  /** The exact version (or, for a range, the range as written). */
  version?: string;
  /** An advisory id or any of its aliases. */
  id?: string;
  /** A gitignore-style glob of the file the finding is in. */
  path?: string;
  reason: string;
  /** The last day (YYYY-MM-DD, UTC) the entry applies; after it the finding is reported again. */
  until?: string;
}

/** A baseline: the identities of the findings it accepted (see `findingIdentity`), with repeats. */
export interface Baseline {
  file: string;
  identities: readonly string[];
}

/** The policy a scan applies before assembling its result. */
export interface ScanPolicy {
  severity?: Partial<Record<FindingKind, Severity>>;
  private?: readonly PrivateEntry[];
  ignore?: readonly IgnoreEntry[];
  /** Where the `ignore` entries were written, for the report (default `vouch.config.json`). */
  ignoreSource?: string;
  /** Honour `vouch-ignore` comments in scanned source files (default true). */
  inlineSuppressions?: boolean;
  baseline?: Baseline;
  /** Today, for `until` dates (default: now). */
  now?: Date;
}

// ---------------------------------------------------------------------------------------------------------
// Names

/** `@acme/*` → a matcher of names; `*` is any run of characters (a scope's `/` included). */
function globMatcher(
  glob: string,
  ecosystem: Ecosystem | undefined,
): (eco: Ecosystem, name: string) => boolean {
  const compile = (pattern: string) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
        .join('.*')}$`,
    );
  const byEcosystem = new Map<Ecosystem, RegExp>();
  return (eco, name) => {
    if (ecosystem !== undefined && ecosystem !== eco) return false;
    let regex = byEcosystem.get(eco);
    if (!regex) {
      // The pattern is spelled as the ecosystem compares names (PyPI: `Acme_Lib*` is `acme-lib*`); `*` stays.
      regex = compile(packageKey(eco, glob));
      byEcosystem.set(eco, regex);
    }
    return regex.test(packageKey(eco, name));
  };
}

/** Whether a reference is one of the organisation's own packages. */
export function privateMatcher(entries: readonly PrivateEntry[] | undefined): (ref: PackageRef) => boolean {
  if (!entries || entries.length === 0) return () => false;
  const tests = entries.map((entry) => {
    const name = entry.package !== undefined ? globMatcher(entry.package, entry.ecosystem) : undefined;
    const index = entry.index?.replace(/\/*$/, '/');
    return (ref: PackageRef) =>
      (name === undefined || name(ref.ecosystem, ref.name)) &&
      (entry.ecosystem === undefined || entry.ecosystem === ref.ecosystem) &&
      (index === undefined || (ref.url !== undefined && `${ref.url}/`.startsWith(index)));
  });
  return (ref) => tests.some((test) => test(ref));
}

// ---------------------------------------------------------------------------------------------------------
// Identity (baselines and changed-only scans)

/** The parts of a finding that make it the same finding: what a baseline file records. */
export interface IdentityParts {
  kind: string;
  ecosystem: string;
  name: string;
  /** The version, or the range as written, or empty. */
  version: string;
  /** The advisory ids (each advisory's display id), sorted. */
  advisories: string[];
  file: string;
}

export function identityParts(finding: Finding): IdentityParts {
  const spec = typeof finding.evidence?.spec === 'string' ? finding.evidence.spec : '';
  return {
    kind: finding.kind,
    ecosystem: finding.ecosystem,
    name: finding.name,
    version: finding.version ?? spec,
    advisories: advisoryIds(finding),
    file: finding.location.file,
  };
}

/** The identity of a finding or of a baseline entry (names compared as their ecosystem compares them). */
export function identityOf(parts: IdentityParts): string {
  const name = isEcosystem(parts.ecosystem) ? packageKey(parts.ecosystem, parts.name) : parts.name;
  return [parts.kind, parts.ecosystem, name, parts.version, parts.advisories.join(','), parts.file].join('|');
}

/**
 * What makes a finding the same finding after lines move or a file is reformatted: kind, ecosystem, name (as
 * the ecosystem compares names), version or range, the advisory ids, the file. Not the line, not the message.
 */
export function findingIdentity(finding: Finding): string {
  return identityOf(identityParts(finding));
}

function advisoryIds(finding: Finding): string[] {
  const advisories = finding.evidence?.advisories;
  if (!Array.isArray(advisories)) return [];
  return advisories
    .map((advisory) => (advisory as { id?: unknown }).id)
    .filter((id): id is string => typeof id === 'string')
    .sort();
}

function allAdvisoryIds(finding: Finding): Set<string> {
  const ids = new Set<string>();
  const advisories = finding.evidence?.advisories;
  if (Array.isArray(advisories))
    for (const advisory of advisories as { id?: unknown; ids?: unknown }[]) {
      if (typeof advisory.id === 'string') ids.add(advisory.id.toUpperCase());
      if (Array.isArray(advisory.ids))
        for (const id of advisory.ids) if (typeof id === 'string') ids.add(id.toUpperCase());
    }
  return ids;
}

/** A multiset of identities: each entry hides one finding. */
export class IdentityCounter {
  private readonly counts = new Map<string, number>();

  constructor(identities: Iterable<string>) {
    for (const id of identities) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  /** Whether the identity is there, using it up. */
  take(identity: string): boolean {
    const count = this.counts.get(identity) ?? 0;
    if (count === 0) return false;
    this.counts.set(identity, count - 1);
    return true;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Inline suppressions

/** A `vouch-ignore` comment: the line it covers, the kinds, and the reason (or why it is invalid). */
export interface InlineSuppression {
  file: string;
  /** The comment's own line. */
  line: number;
  /** The line whose findings it accepts: its own, or the next one when the comment stands alone. */
  covers: number;
  kinds: FindingKind[];
  reason?: string;
  problem?: string;
}

// `// vouch-ignore undeclared -- reason`, `# vouch-ignore undeclared,typosquat -- reason`
const DASH_FORM = /vouch-ignore\s+([A-Za-z*,\s-]*?)\s*(?:--\s*(.*))?$/;
// `# vouch: ignore[undeclared] reason`
const BRACKET_FORM = /vouch:\s*ignore\[([^\]]*)\]\s*(.*)$/;
const COMMENT_LEADER = /^(?:\/\/+|#+|\/\*+|\*|<!--|--|;+|')?$/;

/** The suppression comments of one file. */
export function inlineSuppressionsIn(file: string, text: string): InlineSuppression[] {
  if (!text.includes('vouch')) return [];
  const out: InlineSuppression[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    if (!raw.includes('vouch')) continue;
    const line = raw.replace(/\s*(?:\*\/|-->)\s*$/, '').replace(/\r$/, '');
    const match = BRACKET_FORM.exec(line) ?? DASH_FORM.exec(line);
    if (!match) continue;
    const before = line.slice(0, match.index).trim();
    const standalone = COMMENT_LEADER.test(before);
    const entry: InlineSuppression = {
      file,
      line: i + 1,
      covers: standalone ? i + 2 : i + 1,
      kinds: [],
    };
    const names = (match[1] ?? '')
      .split(/[,\s]+/)
      .map((name) => name.trim())
      .filter(Boolean);
    const unknown = names.filter((name) => !(FINDING_KIND_IDS as string[]).includes(name));
    entry.kinds = names.filter((name): name is FindingKind => !unknown.includes(name));
    const reason = (match[2] ?? '').trim();
    if (reason) entry.reason = reason;
    if (names.length === 0) entry.problem = 'names no finding kind';
    else if (unknown.length > 0)
      entry.problem = `unknown finding kind ${unknown.map((k) => `"${k}"`).join(', ')}`;
    else if (!reason) entry.problem = 'gives no reason';
    out.push(entry);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Applying the policy

/** Kinds that rest on what a registry says: never reported for private packages, which are never asked. */
export interface PolicyInput {
  findings: Finding[];
  unchecked: Unchecked[];
  /** The texts of the scanned source files (not answers), for inline suppressions. */
  sources: ReadonlyMap<string, string>;
  /** Refs the policy calls private (decided before the registries were asked). */
  isPrivate: (ref: Pick<PackageRef, 'ecosystem' | 'name' | 'url'>) => boolean;
  /** The finding kinds whose facts come from registries. */
  registryKinds: ReadonlySet<FindingKind>;
  /** Findings of a partial scan (changed files only): an entry that matched nothing may match elsewhere. */
  partial: boolean;
  /**
   * Dependencies the scanned project's own knip configuration says it provides some other way
   * (`ignoreDependencies`), each for the files below the configuration's folder.
   */
  projectIgnoredDependencies?: readonly { file: string; names: readonly string[] }[];
}

/** The only kinds a project's own knip configuration may accept: whether a name is declared, never whether it is safe. */
const PROJECT_IGNORABLE: ReadonlySet<FindingKind> = new Set<FindingKind>(['undeclared', 'transitive-only']);

export interface PolicyOutcome {
  findings: Finding[];
  unchecked: Unchecked[];
  ignored: IgnoredFinding[];
  suppressions: SuppressionStatus[];
  baselined?: number;
}

export function applyPolicy(input: PolicyInput, policy: ScanPolicy): PolicyOutcome {
  const today = (policy.now ?? new Date()).toISOString().slice(0, 10);
  let findings = input.findings.map((finding) => {
    const severity = policy.severity?.[finding.kind];
    if (severity === undefined || severity === finding.severity) return finding;
    return { ...finding, severity, severityFrom: finding.severity };
  });

  // Private packages: the registries were never asked, so nothing a registry would tell is reported.
  const privateRef = (f: { ecosystem: Ecosystem; name: string }) =>
    input.isPrivate({ ecosystem: f.ecosystem, name: f.name });
  findings = findings.filter((f) => !(input.registryKinds.has(f.kind) && privateRef(f)));
  const unchecked = input.unchecked.filter((u) => !privateRef(u));

  const suppressions: SuppressionStatus[] = [];
  const ignored: IgnoredFinding[] = [];
  const source = policy.ignoreSource ?? 'vouch.config.json';
  const entries = (policy.ignore ?? []).map((entry, i) => {
    const status: SuppressionStatus = {
      source: 'config',
      where: `${source} ignore[${i}]`,
      reason: entry.reason,
      ...(entry.until !== undefined ? { until: entry.until } : {}),
      status: entry.until !== undefined && entry.until < today ? 'expired' : 'stale',
      matches: describeEntry(entry),
      matched: 0,
    };
    suppressions.push(status);
    return { test: ignoreMatcher(entry), status };
  });
  const inline =
    policy.inlineSuppressions === false
      ? []
      : [...input.sources].flatMap(([file, text]) => inlineSuppressionsIn(file, text));
  const comments = inline.map((comment) => {
    const status: SuppressionStatus = {
      source: 'inline',
      where: `${comment.file}:${comment.line}`,
      reason: comment.reason ?? '',
      status: comment.problem ? 'invalid' : 'stale',
      matches: `${comment.kinds.join(', ') || 'nothing'} on line ${comment.covers}`,
      matched: 0,
      ...(comment.problem ? { problem: comment.problem } : {}),
    };
    suppressions.push(status);
    return { comment, status };
  });

  // Written in the scanned tree like an inline comment, so honoured (and refused) like one.
  const knip =
    policy.inlineSuppressions === false
      ? []
      : (input.projectIgnoredDependencies ?? []).map(({ file, names }) => {
          const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
          return { file, dir, names: new Set(names), status: undefined as SuppressionStatus | undefined };
        });

  const kept: Finding[] = [];
  for (const finding of findings) {
    let by: Suppression | undefined;
    if (finding.ecosystem === 'npm' && PROJECT_IGNORABLE.has(finding.kind))
      for (const entry of knip) {
        if (!entry.names.has(finding.name) || !finding.location.file.startsWith(entry.dir)) continue;
        entry.status ??= {
          source: 'inline',
          where: `${entry.file} ignoreDependencies`,
          reason: "the project's knip configuration says the project provides it (ignoreDependencies)",
          status: 'applied',
          matches: `undeclared, transitive-only of ${[...entry.names].slice(0, 5).join(', ')}${entry.names.size > 5 ? ', …' : ''}`,
          matched: 0,
        };
        if (entry.status.matched++ === 0) suppressions.push(entry.status);
        by ??= { source: 'inline', where: entry.status.where, reason: entry.status.reason };
      }
    for (const { test, status } of entries) {
      if (!test(finding)) continue;
      status.matched++;
      if (status.status === 'expired') continue;
      status.status = 'applied';
      by ??= { source: 'config', where: status.where, reason: status.reason, ...pickUntil(status) };
    }
    for (const { comment, status } of comments) {
      if (comment.file !== finding.location.file || comment.covers !== finding.location.line) continue;
      if (!comment.kinds.includes(finding.kind) || comment.problem) continue;
      status.matched++;
      status.status = 'applied';
      by ??= { source: 'inline', where: status.where, reason: status.reason };
    }
    if (by) ignored.push({ ...finding, ignoredBy: by });
    else kept.push(finding);
  }

  let baselined: number | undefined;
  let reported = kept;
  if (policy.baseline) {
    const known = new IdentityCounter(policy.baseline.identities);
    reported = kept.filter((finding) => !known.take(findingIdentity(finding)));
    baselined = kept.length - reported.length;
  }
  // In a changed-only scan, an entry that matched nothing may still match in the files not scanned.
  const shown = input.partial ? suppressions.filter((s) => s.status !== 'stale') : suppressions;
  return {
    findings: reported,
    unchecked,
    ignored,
    suppressions: shown,
    ...(baselined !== undefined ? { baselined } : {}),
  };
}

function pickUntil(status: SuppressionStatus): { until?: string } {
  return status.until !== undefined ? { until: status.until } : {};
}

function describeEntry(entry: IgnoreEntry): string {
  const parts: string[] = [entry.kind ?? 'any kind'];
  if (entry.package !== undefined)
    parts.push(
      `${entry.ecosystem ? `${entry.ecosystem}:` : ''}${entry.package}${entry.version ? `@${entry.version}` : ''}`,
    );
  if (entry.id !== undefined) parts.push(entry.id);
  if (entry.path !== undefined) parts.push(`in ${entry.path}`);
  return parts.join(' ');
}

function ignoreMatcher(entry: IgnoreEntry): (finding: Finding) => boolean {
  const name = entry.package !== undefined ? globMatcher(entry.package, entry.ecosystem) : undefined;
  const paths = entry.path !== undefined ? ignore().add(entry.path) : undefined;
  const id = entry.id?.toUpperCase();
  return (finding) => {
    if (entry.kind !== undefined && entry.kind !== finding.kind) return false;
    if (entry.ecosystem !== undefined && entry.ecosystem !== finding.ecosystem) return false;
    if (name && !name(finding.ecosystem, finding.name)) return false;
    if (entry.version !== undefined) {
      const spec = typeof finding.evidence?.spec === 'string' ? finding.evidence.spec : undefined;
      if (entry.version !== (finding.version ?? spec)) return false;
    }
    if (id !== undefined && !allAdvisoryIds(finding).has(id)) return false;
    if (paths) {
      const file = finding.location.file.replace(/^\.\//, '');
      if (file.startsWith('/') || file.startsWith('..') || file.startsWith('<') || !paths.ignores(file))
        return false;
    }
    return true;
  };
}

// ---------------------------------------------------------------------------------------------------------
// What could not be checked

/** Checks whose gaps fail `--strict`: existence, versions, and the known-bad (advisories, malware). */
const STRICT_CHECKS = new Set(['registry', 'nonexistent', 'unknown-version', 'malicious', 'vulnerable']);

/** Skips that are decisions (a link not followed on purpose), not missing evidence. */
const DELIBERATE_SKIPS = new Set(['symlink-loop', 'symlink-outside-root']);

export function notCheckedOf(
  unchecked: readonly Unchecked[],
  checks: readonly CheckRun[],
  skipped: readonly SkippedFile[],
): NotChecked {
  const packages = new Set<string>();
  const byCheck = new Map<string, Set<string>>();
  const strictPackages = new Set<string>();
  for (const entry of unchecked) {
    if (entry.deliberate) continue;
    const key = `${entry.ecosystem}:${entry.name}`;
    packages.add(key);
    const set = byCheck.get(entry.check) ?? new Set();
    set.add(key);
    byCheck.set(entry.check, set);
    if (STRICT_CHECKS.has(entry.check)) strictPackages.add(key);
  }
  const checksSkipped = checks
    .filter((check) => check.status === 'skipped')
    .map((check) => ({ id: check.id, reason: check.reason ?? 'not run' }));
  const files = skipped.filter((s) => !DELIBERATE_SKIPS.has(s.reason));

  const gaps: string[] = [];
  if (strictPackages.size > 0) {
    const names = [...strictPackages].sort();
    gaps.push(
      `${plural(names.length, 'package')} could not be checked for existence, versions or advisories (${list(names)})`,
    );
  }
  for (const [reason, ids] of groupByReason(checksSkipped.filter((c) => STRICT_CHECKS.has(c.id))))
    gaps.push(`${ids.join(', ')} did not run: ${reason}`);
  if (files.length > 0)
    gaps.push(
      `${plural(files.length, 'file')} not read (${list(files.map((f) => `${f.file}: ${f.reason}`))})`,
    );

  const parts: string[] = [];
  if (packages.size > 0) {
    const counts = [...byCheck].map(([check, set]) => `${check}: ${set.size}`).join(', ');
    parts.push(`${plural(packages.size, 'package')} (${counts})`);
  }
  for (const [reason, ids] of groupByReason(checksSkipped)) parts.push(`${ids.join(', ')} (${reason})`);
  if (files.length > 0) parts.push(`${plural(files.length, 'file')} skipped`);
  return {
    packages: packages.size,
    byCheck: Object.fromEntries([...byCheck].map(([check, set]) => [check, set.size])),
    checksSkipped,
    filesSkipped: files.length,
    gaps,
    summary: parts.length === 0 ? 'Everything in scope was checked.' : `Not checked: ${parts.join('; ')}.`,
  };
}

function groupByReason(checks: readonly { id: string; reason: string }[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const check of checks) groups.set(check.reason, [...(groups.get(check.reason) ?? []), check.id]);
  return [...groups];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function list(items: readonly string[]): string {
  return items.length <= 5
    ? items.join(', ')
    : `${items.slice(0, 5).join(', ')}, and ${items.length - 5} more`;
}

// ---------------------------------------------------------------------------------------------------------
// The exit code

export interface Verdict {
  exitCode: number;
  /** Why the gate failed when it is not for findings: said on standard error. */
  message?: string;
}

/**
 * The exit code a result deserves. An incomplete scan (a file that could not be read or parsed, or a
 * manifest, lockfile or folder skipped: binary, too large, unreadable, not a regular file, an undecodable
 * name) is an input error even when there are findings: a gate must not pass or fail on half the evidence
 * without saying so.
 * With `strict`, so is a check that matters that could not run for a package in scope. Ignored and baselined
 * findings are not in `findings`, and so never fail.
 */
export function verdictFor(result: ScanResult, policy: FailOn | GatePolicy): Verdict {
  const gate: GatePolicy = typeof policy === 'string' ? { failOn: policy } : policy;
  if (result.errors.length > 0) return { exitCode: EXIT.input };
  // A manifest, lockfile or folder that was not read hides what a package manager would install: strict or not.
  const missing = result.skipped.filter(isMissingEvidence);
  if (missing.length > 0)
    return {
      exitCode: EXIT.input,
      message: `the scan is incomplete: not read: ${list(missing.map((s) => `${s.file} (${s.reason})`))}`,
    };
  if (gate.strict && result.notChecked.gaps.length > 0)
    return {
      exitCode: EXIT.input,
      message: `--strict: the scan is incomplete: ${result.notChecked.gaps.join('; ')}`,
    };
  const failing = result.findings.some((finding) => {
    const threshold = gate.failOnKind?.[finding.kind] ?? gate.failOn ?? 'low';
    return threshold !== 'none' && severityRank(finding.severity) >= severityRank(threshold);
  });
  return { exitCode: failing ? EXIT.findings : EXIT.clean };
}

export function exitCodeFor(result: ScanResult, policy: FailOn | GatePolicy): number {
  return verdictFor(result, policy).exitCode;
}

// ---------------------------------------------------------------------------------------------------------
// Verdicts on single packages (the surfaces where packages enter code)

/** What a surface where packages enter code (MCP tools, agent hooks, the install guard, the proxy) says of one. */
export type PackageVerdict = 'ok' | 'warn' | 'block';

/** When a finding about a package about to be installed (or recommended) stops it. */
export interface BlockPolicy {
  /** A finding at or above this severity blocks; `none`: nothing does. */
  failOn: FailOn;
  /** Thresholds per kind, from the configuration (`"failOn": {"outdated": "none"}`). */
  failOnKind: Partial<Record<FindingKind, FailOn>>;
  /** Kinds that block at any severity, whatever `failOn` says of their severity. */
  alwaysBlock: readonly FindingKind[];
  /** A check that matters and could not run blocks (the gate's `strict`). */
  strict: boolean;
}

/**
 * The policy of the surfaces that stop an install. The configuration's (or the command line's) `failOn`,
 * its thresholds per kind and `strict` apply as for `vouch scan`. Where no `failOn` is set the threshold is
 * `high` (nonexistent, typosquat, malicious, a vulnerability of high severity) and a pinned vulnerable or
 * malicious version blocks at any severity: the CLI's default `low` would also stop `npm install lodash` for
 * advisories about versions the install does not pick (`range-allows-vulnerable`), which is right when
 * reviewing an answer and wrong in front of every install.
 */
export function blockPolicy(gate: GatePolicy = {}): BlockPolicy {
  const base = { failOnKind: gate.failOnKind ?? {}, strict: gate.strict === true };
  return gate.failOn !== undefined
    ? { ...base, failOn: gate.failOn, alwaysBlock: [] }
    : { ...base, failOn: 'high', alwaysBlock: ['vulnerable', 'malicious'] };
}

export interface PackageDecision {
  verdict: PackageVerdict;
  /** The findings that block it (empty unless `block` for findings). */
  blocking: Finding[];
  /** Checks that matter and could not run for it: the verdict rests on less evidence than it should. */
  gaps: Unchecked[];
}

/**
 * `block` on a finding the policy blocks on (or, when strict, on a check that matters not run); `warn` on any
 * other finding, or a check that matters not run; else `ok`. Ignored and baselined findings are not among the
 * findings a scan returns, so they never block.
 */
export function decidePackage(
  findings: readonly Finding[],
  unchecked: readonly Unchecked[],
  policy: BlockPolicy,
): PackageDecision {
  const blocking = findings.filter((finding) => {
    if (policy.alwaysBlock.includes(finding.kind) && policy.failOnKind[finding.kind] !== 'none') return true;
    const threshold = policy.failOnKind[finding.kind] ?? policy.failOn;
    return threshold !== 'none' && severityRank(finding.severity) >= severityRank(threshold);
  });
  const gaps = unchecked.filter((entry) => !entry.deliberate && STRICT_CHECKS.has(entry.check));
  const verdict: PackageVerdict =
    blocking.length > 0 || (policy.strict && gaps.length > 0)
      ? 'block'
      : findings.length > 0 || gaps.length > 0
        ? 'warn'
        : 'ok';
  return { verdict, blocking, gaps };
}
