import { readFileSync } from 'node:fs';
import * as ajvDraft04 from 'ajv-draft-04';
import * as ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { FINDING_KIND_IDS, FINDING_KINDS } from '../../src/model/finding.js';
import type { Severity } from '../../src/model/severity.js';
import { scan } from '../../src/pipeline/scan.js';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { findingAt, fixturePath, resultWith } from '../helpers.js';

/** The final OASIS SARIF 2.1.0 schema (with Errata 01); its source and license: the fixture's SOURCE.md. */
const schema = JSON.parse(readFileSync(fixturePath('reporters/sarif/sarif-schema-2.1.0.json'), 'utf8'));

function validator() {
  // Both are CommonJS modules whose default export is the whole module.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  return ajv.compile(schema);
}

/** What code scanning shows for each severity: the SARIF level and GitHub's security-severity score. */
const SHOWN: Record<Severity, { level: string; securitySeverity: string }> = {
  critical: { level: 'error', securitySeverity: '9.5' },
  high: { level: 'error', securitySeverity: '8.0' },
  medium: { level: 'warning', securitySeverity: '5.5' },
  low: { level: 'note', securitySeverity: '3.0' },
  info: { level: 'note', securitySeverity: '0.0' },
};

describe('sarif reporter', () => {
  it('is checked against the final OASIS schema, not a draft', () => {
    expect(schema.id).toBe(
      'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    );
  });

  it('gives each severity its level and security-severity, on results and on rules', () => {
    const severities = Object.keys(SHOWN) as Severity[];
    const log = JSON.parse(sarifReporter(resultWith(severities.map((s) => findingAt(s))), { color: false }));
    const validate = validator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const run = log.runs[0];
    expect(
      run.results.map((r: { level: string; properties: Record<string, string> }) => ({
        severity: r.properties.severity,
        level: r.level,
        securitySeverity: r.properties['security-severity'],
      })),
    ).toEqual(severities.map((severity) => ({ severity, ...SHOWN[severity] })));
    for (const rule of run.tool.driver.rules) {
      const severity = FINDING_KINDS[rule.id as keyof typeof FINDING_KINDS].severity;
      expect({
        id: rule.id,
        level: rule.defaultConfiguration.level,
        score: rule.properties['security-severity'],
      }).toEqual({ id: rule.id, level: SHOWN[severity].level, score: SHOWN[severity].securitySeverity });
    }
  });

  it('writes each finding as code scanning reads it: location, fingerprint and properties, to the field', () => {
    const full = findingAt('high', {
      kind: 'vulnerable',
      name: 'lodash',
      version: '4.17.11',
      inferred: true,
      evidence: { ids: ['GHSA-jf85-cpcp-j695'] },
      location: { file: 'web app/#1?/package.json', line: 7, column: 5 },
    });
    const bare = findingAt('low', { location: { file: 'README.md' } });
    const lineOnly = findingAt('medium', { location: { file: 'src/a.js', line: 2 } });
    const errors = [
      { file: 'requirements.txt', line: 3, message: 'cannot read' },
      { file: 'pom.xml', message: 'not XML' },
    ];
    const log = JSON.parse(sarifReporter(resultWith([full, bare, lineOnly], errors), { color: false }));
    const run = log.runs[0];
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'Vouch', version: '0.0.0', semanticVersion: '0.0.0' });
    expect(run.results[0]).toEqual({
      ruleId: 'vulnerable',
      ruleIndex: FINDING_KIND_IDS.indexOf('vulnerable'),
      level: 'error',
      message: { text: full.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'web%20app/%231%3F/package.json', uriBaseId: '%SRCROOT%' },
            region: { startLine: 7, startColumn: 5 },
          },
        },
      ],
      partialFingerprints: { 'vouch/v1': 'vulnerable|npm|lodash|4.17.11|web app/#1?/package.json' },
      properties: {
        severity: 'high',
        'security-severity': '8.0',
        ecosystem: 'npm',
        package: 'lodash',
        version: '4.17.11',
        inferred: true,
        evidence: { ids: ['GHSA-jf85-cpcp-j695'] },
      },
    });
    // No line: no region; a line without a column: the line alone; no version: an empty fingerprint part.
    expect(run.results[1].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'README.md', uriBaseId: '%SRCROOT%' },
    });
    expect(run.results[1].partialFingerprints['vouch/v1']).toBe('undeclared|npm|body-parser||README.md');
    expect(run.results[1].properties).toEqual({
      severity: 'low',
      'security-severity': '3.0',
      ecosystem: 'npm',
      package: 'body-parser',
    });
    expect(run.results[2].locations[0].physicalLocation.region).toEqual({ startLine: 2 });
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'cannot read' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: 'requirements.txt', uriBaseId: '%SRCROOT%' },
                  region: { startLine: 3 },
                },
              },
            ],
          },
          {
            level: 'error',
            message: { text: 'not XML' },
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'pom.xml', uriBaseId: '%SRCROOT%' } } },
            ],
          },
        ],
      },
    ]);
  });

  it('describes every finding kind as a rule: a PascalCase name, its title and help, tagged for security', () => {
    const rules = JSON.parse(sarifReporter(resultWith([]), { color: false })).runs[0].tool.driver.rules;
    const vulnerable = rules.find((r: { id: string }) => r.id === 'vulnerable');
    expect(vulnerable).toEqual({
      id: 'vulnerable',
      name: 'VulnerableVersion',
      shortDescription: { text: 'Vulnerable version' },
      fullDescription: { text: FINDING_KINDS.vulnerable.help },
      help: { text: FINDING_KINDS.vulnerable.help },
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'supply-chain'],
        'security-severity': SHOWN[FINDING_KINDS.vulnerable.severity].securitySeverity,
      },
    });
    expect(rules.find((r: { id: string }) => r.id === 'range-allows-vulnerable').name).toBe(
      'RangeAdmitsVulnerableVersions',
    );
    for (const rule of rules) expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]*$/);
  });

  it('writes SARIF 2.1.0 that validates against the official schema, with file:line regions', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/phantom-npm') });
    expect(result.findings.length).toBeGreaterThan(0);
    const log = JSON.parse(sarifReporter(result, { color: false }));
    const validate = validator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(FINDING_KIND_IDS);
    const undeclared = run.results.find((r: { ruleId: string }) => r.ruleId === 'undeclared');
    expect(undeclared.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/server.js', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 28 },
    });
    expect(run.tool.driver.rules[undeclared.ruleIndex].id).toBe('undeclared');

    // The validator is not a rubber stamp: a wrong level is rejected.
    undeclared.level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('reports unparseable files as tool notifications and still validates', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/broken-manifest') });
    expect(result.errors.length).toBe(1);
    const log = JSON.parse(sarifReporter(result, { color: false }));
    const validate = validator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const notes = log.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes[0].locations[0].physicalLocation.artifactLocation.uri).toBe('package.json');
    expect(notes[0].locations[0].physicalLocation.region.startLine).toBe(4);
  });

  it('lists accepted findings as results with a suppression, and still validates', async () => {
    const result = await scan(['.'], {
      cwd: fixturePath('scan/phantom-npm'),
      policy: { ignore: [{ package: 'body-parser', reason: 'express brings it', until: '2099-01-01' }] },
    });
    expect(result.findings).toEqual([]);
    const log = JSON.parse(sarifReporter(result, { color: false }));
    const validate = validator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(log.runs[0].results).toMatchObject([
      {
        ruleId: 'undeclared',
        suppressions: [
          {
            kind: 'external',
            status: 'accepted',
            justification: 'express brings it',
            properties: { where: 'vouch.config.json ignore[0]', until: '2099-01-01' },
          },
        ],
      },
    ]);
    log.runs[0].results[0].suppressions[0].kind = 'forgotten';
    expect(validate(log)).toBe(false);
  });
});
