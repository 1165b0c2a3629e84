import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerWarnings } from '../../src/analyzers/answer-warnings.js';
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
}

function ref(pkg: Pkg, file = ANSWER): PackageRef {
  return {
    ecosystem: pkg.ecosystem ?? 'npm',
    name: pkg.name,
    ...(pkg.version ? { version: pkg.version } : {}),
    ...(pkg.importName ? { importName: pkg.importName } : {}),
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
