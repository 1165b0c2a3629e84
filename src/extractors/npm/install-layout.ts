import ini from 'ini';
import { lazy } from '../../core/lazy.js';
import { basename } from '../../core/paths.js';
import type { NodeLinker, ProjectFact } from '../../model/source.js';
import type { Extractor, ExtractResult } from '../types.js';
import { parseYamlMapping } from '../yaml-tree.js';

const yaml = lazy<typeof import('yaml')>('yaml');

type Layout = Extract<ProjectFact, { kind: 'install-layout' }>;

/** yarn's `nodeLinker` and pnpm's `node-linker` values, as the layouts Vouch models. */
const LINKERS: Record<string, NodeLinker> = {
  pnp: 'pnp',
  'node-modules': 'hoisted',
  hoisted: 'hoisted',
  pnpm: 'isolated',
  isolated: 'isolated',
};

/**
 * How the project's package manager lays out node_modules, which decides what code can import: yarn berry's
 * `.yarnrc.yml` `nodeLinker` (Plug'n'Play unless it says otherwise), and pnpm's `node-linker`,
 * `shamefully-hoist` and `public-hoist-pattern` in `.npmrc`. Credentials in these files are never read.
 */
export const installLayout: Extractor = {
  id: 'npm/install-layout',
  ecosystem: 'npm',
  kind: 'manifest',
  matches: (path) => {
    const name = basename(path);
    return name === '.yarnrc.yml' || name === '.npmrc';
  },
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const layout: Layout = { kind: 'install-layout', ecosystem: 'npm' };
    if (basename(file.path) === '.yarnrc.yml') {
      const mapping = parseYamlMapping(file.text, '.yarnrc.yml', result.errors);
      const linker = scalar(mapping?.root.get('nodeLinker', true));
      if (linker !== undefined && LINKERS[linker]) layout.nodeLinker = LINKERS[linker];
    } else {
      let parsed: Record<string, unknown>;
      try {
        parsed = ini.parse(file.text);
      } catch {
        return result;
      }
      const linker = parsed['node-linker'];
      if (typeof linker === 'string' && LINKERS[linker]) layout.nodeLinker = LINKERS[linker];
      const hoist = publicHoist(parsed['shamefully-hoist'], parsed['public-hoist-pattern']);
      if (hoist) layout.publicHoistPattern = hoist;
    }
    if (layout.nodeLinker !== undefined || layout.publicHoistPattern !== undefined) result.facts.push(layout);
    return result;
  },
};

/** pnpm's public hoisting: `shamefully-hoist` means every package; else the patterns, when given. */
export function publicHoist(shamefully: unknown, patterns: unknown): string[] | undefined {
  if (shamefully === true || shamefully === 'true') return ['*'];
  if (Array.isArray(patterns)) return patterns.filter((p): p is string => typeof p === 'string');
  if (typeof patterns === 'string') return [patterns];
  return undefined;
}

function scalar(node: unknown): string | undefined {
  return yaml().isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}
