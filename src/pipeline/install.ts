/**
 * What an install command would add, checked before it runs: the packages it names (read with the shell
 * parser of the extractors), and for a command that installs a project's own dependencies (`npm ci`), the
 * lockfile it would install from. The agent hooks and the install guard decide on the result.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pushAll } from '../core/arrays.js';
import { extractShellInstalls } from '../extractors/shell/index.js';
import type { ProjectInstaller } from '../extractors/shell/npm.js';
import type { PackageCheck, PackageCheckOptions } from './packages.js';
import type { PackageVerdict } from './policy.js';

/** What a project install reads, in the installer's order of preference: its lockfile, else the manifest. */
const PROJECT_FILES: Readonly<Record<ProjectInstaller, readonly string[]>> = {
  npm: ['npm-shrinkwrap.json', 'package-lock.json', 'package.json'],
  yarn: ['yarn.lock', 'package.json'],
  pnpm: ['pnpm-lock.yaml', 'package.json'],
  bun: ['bun.lock', 'package.json'],
};

/**
 * The requirement files of `pip install -r` that can be read as such: a file that is not there is a
 * problem (pip would fail on it), and so is one whose name Vouch does not read as requirements.
 */
async function requirementFilesIn(
  cwd: string,
  files: readonly string[],
  problems: string[],
): Promise<string[]> {
  if (files.length === 0) return [];
  // Every extractor, to tell which one a file goes to: loaded only for `pip install -r`.
  const [{ extractorFor }, { requirementsTxt }] = await Promise.all([
    import('../extractors/registry.js'),
    import('../extractors/pypi/requirements.js'),
  ]);
  return files.flatMap((file) => {
    if (!existsSync(resolve(cwd, file))) {
      problems.push(`pip would install from ${file}, which is not in ${cwd}`);
      return [];
    }
    if (extractorFor(file.replace(/\\/g, '/')) !== requirementsTxt) {
      problems.push(`${file} was not checked: Vouch reads requirement files named like requirements*.txt`);
      return [];
    }
    return [file];
  });
}

/**
 * The package checks (registries, the vulnerability database), loaded once a command or edit adds a package:
 * a hook sees mostly commands that install nothing, and answers those without loading them.
 */
export async function checkRefs(...args: Parameters<typeof import('./packages.js').checkRefs>) {
  const { checkRefs: check } = await import('./packages.js');
  return check(...args);
}

/** Longer commands are not something an agent or a person types; they are refused rather than parsed. */
export const MAX_COMMAND_LENGTH = 100_000;
const COMMAND_FILE = '<command>';

export interface InstallCheck {
  /** Whether the command installs or runs any package (a project install counts). */
  installs: boolean;
  /** `block` when a package is blocked; `warn` when one has findings or was not fully checked; else `ok`. */
  verdict: PackageVerdict;
  /** The packages the command names, and the packages of a project's lockfile that have findings. */
  packages: PackageCheck[];
  /** The blocked ones. */
  blocked: PackageCheck[];
  /** The files a project install reads, as read (relative to the working directory). */
  projectFiles: string[];
  /**
   * Why the check is incomplete: the command could not be fully parsed, a lockfile could not be read. The
   * caller decides what an incomplete check does (the hooks' `--on-error`).
   */
  problems: string[];
}

/** A command as a POSIX shell would read it: an argv is quoted word by word, so nothing in it is expanded. */
export function quoteArgv(argv: readonly string[]): string {
  return argv
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/**
 * Checks what a shell command (text, as an agent runs it through a shell) or an argv (as the guard runs it,
 * with no shell) would install. `options.cwd` is where it runs: a project install reads the lockfile there.
 */
export async function checkInstallCommand(
  command: string | readonly string[],
  options: PackageCheckOptions = {},
): Promise<InstallCheck> {
  const text = typeof command === 'string' ? command : quoteArgv(command);
  if (text.length > MAX_COMMAND_LENGTH)
    return {
      installs: false,
      verdict: 'warn',
      packages: [],
      blocked: [],
      projectFiles: [],
      problems: [`the command is longer than ${MAX_COMMAND_LENGTH} characters and was not read`],
    };
  const extracted = extractShellInstalls(text, COMMAND_FILE);
  const problems = extracted.errors.map((e) => `the command could not be fully parsed: ${e.message}`);
  const cwd = options.cwd ?? process.cwd();
  const found: string[] = [];
  for (const { manager, files } of extracted.projectInstalls) {
    if (manager === 'pip') {
      pushAll(found, await requirementFilesIn(cwd, files ?? [], problems));
      continue;
    }
    const file = PROJECT_FILES[manager].find((name) => existsSync(join(cwd, name)));
    if (!file) problems.push(`${manager} would install the project in ${cwd}, which has no package.json`);
    else found.push(file);
  }
  const projectFiles = [...new Set(found)];
  const installs = extracted.refs.length > 0 || extracted.projectInstalls.length > 0;
  if (!installs) return { installs, verdict: 'ok', packages: [], blocked: [], projectFiles, problems };
  const checked = await checkRefs(projectFiles, extracted.refs, { ...options, cwd });
  for (const error of checked.result.errors) problems.push(`${error.file}: ${error.message}`);
  const blocked = checked.packages.filter((p) => p.verdict === 'block');
  const verdict: PackageVerdict =
    blocked.length > 0 ? 'block' : checked.packages.some((p) => p.verdict === 'warn') ? 'warn' : 'ok';
  return { installs, verdict, packages: checked.packages, blocked, projectFiles, problems };
}
