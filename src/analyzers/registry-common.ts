import { type Ecosystem, packageKey } from '../model/ecosystem.js';
import type { Finding } from '../model/finding.js';
import type { PackageRef, RefSource } from '../model/package-ref.js';
import type { ExistingPackage, PackageFacts, RegistryFacts, Sourced } from '../model/registry-facts.js';
import type { Unchecked } from '../model/result.js';

export interface RegistryRef {
  ref: PackageRef;
  answer: Sourced<PackageFacts>;
}

/**
 * References with registry answers, one per package, version and file: an import is dropped when the
 * same file also installs or declares the package (that reference carries the version).
 */
export function registryRefs(
  refs: readonly PackageRef[],
  registry: RegistryFacts,
  sources: readonly RefSource[],
): RegistryRef[] {
  const declaredInFile = new Set<string>();
  for (const ref of refs)
    if (ref.source !== 'imported')
      declaredInFile.add(`${ref.location.file}\0${ref.ecosystem}\0${packageKey(ref.ecosystem, ref.name)}`);
  const seen = new Set<string>();
  const out: RegistryRef[] = [];
  for (const ref of refs) {
    if (!sources.includes(ref.source)) continue;
    const file = `${ref.location.file}\0${ref.ecosystem}\0${packageKey(ref.ecosystem, ref.name)}`;
    if (ref.source === 'imported' && declaredInFile.has(file)) continue;
    const key = `${file}\0${ref.scope ?? ''}\0${ref.version ?? ref.spec ?? ''}`;
    if (seen.has(key)) continue;
    const answer = registry.forRef(ref);
    if (!answer) continue;
    seen.add(key);
    out.push({ ref, answer });
  }
  return out;
}

export const ALL_SOURCES: readonly RefSource[] = ['declared', 'locked', 'imported', 'installed', 'executed'];
/** Lockfiles list every transitive package: their deprecations and ages are the direct dependencies' business. */
export const DIRECT_SOURCES: readonly RefSource[] = ['declared', 'imported', 'installed', 'executed'];
export const VERSIONED_SOURCES: readonly RefSource[] = ['declared', 'locked', 'installed', 'executed'];

const REGISTRY_KIND: Record<Ecosystem, string> = {
  npm: 'the npm registry',
  PyPI: 'the PyPI index',
  Maven: 'the Maven repository',
  Go: 'the Go module proxy',
  'crates.io': 'the crates.io index',
  RubyGems: 'the RubyGems source',
  Packagist: 'the Composer repository',
  NuGet: 'the NuGet source',
};

/** `the npm registry (https://…/)`, `the imported list of PyPI names`. */
export function whereFrom(answer: Sourced<PackageFacts>): string {
  const ecosystem = answer.facts.ecosystem;
  if (answer.via === 'snapshot') return `the imported list of ${ecosystem} names`;
  return `${REGISTRY_KIND[ecosystem]} (${answer.registry})`;
}

export function sourceEvidence(answer: Sourced<PackageFacts>): Record<string, unknown> {
  return { registry: answer.registry, via: answer.via };
}

/** A finding about one reference; severity and message are the analyzer's. */
export function registryFinding(
  ref: PackageRef,
  fields: Pick<Finding, 'kind' | 'severity' | 'message' | 'evidence'>,
  version?: string,
): Finding {
  const finding: Finding = { ...fields, ecosystem: ref.ecosystem, name: ref.name, location: ref.location };
  const shown = version ?? ref.version;
  if (shown !== undefined) finding.version = shown;
  if (ref.inferred) finding.inferred = true;
  return finding;
}

/** One `unchecked` entry per package and check, however many references it has. */
export class UncheckedList {
  private readonly entries = new Map<string, Unchecked>();

  add(ref: PackageRef, check: string, reason: string, version?: string): void {
    const key = `${ref.ecosystem}\0${ref.name}\0${check}\0${version ?? ''}`;
    if (this.entries.has(key)) return;
    const entry: Unchecked = { ecosystem: ref.ecosystem, name: ref.name, check, reason };
    if (version !== undefined) entry.version = version;
    this.entries.set(key, entry);
  }

  list(): Unchecked[] {
    return [...this.entries.values()];
  }
}

export function existing(answer: Sourced<PackageFacts>): ExistingPackage | undefined {
  return answer.facts.status === 'exists' ? answer.facts : undefined;
}

export function day(iso: string | undefined): string | undefined {
  return iso?.slice(0, 10);
}

export const UNTRUSTED_DATES =
  'the registry document has no trustworthy publish dates (a mirror may trim or re-stamp them)';
