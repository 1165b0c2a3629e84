import { closeSync, copyFileSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/core/log.js';
import { openDatabase } from '../../src/core/sqlite.js';
import type { ScanResult } from '../../src/model/result.js';
import { exitCodeFor } from '../../src/pipeline/policy.js';
import { scan } from '../../src/pipeline/scan.js';
import { NO_DATABASE_REASON } from '../../src/vulndb/scan-advisories.js';
import { fixturePath } from '../helpers.js';
import { fixtureDatabase, tempDir } from './helpers.js';

const PROJECT = fixturePath('vulndb/project');
const ADVISORY_CHECKS = ['vulnerable', 'range-allows-vulnerable', 'malicious'];

function summary(result: ScanResult): string[] {
  return result.findings.map(
    (f) =>
      `${f.severity} ${f.kind} ${f.name}${f.version ? `@${f.version}` : ''} ${f.location.file}:${f.location.line}`,
  );
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, progress() {}, debug() {}, warn: (message) => warnings.push(message) };
}

let database: string;
beforeAll(async () => {
  database = await fixtureDatabase();
});

describe('scan with a vulnerability database', () => {
  it('reports vulnerable, malicious and range findings next to the phantom ones', async () => {
    const result = await scan(['.', 'answer.md'], { cwd: PROJECT, database });
    expect(summary(result)).toEqual([
      'critical malicious crossenv answer.md:4',
      'critical undisclosed-risk crossenv answer.md:4',
      'critical vulnerable lodash@4.17.11 package.json:5',
      'critical malicious @solana/web3.js@1.95.6 package.json:7',
      'critical vulnerable PyYAML@5.0 requirements.txt:1',
      'medium undisclosed-risk requests@2.19.0 answer.md:5',
      'medium vulnerable requests@2.19.0 answer.md:5',
      'medium undeclared body-parser src/index.js:3',
      'low range-allows-vulnerable express package.json:6',
      'low range-allows-vulnerable requests requirements.txt:2',
    ]);
    expect(result.findings.find((f) => f.name === 'PyYAML')?.message).toBe(
      'PyYAML 5.0 has 2 known vulnerabilities (CVE-2017-18342, CVE-2020-14343 [severity unknown]); upgrade to 5.4',
    );
    expect(result.checks.filter((c) => ADVISORY_CHECKS.includes(c.id))).toEqual(
      ADVISORY_CHECKS.map((id) => ({
        id,
        status: 'ran',
        source: expect.stringMatching(/^the local database /),
      })),
    );
    expect(result.warnings).toBeUndefined();
  });

  it('skips the advisory checks without a database, says how to get one, and runs the others', async () => {
    const result = await scan(['.'], { cwd: PROJECT, database: join(tempDir(), 'none.sqlite') });
    expect(summary(result)).toEqual(['medium undeclared body-parser src/index.js:3']);
    expect(result.checks).toEqual(
      expect.arrayContaining([
        { id: 'undeclared', status: 'ran' },
        { id: 'transitive-only', status: 'ran' },
        ...ADVISORY_CHECKS.map((id) => ({ id, status: 'skipped', reason: NO_DATABASE_REASON })),
      ]),
    );
    expect(NO_DATABASE_REASON).toBe(
      'no vulnerability database: run vouch db update (or vouch db import FILE)',
    );
  });

  it('skips them when turned off', async () => {
    const result = await scan(['.'], { cwd: PROJECT, database: false });
    expect(result.checks.find((c) => c.id === 'vulnerable')).toMatchObject({ status: 'skipped' });
  });

  it('warns when the database is older than the limit', async () => {
    const logger = recordingLogger();
    const result = await scan(['.'], { cwd: PROJECT, database, maxDatabaseAge: -1, logger });
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^the vulnerability database is 0 days old \(last updated .*\); run vouch db update$/,
      ),
    ]);
    expect(logger.warnings).toEqual(result.warnings);
    expect(result.findings.some((f) => f.kind === 'vulnerable')).toBe(true);
  });

  it('is incomplete (exit 2), never clean, when pages the lookups read are damaged', async () => {
    const damaged = join(tempDir(), 'osv.sqlite');
    copyFileSync(database, damaged);
    // The advisories' own pages: the database opens, and the failure comes only when a lookup reads them.
    const db = openDatabase(damaged, { readonly: true });
    const { pages, pageSize } = {
      pages: (
        db.prepare("SELECT pageno FROM dbstat WHERE name = 'advisories'").all() as { pageno: number }[]
      ).map((r) => r.pageno),
      pageSize: db.pragma('page_size', { simple: true }) as number,
    };
    db.close();
    const fd = openSync(damaged, 'r+');
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    const result = await scan(['.'], { cwd: PROJECT, database: damaged });
    expect(result.errors).toEqual([
      {
        file: damaged,
        message: expect.stringMatching(
          /^the database file is corrupt \(.*\); the vulnerability checks could not run: run vouch db update \(or vouch db import\) to rebuild it$/,
        ),
      },
    ]);
    expect(result.checks.find((c) => c.id === 'vulnerable')).toMatchObject({ status: 'skipped' });
    expect(exitCodeFor(result, 'none')).toBe(2);
  });
});
