import type { PackageRef } from '../model/package-ref.js';
import type { RegistryFacts } from '../model/registry-facts.js';
import type { Severity } from '../model/severity.js';
import { isDevFile } from '../project/dev-files.js';
import type { InstallTarget } from '../project/phantom.js';

/** The first import of each package in each file: one finding per package per file. */
export function firstImportPerFile(refs: readonly PackageRef[]): PackageRef[] {
  const seen = new Set<string>();
  const out: PackageRef[] = [];
  for (const ref of refs) {
    if (ref.source !== 'imported') continue;
    const key = `${ref.location.file}\0${ref.scope ?? ''}\0${ref.ecosystem}\0${ref.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(ref);
  }
  return out;
}

/** A type-only import breaks only the build; an optional one (try/except ImportError) breaks nothing. */
export function phantomSeverity(ref: PackageRef, base: Severity): Severity {
  if (ref.optional) return 'info';
  if (ref.typeOnly) return 'low';
  return base;
}

export function importFacts(ref: PackageRef): Record<string, unknown> {
  const facts: Record<string, unknown> = { importName: ref.importName };
  if (ref.typeOnly) facts.typeOnly = true;
  if (ref.optional) facts.optional = true;
  return facts;
}

/**
 * The command (or edit) that declares the package in the project's own tool: `pnpm add x --filter app`,
 * `npm install --save-dev x`, `uv add x`, a line in requirements.txt. `version` pins what the lockfile
 * already installs (for a transitive-only import).
 */
export function declareFix(ref: PackageRef, install: InstallTarget | undefined, version?: string): string {
  // Types are needed to build only, unless the package ships its declarations: then its users need them too.
  const dev = isDevFile(ref.location.file) || (ref.typeOnly === true && install?.shipsTypes !== true);
  const spec = version === undefined ? ref.name : `${ref.name}@${npmRangeOf(version)}`;
  if (ref.ecosystem === 'PyPI') return pythonFix(ref.name, install?.via, dev, version);
  const other = OTHER_TOOLS[ref.ecosystem];
  if (other) return `${other} ${ref.name}`;
  if (ref.ecosystem !== 'npm') return `declare ${ref.name} in ${install?.manifest?.file ?? 'the manifest'}`;
  const member = install?.workspaceMember === true ? install.manifest : undefined;
  const workspace = member?.name ?? member?.dir;
  switch (install?.manager) {
    case 'pnpm':
      return `pnpm add ${dev ? '-D ' : ''}${spec}${workspace ? ` --filter ${workspace}` : ''}`;
    case 'yarn-classic':
    case 'yarn-berry':
      return workspace
        ? `yarn workspace ${workspace} add ${dev ? '--dev ' : ''}${spec}`
        : `yarn add ${dev ? '--dev ' : ''}${spec}`;
    case 'bun':
      return `bun add ${dev ? '--dev ' : ''}${member ? `--cwd ${member.dir} ` : ''}${spec}`;
    default:
      return `npm install ${dev ? '--save-dev ' : ''}${spec}${workspace ? ` --workspace ${workspace}` : ''}`;
  }
}

/** The command that declares a dependency, for the ecosystems whose tool has one form. */
const OTHER_TOOLS: Partial<Record<string, string>> = {
  Go: 'go get',
  'crates.io': 'cargo add',
  RubyGems: 'bundle add',
  Packagist: 'composer require',
  NuGet: 'dotnet add package',
};

/** `1.2.3` → `^1.2.3`: the range a package manager would write for the version already installed. */
function npmRangeOf(version: string): string {
  return /^\d+\.\d+\.\d+$/.test(version) ? `^${version}` : version;
}

function pythonFix(name: string, via: string | undefined, dev: boolean, version?: string): string {
  const file = via?.split('/').at(-1) ?? '';
  const pinned = version === undefined ? name : `${name}>=${version}`;
  if (file === 'uv.lock') return `uv add ${dev ? '--dev ' : ''}${pinned}`;
  if (file === 'poetry.lock') return `poetry add ${dev ? '--group dev ' : ''}${pinned}`;
  if (file === 'pdm.lock') return `pdm add ${dev ? '-dG dev ' : ''}${pinned}`;
  if (file === 'Pipfile.lock' || file === 'Pipfile') return `pipenv install ${dev ? '--dev ' : ''}${pinned}`;
  if (file.endsWith('.txt') || file.endsWith('.in')) return `add the line "${pinned}" to ${via}`;
  if (file === 'pyproject.toml') return `add "${pinned}" to the dependencies in ${via}`;
  if (file === 'setup.cfg') return `add ${pinned} to install_requires in ${via}`;
  // A script's own PEP 723 block.
  if (/\.pyw?$/.test(file)) return `uv add --script ${via} ${pinned}`;
  return `pip install ${pinned} and declare it in the project's requirements`;
}

/** Whether the registry says the package does not exist (the `nonexistent` finding covers it). */
export function isMissing(ref: PackageRef, registry: RegistryFacts | undefined): boolean {
  return registry?.forRef(ref)?.facts.status === 'missing';
}
