import { commandName, hasOption, optionValues, parseArgs, type Resolver } from './args.js';
import { pythonPackages } from './pip.js';

const PIPENV_VALUE_OPTIONS = new Set([
  '-r',
  '--requirements',
  '--categories',
  '--python',
  '--pypi-mirror',
  '--index',
  '-i',
  '--extra-index-url',
  '-e',
  '--editable',
]);

/** Resolves `pipenv install` (and commands behind `pipenv run`). */
export const resolvePipenv: Resolver = (words, dispatch) => {
  const [head, ...args] = words;
  if (!head || commandName(head.value) !== 'pipenv') return [];
  const top = parseArgs(args, PIPENV_VALUE_OPTIONS, true);
  const sub = top.positionals[0]?.value;
  if (sub === 'run') return dispatch(top.rest);
  if (sub !== 'install') return [];
  const parsed = parseArgs(top.rest, PIPENV_VALUE_OPTIONS);
  const categories = optionValues(parsed, '--categories').flatMap((w) =>
    w.value.split(/[\s,]+/).filter(Boolean),
  );
  const groups = hasOption(parsed, '--dev', '-d') ? ['dev'] : categories;
  // `-r requirements.txt` names a file, not a package.
  return pythonPackages(
    [...parsed.positionals, ...optionValues(parsed, '-e', '--editable')],
    'installed',
    groups,
  );
};
