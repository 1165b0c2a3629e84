import type { Node } from 'web-tree-sitter';
import type { PackageRef } from '../../model/package-ref.js';
import type { ProjectFact } from '../../model/source.js';
import { TreeSitterGrammar } from '../tree-sitter.js';
import type { Extractor } from '../types.js';
import { declaredGem, rubyString } from './common.js';

const ID = 'ruby/gemspec';
/** The methods of Gem::Specification that declare dependencies, and their groups. */
const DEPENDENCY_METHODS: Readonly<Record<string, string[]>> = {
  add_dependency: [],
  add_runtime_dependency: [],
  add_development_dependency: ['dev'],
};

const grammar = new TreeSitterGrammar('tree-sitter-ruby/tree-sitter-ruby.wasm', 'Ruby');

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
  init: () => grammar.load(),
  extract(file) {
    return grammar.read(file.text, (root, result) => {
      const fact: Extract<ProjectFact, { kind: 'manifest' }> = { kind: 'manifest', ecosystem: 'RubyGems' };
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
      result.facts.push(fact);
    });
  },
};

function dependencyRef(call: Node, groups: string[], file: string): PackageRef | undefined {
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  const ref = declaredGem(args, ID, file);
  if (!ref) return undefined;
  if (groups.length > 0) ref.groups = groups;
  return ref;
}
