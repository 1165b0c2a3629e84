import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerWarnings, type CueCategory } from '../../src/analyzers/answer-warnings.js';
import type { AnalysisContext } from '../../src/analyzers/types.js';
import { undisclosedRisk } from '../../src/analyzers/undisclosed-risk.js';
import type { Ecosystem } from '../../src/model/ecosystem.js';
import type { Finding, FindingKind } from '../../src/model/finding.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import type { ScanResult } from '../../src/model/result.js';
import type { Severity } from '../../src/model/severity.js';
import { ProjectIndex } from '../../src/project/index.js';
import { PhantomResolver } from '../../src/project/phantom.js';
import { fixturePath } from '../helpers.js';

const ANSWER = 'answer.md';

interface Pkg {
  name: string;
  line: number;
  version?: string;
  ecosystem?: Ecosystem;
  importName?: string;
  alias?: string;
  spec?: string;
}

function ref(pkg: Pkg, file = ANSWER): PackageRef {
  return {
    ecosystem: pkg.ecosystem ?? 'npm',
    name: pkg.name,
    ...(pkg.version ? { version: pkg.version } : {}),
    ...(pkg.importName ? { importName: pkg.importName } : {}),
    ...(pkg.alias ? { alias: pkg.alias } : {}),
    ...(pkg.spec ? { spec: pkg.spec } : {}),
    source: pkg.importName ? 'imported' : 'installed',
    extractor: 'test',
    location: { file, line: pkg.line },
    scope: file,
  };
}

function risk(
  kind: FindingKind,
  pkg: Pkg,
  severity: Severity,
  extra: Partial<Finding> = {},
  file = ANSWER,
): Finding {
  return {
    kind,
    severity,
    ecosystem: pkg.ecosystem ?? 'npm',
    name: pkg.name,
    ...(pkg.version ? { version: pkg.version } : {}),
    message: `${pkg.name} is risky`,
    location: { file, line: pkg.line },
    ...extra,
  };
}

function analyze(text: string, packages: Pkg[], findings: Finding[]): Finding[] {
  const refs = packages.map((p) => ref(p));
  const context: AnalysisContext = {
    refs,
    phantom: new PhantomResolver(new ProjectIndex(refs, [], [])),
    documents: new Map([[ANSWER, text]]),
    findings,
  };
  return undisclosedRisk.analyze(context).findings;
}

/** Whether the answer warns about `name` (an npm package on `line` unless said otherwise). */
function warned(text: string, packages: Pkg[], name: string): boolean {
  const list = packages.map((p) => ({
    key: `${p.ecosystem ?? 'npm'}\0${p.name}`,
    ecosystem: p.ecosystem ?? 'npm',
    names: [p.name, ...(p.importName ? [p.importName] : [])],
    codeLines: [p.line],
    versions: p.version ? [p.version] : [],
  }));
  const pkg = list.find((p) => p.names[0] === name)!;
  return (answerWarnings(text, list).get(pkg.key) ?? []).length > 0;
}

const LODASH: Pkg = { name: 'lodash', version: '4.17.11', line: 2 };
/** An outdated finding is a risk only on a major line that is no longer maintained. */
const UNMAINTAINED: Partial<Finding> = { evidence: { lineMaintained: false } };
const INSTALL_LODASH = '```bash\nnpm install lodash@4.17.11\n```\n';

describe('undisclosed-risk: entries', () => {
  it('reports one entry per package and answer, at the worst severity of its risks, with the risks as evidence', () => {
    const findings = [
      risk('vulnerable', LODASH, 'critical', {
        evidence: { advisories: [{ id: 'CVE-2019-10744' }, { id: 'CVE-2021-23337' }] },
      }),
      risk('outdated', LODASH, 'low', UNMAINTAINED),
      risk('vulnerable', { ...LODASH, line: 9 }, 'critical'),
    ];
    const out = analyze(`${INSTALL_LODASH}\nUse it for deep merges.\n`, [LODASH], findings);
    expect(out).toEqual([
      {
        kind: 'undisclosed-risk',
        severity: 'critical',
        ecosystem: 'npm',
        name: 'lodash',
        version: '4.17.11',
        message:
          'the answer recommends lodash 4.17.11 (vulnerable: CVE-2019-10744, CVE-2021-23337; outdated) without a word of warning',
        location: { file: ANSWER, line: 2 },
        evidence: {
          disclosed: false,
          risks: [
            { kind: 'vulnerable', severity: 'critical', version: '4.17.11', line: 2 },
            { kind: 'outdated', severity: 'low', version: '4.17.11', line: 2 },
            { kind: 'vulnerable', severity: 'critical', version: '4.17.11', line: 9 },
          ],
          warnings: [],
        },
      },
    ]);
  });

  it('judges an outdated version only when its major line is no longer maintained', () => {
    const express = { name: 'express', version: '4.21.2', line: 2 };
    const text = '```bash\nnpm install express@4.21.2\n```\n';
    const outdated = (lineMaintained: boolean | null) =>
      analyze(text, [express], [risk('outdated', express, 'low', { evidence: { lineMaintained } })]);
    // A maintained older major is a choice; without trusted dates nothing shows it is a risk.
    expect(outdated(true)).toEqual([]);
    expect(outdated(null)).toEqual([]);
    expect(outdated(false).map((f) => f.kind)).toEqual(['undisclosed-risk']);
  });

  it('raises low risks to medium: an unwarned recommendation is worth a look', () => {
    const out = analyze(INSTALL_LODASH, [LODASH], [risk('outdated', LODASH, 'low', UNMAINTAINED)]);
    expect(out[0]?.severity).toBe('medium');
  });

  it('reports a warned risk as a disclosed-risk entry (info) with the warning, line and cues', () => {
    const text = `${INSTALL_LODASH}\nlodash 4.17.11 has a known vulnerability (CVE-2021-23337); upgrade to 4.17.21.\n`;
    const [entry] = analyze(text, [LODASH], [risk('vulnerable', LODASH, 'high')]);
    expect(entry).toMatchObject({
      kind: 'disclosed-risk',
      severity: 'info',
      message:
        'the answer warns about lodash 4.17.11 (vulnerable): "lodash 4.17.11 has a known vulnerability (CVE-2021-23337); upgrade to 4.17.21."',
      evidence: {
        disclosed: true,
        warnings: [
          {
            text: 'lodash 4.17.11 has a known vulnerability (CVE-2021-23337); upgrade to 4.17.21.',
            line: 5,
            cues: ['security', 'version'],
          },
        ],
      },
    });
  });

  it('does not let version advice disclose a risk of the whole package', () => {
    const request: Pkg = { name: 'request', line: 2 };
    const text = '```bash\nnpm install request\n```\n\nUse the latest version of the request library.\n';
    const deprecatedWhole = risk('deprecated', request, 'low', { evidence: { wholePackage: true } });
    expect(analyze(text, [request], [deprecatedWhole])[0]?.evidence?.disclosed).toBe(false);
    const deprecatedVersion = risk('deprecated', request, 'low', { evidence: { wholePackage: false } });
    expect(analyze(text, [request], [deprecatedVersion])[0]?.evidence?.disclosed).toBe(true);
    const missing = risk('nonexistent', request, 'high');
    expect(analyze(text, [request], [missing])[0]?.evidence?.disclosed).toBe(false);
  });

  it('is disclosed only when every risk is covered', () => {
    const request: Pkg = { name: 'request', version: '2.88.0', line: 2 };
    const text = '```bash\nnpm install request@2.88.0\n```\n\nUpdate request to the latest version.\n';
    const findings = [
      risk('outdated', request, 'low', UNMAINTAINED),
      risk('deprecated', request, 'low', { evidence: { wholePackage: true } }),
    ];
    const [entry] = analyze(text, [request], findings);
    expect(entry?.evidence).toMatchObject({ disclosed: false, warnings: [{ cues: ['version'] }] });
  });

  it('keeps the severity of a guess: an inferred name alone stays as it was, and is marked inferred', () => {
    const guessed: Pkg = { name: 'pdfminer_easy', line: 3, ecosystem: 'PyPI', importName: 'pdfminer_easy' };
    const out = analyze('x', [guessed], [risk('nonexistent', guessed, 'low', { inferred: true })]);
    expect(out[0]).toMatchObject({ severity: 'low', inferred: true });
  });

  it('ignores findings outside answers, and risks it does not judge', () => {
    const inRepo = risk('vulnerable', LODASH, 'high', {}, 'package.json');
    const range = risk('range-allows-vulnerable', LODASH, 'low');
    const typo = risk('typosquat', LODASH, 'high');
    expect(analyze(INSTALL_LODASH, [LODASH], [inRepo, range, typo])).toEqual([]);
    const noDocuments = undisclosedRisk.analyze({
      refs: [],
      phantom: new PhantomResolver(new ProjectIndex([], [], [])),
      findings: [risk('vulnerable', LODASH, 'high')],
    });
    expect(noDocuments.findings).toEqual([]);
  });

  it('names at most three advisories in the message, and quotes at most 160 characters of a warning', () => {
    const ids = ['CVE-2019-10744', 'CVE-2020-8203', 'CVE-2021-23337', 'GHSA-p6mc-m468-83gw'];
    const many = risk('vulnerable', LODASH, 'high', {
      evidence: { advisories: [...ids.map((id) => ({ id })), { id: 42 }, null] },
    });
    expect(analyze(INSTALL_LODASH, [LODASH], [many])[0]?.message).toBe(
      'the answer recommends lodash 4.17.11 (vulnerable: CVE-2019-10744, CVE-2020-8203, CVE-2021-23337 …) without a word of warning',
    );
    const three = risk('vulnerable', LODASH, 'high', {
      evidence: { advisories: ids.slice(0, 3).map((id) => ({ id })) },
    });
    expect(analyze(INSTALL_LODASH, [LODASH], [three])[0]?.message).toContain(
      '(vulnerable: CVE-2019-10744, CVE-2020-8203, CVE-2021-23337) without',
    );
    const long = `lodash 4.17.11 has a known vulnerability, ${'and a long explanation of it '.repeat(6)}.`;
    const [entry] = analyze(
      `${INSTALL_LODASH}
${long}
`,
      [LODASH],
      [risk('vulnerable', LODASH, 'high')],
    );
    expect(entry?.message).toBe(
      `the answer warns about lodash 4.17.11 (vulnerable): "${long.slice(0, 159)}…"`,
    );
    const exact = `lodash 4.17.11 is vulnerable.${'x'.repeat(160 - 29)}`; // 160 characters
    const [fits] = analyze(
      `${INSTALL_LODASH}
${exact}
`,
      [LODASH],
      [risk('vulnerable', LODASH, 'high')],
    );
    expect(fits?.message).toBe(`the answer warns about lodash 4.17.11 (vulnerable): "${exact}"`);
  });

  it('orders the risks by line, names the package alone when no risk has a version, and is a guess only when every risk is', () => {
    const request: Pkg = { name: 'request', line: 2 };
    const text = '```bash\nnpm install request\n```\n';
    const later = risk('deprecated', { ...request, line: 7 }, 'low', { evidence: { wholePackage: true } });
    const first = risk('nonexistent', request, 'low', { inferred: true });
    const [entry] = analyze(text, [request], [later, first]);
    expect(entry).toMatchObject({
      severity: 'medium',
      message: 'the answer recommends request (nonexistent; deprecated) without a word of warning',
      location: { file: ANSWER, line: 2 },
      evidence: {
        risks: [
          { kind: 'nonexistent', line: 2 },
          { kind: 'deprecated', line: 7 },
        ],
      },
    });
    expect(entry).not.toHaveProperty('version');
    expect(entry).not.toHaveProperty('inferred');
    // Guesses keep their worst severity, medium or not.
    const guess = (severity: Severity) => risk('nonexistent', request, severity, { inferred: true });
    expect(analyze(text, [request], [guess('info'), guess('high')])[0]).toMatchObject({
      severity: 'high',
      inferred: true,
    });
  });

  it('version advice covers a malicious version, not a package malicious in every version', () => {
    const text = `${INSTALL_LODASH}\nUse the latest version of lodash.\n`;
    const malicious = (allVersions: boolean) =>
      analyze(text, [LODASH], [risk('malicious', LODASH, 'critical', { evidence: { allVersions } })])[0]
        ?.evidence?.disclosed;
    expect(malicious(false)).toBe(true);
    expect(malicious(true)).toBe(false);
    for (const kind of ['vulnerable', 'yanked', 'unknown-version'] as const)
      expect(analyze(text, [LODASH], [risk(kind, LODASH, 'high')])[0]?.evidence?.disclosed, kind).toBe(true);
  });

  it('knows a package by what the answer calls it: a Python module, an npm alias, the range it installs, the version a finding names', () => {
    const notes = (sentence: string) => `\n## Notes\n\n${sentence}\n`;
    const disclosed = (text: string, pkg: Pkg, riskPkg: Pkg = pkg) =>
      analyze(text, [pkg], [risk('vulnerable', riskPkg, 'high')])[0]?.evidence?.disclosed;
    const pyyaml: Pkg = { name: 'PyYAML', ecosystem: 'PyPI', importName: 'yaml.constructor', line: 2 };
    const python = '```python\nimport yaml.constructor\n```\n';
    expect(disclosed(python + notes('The yaml library has a known vulnerability.'), pyyaml)).toBe(true);
    const aliased: Pkg = { name: 'lodash', alias: 'lodash4', line: 2 };
    const install = '```bash\nnpm install lodash4@npm:lodash@4.17.11\n```\n';
    expect(disclosed(install + notes('lodash4 has a known vulnerability.'), aliased)).toBe(true);
    // An unnamed warning right below the install counts when it names the version installed.
    const ranged: Pkg = { name: 'lodash', spec: '^4.17.11', line: 2 };
    expect(disclosed(`${install}\n4.17.11 has a known vulnerability.\n`, ranged)).toBe(true);
    const wide: Pkg = { name: 'lodash', spec: '^4.0.0', line: 2 };
    expect(
      disclosed(`${install}\n4.17.11 has a known vulnerability.\n`, wide, { ...wide, version: '4.17.11' }),
    ).toBe(true);
    expect(disclosed(`${install}\n4.17.11 has a known vulnerability.\n`, wide)).toBe(false);
  });

  it('a warning with a cue beyond version advice covers a risk of the whole package, and only covering warnings are quoted', () => {
    const request: Pkg = { name: 'request', line: 2 };
    const install = '```bash\nnpm install request\n```\n';
    const whole = risk('deprecated', request, 'low', { evidence: { wholePackage: true } });
    const both = analyze(
      `${install}\nThe request package is deprecated, upgrade to got instead.\n`,
      [request],
      [whole],
    )[0];
    expect(both?.evidence?.disclosed).toBe(true);
    const [entry] = analyze(
      `${install}\nUse the latest version of the request library.\n\nThe request package is deprecated.\n`,
      [request],
      [whole],
    );
    expect(entry).toMatchObject({
      kind: 'disclosed-risk',
      message: 'the answer warns about request (deprecated): "The request package is deprecated."',
      evidence: {
        warnings: [{ text: 'The request package is deprecated.', line: 7, cues: ['deprecation'] }],
      },
    });
    // A deprecation of some versions (no evidence says all) is covered by version advice.
    const versions = risk('deprecated', request, 'low');
    expect(
      analyze(`${install}\nUse the latest version of the request library.\n`, [request], [versions])[0]
        ?.evidence?.disclosed,
    ).toBe(true);
  });

  it('names the version of whichever risk has one, every kind a warning covers, and the worst severity whatever the order', () => {
    const request: Pkg = { name: 'request', line: 2 };
    const install = '```bash\nnpm install request\n```\n';
    const unnamed = risk('nonexistent', request, 'low');
    const versioned = risk('vulnerable', { ...request, version: '2.88.0', line: 3 }, 'low');
    expect(analyze(install, [request], [unnamed, versioned])[0]?.message).toBe(
      'the answer recommends request 2.88.0 (nonexistent; vulnerable) without a word of warning',
    );
    const text = `${INSTALL_LODASH}\nlodash 4.17.11 is vulnerable and outdated, so upgrade it.\n`;
    const [warnedAbout] = analyze(
      text,
      [LODASH],
      [risk('vulnerable', LODASH, 'high'), risk('outdated', { ...LODASH, line: 3 }, 'low', UNMAINTAINED)],
    );
    expect(warnedAbout?.message).toMatch(
      /^the answer warns about lodash 4\.17\.11 \(vulnerable, outdated\): /,
    );
    const worst = analyze(
      INSTALL_LODASH,
      [LODASH],
      [risk('vulnerable', LODASH, 'critical'), risk('vulnerable', { ...LODASH, line: 3 }, 'low')],
    )[0];
    expect(worst?.severity).toBe('critical');
    const guess = risk('nonexistent', request, 'info', { inferred: true });
    expect(analyze(install, [request], [guess])[0]?.severity).toBe('info');
  });

  it('an outdated finding without evidence is no risk; the analysis reports nothing unchecked', () => {
    const outdated = risk('outdated', LODASH, 'low');
    expect(analyze(INSTALL_LODASH, [LODASH], [outdated])).toEqual([]);
    const refs = [ref(LODASH)];
    const context = {
      refs,
      phantom: new PhantomResolver(new ProjectIndex(refs, [], [])),
      documents: new Map([[ANSWER, INSTALL_LODASH]]),
    };
    expect(undisclosedRisk.analyze(context)).toEqual({ findings: [], unchecked: [] });
    expect(undisclosedRisk.analyze({ ...context, documents: new Map() })).toEqual({
      findings: [],
      unchecked: [],
    });
    const judged = undisclosedRisk.analyze({ ...context, findings: [risk('vulnerable', LODASH, 'high')] });
    expect(judged.unchecked).toEqual([]);
    expect(judged.findings).toHaveLength(1);
  });

  it('runs after the analyzers whose findings it judges', () => {
    expect(undisclosedRisk.dependsOnFindings).toBe(true);
  });
});

describe('undisclosed-risk: what counts as a warning about the package', () => {
  const express: Pkg = { name: 'express', line: 2 };
  const both = [LODASH, { name: 'express', line: 2 }];

  it('a warning naming the package, anywhere in the answer', () => {
    const text = `${INSTALL_LODASH}\n## Usage\n\nMerge things.\n\n## Notes\n\nlodash is vulnerable to prototype pollution.\n`;
    expect(warned(text, [LODASH], 'lodash')).toBe(true);
  });

  it('advisory ids, security fixes, insecure, deprecation, existence doubts and version caveats', () => {
    const warnsAfter = (sentence: string) => warned(`${INSTALL_LODASH}\n${sentence}\n`, [LODASH], 'lodash');
    expect(warnsAfter('See GHSA-jf85-cpcp-j695 for lodash.')).toBe(true);
    expect(warnsAfter('lodash 4.17.12 contains a security fix you want.')).toBe(true);
    expect(warnsAfter('Some say lodash is insecure.')).toBe(true);
    expect(warnsAfter('lodash is unmaintained these days.')).toBe(true);
    expect(warnsAfter("I'm not sure this package exists.")).toBe(true);
    expect(warnsAfter('Older versions of lodash have a known issue with merge.')).toBe(true);
    expect(warnsAfter('Make sure to pin a patched version.')).toBe(true);
    expect(warnsAfter('This version was yanked.')).toBe(true);
  });

  it('each cue, in each of its forms, warns (and the category it gives)', () => {
    // One cue per sentence, so that each form is the only thing that makes it a warning.
    const cues: Record<CueCategory, string[]> = {
      security: [
        'lodash is vulnerable.',
        'lodash has a vulnerability.',
        'lodash has vulnerabilities.',
        'lodash has a CVE.',
        'lodash has CVEs.',
        'lodash needs security fixes.',
        'lodash needs a security patch.',
        'lodash needs security patches.',
        'lodash has a security issue.',
        'lodash has security issues.',
        'lodash has a security flaw.',
        'lodash has security holes.',
        'lodash has a security bug.',
        'lodash has security problems.',
        'lodash got a security update.',
        'lodash had security releases.',
        'lodash is a security risk.',
        'lodash raises security concerns.',
        'lodash has an advisory.',
        'lodash has advisories.',
        'lodash has an exploit.',
        'lodash has exploits.',
        'lodash was exploited.',
        'lodash is exploitable.',
        'lodash was malicious.',
        'lodash was compromised.',
        'lodash had a backdoor.',
        'lodash was backdoored.',
        'lodash is a typosquatting target.',
        'lodash was hijacked.',
      ],
      deprecation: [
        'lodash is deprecated.',
        'lodash faces deprecation.',
        'lodash deprecates merge.',
        'lodash is no longer maintained.',
        'lodash is no longer actively supported.',
        'lodash is no longer developed.',
        'lodash is no longer updated.',
        'lodash is not maintained.',
        'lodash is not actively maintained.',
        'lodash is not being maintained.',
        'lodash is abandoned.',
        'lodash is archived.',
        'lodash is superseded.',
        'lodash is end-of-life.',
        'lodash reached end of life.',
        'lodash is EOL.',
        'lodash is in maintenance mode.',
      ],
      existence: [
        'lodash may not exist.',
        'lodash might not actually exist.',
        'lodash could not be published.',
        'lodash may not be available.',
        'lodash might not be real.',
        "lodash doesn't exist.",
        'lodash does not actually exist.',
        'lodash is hypothetical.',
        'lodash is a placeholder.',
        'lodash stands in as a placeholder.',
        'lodash is a placeholder name.',
        'lodash is a made-up name.',
        'lodash is fictional.',
        'lodash is fictitious.',
        'Verify this package exists.',
        'Double-check that this package is published.',
        'Confirm it is real.',
        "I'm not certain whether this one exists.",
        'lodash is not a real package.',
        'lodash is not an official library.',
        "I couldn't find lodash.",
        'I could not verify lodash.',
      ],
      version: [
        'Use the latest lodash.',
        'Install at least the newest lodash.',
        'Upgrade to a newer lodash.',
        'Switch to a more recent lodash.',
        'Upgrade lodash.',
        'lodash should be upgraded.',
        'Update lodash to 4.17.21.',
        'Update lodash to v4.17.21.',
        'lodash needs updating to the latest.',
        'lodash has a newer release.',
        'lodash has safer versions.',
        'lodash is fixed in 4.17.21.',
        'lodash is fixed in version 4.17.21.',
        'lodash was fixed in v4.17.21.',
        'Earlier versions of lodash have bugs.',
        'Previous versions of lodash are affected.',
        'lodash versions before 4.17.21 have issues.',
        'lodash versions prior to 4.17.21 have problems.',
        'lodash versions <= 4.17.20 are affected.',
        'lodash has known merge bugs.',
        'lodash is outdated.',
        'lodash looks quite out-of-date.',
        'lodash seems stale.',
        'lodash is an old version.',
        'lodash is an outdated release.',
        'lodash 4.17.11 was yanked.',
        'lodash got bumped.',
      ],
    };
    const missed: string[] = [];
    for (const [category, sentences] of Object.entries(cues) as [CueCategory, string[]][]) {
      for (const sentence of sentences) {
        const warnings = answerWarnings(`${INSTALL_LODASH}\n${sentence}\n`, [
          { key: 'npm\0lodash', ecosystem: 'npm', names: ['lodash'], codeLines: [2], versions: ['4.17.11'] },
        ]).get('npm\0lodash');
        if (!warnings?.[0]?.categories.includes(category)) missed.push(`${category}: ${sentence}`);
      }
    }
    expect(missed).toEqual([]);
    // Near misses: the same words, not a cue.
    for (const sentence of [
      'lodash is invulnerable.',
      'lodash bumps into nothing.',
      'lodash has great advisors.',
    ])
      expect(warned(`${INSTALL_LODASH}\n${sentence}\n`, [LODASH], 'lodash'), sentence).toBe(false);
  });

  it('an unnamed warning right after the recommendation that points at it ("this version", "it")', () => {
    expect(warned(`${INSTALL_LODASH}\nThis version has a known vulnerability.\n`, [LODASH], 'lodash')).toBe(
      true,
    );
    expect(warned(`${INSTALL_LODASH}\nIt has a known vulnerability.\n`, [LODASH], 'lodash')).toBe(true);
    // Too far below the recommendation, or in another section, it points at nothing.
    const far = `${INSTALL_LODASH}\nMerge objects.\n\nThen more.\n\nAnd more.\n\nThis version has a known vulnerability.\n`;
    expect(warned(far, [LODASH], 'lodash')).toBe(false);
    const otherSection = `${INSTALL_LODASH}\n## Next\n\nThis version has a known vulnerability.\n`;
    expect(warned(otherSection, [LODASH], 'lodash')).toBe(false);
  });

  it('an unnamed warning that names the installed version, or its release line, points at it', () => {
    const below = (sentence: string) => warned(`${INSTALL_LODASH}\n${sentence}\n`, [LODASH], 'lodash');
    expect(below('4.17.11 has a known vulnerability.')).toBe(true);
    expect(below('v4.17 has a known vulnerability.')).toBe(true);
    expect(below('4.1 has a known vulnerability.')).toBe(false);
    expect(below('5.0.0 has a known vulnerability.')).toBe(false);
  });

  it('every way of pointing at the package without naming it', () => {
    const pointing = [
      'This version is vulnerable.',
      'That release is vulnerable.',
      'These versions are vulnerable.',
      'Those releases are vulnerable.',
      'The above package is vulnerable.',
      'The pinned version is vulnerable.',
      'The specified library is vulnerable.',
      'The same module is vulnerable.',
      'Said dependency is vulnerable.',
      'This specific version is vulnerable.',
      'This exact release is vulnerable.',
      'This particular one is vulnerable.',
      'This old pin is vulnerable.',
      'These older packages are vulnerable.',
      'This pinned library is vulnerable.',
      'It is vulnerable.',
      "It's vulnerable.",
      'Its maintainers call it vulnerable.',
      'The latest stable version fixes a vulnerability.',
      'A newer release fixes a vulnerability.',
      'A patched version fixes a vulnerability.',
      'Older versions are vulnerable.',
      'Earlier versions are vulnerable.',
      'Newer releases fix a vulnerability.',
      'Recent versions fix a vulnerability.',
    ];
    const missed = pointing.filter(
      (sentence) => !warned(`${INSTALL_LODASH}\n${sentence}\n`, [LODASH], 'lodash'),
    );
    expect(missed).toEqual([]);
  });

  it('the window of an unnamed warning, to the line: four lines after what it points at count, five do not', () => {
    const warning = 'This version has a known vulnerability.\n';
    // The install block is lines 1-3; its closing fence is line 3.
    const afterBlock = (line: number) => `${INSTALL_LODASH}${'\n'.repeat(line - 4)}${warning}`;
    expect(warned(afterBlock(7), [LODASH], 'lodash')).toBe(true);
    expect(warned(afterBlock(8), [LODASH], 'lodash')).toBe(false);
    // A recommendation in prose on line 1.
    const prose = { ...LODASH, line: 1 };
    const afterProse = (line: number) => `Install lodash 4.17.11.\n${'\n'.repeat(line - 2)}${warning}`;
    expect(warned(afterProse(5), [prose], 'lodash')).toBe(true);
    expect(warned(afterProse(6), [prose], 'lodash')).toBe(false);
    // A sentence ending in a colon on line 1 reaches a block whose code is on line 5, not on line 6.
    const colon = (codeLine: number) =>
      `Install it (this version has a known bug):\n${'\n'.repeat(codeLine - 3)}\`\`\`bash\nnpm install lodash@4.17.11\n\`\`\`\n`;
    expect(warned(colon(5), [{ ...LODASH, line: 5 }], 'lodash')).toBe(true);
    expect(warned(colon(6), [{ ...LODASH, line: 6 }], 'lodash')).toBe(false);
    // A code comment reaches the code two lines above or below it, not three.
    const comment = (gap: number) =>
      `\`\`\`text\nlodash==4.17.11\n${'x = 1\n'.repeat(gap)}# known vulnerability, upgrade soon\n\`\`\`\n`;
    expect(warned(comment(1), [LODASH], 'lodash')).toBe(true);
    expect(warned(comment(2), [LODASH], 'lodash')).toBe(false);
    const commentAbove = (gap: number) =>
      `\`\`\`text\n# known vulnerability, upgrade soon\n${'x = 1\n'.repeat(gap)}lodash==4.17.11\n\`\`\`\n`;
    expect(warned(commentAbove(1), [{ ...LODASH, line: 4 }], 'lodash')).toBe(true);
    expect(warned(commentAbove(2), [{ ...LODASH, line: 5 }], 'lodash')).toBe(false);
  });

  it('a sentence ending in a colon warns about the block it introduces', () => {
    const text = 'Install it (this version has a known bug):\n\n```bash\nnpm install lodash@4.17.11\n```\n';
    expect(warned(text, [{ ...LODASH, line: 4 }], 'lodash')).toBe(true);
    const plain = 'This version has a known bug.\n\n```bash\nnpm install lodash@4.17.11\n```\n';
    expect(warned(plain, [{ ...LODASH, line: 4 }], 'lodash')).toBe(false);
  });

  it('a code comment on the recommendation line, or on the line above it', () => {
    const sameLine = '```bash\nnpm install lodash@4.17.11  # has CVE-2021-23337\n```\n';
    expect(warned(sameLine, [LODASH], 'lodash')).toBe(true);
    const above = '```text\n# known vulnerability, upgrade soon\nlodash==4.17.11\n```\n';
    expect(warned(above, [{ ...LODASH, line: 3 }], 'lodash')).toBe(true);
    const url = '```js\nfetch("https://cve.example.org/vulnerable"); // fetch the list\n```\n';
    expect(warned(url, [LODASH], 'lodash')).toBe(false);
  });

  it('not a warning about another package, named or in code', () => {
    const text = `${INSTALL_LODASH.replace('lodash@4.17.11', 'lodash@4.17.11 express')}\nexpress 3 is deprecated; lodash is fine.\n`;
    expect(warned(text, both, 'lodash')).toBe(false);
    expect(warned(text, both, 'express')).toBe(true);
    const otherCode = `${INSTALL_LODASH}\nThe old \`underscore\` library is unmaintained.\n`;
    expect(warned(otherCode, [LODASH], 'lodash')).toBe(false);
    const soClause = `${INSTALL_LODASH}\nexpress 3 is end-of-life, so use lodash with express 4.\n`;
    expect(warned(soClause, [LODASH, express], 'lodash')).toBe(false);
  });

  it('not advice about every dependency, near or far', () => {
    expect(warned(`${INSTALL_LODASH}\nKeep your dependencies up to date.\n`, [LODASH], 'lodash')).toBe(false);
    expect(warned(`${INSTALL_LODASH}\nAudit all packages for vulnerabilities.\n`, [LODASH], 'lodash')).toBe(
      false,
    );
  });

  it('not a deprecated or insecure API', () => {
    const yaml: Pkg = { name: 'PyYAML', ecosystem: 'PyPI', importName: 'yaml', line: 2 };
    const install = '```bash\npip install PyYAML==5.3.1\n```\n';
    expect(warned(`${install}\n\`yaml.load()\` without a Loader is deprecated.\n`, [yaml], 'PyYAML')).toBe(
      false,
    );
    expect(warned(`${install}\nIn PyYAML, \`yaml.load()\` is deprecated.\n`, [yaml], 'PyYAML')).toBe(false);
    expect(warned(`${install}\nNever pass \`verify=False\`; it is insecure.\n`, [yaml], 'PyYAML')).toBe(
      false,
    );
    expect(warned(`${install}\nThe yaml.load() function is deprecated.\n`, [yaml], 'PyYAML')).toBe(false);
    expect(warned(`${install}\nyaml 5.3 is deprecated.\n`, [yaml], 'PyYAML')).toBe(true);
  });

  it('not a reassurance', () => {
    const warnsAfter = (sentence: string) => warned(`${INSTALL_LODASH}\n${sentence}\n`, [LODASH], 'lodash');
    expect(warnsAfter('lodash 4.17.11 has no known vulnerabilities.')).toBe(false);
    expect(warnsAfter('lodash is not deprecated.')).toBe(false);
    expect(warnsAfter("lodash isn't vulnerable in this setup.")).toBe(false);
    expect(warnsAfter('lodash 4.17.11 is free of security issues.')).toBe(false);
    // Every form of reassurance, each alone in its sentence.
    const reassurances = [
      'lodash has zero CVEs.',
      'lodash has not any advisories.',
      'lodash ships without any vulnerabilities.',
      'lodash ships without security holes.',
      'lodash is free from known bugs.',
      "lodash doesn't have any known problems.",
      'lodash does not have any known issues.',
      'lodash has no vulnerability.',
      'lodash had no CVE.',
      'lodash 4.17.11 has no known security flaws.',
      'lodash is not actually deprecated.',
      'lodash was not vulnerable.',
      'lodash is not unmaintained.',
      "lodash isn't insecure.",
      "lodash wasn't vulnerable.",
      "lodash weren't insecure.",
      'lodash, not deprecated, works.',
    ];
    expect(reassurances.filter(warnsAfter)).toEqual([]);
  });

  it('not the HTTP upgrade of a WebSocket', () => {
    const ws: Pkg = { name: 'ws', version: '7.4.6', line: 2 };
    const install = '```bash\nnpm install ws@7.4.6\n```\n';
    expect(warned(`${install}\n\`ws\` handles the HTTP upgrade request.\n`, [ws], 'ws')).toBe(false);
    expect(warned(`${install}\nws fires an upgrade event.\n`, [ws], 'ws')).toBe(false);
    expect(warned(`${install}\nUpgrade ws to 7.5.10.\n`, [ws], 'ws')).toBe(true);
  });

  it('a package name that is an everyday word counts only as a package', () => {
    const request: Pkg = { name: 'request', line: 2 };
    const install = '```bash\nnpm install request\n```\n';
    expect(warned(`${install}\nEach request over plain HTTP is insecure.\n`, [request], 'request')).toBe(
      false,
    );
    expect(warned(`${install}\nThe request library is deprecated.\n`, [request], 'request')).toBe(true);
    expect(warned(`${install}\nNote that Request is deprecated.\n`, [request], 'request')).toBe(true);
    expect(warned(`${install}\nNote that \`request\` is deprecated.\n`, [request], 'request')).toBe(true);
  });

  it('a table row is one statement', () => {
    const text = `${INSTALL_LODASH}\n| package | note |\n|---|---|\n| lodash | has CVE-2021-23337 |\n`;
    expect(warned(text, [LODASH], 'lodash')).toBe(true);
  });

  it('the line a warning is on, inside a paragraph broken over lines', () => {
    const lines = (text: string) =>
      (
        answerWarnings(text, [
          { key: 'npm\0lodash', ecosystem: 'npm', names: ['lodash'], codeLines: [2], versions: ['4.17.11'] },
        ]).get('npm\0lodash') ?? []
      ).map((w) => [w.line, w.text]);
    // A soft break, then a hard one (two trailing spaces): each sentence keeps its own line.
    expect(
      lines(
        `${INSTALL_LODASH}\nMerge objects with it.\nlodash is deprecated.  \nlodash 4.17.11 is vulnerable.\n`,
      ),
    ).toEqual([
      [6, 'lodash is deprecated.'],
      [7, 'lodash 4.17.11 is vulnerable.'],
    ]);
    // Two sentences on one line, the second with a code span that holds a full stop.
    expect(
      lines(`${INSTALL_LODASH}\nCall it here. Then lodash is vulnerable through \`merge(a. b)\` calls.\n`),
    ).toEqual([[5, 'Then lodash is vulnerable through `merge(a. b)` calls.']]);
  });

  it('one warning per sentence, with the cues of all its clauses; a heading starts a section an unnamed warning does not reach across', () => {
    const warningsOf = (text: string) =>
      (
        answerWarnings(text, [
          { key: 'npm\0lodash', ecosystem: 'npm', names: ['lodash'], codeLines: [2], versions: ['4.17.11'] },
        ]).get('npm\0lodash') ?? []
      ).map((w) => [w.line, w.text, w.categories]);
    expect(warningsOf(`${INSTALL_LODASH}\nlodash is deprecated; lodash is vulnerable.\n`)).toEqual([
      [5, 'lodash is deprecated; lodash is vulnerable.', ['deprecation', 'security']],
    ]);
    expect(warningsOf(`${INSTALL_LODASH}\nlodash is deprecated. lodash is vulnerable.\n`)).toEqual([
      [5, 'lodash is deprecated.', ['deprecation']],
      [5, 'lodash is vulnerable.', ['security']],
    ]);
    expect(warned(`${INSTALL_LODASH}\n## This version has a known vulnerability\n`, [LODASH], 'lodash')).toBe(
      false,
    );
  });

  it('the window of an unnamed warning runs from the end of the code block the package is in', () => {
    const text =
      '```bash\nnpm install express\n```\n\nThen:\n\n```bash\nnpm install lodash@4.17.11\n```\n\nThis version has a known vulnerability.\n';
    expect(
      warned(
        text,
        [
          { name: 'express', line: 2 },
          { ...LODASH, line: 8 },
        ],
        'lodash',
      ),
    ).toBe(true);
  });

  it('code comments in indented blocks count, text in quotes is no comment, and an image’s text is read', () => {
    const indented = `Install it:\n\n    npm install lodash@4.17.11  # this version is vulnerable\n`;
    expect(warned(indented, [{ ...LODASH, line: 3 }], 'lodash')).toBe(true);
    const quoted = '```bash\nnpm install lodash@4.17.11 && echo " # this version is vulnerable"\n```\n';
    expect(warned(quoted, [LODASH], 'lodash')).toBe(false);
    const image = `${INSTALL_LODASH}\n![lodash is deprecated](deprecated.png)\n`;
    expect(warned(image, [LODASH], 'lodash')).toBe(true);
  });

  it('a Python package named in prose with -, _ or . between its words', () => {
    const dateutil: Pkg = { name: 'python-dateutil', version: '2.8.0', line: 2, ecosystem: 'PyPI' };
    const install = '```bash\npip install python-dateutil==2.8.0\n```\n\n## Notes\n\n';
    expect(warned(`${install}python_dateutil is unmaintained.\n`, [dateutil], 'python-dateutil')).toBe(true);
    expect(warned(`${install}python.dateutil is unmaintained.\n`, [dateutil], 'python-dateutil')).toBe(true);
  });
});

describe('undisclosed-risk in a scan', () => {
  it('judges the findings of the analyzers before it, for answers only', async () => {
    // Imported here, not above: the rest of this file tests the rules alone, and mutation testing runs it
    // once per mutant (docs/mutation.md), which must not load the whole pipeline each time.
    const [{ scan }, { importOsv }] = await Promise.all([
      import('../../src/pipeline/scan.js'),
      import('../../src/vulndb/import.js'),
    ]);
    const home = mkdtempSync(join(tmpdir(), 'vouch-disclosure-'));
    let result: ScanResult;
    try {
      const database = join(home, 'osv.sqlite');
      await importOsv([fixturePath('vulndb/osv')], database);
      result = await scan(['-'], { stdin: '```bash\nnpm install lodash@4.17.11\n```\n', database });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
    expect(result.findings.map((f) => `${f.kind} ${f.name} ${f.location.file}:${f.location.line}`)).toEqual([
      'undisclosed-risk lodash <stdin>:2',
      'vulnerable lodash <stdin>:2',
    ]);
    expect(result.checks.at(-1)).toEqual({ id: 'undisclosed-risk', status: 'ran' });
  });
});
