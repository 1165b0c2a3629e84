import { pdmLock } from '../../src/extractors/pypi/pdm-lock.js';
import { pipfileLock } from '../../src/extractors/pypi/pipfile-lock.js';
import { poetryLock } from '../../src/extractors/pypi/poetry-lock.js';
import { pyprojectToml } from '../../src/extractors/pypi/pyproject.js';
import { requirementsTxt } from '../../src/extractors/pypi/requirements.js';
import { uvLock } from '../../src/extractors/pypi/uv-lock.js';
import type { Extractor } from '../../src/extractors/types.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import { describeWith } from '../prerequisites.js';
import {
  asExpected,
  CONFORMANCE_CORPUS,
  type Deviation,
  itConforms,
  itDeviatesAsDocumented,
  observeWith,
} from './harness.js';

/**
 * osv-scalibr's requirements and pyproject readers give a version for one `==`, `===`, `>=`, `<=` or `~=`
 * specifier (the bound), and "" otherwise. Vouch keeps everything but an exact pin as a spec and never
 * reads a range as its lower bound; for comparison only, a spec of exactly one `>=`, `<=` or `~=` clause
 * is mapped back to its bound, which is their rule (`==`/`===` pins are already versions on both sides).
 */
function scalibrVersion(ref: PackageRef): string {
  if (ref.version !== undefined) return ref.version;
  return /^(?:>=|<=|~=)([^,*]+)$/.exec(ref.spec ?? '')?.[1] ?? '';
}

const INVALID_LINES =
  'osv-scalibr drops lines it cannot read without a word; Vouch reports each with its line (a file that could not be fully read must not pass a gate silently).';
const URLS_AND_PATHS =
  'osv-scalibr drops URL, VCS and path requirements; Vouch reports them with origin url/git/path (a direct URL install is exactly what needs vetting), named from `name @`, `#egg=` or a wheel file name (whose version is exact).';
const BUILD_REQUIRES =
  'Vouch also reads [build-system] requires (group `build`): a build backend runs code at install time, so a hallucinated or squatted one matters; osv-scalibr reads [project] only.';

const FOLDERS: {
  folder: string;
  extractor: Extractor;
  specsAsBounds: boolean;
  compareGroups: boolean;
  deviations: Record<string, Deviation>;
}[] = [
  {
    folder: 'requirements',
    extractor: requirementsTxt,
    specsAsBounds: true,
    compareGroups: false,
    deviations: {
      pip_example: {
        reason: `${URLS_AND_PATHS} The absent \`-c constraints.txt\` is an error on its line (osv-scalibr ignores -c entirely; Vouch reads constraints as group \`constraint\`).`,
        extra: ['numpy@1.9.2', 'urllib3@', 'wxPython_Phoenix@3.0.3.dev1820+49a8884'],
        errorLines: [22],
      },
      env_variable: {
        reason:
          // biome-ignore lint/suspicious/noTemplateCurlyInString: pip's environment variable syntax, literally
          'osv-scalibr drops `qwert==${MY_VARIABLE_1}`; Vouch keeps the package with the spec as written (`==${MY_VARIABLE_1}`), since the name is known and only the version is not.',
        extra: ['qwert@'],
      },
      invalid: {
        reason: `${INVALID_LINES} \`urllib3 @ https://…/==1.26.8.zip\` is a valid PEP 508 URL requirement, reported with origin url. \`-foo==1.0\` is pip's \`-f oo==1.0\` (find-links), a global option.`,
        extra: ['urllib3@'],
        errorLines: [1, 2, 3],
      },
      per_requirement_options: {
        reason: `${INVALID_LINES} osv-scalibr keeps \`foo7==1.0 unexpected_text_before_options_stays_around\` with that whole text as the version; pip rejects the line, and so does Vouch (as it does foo10 and foo15, which osv-scalibr drops).`,
        missing: ['foo7@1.0 unexpected_text_before_options_stays_around'],
        errorLines: [13, 20, 30],
      },
    },
  },
  {
    folder: 'pyprojecttoml',
    extractor: pyprojectToml,
    specsAsBounds: true,
    compareGroups: false,
    deviations: {
      simple_deps: { reason: BUILD_REQUIRES, extra: ['hatchling@'] },
      optional_deps: { reason: BUILD_REQUIRES, extra: ['hatchling@'] },
      no_project_table: { reason: BUILD_REQUIRES, extra: ['hatchling@'] },
    },
  },
  {
    folder: 'pipfilelock',
    extractor: pipfileLock,
    specsAsBounds: false,
    compareGroups: true,
    deviations: {
      'package without version': {
        reason:
          'osv-scalibr drops entries without "version": "==X"; Vouch reports editable git entries with their locked commit (`ref`), since the commit is exactly what was installed.',
        extra: ['itsdangerous@', 'markupsafe@'],
      },
    },
  },
  { folder: 'poetrylock', extractor: poetryLock, specsAsBounds: false, compareGroups: true, deviations: {} },
  { folder: 'pdmlock', extractor: pdmLock, specsAsBounds: false, compareGroups: true, deviations: {} },
  { folder: 'uvlock', extractor: uvLock, specsAsBounds: false, compareGroups: true, deviations: {} },
];

describeWith(CONFORMANCE_CORPUS, 'conformance: PyPI manifests and lockfiles (osv-scalibr corpus)', () => {
  for (const { folder, extractor, specsAsBounds, compareGroups, deviations } of FOLDERS) {
    const corpusFolder = {
      ecosystem: 'python',
      folder,
      observe: observeWith(extractor, (refs) =>
        refs.map((ref) => asExpected(ref, specsAsBounds ? scalibrVersion(ref) : (ref.version ?? ''))),
      ),
      deviations,
      compareGroups,
      compareCommits: true,
    };
    itConforms(corpusFolder);
    itDeviatesAsDocumented(corpusFolder, extractor);
  }
});
