import { lazy } from '../../core/lazy.js';

const yaml = lazy<typeof import('yaml')>('yaml');

import { basename } from '../../core/paths.js';
import type { ProjectFact } from '../../model/source.js';
import type { Extractor, ExtractResult } from '../types.js';
import { parseYamlMapping } from '../yaml-tree.js';
import { publicHoist } from './install-layout.js';

const ID = 'npm/pnpm-workspace';

/**
 * pnpm-workspace.yaml declares no packages of its own; its `packages` globs make the folder a workspace root,
 * so that the packages below it see the root's declarations.
 */
export const pnpmWorkspace: Extractor = {
  id: ID,
  ecosystem: 'npm',
  kind: 'manifest',
  matches: (path) => basename(path) === 'pnpm-workspace.yaml',
  extract(file) {
    const result: ExtractResult = { refs: [], errors: [], facts: [] };
    const mapping = parseYamlMapping(file.text, 'pnpm-workspace.yaml', result.errors);
    if (!mapping) return result;
    // pnpm 10 keeps its settings here too: the same ones .npmrc may hold.
    const setting = (key: string): unknown => {
      const node: unknown = mapping.root.get(key, true);
      if (yaml().isScalar(node)) return node.value;
      if (yaml().isSeq(node))
        return node.items.map((item: unknown) => (yaml().isScalar(item) ? item.value : undefined));
      return undefined;
    };
    const linker = setting('nodeLinker');
    const hoist = publicHoist(setting('shamefullyHoist'), setting('publicHoistPattern'));
    if (typeof linker === 'string' || hoist) {
      const layout: ProjectFact = { kind: 'install-layout', ecosystem: 'npm' };
      if (linker === 'hoisted') layout.nodeLinker = 'hoisted';
      else if (linker === 'isolated') layout.nodeLinker = 'isolated';
      if (hoist) layout.publicHoistPattern = hoist;
      result.facts.push(layout);
    }
    const packages = mapping.root.get('packages', true);
    if (packages === undefined || packages === null) return result;
    if (!yaml().isSeq(packages)) {
      const offset = yaml().isScalar(packages) || yaml().isMap(packages) ? packages.range?.[0] : undefined;
      result.errors.push({
        line: mapping.lineOf(offset),
        message: '"packages" is not a list of globs',
      });
      return result;
    }
    const workspaces = packages.items.flatMap((item) =>
      yaml().isScalar(item) && typeof item.value === 'string' && item.value !== '' ? [item.value] : [],
    );
    if (workspaces.length > 0) result.facts.push({ kind: 'manifest', ecosystem: 'npm', workspaces });
    return result;
  },
};
