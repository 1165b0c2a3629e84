import type { Finding } from '../model/finding.js';
import type { PackageRef } from '../model/package-ref.js';
import type { MissingPackage, PackageFacts, Sourced } from '../model/registry-facts.js';
import type { Severity } from '../model/severity.js';
import { ALL_SOURCES, registryFinding, registryRefs, sourceEvidence, whereFrom } from './registry-common.js';
import { didYouMean } from './similar-names.js';
import type { Analyzer } from './types.js';

/**
 * The registry has nothing to install under the name: a 404, every version unpublished, or npm's security
 * placeholder for a removed malicious package. Registry failures are never this: they are `unchecked`
 * (check `registry`), reported here once per package.
 */
export const nonexistent: Analyzer = {
  id: 'nonexistent',
  needs: 'registry',
  analyze({ refs, registry, phantom }) {
    const findings: Finding[] = [];
    if (!registry) return { findings, unchecked: [] };
    for (const { ref, answer } of registryRefs(refs, registry, ALL_SOURCES)) {
      if (answer.facts.status !== 'missing') continue;
      const facts = answer.facts;
      if (facts.publishedAs && ref.inferred) {
        // Declaring the distribution the pattern found is doing it right: nothing to report.
        const declared = phantom.status({ ...ref, name: facts.publishedAs.name })?.status;
        if (declared !== 'declared')
          findings.push(importNameFinding(ref, facts.publishedAs, answer, declared === 'undeclared'));
        continue;
      }
      const load = registry.popular(ref.ecosystem);
      const popular = 'reason' in load ? undefined : load;
      const searched = facts.searched ?? [];
      // A placeholder's name belonged to malware: nothing is suggested in its place.
      const suggested =
        facts.why === 'security-holding' ? [] : didYouMean(ref.ecosystem, ref.name, popular, searched);
      const guessed = ref.inferred
        ? ` (the distribution name was guessed from the import '${ref.importName ?? ref.name}'; it may be published under another name)`
        : '';
      const sources = [
        popular ? `popular ${ref.ecosystem} names` : '',
        facts.searched ? "the registry's search" : '',
      ]
        .filter((source) => source !== '')
        .join(' or ');
      const meant =
        facts.why === 'security-holding'
          ? ''
          : suggested.length > 0
            ? `; did you mean ${suggested.join(', ')}?`
            : sources === ''
              ? '; no list of popular names or registry search to suggest another name from'
              : `; no good candidate among ${sources}`;
      const evidence: Record<string, unknown> = { why: facts.why, ...sourceEvidence(answer) };
      if (facts.detail) evidence.detail = facts.detail;
      if (facts.why !== 'security-holding') evidence.suggestions = suggested;
      // One problem, one finding: an import nothing declares is folded in here rather than reported apart.
      if (ref.source === 'imported' && phantom.status(ref)?.status === 'undeclared')
        evidence.undeclared = true;
      findings.push(
        registryFinding(ref, {
          kind: 'nonexistent',
          severity: severityOf(facts, ref.inferred === true),
          message: `${describe(ref.name, facts, whereFrom(answer))}${guessed}${meant}`,
          evidence,
        }),
      );
    }
    return { findings, unchecked: [...registry.unchecked] };
  },
};

/**
 * An import name that is no distribution, where a distribution of a usual pattern exists: most likely the
 * project is published under that name, so this is not a hallucination, but the name is a guess by pattern
 * (low, not `nonexistent` high). An import nothing declares is folded in, as for `nonexistent`.
 */
function importNameFinding(
  ref: PackageRef,
  published: { name: string; asked: string[] },
  answer: Sourced<PackageFacts>,
  undeclared: boolean,
): Finding {
  const module = ref.importName ?? ref.name;
  const evidence: Record<string, unknown> = {
    distribution: published.name,
    asked: published.asked,
    ...sourceEvidence(answer),
  };
  if (undeclared) evidence.undeclared = true;
  const advice = undeclared
    ? `nothing installs or declares it: install and declare '${published.name}'`
    : `declare '${published.name}'`;
  return registryFinding(ref, {
    kind: 'import-name',
    severity: 'low',
    message: `import name '${module}' is not a distribution in ${whereFrom(answer)}; probably '${published.name}' (a published distribution of the usual name pattern): ${advice}, and check it is the project meant`,
    evidence,
  });
}

function severityOf(facts: MissingPackage, inferred: boolean): Severity {
  if (facts.why === 'security-holding') return 'critical';
  return inferred ? 'low' : 'high';
}

function describe(name: string, facts: MissingPackage, where: string): string {
  switch (facts.why) {
    case 'security-holding':
      return `'${name}' is a security placeholder in ${where}: a malicious package of this name was removed`;
    case 'unpublished':
      return `every version of '${name}' was unpublished from ${where}${facts.detail ? ` (${facts.detail.slice(0, 10)})` : ''}: the name is free for anyone to claim`;
    default:
      return `'${name}' does not exist in ${where}: a hallucinated name that anyone can register (slopsquatting)`;
  }
}
