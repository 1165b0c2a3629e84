// A long-running surface's session: the database stays open between checks, yet a database swapped in by
// `vouch db update` (a new file renamed over the old) is what the next check reads.
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPackages } from '../../src/pipeline/packages.js';
import { openScanSession, type ScanSession } from '../../src/pipeline/session.js';
import { importOsv } from '../../src/vulndb/import.js';
import { fixtureDatabase, tempDir } from '../vulndb/helpers.js';

const LODASH = [{ ecosystem: 'npm', name: 'lodash', version: '4.17.15' }];
let session: ScanSession | undefined;
afterEach(() => session?.close());

describe('openScanSession', () => {
  it('reads the same answers as a check without one, and a database replaced between checks', async () => {
    const database = await fixtureDatabase();
    session = openScanSession();
    const alone = await checkPackages(LODASH, { registry: false, database });
    const first = await checkPackages(LODASH, { registry: false, database, session });
    expect(first.packages[0]!.advisories.map((a) => a.id)).toEqual(
      alone.packages[0]!.advisories.map((a) => a.id),
    );
    expect(first.packages[0]!.advisories.length).toBeGreaterThan(0);
    // As `vouch db update` does it: a new file, renamed over the old one.
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    const next = join(tempDir(), 'osv.sqlite');
    await importOsv([empty], next);
    renameSync(next, database);
    const second = await checkPackages(LODASH, { registry: false, database, session });
    expect(second.packages[0]!.advisories).toEqual([]);
  });
});
