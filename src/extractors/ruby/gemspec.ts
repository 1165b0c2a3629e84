import type { Node, Parser } from 'web-tree-sitter';
import type { PackageRef } from '../../model/package-ref.js';
import { treeSitterParser } from '../tree-sitter.js';
import { firstSyntaxError } from '../tree-sitter-errors.js';
import type { Extractor, ExtractResult, ProjectFact } from '../types.js';
import { gemRequirement, rubyString } from './common.js';

const ID = 'ruby/gemspec';
/** The methods of Gem::Specification that declare dependencies, and their groups. */
const DEPENDENCY_METHODS: Readonly<Record<string, string[]>> = {
  add_dependency: [],
  add_runtime_dependency: [],
  add_development_dependency: ['dev'],
};

let parser: Parser | undefined;

/**
 * *.gemspec, parsed with tree-sitter-ruby: `spec.add_dependency 'x', '~> 1.2'`, `add_runtime_dependency`,
 * `add_development_dependency` (group `dev`), in any of the forms `gem build` and hand-written specs use
 * (`%q<x>.freeze`, requirements as several strings or one array), whatever the block variable is called.
 * `spec.name = "…"` is the gem's own name.
 */
export const gemspec: Extractor = {
  id: ID,
  ecosystem: 'RubyGems',
  kind: 'manifest',
  matches: (path) => path.endsWith('.gemspec'),
  async init() {
    parser ??= await treeSitterParser('tree-sitter-ruby/tree-sitter-ruby.wasm');
  },
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const tree = parser?.parse(file.text);
    if (!tree) {
      result.errors.push({ line: 1, message: 'the Ruby parser is not initialised' });
      return result;
    }
    const fact: Extract<ProjectFact, { kind: 'manifest' }> = { kind: 'manifest', ecosystem: 'RubyGems' };
    try {
      const root = tree.rootNode;
      const error = firstSyntaxError(root, file.text);
      if (error) result.errors.push(error);
      for (const call of root.descendantsOfType('call')) {
        if (!call) continue;
        const method = call.childForFieldName('method')?.text ?? '';
        const groups = DEPENDENCY_METHODS[method];
        if (!groups || !call.childForFieldName('receiver')) continue;
        const ref = dependencyRef(call, groups, file.path);
        if (ref) result.refs.push(ref);
      }
      for (const assignment of root.descendantsOfType('assignment')) {
        const left = assignment?.childForFieldName('left');
        if (left?.type !== 'call' || left.childForFieldName('method')?.text !== 'name') continue;
        const name = rubyString(assignment!.childForFieldName('right'));
        if (name) fact.name = name;
      }
    } finally {
      tree.delete();
    }
    result.facts.push(fact);
    return result;
  },
};

function dependencyRef(call: Node, groups: string[], file: string): PackageRef | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const nameNode = args[0];
  const name = rubyString(nameNode);
  if (!nameNode || !name) return undefined;
  const requirements = args
    .slice(1)
    .flatMap((arg) => (arg.type === 'array' ? arg.namedChildren.map(rubyString) : [rubyString(arg)]))
    .filter((text): text is string => text !== undefined);
  const ref: PackageRef = {
    ecosystem: 'RubyGems',
    name,
    source: 'declared',
    extractor: ID,
    location: { file, line: nameNode.startPosition.row + 1, column: nameNode.startPosition.column + 1 },
    ...gemRequirement(requirements),
    origin: 'registry',
  };
  if (groups.length > 0) ref.groups = groups;
  return ref;
}
