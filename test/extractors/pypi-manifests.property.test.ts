import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parsePipRequirementsLine } from 'pip-requirements-js';
import { describe, expect, it } from 'vitest';
import { pdmLock } from '../../src/extractors/pypi/pdm-lock.js';
import { pipfile } from '../../src/extractors/pypi/pipfile.js';
import { pipfileLock } from '../../src/extractors/pypi/pipfile-lock.js';
import { poetryLock } from '../../src/extractors/pypi/poetry-lock.js';
import { pyprojectToml } from '../../src/extractors/pypi/pyproject.js';
import { parseRequirement } from '../../src/extractors/pypi/requirement.js';
import { requirementsTxt } from '../../src/extractors/pypi/requirements.js';
import { setupCfg } from '../../src/extractors/pypi/setup-cfg.js';
import { uvLock } from '../../src/extractors/pypi/uv-lock.js';
import type { Extractor, ExtractResult } from '../../src/extractors/types.js';
import { fixturePath, testContext } from '../helpers.js';
import { itNeverThrows, type PropertySubject } from '../property.js';

/** Characters that matter to these formats. */
const TOKENS = [
  '[',
  ']',
  '[[package]]\n',
  '{',
  '}',
  '"',
  "'",
  '"""',
  '=',
  '==',
  ',',
  ';',
  '\n',
  '\\\n',
  '    ',
  '#',
  '-r ',
  '-e ',
  '--hash=',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: pip's environment variable syntax, literally
  '${X}',
  '@',
  'é',
];

/** Each extractor with the file name it reads and the fixtures it is mutated from. */
const SUBJECTS: PropertySubject[] = [
  {
    extractor: requirementsTxt,
    filename: 'requirements.txt',
    samples: ['basic/requirements.txt', 'compiled/requirements.txt', 'broken/requirements.txt'].map((f) =>
      readFileSync(fixturePath('extractors/pypi-requirements', f), 'utf8'),
    ),
    tokens: TOKENS,
  },
  ...(
    [
      [pyprojectToml, 'pyproject.toml', 'pypi-pyproject', ['pep621', 'poetry']],
      [setupCfg, 'setup.cfg', 'pypi-setup-cfg', ['basic']],
      [pipfile, 'Pipfile', 'pypi-pipfile', ['basic']],
      [pipfileLock, 'Pipfile.lock', 'pypi-pipfile-lock', ['basic']],
      [poetryLock, 'poetry.lock', 'pypi-poetry-lock', ['basic']],
      [uvLock, 'uv.lock', 'pypi-uv-lock', ['basic']],
      [pdmLock, 'pdm.lock', 'pypi-pdm-lock', ['basic']],
    ] as const
  ).map(([extractor, filename, subject, scenarios]) => ({
    extractor,
    filename,
    samples: scenarios.map((s) => readFileSync(fixturePath('extractors', subject, s, filename), 'utf8')),
    tokens: TOKENS,
  })),
];

/** Includes resolve to more text of the same kind, so that `-r`/`-c`/`file:` paths are exercised too. */
const context = testContext({
  readRelative: (_from, relativePath) => ({ path: relativePath, text: `-r ${relativePath}\nsix==1.0\n` }),
});

function extract(extractor: Extractor, path: string, text: string): ExtractResult {
  return extractor.extract({ path, text }, context);
}

const packageName = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(?:[-_.][a-z0-9]{1,4})?$/);
const version = fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map(([a, b, c]) => `${a}.${b}.${c}`);

describe('PyPI manifest and lockfile extractors: properties', () => {
  for (const subject of SUBJECTS) {
    itNeverThrows(subject, {
      context,
      numRuns: 150,
      expectAlso: (out) => {
        for (const ref of out.refs) expect(ref.ecosystem).toBe('PyPI');
      },
    });
  }

  it('pypi/requirements reports every generated requirement on its line, pins as versions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(packageName, fc.constantFrom('==', '>=', '~=', ''), version, fc.boolean()), {
          maxLength: 30,
        }),
        (entries) => {
          const lines = entries.map(
            ([name, op, v, comment]) => `${name}${op ? `${op}${v}` : ''}${comment ? '  # note' : ''}`,
          );
          const text = lines.join('\n');
          const out = extract(requirementsTxt, 'requirements.txt', text);
          expect(out.errors).toEqual([]);
          expect(out.refs.map((r) => [r.name, r.location.line, r.version, r.spec])).toEqual(
            entries.map(([name, op, v], i) => [
              name,
              i + 1,
              op === '==' ? v : undefined,
              op && op !== '==' ? `${op}${v}` : undefined,
            ]),
          );
        },
      ),
    );
  });

  it('reads inputs of about 1 MiB in reasonable time', () => {
    const names = (count: number) => Array.from({ length: count }, (_, i) => `package-${i}`);
    const hashes = Array.from({ length: 6 }, (_, i) => `    --hash=sha256:${String(i).repeat(64)}`).join(
      ' \\\n',
    );
    const marker = `; python_version >= '3.8' and platform_system != 'Windows' and ${"extra == 'x' or ".repeat(8)}extra == 'y'`;
    // Shaped like real files (a compiled requirements file is mostly hashes), scaled up to about 1 MiB.
    const big: [Extractor, string, string, number][] = [
      [
        requirementsTxt,
        'requirements.txt',
        names(2_000)
          .map((n) => `${n}==1.0.0 \\\n${hashes}\n    # via\n    #   -r requirements.in\n    #   other`)
          .join('\n'),
        2_000,
      ],
      [
        pyprojectToml,
        'pyproject.toml',
        `[project]\nname = "big"\ndependencies = [\n${names(4_000)
          .map((n) => `    "${n}>=1.0,<2.0${marker}",`)
          .join('\n')}\n]\n`,
        4_000,
      ],
      [
        poetryLock,
        'poetry.lock',
        names(8_000)
          .map(
            (n, i) =>
              `[[package]]\nname = "${n}"\nversion = "1.0.0"\ndescription = "${'x'.repeat(20)}"\noptional = false\ngroups = ["main"]\nfiles = []\n\n[package.dependencies]\npackage-${(i + 1) % 8_000} = ">=1"\n`,
          )
          .join('\n'),
        8_000,
      ],
      [
        uvLock,
        'uv.lock',
        `version = 1\n\n${names(8_000)
          .map(
            (n, i) =>
              `[[package]]\nname = "${n}"\nversion = "1.0.0"\nsource = { registry = "https://registry.example.org/simple" }\ndependencies = [\n    { name = "package-${(i + 1) % 8_000}" },\n]\n`,
          )
          .join('\n')}`,
        8_000,
      ],
      [
        pipfileLock,
        'Pipfile.lock',
        JSON.stringify(
          {
            _meta: {},
            default: Object.fromEntries(
              names(12_000).map((n) => [n, { hashes: ['sha256:0000'], version: '==1.0.0' }]),
            ),
          },
          null,
          4,
        ),
        12_000,
      ],
    ];
    for (const [extractor, filename, text, expected] of big) {
      expect(text.length).toBeGreaterThan(800_000);
      const started = performance.now();
      const out = extract(extractor, filename, text);
      const elapsed = performance.now() - started;
      expect(out.errors, extractor.id).toEqual([]);
      expect(out.refs.length, extractor.id).toBe(expected);
      expect(out.refs.at(-1)?.location.line, extractor.id).toBeGreaterThan(1);
      expect(elapsed, `${extractor.id} took ${Math.round(elapsed)} ms`).toBeLessThan(10_000);
    }
  });
});

describe('the fast reading of simple requirements', () => {
  it('agrees with the PEP 508 grammar on every `name`, `name<op>version` and `name[extras]<clauses>` line', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,8}[A-Za-z0-9])?$/);
    const op = fc.constantFrom('==', '!=', '<=', '>=', '~=', '<', '>');
    const version = fc.stringMatching(/^[A-Za-z0-9._*+!-]{1,10}$/);
    const space = fc.constantFrom('', ' ', '  ', '\t');
    const clause = fc.tuple(op, space, version).map(([o, s, v]) => `${o}${s}${v}`);
    const clauses = fc
      .tuple(fc.array(clause, { minLength: 1, maxLength: 3 }), space)
      .map(([list, s]) => list.join(`${s},${s}`));
    const extras = fc
      .tuple(fc.array(name, { minLength: 1, maxLength: 3 }), space)
      .map(([list, s]) => `[${s}${list.join(`,${s}`)}${s}]`);
    const line = fc.oneof(
      name,
      fc.tuple(name, op, version).map(([n, o, v]) => `${n}${o}${v}`),
      fc
        .tuple(name, space, fc.option(extras), space, fc.option(clauses))
        .map(([n, s1, e, s2, c]) => `${n}${s1}${e ?? ''}${s2}${c ?? ''}`),
    );
    fc.assert(
      fc.property(line, (text) => {
        const fast = parseRequirement(text);
        let grammar: ReturnType<typeof parseRequirement>;
        try {
          const parsed = parsePipRequirementsLine(text);
          grammar =
            parsed?.type === 'ProjectName'
              ? {
                  ok: true,
                  requirement: {
                    name: parsed.name,
                    extras: parsed.extras ?? [],
                    specs: (parsed.versionSpec ?? []).map((s) => ({ op: s.operator, version: s.version })),
                  },
                }
              : { ok: false, error: 'other' };
        } catch {
          grammar = { ok: false, error: 'invalid' };
        }
        // Where the grammar reads the line, the fast reading is the same; where it refuses it, so does Vouch.
        if (grammar.ok) expect(fast).toEqual(grammar);
        else expect(fast.ok).toBe(false);
      }),
    );
  });
});
