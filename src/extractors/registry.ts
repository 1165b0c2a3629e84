import { goMod } from './go/go-mod.js';
import { goSum } from './go/go-sum.js';
import { goImports } from './go/imports.js';
import { llmMarkdown } from './llm/markdown.js';
import { gradleBuild } from './maven/gradle.js';
import { gradleLockfile } from './maven/gradle-lockfile.js';
import { javaImports } from './maven/imports.js';
import { pomXml } from './maven/pom-xml.js';
import { versionCatalog } from './maven/version-catalog.js';
import { bunLock } from './npm/bun-lock.js';
import { bundlerConfig } from './npm/bundler-config.js';
import { eslintConfig } from './npm/eslint-config.js';
import { jsImports } from './npm/imports.js';
import { installLayout } from './npm/install-layout.js';
import { knipConfig } from './npm/knip-config.js';
import { packageJson } from './npm/package-json.js';
import { packageLock } from './npm/package-lock.js';
import { pnpmLock } from './npm/pnpm-lock.js';
import { pnpmWorkspace } from './npm/pnpm-workspace.js';
import { tsconfig } from './npm/tsconfig.js';
import { yarnLock } from './npm/yarn-lock.js';
import { csproj } from './nuget/csproj.js';
import { directoryPackages } from './nuget/directory-packages.js';
import { packagesConfig } from './nuget/packages-config.js';
import { packagesLock } from './nuget/packages-lock.js';
import { composerJson } from './php/composer-json.js';
import { composerLock } from './php/composer-lock.js';
import { pythonImports } from './pypi/imports.js';
import { pdmLock } from './pypi/pdm-lock.js';
import { pipfile } from './pypi/pipfile.js';
import { pipfileLock } from './pypi/pipfile-lock.js';
import { poetryLock } from './pypi/poetry-lock.js';
import { pyprojectToml } from './pypi/pyproject.js';
import { requirementsTxt } from './pypi/requirements.js';
import { setupCfg } from './pypi/setup-cfg.js';
import { uvLock } from './pypi/uv-lock.js';
import { gemfile } from './ruby/gemfile.js';
import { gemfileLock } from './ruby/gemfile-lock.js';
import { gemspec } from './ruby/gemspec.js';
import { rubyImports } from './ruby/imports.js';
import { cargoLock } from './rust/cargo-lock.js';
import { cargoToml } from './rust/cargo-toml.js';
import { rustImports } from './rust/imports.js';
import { shellScript } from './shell/index.js';
import type { Extractor } from './types.js';

/**
 * Every extractor. A file goes to the first one whose `matches` accepts its path, so specific names
 * (package.json) come before broad patterns (*.js), and the document extractor comes last.
 */
export const EXTRACTORS: readonly Extractor[] = [
  packageJson,
  packageLock,
  yarnLock,
  pnpmLock,
  bunLock,
  pnpmWorkspace,
  installLayout,
  tsconfig,
  bundlerConfig,
  eslintConfig,
  knipConfig,
  requirementsTxt,
  pyprojectToml,
  setupCfg,
  pipfile,
  pipfileLock,
  poetryLock,
  uvLock,
  pdmLock,
  goMod,
  goSum,
  cargoToml,
  cargoLock,
  pomXml,
  gradleBuild,
  versionCatalog,
  gradleLockfile,
  gemfile,
  gemfileLock,
  gemspec,
  composerJson,
  composerLock,
  directoryPackages,
  csproj,
  packagesConfig,
  packagesLock,
  jsImports,
  pythonImports,
  goImports,
  rustImports,
  javaImports,
  rubyImports,
  shellScript,
  llmMarkdown,
];

/**
 * The extractors' tests are regexes over the name: a changed-only scan of a large repository asks about every
 * path several times (what changed, then each side's plan), so the answers are kept, a bounded number.
 */
const found = new Map<string, Extractor | undefined>();
const MAX_REMEMBERED = 100_000;

export function extractorFor(path: string): Extractor | undefined {
  if (found.has(path)) return found.get(path);
  const extractor = EXTRACTORS.find((candidate) => candidate.matches(path));
  if (found.size >= MAX_REMEMBERED) found.clear();
  found.set(path, extractor);
  return extractor;
}

export function extractorById(id: string): Extractor | undefined {
  return EXTRACTORS.find((extractor) => extractor.id === id);
}
