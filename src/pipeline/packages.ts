/**
 * Package names without files: what the surfaces where packages enter code ask (an MCP tool, an agent hook, the
 * install guard). The names become references given to `scan` directly, so they go through the same stages,
 * facts and analyzers as a scanned file, and each gets a verdict by the one policy (`policy.ts`).
 */
import { VouchError } from '../core/errors.js';
import type { AdvisoryGroup } from '../model/advisory-facts.js';
import { ECOSYSTEMS, type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { Finding } from '../model/finding.js';
import type { Location } from '../model/location.js';
import type { PackageRef } from '../model/package-ref.js';
import type { CheckRun, ScanResult, Unchecked } from '../model/result.js';
import { admittedVersions } from '../versions/pick.js';
import { isPrerelease } from '../versions/prerelease.js';
import { readRange } from '../versions/ranges.js';
import { isValidVersion } from '../versions/valid.js';
import {
  type BlockPolicy,
  blockPolicy,
  decidePackage,
  type GatePolicy,
  type PackageVerdict,
} from './policy.js';
import type { ResolvedFacts } from './resolve.js';
import { type ScanOptions, scanWithFacts } from './scan.js';

/** A package to check: a name, and optionally the exact version or the range to install. */
export interface PackageQuery {
  /** An OSV ecosystem name (`npm`, `PyPI`, …), in any case. */
  ecosystem: string;
  name: string;
  /** An exact version (`4.17.21`) or a requirement (`^4.17.0`, `>=2,<3`). */
  version?: string;
}

export interface PackageAdvisory {
  id: string;
  /** Every id and alias of the flaw. */
  ids: string[];
  summary?: string;
  severity: string;
  malicious: boolean;
  /** Versions that fix it, ascending. */
  fixed: string[];
}

/** What Vouch knows about one package, and its verdict. */
export interface PackageCheck {
  ecosystem: Ecosystem;
  name: string;
  /** The exact version asked about (or the version a lockfile or command pins). */
  version?: string;
  /** The requirement asked about, when it is not one exact version. */
  spec?: string;
  /** `unknown`: the registry was not asked, or could not answer. */
  exists: 'yes' | 'no' | 'unknown';
  latest?: string;
  /** The version a fresh install of the requirement picks today. */
  installs?: string;
  malicious: boolean;
  /** The maintainers' deprecation message for the version in question. */
  deprecated?: string;
  yanked?: boolean;
  /** Advisories affecting the version in question (for a range: the version it installs today). */
  advisories: PackageAdvisory[];
  /** The smallest version above it that no advisory affects, when the data names one. */
  upgrade?: string;
  /** Popular names it may have meant (nonexistent, typosquat). */
  didYouMean: string[];
  findings: Finding[];
  unchecked: Unchecked[];
  verdict: PackageVerdict;
  /**
   * Why it is blocked (the blocking findings, or under `strict` what could not be checked), or, for a `warn`
   * without findings, what could not be checked.
   */
  reasons: string[];
  /** Where it was found, for packages of a file (a lockfile an install would use). */
  location?: Location;
}

export interface PackageCheckOptions
  extends Omit<
    ScanOptions,
    'refs' | 'documents' | 'includeDocuments' | 'gitignore' | 'exclude' | 'stdin' | 'stdinFilename'
  > {
  /**
   * The gate of the configuration or the command line (`failOn`, thresholds per kind, `strict`); no `failOn`:
   * the install-time default (`blockPolicy`).
   */
  gate?: GatePolicy;
}

export interface PackageCheckResult {
  packages: PackageCheck[];
  /** Checks that ran or were skipped, with the reason. */
  checks: CheckRun[];
  warnings: string[];
}

/** More would make one tool call a bulk registry crawl. */
export const MAX_PACKAGES = 100;
const MAX_NAME_LENGTH = 214;
const MAX_VERSION_LENGTH = 256;
const QUERY_FILE = '<packages>';

/** `pypi` → `PyPI`; an unknown ecosystem is a usage error naming the known ones. */
export function parseEcosystem(value: string): Ecosystem {
  const found = ECOSYSTEMS.find((e) => e.toLowerCase() === value.trim().toLowerCase());
  if (!found) throw new VouchError('USAGE', `unknown ecosystem "${value}" (one of ${ECOSYSTEMS.join(', ')})`);
  return found;
}

/** A query as a reference: an exact version when the ecosystem reads it as one, else a requirement. */
function queryRef(query: PackageQuery, line: number): PackageRef {
  const ecosystem = parseEcosystem(query.ecosystem);
  const name = query.name.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (name === '' || name.length > MAX_NAME_LENGTH || /[\s\u0000-\u001f]/.test(name))
    throw new VouchError('USAGE', `not a package name: ${JSON.stringify(query.name.slice(0, 80))}`);
  const ref: PackageRef = {
    ecosystem,
    name,
    source: 'installed',
    extractor: 'api/packages',
    location: { file: QUERY_FILE, line },
  };
  const version = query.version?.trim();
  if (version !== undefined && version !== '') {
    if (version.length > MAX_VERSION_LENGTH) throw new VouchError('USAGE', `version of ${name} is too long`);
    if (isValidVersion(ecosystem, version)) ref.version = version;
    else ref.spec = version;
  }
  return ref;
}

/**
 * Checks packages by name (and version or range): existence, versions, advisories, malicious releases,
 * deprecation, look-alike names; each with a verdict.
 */
export async function checkPackages(
  queries: readonly PackageQuery[],
  options: PackageCheckOptions = {},
): Promise<PackageCheckResult> {
  if (queries.length > MAX_PACKAGES)
    throw new VouchError('USAGE', `at most ${MAX_PACKAGES} packages at once (${queries.length} given)`);
  const refs = queries.map((query, i) => queryRef(query, i + 1));
  return checkRefs([], refs, options);
}

/**
 * Checks the given references and the files (an install command's packages and the lockfile it would
 * install): one report per given reference, and one per package of the files that has findings or could not
 * be checked.
 */
export async function checkRefs(
  files: readonly string[],
  refs: readonly PackageRef[],
  options: PackageCheckOptions = {},
): Promise<PackageCheckResult & { result: ScanResult; facts: ResolvedFacts }> {
  const { gate, ...scanOptions } = options;
  const { result, facts } = await scanWithFacts(files, { ...scanOptions, refs });
  const policy = blockPolicy(gate);
  const packages = refs.map((ref) => report(ref, result, facts, policy));
  const reported = new Set(refs.map(refKey));
  for (const ref of result.packages) {
    if (reported.has(refKey(ref))) continue;
    const check = report(ref, result, facts, policy);
    if (check.findings.length === 0 && check.unchecked.length === 0) continue;
    reported.add(refKey(ref));
    packages.push({ ...check, location: ref.location });
  }
  return { packages, checks: result.checks, warnings: result.warnings ?? [], result, facts };
}

function refKey(ref: PackageRef): string {
  const at = ref.location;
  return `${at.file}\0${at.line ?? ''}\0${at.column ?? ''}\0${ref.ecosystem}\0${ref.name}`;
}

function samePackage(a: { ecosystem: Ecosystem; name: string }, b: { ecosystem: Ecosystem; name: string }) {
  return a.ecosystem === b.ecosystem && packageKey(a.ecosystem, a.name) === packageKey(b.ecosystem, b.name);
}

function report(
  ref: PackageRef,
  result: ScanResult,
  facts: ResolvedFacts,
  policy: BlockPolicy,
): PackageCheck {
  const findings = result.findings.filter(
    (f) =>
      f.location.file === ref.location.file &&
      f.location.line === ref.location.line &&
      (ref.location.column === undefined || f.location.column === ref.location.column) &&
      samePackage(f, ref),
  );
  const unchecked = result.unchecked.filter(
    (u) =>
      samePackage(u, ref) &&
      (u.version === undefined || ref.version === undefined || u.version === ref.version),
  );
  const decision = decidePackage(findings, unchecked, policy);
  const answer = facts.registry?.forRef(ref)?.facts;
  const installs = answer?.status === 'exists' ? facts.registry?.installs(ref) : undefined;
  const advised = facts.advisories?.forRef(ref);
  const groups: AdvisoryGroup[] = advised?.exact
    ? advised.exact.groups
    : advised?.range
      ? (advised.range.installs?.groups ?? advised.range.advisories.map((a) => a.group))
      : [];
  const whole = advised?.maliciousPackage ?? [];
  const advisories = [...whole, ...groups.filter((g) => !whole.includes(g))].map(advisoryOf);
  const upgrade = advised?.exact?.upgrade ?? advised?.range?.upgrade;
  const didYouMean = [
    ...new Set(
      findings.flatMap((f) =>
        Array.isArray(f.evidence?.suggestions) ? (f.evidence.suggestions as string[]) : [],
      ),
    ),
  ];
  const check: PackageCheck = {
    ecosystem: ref.ecosystem,
    name: ref.name,
    exists: answer?.status === 'exists' ? 'yes' : answer?.status === 'missing' ? 'no' : 'unknown',
    malicious: advisories.some((a) => a.malicious) || findings.some((f) => f.kind === 'malicious'),
    advisories,
    didYouMean,
    findings,
    unchecked,
    verdict: decision.verdict,
    reasons:
      decision.blocking.length > 0
        ? decision.blocking.map((f) => f.message)
        : decision.verdict === 'block' || findings.length === 0
          ? decision.gaps.map((g) => `${g.check} not checked: ${g.reason}`)
          : [],
  };
  if (ref.version !== undefined) check.version = ref.version;
  if (ref.spec !== undefined) check.spec = ref.spec;
  if (answer?.status === 'exists' && answer.latest !== undefined) check.latest = answer.latest;
  if (installs) {
    check.installs = installs.version;
    if (installs.deprecated !== undefined) check.deprecated = installs.deprecated;
    if (installs.yanked) check.yanked = true;
  }
  if (upgrade !== undefined) check.upgrade = upgrade;
  return check;
}

function advisoryOf(group: AdvisoryGroup): PackageAdvisory {
  return {
    id: group.id,
    ids: group.ids,
    ...(group.summary !== undefined ? { summary: group.summary } : {}),
    severity: group.severity,
    malicious: group.malicious,
    fixed: group.fixed,
  };
}

/** How many candidate versions `safeVersion` checks against the advisory database, newest first. */
const SAFE_CANDIDATES = 40;

export interface SafeVersion {
  ecosystem: Ecosystem;
  name: string;
  range?: string;
  exists: 'yes' | 'no' | 'unknown';
  latest?: string;
  /** The newest version the range admits that has no known advisory and is neither deprecated nor yanked. */
  version?: string;
  /** Why there is none, or what could not be checked. */
  reason?: string;
  /** Newer admitted versions passed over, and why. */
  passedOver: { version: string; why: string }[];
}

/**
 * The newest version of a package (within a range) with no known advisory that is neither deprecated nor
 * yanked nor a pre-release (unless the range names one). Needs the registry (the versions) and the advisory
 * database; without either it says why it has no answer.
 */
export async function safeVersion(
  query: { ecosystem: string; name: string; range?: string },
  options: PackageCheckOptions = {},
): Promise<SafeVersion> {
  const base = queryRef({ ecosystem: query.ecosystem, name: query.name }, 1);
  const range = query.range?.trim() || undefined;
  if (range !== undefined && range.length > MAX_VERSION_LENGTH)
    throw new VouchError('USAGE', 'range is too long');
  const first = await checkRefs([], [base], options);
  const pkg = first.packages[0]!;
  const out: SafeVersion = {
    ecosystem: base.ecosystem,
    name: base.name,
    ...(range !== undefined ? { range } : {}),
    exists: pkg.exists,
    ...(pkg.latest !== undefined ? { latest: pkg.latest } : {}),
    passedOver: [],
  };
  const answer = first.facts.registry?.forRef(base)?.facts;
  if (answer?.status !== 'exists' || !answer.versions) {
    out.reason =
      answer?.status === 'missing'
        ? `${base.name} does not exist in the registry`
        : answer?.status === 'unchecked'
          ? `the registry could not be asked: ${answer.reason}`
          : 'the registry lists no versions for it (registry checks off, or a snapshot of names only)';
    return out;
  }
  const read = readRange(base.ecosystem, range);
  if ('reason' in read) {
    out.reason = `cannot read the range ${range}: ${read.reason}`;
    return out;
  }
  const admitted = admittedVersions(answer, range) ?? [];
  const wantsPre = 'range' in read && read.range.namesPrerelease;
  const candidates: string[] = [];
  for (const v of admitted) {
    if (candidates.length >= SAFE_CANDIDATES) break;
    if (v.yanked) out.passedOver.push({ version: v.version, why: 'yanked' });
    else if (v.deprecated !== undefined) out.passedOver.push({ version: v.version, why: 'deprecated' });
    else if (!wantsPre && isPrerelease(base.ecosystem, v.version)) continue;
    else candidates.push(v.version);
  }
  if (candidates.length === 0) {
    out.reason =
      admitted.length === 0
        ? 'no published version satisfies the range'
        : 'every admitted version is deprecated or yanked';
    return out;
  }
  const checked = await checkRefs(
    [],
    candidates.map((version, i) => ({ ...base, version, location: { file: QUERY_FILE, line: i + 1 } })),
    options,
  );
  if (checked.checks.some((c) => c.id === 'vulnerable' && c.status === 'skipped')) {
    const why = checked.checks.find((c) => c.id === 'vulnerable')?.reason ?? 'no advisory database';
    out.reason = `advisories could not be checked: ${why}`;
    return out;
  }
  for (const pkg of checked.packages) {
    const bad = pkg.advisories.length > 0 || pkg.malicious;
    if (!bad) {
      out.version = pkg.version!;
      return out;
    }
    out.passedOver.push({ version: pkg.version!, why: pkg.advisories.map((a) => a.id).join(', ') });
  }
  out.reason = `none of the ${candidates.length} newest admitted versions is free of known advisories`;
  return out;
}
