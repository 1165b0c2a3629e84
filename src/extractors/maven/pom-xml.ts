import { pushAll } from '../../core/arrays.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { SourceFile } from '../../model/source.js';
import { quoted } from '../quote.js';
import type { ExtractContext, Extractor, ExtractResult } from '../types.js';
import {
  childElement,
  childElements,
  childText,
  parseXml,
  type XmlDocument,
  type XmlElement,
} from '../xml-tree.js';
import { mavenVersionTarget } from './coordinates.js';

const ID = 'maven/pom-xml';
/** A parent chain longer than this is a cycle through differently written paths, or not worth following. */
const MAX_PARENTS = 10;
/** `${a}` → `${b}` → …: deeper chains are cycles. */
const MAX_INTERPOLATION_DEPTH = 10;
const PROJECT_VERSION_REFERENCES = new Set(['project.version', 'pom.version', 'version']);
/** Maven scopes and the group they put a dependency in; compile and runtime are production. */
const SCOPE_GROUPS: Readonly<Record<string, string[]>> = {
  test: ['test'],
  provided: ['provided'],
  system: ['system'],
};

/** One POM of the chain: the file itself, or a local parent read through `<relativePath>`. */
interface Pom {
  file: SourceFile;
  root: XmlElement;
}

/**
 * pom.xml: `<dependencies>` (scope `test` → group `test`, `provided` → `provided`, `<optional>` →
 * `optional`), profiles' dependencies, and `<dependencyManagement>` entries as version facts (group
 * `managed`, not declarations). Properties are interpolated (`${x}`, `${project.version}`), and parents
 * that are local (`<relativePath>`, by default `../pom.xml`, when the file there is that parent) give their
 * properties, managed versions and inherited dependencies. Build plugins and their dependencies are tools of
 * the build, not dependencies of the project, and are left out.
 */
export const pomXml: Extractor = {
  id: ID,
  ecosystem: 'Maven',
  kind: 'manifest',
  matches: (path) => /(?:^|\/)pom\.xml$/.test(path) || path.endsWith('.pom'),
  extract(file, ctx) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const doc = parseXml(file.text);
    pushAll(result.errors, doc.errors);
    if (!doc.root) return result;
    if (doc.root.name !== 'project') {
      if (doc.errors.length === 0)
        result.errors.push({
          line: doc.root.line,
          message: `not a Maven POM: the root element is ${quoted(`<${doc.root.name}>`)}, not <project>`,
        });
      return result;
    }
    new PomReader({ file, root: doc.root }, ctx, result).read();
    return result;
  },
};

class PomReader {
  /** The file itself first, then its local parents, nearest first. */
  private readonly chain: Pom[];
  private readonly properties = new Map<string, string>();
  private readonly managed = new Map<string, string>();
  private readonly seen = new Set<string>();
  private readonly groupId: string | undefined;

  constructor(
    private readonly pom: Pom,
    ctx: ExtractContext,
    private readonly result: ExtractResult,
  ) {
    this.chain = [pom, ...localParents(pom, ctx, result)];
    const root = pom.root;
    const parent = childElement(root, 'parent');
    this.groupId = childText(root, 'groupId') ?? childText(parent, 'groupId');
    const artifactId = childText(root, 'artifactId');
    const version = childText(root, 'version') ?? childText(parent, 'version');
    // The farthest ancestor first, so that nearer POMs override.
    for (const { root: ancestor } of [...this.chain].reverse()) {
      for (const property of childElement(ancestor, 'properties')?.children ?? [])
        this.properties.set(property.name, property.text.trim());
    }
    const builtIns: [string, string | undefined][] = [
      ['groupId', this.groupId],
      ['artifactId', artifactId],
      ['version', version],
      ['parent.groupId', childText(parent, 'groupId')],
      ['parent.artifactId', childText(parent, 'artifactId')],
      ['parent.version', childText(parent, 'version')],
    ];
    for (const [key, value] of builtIns) {
      if (value === undefined) continue;
      this.properties.set(`project.${key}`, value);
      this.properties.set(`pom.${key}`, value);
      if (!key.startsWith('parent.')) this.properties.set(key, value);
    }
    for (const { root: ancestor } of [...this.chain].reverse()) {
      this.addManaged(this.managed, childElement(ancestor, 'dependencyManagement'));
    }
    if (this.groupId !== undefined && artifactId !== undefined) {
      const name = `${this.interpolate(this.groupId)}:${this.interpolate(artifactId)}`;
      result.facts.push({ kind: 'manifest', ecosystem: 'Maven', name });
    }
  }

  read(): void {
    const { root, file } = this.pom;
    const declared = new Set<string>();
    for (const dependency of dependenciesOf(root)) {
      const key = this.key(dependency);
      if (key) declared.add(key);
      this.dependency(file, dependency, this.managed, []);
    }
    // Dependencies of a parent are dependencies of this module too, unless it declares them itself.
    for (const parent of this.chain.slice(1)) {
      for (const dependency of dependenciesOf(parent.root)) {
        const key = this.key(dependency);
        if (key === undefined || declared.has(key)) continue;
        declared.add(key);
        this.dependency(parent.file, dependency, this.managed, []);
      }
    }
    for (const dependency of dependenciesOf(childElement(root, 'dependencyManagement')))
      this.dependency(file, dependency, new Map(), ['managed']);
    for (const profile of childElements(childElement(root, 'profiles'), 'profile')) {
      const profileManagement = childElement(profile, 'dependencyManagement');
      const managed = new Map(this.managed);
      this.addManaged(managed, profileManagement);
      for (const dependency of dependenciesOf(profile)) this.dependency(file, dependency, managed, []);
      for (const dependency of dependenciesOf(profileManagement))
        this.dependency(file, dependency, new Map(), ['managed']);
    }
  }

  private addManaged(into: Map<string, string>, management: XmlElement | undefined): void {
    for (const dependency of dependenciesOf(management)) {
      const key = this.key(dependency);
      const version = childText(dependency, 'version');
      if (key && version !== undefined) into.set(key, version);
    }
  }

  /** `groupId:artifactId` after interpolation; undefined when either is missing. */
  private key(dependency: XmlElement): string | undefined {
    const group = childText(dependency, 'groupId');
    const artifact = childText(dependency, 'artifactId');
    if (group === undefined || artifact === undefined) return undefined;
    return `${this.interpolate(group)}:${this.interpolate(artifact)}`;
  }

  private dependency(
    file: SourceFile,
    dependency: XmlElement,
    managed: ReadonlyMap<string, string>,
    baseGroups: string[],
  ): void {
    const name = this.key(dependency);
    const location = { file: file.path, line: dependency.line, column: dependency.column };
    if (name === undefined) {
      const missing = childText(dependency, 'groupId') === undefined ? 'groupId' : 'artifactId';
      // Errors are reported for this file only; a broken parent is reported when it is scanned itself.
      if (file === this.pom.file)
        this.result.errors.push({
          line: dependency.line,
          column: dependency.column,
          message: `a <dependency> has no <${missing}>`,
        });
      return;
    }
    const rawVersion = childText(dependency, 'version') ?? managed.get(name);
    const ref: PackageRef = { ecosystem: 'Maven', name, source: 'declared', extractor: ID, location };
    if (rawVersion !== undefined) Object.assign(ref, mavenVersionTarget(this.interpolate(rawVersion)));
    // A sibling module (`${project.groupId}`, `${project.version}`) is built here, not downloaded.
    const ownVersion = /^\$\{([\w.-]+)\}$/.exec(rawVersion ?? '')?.[1];
    if (
      ownVersion !== undefined &&
      PROJECT_VERSION_REFERENCES.has(ownVersion) &&
      name.startsWith(`${this.interpolate(this.groupId ?? '')}:`)
    ) {
      ref.origin = 'workspace';
    } else {
      ref.origin = 'registry';
    }
    const scope = childText(dependency, 'scope');
    const groups = [...baseGroups];
    if (baseGroups.length === 0) {
      pushAll(groups, SCOPE_GROUPS[scope ?? ''] ?? []);
      if (childText(dependency, 'optional') === 'true') groups.push('optional');
    }
    if (groups.length > 0) ref.groups = groups;
    // The same artifact declared twice alike (another classifier or type) is one package to vet.
    const identity = [file.path, name, ref.version, ref.spec, groups.join(',')].join('\0');
    if (this.seen.has(identity)) return;
    this.seen.add(identity);
    this.result.refs.push(ref);
  }

  /** `${name}` replaced by the property's value, repeatedly; unknown properties stay as written. */
  private interpolate(text: string): string {
    let current = text;
    for (let depth = 0; depth < MAX_INTERPOLATION_DEPTH && current.includes('${'); depth++) {
      const next = current.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
        return this.properties.get(name.trim()) ?? whole;
      });
      if (next === current) break;
      current = next;
    }
    return current;
  }
}

function dependenciesOf(owner: XmlElement | undefined): XmlElement[] {
  return childElements(childElement(owner, 'dependencies'), 'dependency');
}

/**
 * The parents that are in the tree: `<relativePath>` (a file or a folder holding pom.xml; `../pom.xml` when
 * absent, none when empty), kept only when the POM there has the parent's groupId and artifactId, as Maven
 * checks before using it.
 */
function localParents(pom: Pom, ctx: ExtractContext, result: ExtractResult): Pom[] {
  const out: Pom[] = [];
  const visited = new Set([pom.file.path]);
  let current = pom;
  while (out.length < MAX_PARENTS) {
    const parent = childElement(current.root, 'parent');
    if (!parent) break;
    const relativeElement = childElement(parent, 'relativePath');
    const relative = relativeElement ? relativeElement.text.trim() : '../pom.xml';
    if (relative === '') break;
    const path = relative.endsWith('.xml') || relative.endsWith('.pom') ? relative : `${relative}/pom.xml`;
    const found = ctx.readRelative(current.file, path);
    if ('error' in found) {
      // Only a path the POM names is worth an error: Maven falls back to the repository for a missing parent.
      if (relativeElement && found.refused && current === pom)
        result.errors.push({
          line: relativeElement.line,
          message: `<relativePath> ${quoted(relative)}: ${found.error}`,
        });
      break;
    }
    if (visited.has(found.path)) break;
    visited.add(found.path);
    const doc: XmlDocument = parseXml(found.text);
    if (doc.root?.name !== 'project') break;
    const groupOf = (root: XmlElement) =>
      childText(root, 'groupId') ?? childText(childElement(root, 'parent'), 'groupId');
    if (
      groupOf(doc.root) !== childText(parent, 'groupId') ||
      childText(doc.root, 'artifactId') !== childText(parent, 'artifactId')
    )
      break;
    current = { file: found, root: doc.root };
    out.push(current);
  }
  return out;
}
