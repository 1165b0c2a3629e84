import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll } from 'vitest';
import { importOsv } from '../../src/vulndb/import.js';
import { fixturePath } from '../helpers.js';
import { sharedData, sharedPath } from '../prerequisites.js';

export const OSV_FIXTURES = fixturePath('vulndb/osv');

/** The shared real data (../shared/data/osv beside the project root), when this checkout has it. */
export const SHARED_OSV = sharedPath('data', 'osv');
export const SHARED_OSV_DATA = sharedData('the real OSV data in ../shared', 'data', 'osv');

const created: string[] = [];
// Registered when a test file imports this module, so it also covers folders made inside hooks and tests.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the test file. */
export function tempDir(prefix = 'vouch-vulndb-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A database built from the project's own OSV fixtures. */
export async function fixtureDatabase(): Promise<string> {
  const path = join(tempDir(), 'osv.sqlite');
  const report = await importOsv([OSV_FIXTURES], path);
  if (report.sources[0]?.error) throw new Error(report.sources[0].error);
  return path;
}

export interface ZipEntrySpec {
  name: string;
  data: string | Buffer;
  /** Default deflate. */
  method?: 'store' | 'deflate';
}

/**
 * A zip archive written byte by byte, so that tests can build what no well-behaved tool would: entry names
 * with `../` or drive letters, and entries that expand a thousandfold.
 */
export function makeZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data;
    const deflate = entry.method !== 'store';
    const body = deflate ? deflateRawSync(data) : data;
    const name = Buffer.from(entry.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A minimal valid OSV record for one npm package version range. */
export function npmRecord(
  id: string,
  name: string,
  fixed: string,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    id,
    modified: '2024-01-01T00:00:00Z',
    summary: `Test advisory ${id}`,
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
    ...extra,
  });
}

/** Overwrites every page of a SQLite file but the first (its header and schema stay readable). */
export function damagePages(path: string): void {
  const pageSize = readFileSync(path).readUInt16BE(16);
  const fd = openSync(path, 'r+');
  try {
    const garbage = Buffer.alloc(statSync(path).size - pageSize, 0xa5);
    writeSync(fd, garbage, 0, garbage.length, pageSize);
  } finally {
    closeSync(fd);
  }
}
