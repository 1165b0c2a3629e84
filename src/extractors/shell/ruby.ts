import { gemRequirement } from '../ruby/common.js';
import {
  commandName,
  optionValues,
  parseArgs,
  type Resolver,
  type ShellPackage,
  type ShellWord,
} from './args.js';

const GEM_VALUE_OPTIONS = new Set([
  '-v',
  '--version',
  '-s',
  '--source',
  '-i',
  '--install-dir',
  '-n',
  '--bindir',
  '--platform',
  '-p',
  '--http-proxy',
  '-g',
  '--file',
  '--build-root',
  '--document',
]);
const BUNDLE_VALUE_OPTIONS = new Set([
  '-v',
  '--version',
  '-g',
  '--group',
  '-s',
  '--source',
  '--require',
  '--path',
  '--git',
  '--github',
  '--branch',
  '--ref',
  '--glob',
  '--gemfile',
]);
/** A gem name: what `gem install` would look up (a `.gem` file or a path is not one). */
const GEM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * `gem install x [y…] [-v '~> 1.2']` (group `global`: the gem goes into the Ruby installation, not a
 * project; `x:1.2.3` is gem's own name:version form) and `bundle add x [--version '~> 1.2'] [--group test]`
 * (a Gemfile declaration, with `--git`/`--github`/`--path` origins). `bundle exec` runs the command after it.
 */
export const resolveRuby: Resolver = (words, dispatch) => {
  const [head, ...args] = words;
  if (!head) return [];
  const command = commandName(head.value);
  if (command === 'gem') {
    const top = parseArgs(args, GEM_VALUE_OPTIONS, true);
    if (top.positionals[0]?.value !== 'install' && top.positionals[0]?.value !== 'i') return [];
    const parsed = parseArgs(top.rest, GEM_VALUE_OPTIONS);
    const requirement = optionValues(parsed, '-v', '--version').map((w) => w.value);
    return parsed.positionals.flatMap((word) => {
      const colon = word.value.lastIndexOf(':');
      const name = colon > 0 ? word.value.slice(0, colon) : word.value;
      const own = colon > 0 ? [word.value.slice(colon + 1)] : requirement;
      return gemPackage(word, name, own, ['global']);
    });
  }
  if (command !== 'bundle' && command !== 'bundler') return [];
  const top = parseArgs(args, BUNDLE_VALUE_OPTIONS, true);
  const sub = top.positionals[0]?.value;
  if (sub === 'exec') return dispatch(top.rest);
  if (sub !== 'add') return [];
  const parsed = parseArgs(top.rest, BUNDLE_VALUE_OPTIONS);
  const requirement = optionValues(parsed, '-v', '--version').flatMap((w) => w.value.split(','));
  const groups = optionValues(parsed, '-g', '--group')
    .flatMap((w) => w.value.split(/[\s,]+/))
    .filter(Boolean)
    .map((group) => (group === 'development' ? 'dev' : group));
  const git = optionValues(parsed, '--git')[0]?.value;
  const github = optionValues(parsed, '--github')[0]?.value;
  const path = optionValues(parsed, '--path')[0]?.value;
  return parsed.positionals.flatMap((word) => {
    const found = gemPackage(
      word,
      word.value,
      requirement,
      groups.filter((g) => g !== 'default'),
    );
    for (const pkg of found) {
      if (git !== undefined) Object.assign(pkg, { origin: 'git', url: git });
      else if (github !== undefined)
        Object.assign(pkg, { origin: 'git', url: `https://github.com/${github}.git` });
      else if (path !== undefined) Object.assign(pkg, { origin: 'path', url: path });
    }
    return found;
  });
};

function gemPackage(word: ShellWord, name: string, requirement: string[], groups: string[]): ShellPackage[] {
  if (word.dynamic || !GEM_NAME.test(name) || name.endsWith('.gem')) return [];
  const pkg: ShellPackage = {
    ecosystem: 'RubyGems',
    name,
    ...gemRequirement(requirement),
    origin: 'registry',
    source: 'installed',
    word,
  };
  if (groups.length > 0) pkg.groups = groups;
  return [pkg];
}
