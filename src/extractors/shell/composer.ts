import { pushAll } from '../../core/arrays.js';
import { composerConstraint, isPlatformPackage } from '../php/common.js';
import {
  commandName,
  hasOption,
  parseArgs,
  type Resolver,
  type ShellPackage,
  type ShellWord,
} from './args.js';

const COMPOSER_VALUE_OPTIONS = new Set([
  '-d',
  '--working-dir',
  '--repository',
  '--repository-url',
  '--stability',
  '-s',
]);
const PACKAGE = /^([a-z0-9](?:[_.-]?[a-z0-9]+)*\/[a-z0-9](?:(?:[_.]|-{1,2})?[a-z0-9]+)*)(?:[:=](.+))?$/i;

/**
 * `composer require vendor/pkg[:constraint] [--dev]` (also `=constraint`, or the constraint as the next
 * word), `composer global require …` (group `global`) and `composer create-project vendor/pkg [dir]
 * [version]`. Platform packages (`php`, `ext-*`) are checks on PHP, not packages.
 */
export const resolveComposer: Resolver = (words) => {
  const [head, ...args] = words;
  if (!head || commandName(head.value) !== 'composer') return [];
  let top = parseArgs(args, COMPOSER_VALUE_OPTIONS, true);
  let groups: string[] = [];
  if (top.positionals[0]?.value === 'global') {
    top = parseArgs(top.rest, COMPOSER_VALUE_OPTIONS, true);
    groups = ['global'];
  }
  const sub = top.positionals[0]?.value;
  const parsed = parseArgs(top.rest, COMPOSER_VALUE_OPTIONS);
  if (sub === 'create-project') {
    const [project, , version] = parsed.positionals;
    return project ? composerPackages([project], version, groups) : [];
  }
  if (sub !== 'require' && sub !== 'req') return [];
  if (hasOption(parsed, '--dev')) groups = ['dev'];
  const out: ShellPackage[] = [];
  const positionals = parsed.positionals;
  for (let i = 0; i < positionals.length; i++) {
    const word = positionals[i]!;
    const next = positionals[i + 1];
    // `vendor/pkg ^1.2`: a word without a slash after a package is its constraint.
    const constraint = next && !next.value.includes('/') && !PACKAGE.test(next.value) ? next : undefined;
    pushAll(out, composerPackages([word], constraint, groups));
    if (constraint && !word.value.includes(':') && !word.value.includes('=')) i++;
  }
  return out;
};

function composerPackages(
  words: ShellWord[],
  versionWord: ShellWord | undefined,
  groups: string[],
): ShellPackage[] {
  return words.flatMap((word) => {
    const match = word.dynamic ? null : PACKAGE.exec(word.value);
    if (!match || isPlatformPackage(match[1]!)) return [];
    const constraint = match[2] ?? versionWord?.value;
    const pkg: ShellPackage = {
      ecosystem: 'Packagist',
      name: match[1]!.toLowerCase(),
      ...(constraint === undefined ? {} : composerConstraint(constraint)),
      origin: 'registry',
      source: 'installed',
      word,
    };
    if (groups.length > 0) pkg.groups = groups;
    return [pkg];
  });
}
