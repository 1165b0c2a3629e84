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
