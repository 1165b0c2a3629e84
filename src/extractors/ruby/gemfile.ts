import type { Node } from 'web-tree-sitter';
import { basename } from '../../core/paths.js';
import type { PackageRef, RefOrigin } from '../../model/package-ref.js';
import { isCommitHash } from '../pypi/common.js';
import { TreeSitterGrammar } from '../tree-sitter.js';
import type { Extractor } from '../types.js';
import { bundlerGroups, declaredGem, rubyNames, rubyOptions, rubyString } from './common.js';

const ID = 'ruby/gemfile';
/** Deeper nesting than this is no Gemfile anyone wrote; it is not followed (and the stack is safe). */
const MAX_DEPTH = 100;
/** Bundler's shorthands for git sources. */
const GIT_HOSTS: Readonly<Record<string, (repo: string) => string>> = {
  github: (repo) => `https://github.com/${repo.includes('/') ? repo : `${repo}/${repo}`}.git`,
  gitlab: (repo) => `https://gitlab.com/${repo}.git`,
  bitbucket: (repo) => `https://bitbucket.org/${repo}.git`,
};
/** Blocks whose gems are ordinary declarations. */
const TRANSPARENT_BLOCKS = new Set(['source', 'platforms', 'platform', 'install_if', 'env']);

const grammar = new TreeSitterGrammar('tree-sitter-ruby/tree-sitter-ruby.wasm', 'Ruby');

/** Where the gems of a block come from and which groups they are in. */
interface Context {
  groups: string[];
  origin?: { origin: RefOrigin; url?: string; commit?: string };
}

/**
 * Gemfile (and gems.rb, *.gemfile), parsed with tree-sitter-ruby: `gem 'name', '~> 1.2', '>= 1.2.3'`
 * with `group:`/`groups:`, `git:`/`github:`/`gitlab:`/`bitbucket:` (with `ref:` as the commit when it is
 * a hash) and `path:` options; `group :development, :test do … end`, `git '…' do … end` and `path '…' do
 * … end` blocks, wherever they stand (inside `if`, `platforms`, `source` blocks). Groups: `development` is
 * `dev`, `default` is production, others keep their names. Gems whose name is not a literal are skipped.
 */
export const gemfile: Extractor = {
  id: ID,
  ecosystem: 'RubyGems',
  kind: 'manifest',
  matches: (path) => {
    const name = basename(path);
    return name === 'Gemfile' || name === 'gems.rb' || name.endsWith('.gemfile');
  },
  init: () => grammar.load(),
  extract(file) {
    return grammar.read(file.text, (root, result) => {
      const visit = (node: Node, context: Context, depth: number) => {
        if (depth > MAX_DEPTH) {
          if (!result.errors.some((e) => e.message.includes('nested')))
            result.errors.push({ line: node.startPosition.row + 1, message: 'nested too deeply to read' });
          return;
        }
        for (const child of node.namedChildren) {
          if (child.type !== 'call' || child.childForFieldName('receiver')) {
            visit(child, context, depth + 1);
            continue;
          }
          const method = child.childForFieldName('method')?.text ?? '';
          const args = child.childForFieldName('arguments')?.namedChildren ?? [];
          const block = child.childForFieldName('block');
          if (method === 'gem') {
            const ref = gemRef(args, context, file.path);
            if (ref) result.refs.push(ref);
            continue;
          }
          if (!block) continue;
          const inner = blockContext(method, args, context);
          visit(block, inner ?? context, depth + 1);
        }
      };
      visit(root, { groups: [] }, 0);
      result.facts.push({ kind: 'manifest', ecosystem: 'RubyGems' });
    });
  },
};

/** The context a `group`/`git`/`github`/`path` block gives its gems; the same one for other blocks. */
function blockContext(method: string, args: Node[], context: Context): Context | undefined {
  const positional = args.filter((arg) => arg.type !== 'pair');
  if (method === 'group') {
    const names = bundlerGroups(positional.flatMap((arg) => rubyNames(arg)));
    return { ...context, groups: [...new Set([...context.groups, ...names])] };
  }
  const target = rubyString(positional[0]);
  if (method === 'git' || method in GIT_HOSTS) {
    if (target === undefined) return context;
    const url = method === 'git' ? target : GIT_HOSTS[method]!(target);
    return { ...context, origin: gitOrigin(url, rubyOptions(args)) };
  }
  if (method === 'path')
    return target === undefined ? context : { ...context, origin: { origin: 'path', url: target } };
  return TRANSPARENT_BLOCKS.has(method) ? context : undefined;
}

function gitOrigin(url: string, options: Map<string, Node>): NonNullable<Context['origin']> {
  const ref = rubyString(options.get('ref'));
  return isCommitHash(ref) ? { origin: 'git', url, commit: ref } : { origin: 'git', url };
}

function gemRef(args: Node[], context: Context, file: string): PackageRef | undefined {
  // `key: value` options are not strings, so declaredGem never reads them as requirements.
  const ref = declaredGem(args, ID, file);
  if (!ref) return undefined;
  const options = rubyOptions(args);
  const origin = optionOrigin(options) ?? context.origin;
  if (origin) {
    ref.origin = origin.origin;
    if (origin.url !== undefined) ref.url = origin.url;
    if (origin.commit !== undefined) ref.commit = origin.commit;
  }
  const own = bundlerGroups([...rubyNames(options.get('group')), ...rubyNames(options.get('groups'))]);
  const groups = [...new Set([...context.groups, ...own])];
  if (groups.length > 0) ref.groups = groups;
  return ref;
}

function optionOrigin(options: Map<string, Node>): Context['origin'] {
  const git = rubyString(options.get('git'));
  if (git !== undefined) return gitOrigin(git, options);
  for (const [host, expand] of Object.entries(GIT_HOSTS)) {
    const repo = rubyString(options.get(host));
    if (repo !== undefined) return gitOrigin(expand(repo), options);
  }
  const path = rubyString(options.get('path'));
  return path === undefined ? undefined : { origin: 'path', url: path };
}
