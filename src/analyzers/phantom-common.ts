import type { PackageRef } from '../model/package-ref.js';
import type { Severity } from '../model/severity.js';

/** The first import of each package in each file: one finding per package per file. */
export function firstImportPerFile(refs: readonly PackageRef[]): PackageRef[] {
  const seen = new Set<string>();
  const out: PackageRef[] = [];
  for (const ref of refs) {
    if (ref.source !== 'imported') continue;
    const key = `${ref.location.file}\0${ref.scope ?? ''}\0${ref.ecosystem}\0${ref.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
  }
  return out;
}

/** A type-only import breaks only the build; an optional one (try/except ImportError) breaks nothing. */
export function phantomSeverity(ref: PackageRef, base: Severity): Severity {
  if (ref.optional) return 'info';
  if (ref.typeOnly) return 'low';
  return base;
}

export function importFacts(ref: PackageRef): Record<string, unknown> {
  const facts: Record<string, unknown> = { importName: ref.importName };
  if (ref.typeOnly) facts.typeOnly = true;
  if (ref.optional) facts.optional = true;
  return facts;
}
