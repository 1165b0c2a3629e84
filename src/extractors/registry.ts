import { llmMarkdown } from './llm/markdown.js';
import { bunLock } from './npm/bun-lock.js';
import { jsImports } from './npm/imports.js';
import { packageJson } from './npm/package-json.js';
import { packageLock } from './npm/package-lock.js';
import { pnpmLock } from './npm/pnpm-lock.js';
import { pnpmWorkspace } from './npm/pnpm-workspace.js';
import { tsconfig } from './npm/tsconfig.js';
import { yarnLock } from './npm/yarn-lock.js';
import { pythonImports } from './pypi/imports.js';
import { pdmLock } from './pypi/pdm-lock.js';
import { pipfile } from './pypi/pipfile.js';
import { pipfileLock } from './pypi/pipfile-lock.js';
import { poetryLock } from './pypi/poetry-lock.js';
import { pyprojectToml } from './pypi/pyproject.js';
import { requirementsTxt } from './pypi/requirements.js';
import { setupCfg } from './pypi/setup-cfg.js';
import { uvLock } from './pypi/uv-lock.js';
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
  tsconfig,
  requirementsTxt,
  pyprojectToml,
  setupCfg,
  pipfile,
  pipfileLock,
  poetryLock,
  uvLock,
  pdmLock,
  jsImports,
  pythonImports,
  shellScript,
  llmMarkdown,
];

export function extractorFor(path: string): Extractor | undefined {
  return EXTRACTORS.find((extractor) => extractor.matches(path));
}

export function extractorById(id: string): Extractor | undefined {
  return EXTRACTORS.find((extractor) => extractor.id === id);
}
