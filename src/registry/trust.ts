/**
 * What the registry room may believe about the machine it runs on. Vouch reads the package managers' own
 * configuration and installed files to find the registries a scan asks, but the scanned code must never
 * choose them for the user's credentials nor supply the "installed tool" whose files are read:
 *
 * - a PATH entry that is relative, or that lies inside a scanned folder, the working directory (unless that
 *   is the home folder or above it) or the repository around either, is not a place to look for npm, pip,
 *   Maven, Go or RubyGems (a repository's `node_modules/.bin` is on PATH under direnv, `pnpm exec`, `yarn
 *   run`);
 * - project-level registry configuration (found by walking up from the working directory: `.npmrc`,
 *   `.cargo/config.toml`, `NuGet.Config`, composer.json and auth.json) is untrusted unless the user opts in
 *   (`--trust-project-config`): see `config.ts` and `sources.ts` for what each tool's reading then drops.
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Env } from '../core/paths.js';

export interface Trust {
  /** Folders whose contents belong to the scanned code (absolute, real paths). */
  untrusted: string[];
  /** Use project-level registry configuration as if it were the user's own. */
  projectConfig: boolean;
}

export const PROJECT_CONFIG_HINT = 'pass --trust-project-config to use it as your own';

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Whether `path` is `root` or inside it. */
function within(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The nearest folder from `dir` up that holds `.git` (a repository or a worktree), if any. */
function repositoryOf(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(resolve(current, '.git'))) return current;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * The trust of a scan run from `cwd` over `roots` (the scanned folders, and the folders of scanned files).
 * The working directory counts as scanned code (in CI it is the checked-out repository), except when it is
 * the home folder or one above it: that is where the user keeps their own tools, not a repository. A scanned
 * folder always counts, and so does the repository around it or the working directory.
 */
export function scanTrust(
  cwd: string,
  env: Env,
  roots: readonly string[] = [],
  projectConfig = false,
): Trust {
  const home = real(env.HOME || env.USERPROFILE || homedir());
  const untrusted = new Set<string>();
  const add = (dir: string, always: boolean) => {
    const path = real(dir);
    if (!always && within(home, path)) return;
    untrusted.add(path);
    const repository = repositoryOf(path);
    if (repository && !within(home, repository)) untrusted.add(repository);
  };
  add(cwd, false);
  for (const root of roots) add(resolve(cwd, root), true);
  return { untrusted: [...untrusted], projectConfig };
}

/** Whether `path` (resolved through symlinks) lies inside one of the trust's untrusted folders. */
export function isUntrustedPath(path: string, trust: Trust): boolean {
  const target = real(path);
  return trust.untrusted.some((root) => within(target, root) || within(resolve(path), root));
}

/** The folders of PATH (`Path` on Windows), in order, without the relative ones and those in scanned code. */
export function trustedPathDirs(env: Env, trust: Trust): string[] {
  return (env.PATH ?? env.Path ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && isAbsolute(dir) && !isUntrustedPath(dir, trust));
}
