import { PackageURL } from 'packageurl-js';
import type { Ecosystem } from '../model/ecosystem.js';
import type { Finding } from '../model/finding.js';
import { formatLocation } from '../model/location.js';
import type { PackageRef } from '../model/package-ref.js';
import type { Reporter } from './types.js';

/** purl types (the package-url specification's) by OSV ecosystem. */
const PURL_TYPE: Record<Ecosystem, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  Go: 'golang',
  'crates.io': 'cargo',
  RubyGems: 'gem',
  Maven: 'maven',
  NuGet: 'nuget',
  Packagist: 'composer',
};

/** A component lists this many places it was found; the rest are counted (`vouch:foundMore`). */
const PLACES_PER_COMPONENT = 10;

/** `@scope/name` → namespace `@scope`, name `name`; Maven `group:artifact`; Go and Composer paths. */
function nameParts(ecosystem: Ecosystem, name: string): { namespace: string | null; base: string } {
  if (ecosystem === 'Maven' && name.includes(':'))
    return { namespace: name.slice(0, name.indexOf(':')), base: name.slice(name.indexOf(':') + 1) };
  if ((ecosystem === 'npm' && name.startsWith('@')) || ecosystem === 'Go' || ecosystem === 'Packagist') {
    const slash = name.lastIndexOf('/');
    if (slash > 0) return { namespace: name.slice(0, slash), base: name.slice(slash + 1) };
  }
  return { namespace: null, base: name };
}

function purlOf(ecosystem: Ecosystem, name: string, version: string | undefined): string {
  const { namespace, base } = nameParts(ecosystem, name);
  try {
    return new PackageURL(PURL_TYPE[ecosystem], namespace, base, version ?? null, null, null).toString();
  } catch {
    // A name the purl rules refuse (an answer's invention) is still a component, with a purl-shaped reference.
    return `pkg:${PURL_TYPE[ecosystem]}/${encodeURIComponent(name)}${version ? `@${encodeURIComponent(version)}` : ''}`;
  }
}

type Scope = 'required' | 'optional' | 'excluded';

interface Component {
  'bom-ref': string;
  type: 'library';
  group?: string;
  name: string;
  version?: string;
  scope: Scope;
  purl: string;
  properties: { name: string; value: string }[];
}

/** The project a lockfile installs: the root of its graph. */
interface Project {
  'bom-ref': string;
  type: 'application';
  name: string;
  properties: { name: string; value: string }[];
}

interface Built {
  component: Component;
  /** The scope came from a manifest or lockfile, which say how a package is installed; imports do not. */
  scopeFromManifest: boolean;
  places: number;
}

interface Advisory {
  id: string;
  ids?: string[];
  severity?: string;
  summary?: string;
  score?: number;
  vector?: string;
  fixed?: string[];
  published?: string;
}

const PHANTOM_KINDS = new Set(['undeclared', 'transitive-only']);
/** Findings whose advisories affect the component's own version (a range's do not: its lockfile may be fixed). */
const AFFECTING_KINDS = new Set(['vulnerable', 'malicious']);
const RATING_SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info', 'none', 'unknown']);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `CVSS:3.1/…` → CycloneDX's rating method. */
function cvssMethod(vector: string | undefined): string | undefined {
  if (!vector) return undefined;
  if (vector.startsWith('CVSS:4')) return 'CVSSv4';
  if (vector.startsWith('CVSS:3.1')) return 'CVSSv31';
  if (vector.startsWith('CVSS:3')) return 'CVSSv3';
  return 'CVSSv2';
}

/** Development and test dependencies are not part of what ships: `excluded`; optional ones `optional`. */
function scopeOf(ref: PackageRef): Scope {
  const groups = ref.groups ?? [];
  if (groups.some((g) => g === 'dev' || g === 'test' || g === 'development')) return 'excluded';
  if (groups.includes('optional') || ref.optional) return 'optional';
  return 'required';
}

const SCOPE_RANK: Record<Scope, number> = { excluded: 0, optional: 1, required: 2 };

function addProperty(component: Component, name: string, value: string): void {
  if (!component.properties.some((p) => p.name === name && p.value === value))
    component.properties.push({ name, value });
}

function advisoriesOf(finding: Finding): Advisory[] {
  const list = finding.evidence?.advisories;
  if (!Array.isArray(list)) return [];
  return list.filter((a): a is Advisory => typeof (a as Advisory | undefined)?.id === 'string');
}

function osvSource(id: string): { name: string; url: string } {
  return { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` };
}

/**
 * CycloneDX 1.6 JSON: every package in scope as a component (purl; scope from its dependency groups: `excluded`
 * for development and test, `optional`, else `required`; where and how Vouch found it), the lockfiles'
 * dependency graphs, phantom packages marked `vouch:phantom` (`undeclared`, `transitive-only`), Vouch's other
 * findings as `vouch:finding`, and one vulnerability per advisory of a vulnerable or malicious version, with the
 * components it affects. Each lockfile's project is an `application` component whose dependencies are the
 * project's direct ones. Deterministic: no serial number or timestamp, so one tree gives one document.
 */
export const cyclonedxReporter: Reporter = (result) => {
  const built = new Map<string, Built>();
  /** The component of each (file, ecosystem, name): where graph edges and findings attach. */
  const byFileName = new Map<string, Built>();
  /** The first component of each (ecosystem, name): where an import or a range joins a pinned version. */
  const byName = new Map<string, Built>();
  const nameKey = (ecosystem: string, name: string) => `${ecosystem}\0${name}`;

  // Versioned references first, so that an import or a range joins the version a lockfile pins.
  const refs = result.packages.toSorted(
    (a, b) => Number(a.version === undefined) - Number(b.version === undefined),
  );
  for (const ref of refs) {
    const key = nameKey(ref.ecosystem, ref.name);
    const purl = purlOf(ref.ecosystem, ref.name, ref.version);
    const entry =
      (ref.version === undefined ? byName.get(key) : undefined) ?? built.get(purl) ?? newComponent(ref, purl);
    built.set(entry.component['bom-ref'], entry);
    if (!byName.has(key)) byName.set(key, entry);
    byFileName.set(`${ref.location.file}\0${key}`, entry);
    const component = entry.component;
    if (++entry.places <= PLACES_PER_COMPONENT)
      addProperty(component, 'vouch:found', `${ref.source} ${formatLocation(ref.location)}`);
    if (ref.spec !== undefined) addProperty(component, 'vouch:spec', ref.spec);
    // The widest scope a manifest or lockfile gives: one production dependency makes it required. An import
    // decides only for a package no manifest names (a phantom one).
    const fromManifest = ref.source === 'declared' || ref.source === 'locked';
    const scope = scopeOf(ref);
    if (fromManifest && !entry.scopeFromManifest) {
      component.scope = scope;
      entry.scopeFromManifest = true;
    } else if (fromManifest === entry.scopeFromManifest && SCOPE_RANK[scope] > SCOPE_RANK[component.scope])
      component.scope = scope;
  }
  const componentOf = (finding: Finding): Built | undefined =>
    byFileName.get(`${finding.location.file}\0${nameKey(finding.ecosystem, finding.name)}`) ??
    byName.get(nameKey(finding.ecosystem, finding.name));

  for (const entry of built.values())
    if (entry.places > PLACES_PER_COMPONENT)
      addProperty(entry.component, 'vouch:foundMore', String(entry.places - PLACES_PER_COMPONENT));
  for (const finding of result.findings) {
    const component = componentOf(finding)?.component;
    if (!component) continue;
    if (PHANTOM_KINDS.has(finding.kind)) addProperty(component, 'vouch:phantom', finding.kind);
    else addProperty(component, 'vouch:finding', `${finding.kind} (${finding.severity})`);
  }

  const dependsOn = new Map<string, Set<string>>();
  const projects: Project[] = [];
  for (const graph of result.dependencies ?? []) {
    const at = (name: string) =>
      byFileName.get(`${graph.file}\0${nameKey(graph.ecosystem, name)}`)?.component;
    // The project the lockfile installs, so that its direct dependencies are told from the transitive ones.
    if (graph.roots) {
      const folder = graph.file.includes('/') ? graph.file.slice(0, graph.file.lastIndexOf('/')) : '.';
      const project: Project = {
        'bom-ref': `project:${graph.file}`,
        type: 'application',
        name: folder,
        properties: [{ name: 'vouch:lockfile', value: graph.file }],
      };
      projects.push(project);
      const direct = new Set<string>();
      for (const root of graph.roots) {
        const component = at(root);
        if (component) direct.add(component['bom-ref']);
      }
      dependsOn.set(project['bom-ref'], direct);
    }
    for (const [from, targets] of Object.entries(graph.edges)) {
      const source = at(from);
      if (!source) continue;
      const set = dependsOn.get(source['bom-ref']) ?? new Set<string>();
      for (const target of targets) {
        const component = at(target);
        if (component && component !== source) set.add(component['bom-ref']);
      }
      dependsOn.set(source['bom-ref'], set);
    }
  }

  const vulnerabilities = new Map<string, ReturnType<typeof vulnerabilityOf>>();
  for (const finding of result.findings) {
    if (!AFFECTING_KINDS.has(finding.kind)) continue;
    const component = componentOf(finding)?.component;
    for (const advisory of advisoriesOf(finding)) {
      const entry = vulnerabilities.get(advisory.id) ?? vulnerabilityOf(advisory);
      vulnerabilities.set(advisory.id, entry);
      if (component && !entry.affects.some((a) => a.ref === component['bom-ref']))
        entry.affects.push({
          ref: component['bom-ref'],
          ...(component.version ? { versions: [{ version: component.version, status: 'affected' }] } : {}),
        });
    }
  }

  const components = [...projects, ...[...built.values()].map((entry) => entry.component)].sort((a, b) =>
    a['bom-ref'] < b['bom-ref'] ? -1 : a['bom-ref'] > b['bom-ref'] ? 1 : 0,
  );
  const bom = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: {
      tools: { components: [{ type: 'application', name: 'vouch', version: result.tool.version }] },
      properties: [
        { name: 'vouch:inputs', value: result.inputs.join(' ') },
        { name: 'vouch:notChecked', value: result.notChecked.summary },
      ],
    },
    components,
    dependencies: components.map((component) => ({
      ref: component['bom-ref'],
      dependsOn: [...(dependsOn.get(component['bom-ref']) ?? [])].sort(),
    })),
    vulnerabilities: [...vulnerabilities.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
};

function newComponent(ref: PackageRef, purl: string): Built {
  const { namespace, base } = nameParts(ref.ecosystem, ref.name);
  const component: Component = {
    'bom-ref': purl,
    type: 'library',
    // CycloneDX's group is the purl namespace (a Maven group, an npm scope, a Go module's path).
    ...(namespace !== null ? { group: namespace } : {}),
    name: namespace !== null ? base : ref.name,
    ...(ref.version !== undefined ? { version: ref.version } : {}),
    scope: scopeOf(ref),
    purl,
    properties: [{ name: 'vouch:ecosystem', value: ref.ecosystem }],
  };
  return { component, scopeFromManifest: false, places: 0 };
}

function vulnerabilityOf(advisory: Advisory) {
  const method = cvssMethod(advisory.vector);
  const rating = {
    ...(advisory.score !== undefined ? { score: advisory.score } : {}),
    ...(advisory.severity && RATING_SEVERITIES.has(advisory.severity) ? { severity: advisory.severity } : {}),
    ...(method ? { method, vector: advisory.vector } : {}),
  };
  const aliases = (advisory.ids ?? []).filter((id) => id !== advisory.id);
  return {
    id: advisory.id,
    source: osvSource(advisory.id),
    ...(aliases.length > 0 ? { references: aliases.map((id) => ({ id, source: osvSource(id) })) } : {}),
    ...(Object.keys(rating).length > 0 ? { ratings: [rating] } : {}),
    ...(advisory.summary ? { description: advisory.summary } : {}),
    ...(advisory.fixed?.length ? { recommendation: `Upgrade to ${advisory.fixed.join(' or ')}` } : {}),
    ...(advisory.published && DATE_TIME.test(advisory.published) ? { published: advisory.published } : {}),
    affects: [] as { ref: string; versions?: { version: string; status: string }[] }[],
  };
}
