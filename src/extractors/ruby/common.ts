import type { Node } from 'web-tree-sitter';
import type { PackageRef } from '../../model/package-ref.js';
import { nodeStart } from '../tree-sitter-errors.js';

/** A Gem::Version: dot-separated segments of digits and letters, optionally after a `-` pre-release part. */
const GEM_VERSION = /^[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * Gem requirements as written (`'~> 1.2', '>= 1.2.3'`): one exact version (`1.2.3`, `= 1.2.3`) is the
 * version, anything else the requirement joined as Bundler prints it (`~> 1.2, >= 1.2.3`).
 */
export function gemRequirement(requirements: string[]): { version?: string; spec?: string } {
  const clauses = requirements.map((r) => r.trim()).filter((r) => r !== '');
  if (clauses.length === 0) return {};
  if (clauses.length === 1) {
    const exact = /^(?:=\s*)?(\S+)$/.exec(clauses[0]!)?.[1];
    if (exact && GEM_VERSION.test(exact)) return { version: exact };
  }
  return { spec: clauses.join(', ') };
}

/**
 * The gem a `gem` or `add_dependency` call declares, from the registry: the first argument names it, the
 * strings after it (or arrays of them) are its requirements. Undefined when the name is not a literal.
 */
export function declaredGem(args: Node[], extractor: string, file: string): PackageRef | undefined {
  const nameNode = args[0];
  const name = rubyString(nameNode);
  if (!nameNode || !name) return undefined;
  const requirements = args
    .slice(1)
    .flatMap((arg) => (arg.type === 'array' ? arg.namedChildren.map(rubyString) : [rubyString(arg)]))
    .filter((text): text is string => text !== undefined);
  return {
    ecosystem: 'RubyGems',
    name,
    source: 'declared',
    extractor,
    location: { file, ...nodeStart(nameNode) },
    ...gemRequirement(requirements),
    origin: 'registry',
  };
}

/**
 * The value of a Ruby string literal (`'x'`, `"x"`, `%q<x>`, `'x'.freeze`); undefined when it interpolates
 * (`"#{x}"`) or is not a string.
 */
export function rubyString(node: Node | null | undefined): string | undefined {
  let current = node;
  // `%q<rails>.freeze` in generated gemspecs.
  if (current?.type === 'call' && current.childForFieldName('method')?.text === 'freeze')
    current = current.childForFieldName('receiver');
  if (current?.type !== 'string') return undefined;
  let value = '';
  for (const child of current.namedChildren) {
    if (child.type === 'string_content') value += child.text;
    else if (child.type === 'escape_sequence') value += unescapeRuby(child.text);
    else return undefined;
  }
  return value;
}

/** A symbol or string naming something: `:test`, `'test'`, `"test"`, `test:` (a hash key). */
function rubyName(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'simple_symbol') return node.text.slice(1);
  if (node.type === 'hash_key_symbol' || node.type === 'identifier') return node.text;
  // `:"name"`
  if (node.type === 'delimited_symbol')
    return node.namedChildren.every((child) => child.type === 'string_content')
      ? node.namedChildren.map((child) => child.text).join('')
      : undefined;
  return rubyString(node);
}

/** Names listed by a value: one name, an array of names, or `%w[a b]` / `%i[a b]`. */
export function rubyNames(node: Node | null | undefined): string[] {
  if (!node) return [];
  if (node.type === 'array' || node.type === 'string_array' || node.type === 'symbol_array') {
    return node.namedChildren
      .map((child) =>
        child.type === 'bare_string' || child.type === 'bare_symbol' ? child.text : rubyName(child),
      )
      .filter((name): name is string => name !== undefined);
  }
  const name = rubyName(node);
  return name === undefined ? [] : [name];
}

/** The `key: value` options of an argument list, by key. */
export function rubyOptions(args: Node[]): Map<string, Node> {
  const options = new Map<string, Node>();
  for (const arg of args) {
    if (arg.type !== 'pair') continue;
    const key = rubyName(arg.childForFieldName('key'));
    const value = arg.childForFieldName('value');
    if (key !== undefined && value) options.set(key, value);
  }
  return options;
}

/** Bundler's group names in Vouch's terms: `development` is `dev`; `default` is production. */
export function bundlerGroups(names: string[]): string[] {
  return names.filter((name) => name !== 'default').map((name) => (name === 'development' ? 'dev' : name));
}

function unescapeRuby(text: string): string {
  const simple: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\\\': '\\', "\\'": "'", '\\"': '"' };
  return simple[text] ?? text.slice(1);
}
