/**
 * What an edit of a manifest would install: the dependencies an agent's Write or Edit adds to package.json,
 * requirements.txt, Cargo.toml, go.mod … checked as an install command's packages are.
 */
import { basename } from 'node:path';
import { extractorFor } from '../extractors/registry.js';
import type { ExtractContext } from '../extractors/types.js';
import { packageKey } from '../model/ecosystem.js';
import type { PackageRef } from '../model/package-ref.js';
import { checkRefs, type InstallCheck } from './install.js';
import type { PackageCheckOptions } from './packages.js';
import type { PackageVerdict } from './policy.js';

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
