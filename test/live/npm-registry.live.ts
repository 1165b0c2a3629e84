/**
 * Live checks against the npm registry that the machine's npm configuration names (never a host written
 * here): opt-in, `npm run test:live`, never part of `npm test`. They prove on the real registry (or the
 * mirror the machine is configured for) what the fake-registry tests prove on written documents: real
 * packages are found, a hallucinated name is `nonexistent`, a never-published version is
 * `unknown-version`, and an answer's phantom import gets its chain from the registry's dependency data.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { npmConfig } from '../../src/registry/config.js';

const EXAMPLES = new URL('../../examples/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'vouch-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kinds(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.kind} ${f.name}`).sort();
}

describe('the configured npm registry, live', () => {
  it('has a registry to ask', () => {
    expect(npmConfig(dir, process.env).registry, 'npm configuration names no registry').toBeDefined();
  });

  it('finds the packages of the example answer, and the phantom body-parser through express', async () => {
    const result = await scan(['answers/express-phantom.md'], {
      cwd: EXAMPLES,
      database: false,
      registry: {},
    });
    expect(result.unchecked.filter((u) => u.check === 'registry')).toEqual([]);
    expect(kinds(result)).not.toContain('nonexistent express');
    const phantom = result.findings.find((f) => f.name === 'body-parser');
    expect(phantom?.kind).toBe('transitive-only');
    expect(phantom?.evidence?.chain).toEqual(['express', 'body-parser']);
  });

  it('calls a name nobody registered nonexistent, and a version never published unknown', async () => {
    const invented = `vouch-live-${randomBytes(6).toString('hex')}-helper`;
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'live-check', dependencies: { [invented]: '^1.0.0', express: '99.99.99' } }),
    );
    const result = await scan(['package.json'], { cwd: dir, database: false, registry: { cache: false } });
    expect(result.unchecked.filter((u) => u.check === 'registry')).toEqual([]);
    expect(kinds(result)).toContain(`nonexistent ${invented}`);
    expect(kinds(result)).toContain('unknown-version express');
  });
});
