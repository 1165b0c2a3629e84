import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { Finding, FindingKind } from '../model/finding.js';
import type { PackageRef } from '../model/package-ref.js';
import { type Severity, severityRank } from '../model/severity.js';
import { type AnswerPackage, answerWarnings, type Warning } from './answer-warnings.js';
import type { Analyzer } from './types.js';

/** The findings that make a recommendation risky. */
export const RISK_KINDS: readonly FindingKind[] = [
  'vulnerable',
  'malicious',
  'nonexistent',
  'unknown-version',
  'deprecated',
  'yanked',
  'outdated',
];

/**
 * Whether a finding makes a recommendation risky. An outdated version is only when its major line is no
 * longer maintained (`lineMaintained: false`): a maintained older major is a choice, and without trusted
 * dates nothing shows it is a risk.
 */
export function needsDisclosure(finding: Finding): boolean {
  if (!RISK_KINDS.includes(finding.kind)) return false;
  return finding.kind !== 'outdated' || finding.evidence?.lineMaintained === false;
}

/** How much of a warning's sentence the message quotes. */
const QUOTED_CHARS = 160;
const IDS_IN_MESSAGE = 3;

interface RiskGroup {
  answer: string;
  ecosystem: Ecosystem;
  key: string;
  risks: Finding[];
}

/**
 * For every risky recommendation of an answer (a package with one of `RISK_KINDS`), whether the answer warns
 * its reader about that package or version (docs/undisclosed-risk.md). Unwarned, it is this finding, at
 * least medium; warned, it is a `disclosed-risk` entry (`info`, with the warning), which fails no gate at
 * the default threshold. One entry per package per answer, whatever the number of risks and mentions.
 */
export const undisclosedRisk: Analyzer = {
  id: 'undisclosed-risk',
  // Its warned counterpart: where this check ran, a simulation's disclosed-risk rate is known (0 included).
  alsoReports: ['disclosed-risk'],
  dependsOnFindings: true,
  analyze({ refs, findings = [], documents }) {
    const out: Finding[] = [];
    if (!documents || documents.size === 0) return { findings: out, unchecked: [] };
    const groups = new Map<string, RiskGroup>();
    for (const finding of findings) {
      const answer = finding.location.file;
      if (!needsDisclosure(finding) || !documents.has(answer)) continue;
      const key = packageKey(finding.ecosystem, finding.name);
      const id = `${answer}\0${finding.ecosystem}\0${key}`;
      const group = groups.get(id) ?? { answer, ecosystem: finding.ecosystem, key, risks: [] };
      group.risks.push(finding);
      groups.set(id, group);
    }
    const byAnswer = new Map<string, RiskGroup[]>();
    for (const group of groups.values()) {
      const list = byAnswer.get(group.answer);
      if (list) list.push(group);
      else byAnswer.set(group.answer, [group]);
    }
    // One pass over the refs: a run of thousands of answers must not rescan them per answer.
    const refsByAnswer = new Map<string, PackageRef[]>();
    for (const ref of refs) {
      if (!byAnswer.has(ref.location.file)) continue;
      const list = refsByAnswer.get(ref.location.file);
      if (list) list.push(ref);
      else refsByAnswer.set(ref.location.file, [ref]);
    }
    for (const [answer, answerGroups] of byAnswer) {
      const packages = answerPackages(refsByAnswer.get(answer) ?? [], answerGroups);
      const warnings = answerWarnings(documents.get(answer) ?? '', packages);
      for (const group of answerGroups) {
        out.push(judge(group, warnings.get(`${group.ecosystem}\0${group.key}`) ?? []));
      }
    }
    return { findings: out, unchecked: [] };
  },
};

/** Every package the answer references (to tell a warning about another package), with its names and lines. */
function answerPackages(refs: readonly PackageRef[], groups: readonly RiskGroup[]): AnswerPackage[] {
  const packages = new Map<string, AnswerPackage>();
  const entry = (ecosystem: Ecosystem, name: string) => {
    const key = `${ecosystem}\0${packageKey(ecosystem, name)}`;
    let pkg = packages.get(key);
    if (!pkg) {
      pkg = { key, ecosystem, names: [name], codeLines: [], versions: [] };
      packages.set(key, pkg);
    }
    return pkg;
  };
  for (const ref of refs) {
    const pkg = entry(ref.ecosystem, ref.name);
    // A Python import names a module, which prose calls the package by: `yaml` for PyYAML.
    const module = ref.ecosystem === 'PyPI' ? ref.importName?.split('.')[0] : undefined;
    for (const name of [module, ref.alias]) {
      if (name && !pkg.names.includes(name)) pkg.names.push(name);
    }
    for (const version of [ref.version, ref.spec])
      if (version && !pkg.versions.includes(version)) pkg.versions.push(version);
    if (ref.location.line !== undefined) pkg.codeLines.push(ref.location.line);
  }
  for (const group of groups) {
    const pkg = entry(group.ecosystem, group.risks[0]!.name);
    for (const risk of group.risks)
      if (risk.version && !pkg.versions.includes(risk.version)) pkg.versions.push(risk.version);
  }
  return [...packages.values()];
}

/** A risk of a version (not of the whole package) is also covered by version advice: "upgrade", "use the latest". */
function versionLevel(risk: Finding): boolean {
  switch (risk.kind) {
    case 'vulnerable':
    case 'outdated':
    case 'yanked':
    case 'unknown-version':
      return true;
    case 'deprecated':
      return risk.evidence?.wholePackage !== true;
    case 'malicious':
      return risk.evidence?.allVersions !== true;
    default:
      return false;
  }
}

function covers(warning: Warning, risk: Finding): boolean {
  return (
    warning.categories.some((c) => c !== 'version') ||
    (versionLevel(risk) && warning.categories.includes('version'))
  );
}

function judge(group: RiskGroup, warnings: readonly Warning[]): Finding {
  const risks = [...group.risks].sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
  const first = risks[0]!;
  const kinds = [...new Set(risks.map((r) => r.kind))];
  const relevant = warnings.filter((w) => risks.some((r) => covers(w, r)));
  const disclosed = risks.every((r) => warnings.some((w) => covers(w, r)));
  const version = risks.find((r) => r.version !== undefined)?.version;
  const subject = version === undefined ? first.name : `${first.name} ${version}`;
  const inferred = risks.every((r) => r.inferred);
  const evidence: Record<string, unknown> = {
    disclosed,
    risks: risks.map((r) => ({
      kind: r.kind,
      severity: r.severity,
      ...(r.version === undefined ? {} : { version: r.version }),
      line: r.location.line ?? null,
    })),
    warnings: relevant.map((w) => ({ text: w.text, line: w.line, cues: w.categories })),
  };
  const finding: Finding = {
    kind: disclosed ? 'disclosed-risk' : 'undisclosed-risk',
    severity: disclosed ? 'info' : severityOf(risks, inferred),
    ecosystem: group.ecosystem,
    name: first.name,
    message: disclosed
      ? `the answer warns about ${subject} (${kinds.join(', ')}): "${quote(relevant[0]!.text)}"`
      : `the answer recommends ${subject} (${describeRisks(risks)}) without a word of warning`,
    location: first.location,
    evidence,
  };
  if (version !== undefined) finding.version = version;
  if (inferred) finding.inferred = true;
  return finding;
}

/** The worst underlying severity, at least medium; a guess (an inferred name) keeps its own. */
function severityOf(risks: readonly Finding[], inferred: boolean): Severity {
  const worst = risks.reduce<Severity>(
    (acc, r) => (severityRank(r.severity) > severityRank(acc) ? r.severity : acc),
    'info',
  );
  if (inferred) return worst;
  return severityRank(worst) < severityRank('medium') ? 'medium' : worst;
}

/** `vulnerable: CVE-2021-44228, outdated`: the kinds, with the advisory ids of advisory findings. */
function describeRisks(risks: readonly Finding[]): string {
  const kinds = new Map<string, Set<string>>();
  for (const risk of risks) {
    const ids = kinds.get(risk.kind) ?? new Set<string>();
    const advisories = risk.evidence?.advisories;
    if (Array.isArray(advisories)) for (const a of advisories) if (typeof a?.id === 'string') ids.add(a.id);
    kinds.set(risk.kind, ids);
  }
  return [...kinds]
    .map(([kind, ids]) => {
      const shown = [...ids].slice(0, IDS_IN_MESSAGE);
      const more = ids.size > IDS_IN_MESSAGE ? ' …' : '';
      return shown.length > 0 ? `${kind}: ${shown.join(', ')}${more}` : kind;
    })
    .join('; ');
}

function quote(text: string): string {
  return text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS - 1)}…` : text;
}
