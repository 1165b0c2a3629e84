import { pushAll } from '../../core/arrays.js';
import type { PackageRef } from '../../model/package-ref.js';
import type { ExtractError, SourceFile } from '../../model/source.js';
import { quoted } from '../quote.js';
import type { ExtractContext } from '../types.js';
import { attribute, childElements, parseXml, type XmlElement } from '../xml-tree.js';

/** Folders above a project that central package management may be configured in. */
const MAX_PROPS_DEPTH = 8;

/**
 * A NuGet version as written in a project file: `1.2.3` (a minimum, which NuGet resolves to that version
 * when it exists: the version to vet) and `[1.2.3]` are the version; ranges (`[1.0,2.0)`, `(1.0,)`),
 * floating versions (`1.*`, `*`) and unresolved `$(Property)` references are requirements.
 */
export function nugetVersionTarget(written: string): { version?: string; spec?: string } {
  const text = written.trim();
  if (text === '') return {};
  const exact = /^\[\s*([^,[\]()\s]+)\s*\]$/.exec(text)?.[1];
  if (exact) return { version: exact };
  if (/[[\](),*$\s]/.test(text)) return { spec: text };
  return { version: text };
}

/**
 * The root element of a NuGet XML file when it is `<expected>`; otherwise undefined, with why in `errors`:
 * the XML error, or `not <description>: the root element is <…>`.
 */
export function rootElement(
  text: string,
  expected: string,
  description: string,
  errors: ExtractError[],
): XmlElement | undefined {
  const doc = parseXml(text);
  pushAll(errors, doc.errors);
  const root = doc.root;
  if (!root) return undefined;
  if (root.name === expected) return root;
  if (doc.errors.length === 0)
    errors.push({
      line: root.line,
      message: `not ${description}: the root element is ${quoted(`<${root.name}>`)}`,
    });
  return undefined;
}

/** A package an element of a NuGet XML file declares, at the element's position. */
export function declaredRef(extractor: string, file: string, element: XmlElement, name: string): PackageRef {
  return {
    ecosystem: 'NuGet',
    name,
    source: 'declared',
    extractor,
    location: { file, line: element.line, column: element.column },
    origin: 'registry',
  };
}

/** A package an MSBuild item declares, with the version written there (`$(Property)` expanded) and groups. */
export function itemRef(options: {
  extractor: string;
  file: string;
  item: XmlElement;
  name: string;
  version: string | undefined;
  properties: ReadonlyMap<string, string>;
  groups: string[];
}): PackageRef {
  const ref = declaredRef(options.extractor, options.file, options.item, options.name);
  if (options.version !== undefined)
    Object.assign(ref, nugetVersionTarget(expandProperties(options.version, options.properties)));
  if (options.groups.length > 0) ref.groups = options.groups;
  return ref;
}

/** MSBuild properties of a project file's `<PropertyGroup>`s (later definitions win), for `$(Name)`. */
export function msbuildProperties(root: XmlElement): Map<string, string> {
  const properties = new Map<string, string>();
  for (const group of childElements(root, 'PropertyGroup')) {
    for (const property of group.children) properties.set(property.name.toLowerCase(), property.text.trim());
  }
  return properties;
}

/** `$(Name)` replaced by the property (case-insensitively, as MSBuild does); unknown ones stay as written. */
function expandProperties(text: string, properties: ReadonlyMap<string, string>): string {
  let current = text;
  for (let depth = 0; depth < 10 && current.includes('$('); depth++) {
    const next = current.replace(
      /\$\(\s*([\w.-]+)\s*\)/g,
      (whole, name: string) => properties.get(name.toLowerCase()) ?? whole,
    );
    if (next === current) break;
    current = next;
  }
  return current;
}

/** `<Item Include="A;B">`: the names an item names (MSBuild lists are `;`-separated). */
export function itemNames(element: XmlElement, key: 'Include' | 'Update'): string[] {
  return (attribute(element, key) ?? '')
    .split(';')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** A metadata value of an item: the attribute, or a child element of that name (`<Version>1.0</Version>`). */
export function itemMetadata(element: XmlElement, name: string): string | undefined {
  const fromAttribute = attribute(element, name);
  if (fromAttribute !== undefined) return fromAttribute;
  const child = element.children.find((c) => c.name.toLowerCase() === name.toLowerCase());
  return child?.text.trim();
}

/** Every item of a kind in a project's `<ItemGroup>`s. */
export function items(root: XmlElement, kind: string): XmlElement[] {
  return childElements(root, 'ItemGroup').flatMap((group) => childElements(group, kind));
}

/**
 * The central versions of the nearest Directory.Packages.props above a project (in its folder or any
 * folder above), as NuGet's central package management finds it; empty when there is none.
 */
export function centralVersions(file: SourceFile, ctx: ExtractContext): Map<string, string> {
  const versions = new Map<string, string>();
  for (let depth = 0; depth < MAX_PROPS_DEPTH; depth++) {
    const found = ctx.readRelative(file, `${'../'.repeat(depth)}Directory.Packages.props`);
    if ('error' in found) continue; // looked for, not named: a folder without one (or out of bounds) has none
    const root = parseXml(found.text).root;
    if (root?.name !== 'Project') return versions;
    const properties = msbuildProperties(root);
    for (const item of items(root, 'PackageVersion')) {
      const version = itemMetadata(item, 'Version');
      if (version === undefined) continue;
      for (const name of itemNames(item, 'Include'))
        versions.set(name.toLowerCase(), expandProperties(version, properties));
    }
    return versions;
  }
  return versions;
}
