/**
 * Changed-only scans (`--changed-since REF`): the files changed since a git ref are scanned twice, as they
 * are now and as they were at the ref, each against its own project (every manifest and lockfile of the
 * tree as context); a finding is introduced by the change when the ref's scan did not have it (by
 * `findingIdentity`: moved lines are the same finding, a lockfile now pinning a vulnerable version is not).
 * The ref's files are written to a temporary folder that mirrors the repository; nothing in the user's
 * tree is touched.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { usageError } from '../core/errors.js';
import { extractorFor } from '../extractors/registry.js';
import { type GitChanges, gitChanges } from '../inputs/git.js';
import { displayPath, inSkippedFolder } from '../inputs/walk.js';

export interface ChangedTree {
  cwd: string;
  inputs: string[];
  restrict: { tree: string[]; targets: Set<string> };
}

export interface ChangedScope {
  changes: GitChanges;
  now: ChangedTree;
  before: ChangedTree;
  /** The changed files that exist now, as the user sees them. */
  files: string[];
  /** Removes the ref's temporary copy. */
  dispose(): void;
}

function isProjectFile(path: string): boolean {
  const kind = extractorFor(path)?.kind;
  return kind === 'manifest' || kind === 'lockfile';
}

function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

export function prepareChanged(
  cwd: string,
  ref: string,
  inputs: readonly string[],
  env: Record<string, string | undefined>,
): ChangedScope {
  // Only files an extractor reads can change a scan's findings; only they are hashed.
  const changes = gitChanges(
    cwd,
    ref,
    env,
    (path) => extractorFor(path) !== undefined && !inSkippedFolder(path),
  );
  // Paths as the scan spells them: the repository's top as seen from `cwd` (which may go through a symlink).
  const realCwd = realOrSame(cwd);
  const top = resolve(cwd, relative(realCwd, realOrSame(changes.root)));
  const inTop = (path: string) => join(top, ...path.split('/'));
  for (const input of inputs) {
    const rel = relative(top, resolve(cwd, input));
    if (rel.startsWith('..') || isAbsolute(rel))
      throw usageError(`--changed-since: ${input} is outside the git repository (${changes.root})`);
  }
  const changed = new Set(changes.changed);
  const nowTargets = new Set(changes.now.filter((path) => changed.has(path)).map(inTop));

  const copy = mkdtempSync(join(tmpdir(), 'vouch-changed-'));
  try {
    const wanted = changes.before.filter((path) => changed.has(path) || isProjectFile(path));
    const blobs = changes.readBefore(wanted.filter((path) => !path.includes('\n')));
    for (const [path, blob] of blobs) {
      const abs = join(copy, ...path.split('/'));
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, blob);
    }
    const beforeCwd = join(copy, relative(top, cwd));
    mkdirSync(beforeCwd, { recursive: true });
    const inCopy = (path: string) => join(copy, ...path.split('/'));
    const scopeInputs = (base: string) =>
      inputs.map((input) => (isAbsolute(input) ? join(base, relative(top, input)) : input));
    const underInputs = (abs: string) =>
      inputs.some((input) => {
        const rel = relative(resolve(cwd, input), abs);
        return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
      });
    return {
      changes,
      now: { cwd, inputs: [...inputs], restrict: { tree: changes.now.map(inTop), targets: nowTargets } },
      before: {
        cwd: beforeCwd,
        inputs: scopeInputs(copy),
        restrict: {
          tree: changes.before.map(inCopy),
          targets: new Set(changes.before.filter((path) => changed.has(path)).map(inCopy)),
        },
      },
      files: [...nowTargets].filter(underInputs).map((abs) => displayPath(abs, cwd)),
      dispose: () => rmSync(copy, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(copy, { recursive: true, force: true });
    throw error;
  }
}
