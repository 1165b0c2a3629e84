/**
 * What an install command would add, checked before it runs: the packages it names (read with the shell
 * parser of the extractors), and for a command that installs a project's own dependencies (`npm ci`), the
 * lockfile it would install from. The agent hooks and the install guard decide on the result.
 */
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { requirementsTxt } from '../extractors/pypi/requirements.js';
import { extractorFor } from '../extractors/registry.js';
import { extractShellInstalls } from '../extractors/shell/index.js';
import type { ProjectInstaller } from '../extractors/shell/npm.js';
import type { ExtractContext } from '../extractors/types.js';
import { packageKey } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';
import { checkRefs, type PackageCheck, type PackageCheckOptions } from './packages.js';
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
function requirementFilesIn(cwd: string, files: readonly string[], problems: string[]): string[] {
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
  const projectFiles = [
    ...new Set(
      extracted.projectInstalls.flatMap(({ manager, files }) => {
        if (manager === 'pip') return requirementFilesIn(cwd, files ?? [], problems);
        const file = PROJECT_FILES[manager].find((name) => existsSync(join(cwd, name)));
        if (!file) problems.push(`${manager} would install the project in ${cwd}, which has no package.json`);
        return file ? [file] : [];
      }),
    ),
  ];
  const installs = extracted.refs.length > 0 || extracted.projectInstalls.length > 0;
  if (!installs) return { installs, verdict: 'ok', packages: [], blocked: [], projectFiles, problems };
  const checked = await checkRefs(projectFiles, extracted.refs, { ...options, cwd });
  for (const error of checked.result.errors) problems.push(`${error.file}: ${error.message}`);
  const blocked = checked.packages.filter((p) => p.verdict === 'block');
  const verdict: PackageVerdict =
    blocked.length > 0 ? 'block' : checked.packages.some((p) => p.verdict === 'warn') ? 'warn' : 'ok';
  return { installs, verdict, packages: checked.packages, blocked, projectFiles, problems };
}

/** A manifest larger than this is not something an agent writes in one edit; it is refused rather than read. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Whether an edit of this file can add dependencies: a manifest or lockfile Vouch reads. */
export function isManifestFile(path: string): boolean {
  const kind = extractorFor(path.replace(/\\/g, '/'))?.kind;
  return kind === 'manifest' || kind === 'lockfile';
}

/** Includes are not followed: the edit names the file's own dependencies, which is what is checked. */
const EDIT_CONTEXT: ExtractContext = {
  readRelative: () => ({ error: 'not read: an edited manifest is checked on its own' }),
  extractSnippet: () => ({ refs: [], errors: [], facts: [] }),
  pythonImportMap: new Map(),
};

/** What makes a dependency new: its name, and the version or range asked for. */
function dependencyKey(ref: PackageRef): string {
  return [ref.ecosystem, packageKey(ref.ecosystem, ref.name), ref.version ?? '', ref.spec ?? ''].join('\0');
}

/**
 * Checks what an edit of a manifest adds (an agent's Write or Edit of package.json, requirements.txt,
 * Cargo.toml, go.mod …): the dependencies of the new text that the old text did not have, with the same
 * or another version, are checked as an install command's packages would be. A file that is not a
 * manifest or lockfile installs nothing.
 */
export async function checkManifestEdit(
  path: string,
  before: string | undefined,
  after: string,
  options: PackageCheckOptions = {},
): Promise<InstallCheck> {
  const nothing = (problems: string[] = []): InstallCheck => ({
    installs: false,
    verdict: 'ok',
    packages: [],
    blocked: [],
    projectFiles: [],
    problems,
  });
  const name = basename(path);
  const extractor = extractorFor(path.replace(/\\/g, '/'));
  if (!extractor || !isManifestFile(path)) return nothing();
  if (Buffer.byteLength(after) > MAX_MANIFEST_BYTES || Buffer.byteLength(before ?? '') > MAX_MANIFEST_BYTES)
    return {
      ...nothing([`${name} is larger than ${MAX_MANIFEST_BYTES} bytes and was not read`]),
      installs: true,
      verdict: 'warn',
    };
  await extractor.init?.();
  const old = new Set(
    before === undefined
      ? []
      : extractor.extract({ path: name, text: before }, EDIT_CONTEXT).refs.map(dependencyKey),
  );
  const now = extractor.extract({ path: name, text: after }, EDIT_CONTEXT);
  const problems = now.errors.map((e) => `${name}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`);
  const added = now.refs.filter((ref) => !old.has(dependencyKey(ref)));
  if (added.length === 0) return nothing(problems);
  const checked = await checkRefs([], added, options);
  for (const error of checked.result.errors) problems.push(`${error.file}: ${error.message}`);
  const blocked = checked.packages.filter((p) => p.verdict === 'block');
  const verdict: PackageVerdict =
    blocked.length > 0 ? 'block' : checked.packages.some((p) => p.verdict === 'warn') ? 'warn' : 'ok';
  return { installs: true, verdict, packages: checked.packages, blocked, projectFiles: [], problems };
}
