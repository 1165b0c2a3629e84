import { lazy } from '../../core/lazy.js';

const pep440 = lazy<typeof import('@renovatebot/pep440')>('@renovatebot/pep440');

import { commandName, hasOption, optionValues, type ParsedArgs, parseArgs, type Resolver } from './args.js';
import { pythonLocationTarget, pythonPackages } from './pip.js';

const POETRY_VALUE_OPTIONS = new Set([
  '--group',
  '-G',
  '--extras',
  '-E',
  '--python',
  '--platform',
  '--source',
  '--markers',
  '--directory',
  '-C',
  '--project',
  '-P',
]);

/** Poetry's `name@constraint` form: `^1.2`, `~1.2`, `1.2.3` (exact), `latest`. */
const AT_CONSTRAINT = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?@(\S+)$/;

/** Resolves `poetry add` (and `poetry self add`, and commands behind `poetry run`). */
export const resolvePoetry: Resolver = (words, dispatch) => {
  const [head, ...args] = words;
  if (!head || commandName(head.value) !== 'poetry') return [];
  const top = parseArgs(args, POETRY_VALUE_OPTIONS, true);
  switch (top.positionals[0]?.value) {
    case 'add':
      return add(parseArgs(top.rest, POETRY_VALUE_OPTIONS));
    case 'self': {
      const self = parseArgs(top.rest, POETRY_VALUE_OPTIONS, true);
      if (self.positionals[0]?.value !== 'add') return [];
      return add(parseArgs(self.rest, POETRY_VALUE_OPTIONS), ['global']);
    }
    case 'run':
      return dispatch(top.rest);
    default:
      return [];
  }
};

function add(parsed: ParsedArgs, groups = poetryGroups(parsed)) {
  return parsed.positionals.flatMap((word) => {
    const at = AT_CONSTRAINT.exec(word.value);
    if (word.dynamic || !at || pythonLocationTarget(word.value) !== null) {
      return pythonPackages([word], 'installed', groups);
    }
    const name = at[1]!;
    const constraint = at[2]!;
    const exact = pep440().valid(constraint) !== null;
    return [
      {
        ecosystem: 'PyPI' as const,
        name,
        ...(exact ? { version: constraint } : { spec: constraint }),
        origin: 'registry' as const,
        source: 'installed' as const,
        word,
        ...(groups.length > 0 ? { groups } : {}),
      },
    ];
  });
}

function poetryGroups(parsed: ParsedArgs): string[] {
  if (hasOption(parsed, '--dev', '-D')) return ['dev'];
  const group = optionValues(parsed, '--group', '-G')[0];
  if (group) return [group.value];
  const extra = optionValues(parsed, '--optional')[0];
  if (extra) return [extra.value];
  return hasOption(parsed, '--optional') ? ['optional'] : [];
}
