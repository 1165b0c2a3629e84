import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as ajvDraft04 from 'ajv-draft-04';
import * as ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { FINDING_KIND_IDS } from '../../src/model/finding.js';
import { scan } from '../../src/pipeline/scan.js';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { fixturePath } from '../helpers.js';

const require = createRequire(import.meta.url);
/** The official SARIF 2.1.0 schema (OASIS), as shipped by Microsoft's SARIF tooling. */
const schema = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);

function validator() {
  // Both are CommonJS modules whose default export is the whole module.
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  return ajv.compile(schema);
}

describe('sarif reporter', () => {
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
});
