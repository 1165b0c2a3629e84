import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOsv, removeStaleTempFiles } from '../../src/vulndb/import.js';
import { VulnDatabase } from '../../src/vulndb/store.js';
import { makeZip, npmRecord, OSV_FIXTURES, tempDir } from './helpers.js';

function lookup(path: string, name: string, version: string): string[] {
  const db = VulnDatabase.open(path)!;
  try {
    return db.advisoriesFor('npm', name, version).map((g) => g.id);
  } finally {
    db.close();
  }
}

function sourceStatus(path: string) {
  const db = VulnDatabase.open(path)!;
  try {
    return db.status();
  } finally {
    db.close();
  }
}

describe('importing OSV files, folders and JSON lines', () => {
  it('reads a folder recursively, skipping bad records with file and line', async () => {
    const path = join(tempDir(), 'osv.sqlite');
    const report = await importOsv([OSV_FIXTURES], path);
    const [source] = report.sources;
    expect(source).toMatchObject({ records: 16, skipped: 2, gitRanges: 1, otherEcosystems: 1 });
    expect(source?.problems).toEqual([
      { where: `${OSV_FIXTURES}/pypi/records.jsonl:6`, reason: expect.stringMatching(/^invalid JSON/) },
      { where: `${OSV_FIXTURES}/pypi/records.jsonl:7`, reason: 'not an OSV record: no "id"' },
    ]);
    expect(report.written).toBe(true);
    expect(lookup(path, 'lodash', '4.17.11')).toEqual(['CVE-2019-10744', 'CVE-2021-23337']);
  });

  it('reads gzipped JSON lines', async () => {
    const dir = tempDir();
    const gz = join(dir, 'npm.osv.jsonl.gz');
    writeFileSync(gz, gzipSync(`${npmRecord('GHSA-1111-2222-3333', 'minimist', '1.2.6')}\n\n`));
    const path = join(dir, 'osv.sqlite');
    const report = await importOsv([gz], path);
    expect(report.sources[0]).toMatchObject({ records: 1, skipped: 0 });
    expect(lookup(path, 'minimist', '1.2.5')).toEqual(['GHSA-1111-2222-3333']);
    const single = join(dir, 'GHSA-4444-5555-6666.json.gz');
    writeFileSync(single, gzipSync(npmRecord('GHSA-4444-5555-6666', 'qs', '6.2.4')));
    expect((await importOsv([single], path)).sources[0]).toMatchObject({ records: 1, skipped: 0 });
    expect(lookup(path, 'qs', '6.2.3')).toEqual(['GHSA-4444-5555-6666']);
  });

  it('skips a record over the size limit and says where it was', async () => {
    const dir = tempDir();
    const file = join(dir, 'big.jsonl');
    const big = npmRecord('GHSA-big0-big0-big0', 'big', '1.0.0', { details: 'x'.repeat(5000) });
    writeFileSync(file, `${npmRecord('GHSA-smal-smal-smal', 'small', '1.0.0')}\n${big}\n`);
    const report = await importOsv([file], join(dir, 'osv.sqlite'), { limits: { maxRecordBytes: 4096 } });
    expect(report.sources[0]).toMatchObject({
      records: 1,
      skipped: 1,
      problems: [{ where: `${file}:2`, reason: 'record larger than 4096 bytes' }],
    });
  });

  it('reports a missing source and still imports the others', async () => {
    const dir = tempDir();
    const good = join(dir, 'good.json');
    writeFileSync(good, npmRecord('GHSA-good-good-good', 'good', '2.0.0'));
    const report = await importOsv([join(dir, 'missing.json'), good], join(dir, 'osv.sqlite'));
    expect(report.sources.map((s) => s.error ?? s.records)).toEqual([
      `${join(dir, 'missing.json')}: no such file or directory`,
      1,
    ]);
  });

  it('adds to the database, replaces a re-imported source, and starts over with replace', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const path = join(dir, 'osv.sqlite');
    writeFileSync(a, npmRecord('GHSA-aaaa-aaaa-aaaa', 'pkg-a', '2.0.0'));
    writeFileSync(b, npmRecord('GHSA-bbbb-bbbb-bbbb', 'pkg-b', '2.0.0'));
    await importOsv([a], path);
    await importOsv([b], path);
    expect([lookup(path, 'pkg-a', '1.0.0'), lookup(path, 'pkg-b', '1.0.0')]).toEqual([
      ['GHSA-aaaa-aaaa-aaaa'],
      ['GHSA-bbbb-bbbb-bbbb'],
    ]);
    writeFileSync(a, npmRecord('GHSA-cccc-cccc-cccc', 'pkg-c', '2.0.0'));
    await importOsv([a], path);
    expect([lookup(path, 'pkg-a', '1.0.0'), lookup(path, 'pkg-c', '1.0.0')]).toEqual([
      [],
      ['GHSA-cccc-cccc-cccc'],
    ]);
    expect(sourceStatus(path).sources.map((s) => s.location)).toEqual([b, a]);
    await importOsv([b], path, { replace: true });
    expect(sourceStatus(path).sources.map((s) => s.location)).toEqual([b]);
  });

  it('does not grow the file when the same source is imported again', async () => {
    const dir = tempDir();
    const source = join(dir, 'records.jsonl');
    const lines = Array.from({ length: 3000 }, (_, i) => npmRecord(`GHSA-size-${i}`, `pkg-${i}`, '1.0.0'));
    writeFileSync(source, `${lines.join('\n')}\n`);
    const path = join(dir, 'osv.sqlite');
    const first = (await importOsv([source], path)).sizeBytes;
    await importOsv([source], path);
    const third = (await importOsv([source], path)).sizeBytes;
    expect(third).toBeLessThan(first * 1.2);
    expect(lookup(path, 'pkg-7', '0.9.0')).toEqual(['GHSA-size-7']);
  });

  it('imports from an http URL', async () => {
    const body = `${npmRecord('GHSA-http-http-http', 'fetched', '1.0.1')}\n`;
    const server = createServer((_req, res) => res.end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/osv/records.jsonl`;
      const path = join(tempDir(), 'osv.sqlite');
      const report = await importOsv([url], path);
      expect(report.sources[0]).toMatchObject({ location: url, records: 1 });
      expect(lookup(path, 'fetched', '1.0.0')).toEqual(['GHSA-http-http-http']);
      expect(readdirSync(join(path, '..'))).toEqual(['osv.sqlite']);
    } finally {
      server.close();
    }
  });
});

describe('importing OSV all.zip archives', () => {
  const good = [
    { name: 'GHSA-zip1-zip1-zip1.json', data: npmRecord('GHSA-zip1-zip1-zip1', 'zipped', '1.0.0') },
    { name: 'nested/GHSA-zip2-zip2-zip2.json', data: npmRecord('GHSA-zip2-zip2-zip2', 'zipped', '2.0.0') },
  ];

  it('imports every JSON entry', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'all.zip'), makeZip(good));
    const report = await importOsv([join(dir, 'all.zip')], join(dir, 'osv.sqlite'));
    expect(report.sources[0]).toMatchObject({ records: 2, skipped: 0 });
    expect(lookup(join(dir, 'osv.sqlite'), 'zipped', '1.5.0')).toEqual(['GHSA-zip2-zip2-zip2']);
  });

  it('rejects and reports entry names that would escape a folder (zip-slip)', async () => {
    const dir = tempDir();
    const zip = join(dir, 'all.zip');
    const evil = (name: string) => ({ name, data: npmRecord('GHSA-evil-evil-evil', 'evil', '9.9.9') });
    writeFileSync(
      zip,
      makeZip([
        evil('../evil.json'),
        evil('/etc/evil.json'),
        evil('C:/evil.json'),
        evil('a/../../evil.json'),
        ...good,
      ]),
    );
    const report = await importOsv([zip], join(dir, 'osv.sqlite'));
    expect(report.sources[0]?.records).toBe(2);
    expect(report.sources[0]?.problems.map((p) => p.where)).toEqual([
      `${zip}!../evil.json`,
      `${zip}!/etc/evil.json`,
      `${zip}!C:/evil.json`,
      `${zip}!a/../../evil.json`,
    ]);
    expect(report.sources[0]?.problems[0]?.reason).toMatch(/unsafe entry name/);
    expect(lookup(join(dir, 'osv.sqlite'), 'evil', '1.0.0')).toEqual([]);
  });

  it('stops an archive whose entry expands past the ratio limit, keeping the previous data', async () => {
    const dir = tempDir();
    const zip = join(dir, 'all.zip');
    const path = join(dir, 'osv.sqlite');
    writeFileSync(zip, makeZip(good));
    await importOsv([zip], path);
    const padded = `{"id":"GHSA-bomb-bomb-bomb","modified":"2024-01-01T00:00:00Z","details":"${' '.repeat(4 * 1024 ** 2)}"}`;
    writeFileSync(zip, makeZip([{ name: 'bomb.json', data: padded }]));
    const report = await importOsv([zip], path);
    expect(report.sources[0]?.error).toMatch(
      /bomb\.json: entry expands \d+ times, past the limit of 200 \(a zip bomb\?\)/,
    );
    expect(report.written).toBe(false);
    expect(lookup(path, 'zipped', '0.1.0')).toEqual(['GHSA-zip1-zip1-zip1', 'GHSA-zip2-zip2-zip2']);
  });

  it('stops an archive past the total or per-entry size limits', async () => {
    const dir = tempDir();
    const zip = join(dir, 'all.zip');
    writeFileSync(zip, makeZip(good));
    const total = await importOsv([zip], join(dir, 'a.sqlite'), { limits: { maxTotalBytes: 300 } });
    expect(total.sources[0]?.error).toMatch(/expands past the limit of 300 bytes/);
    const entry = await importOsv([zip], join(dir, 'b.sqlite'), { limits: { maxEntryBytes: 100 } });
    expect(entry.sources[0]?.error).toMatch(/past the limit of 100 \(a zip bomb\?\)/);
  });

  it('stops a gzip file that expands past the ratio limit', async () => {
    const dir = tempDir();
    const gz = join(dir, 'bomb.jsonl.gz');
    writeFileSync(gz, gzipSync(' '.repeat(4 * 1024 ** 2)));
    const report = await importOsv([gz], join(dir, 'osv.sqlite'));
    expect(report.sources[0]?.error).toMatch(
      /expands more than 200 times its compressed size \(a gzip bomb\?\)/,
    );
  });

  it('fails a truncated or corrupt archive with a clear error', async () => {
    const dir = tempDir();
    const whole = makeZip(good);
    writeFileSync(join(dir, 'truncated.zip'), whole.subarray(0, whole.length - 30));
    const corrupt = Buffer.from(whole);
    // Garble the compressed bytes of the first entry, behind its 30-byte header and name.
    corrupt.fill(0xff, 30 + good[0]!.name.length, 30 + good[0]!.name.length + 20);
    writeFileSync(join(dir, 'corrupt.zip'), corrupt);
    const directory = Buffer.from(whole);
    // Break the signature of the second entry's header in the central directory.
    const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
    directory.writeUInt32LE(0xdeadbeef, directory.indexOf(signature, directory.indexOf(signature) + 4));
    writeFileSync(join(dir, 'directory.zip'), directory);
    const report = await importOsv(
      [join(dir, 'truncated.zip'), join(dir, 'corrupt.zip'), join(dir, 'directory.zip')],
      join(dir, 'osv.sqlite'),
    );
    expect(report.sources[0]?.error).toMatch(
      /truncated\.zip: not a readable zip archive, truncated or corrupt/,
    );
    expect(report.sources[1]?.error).toMatch(/corrupt\.zip!GHSA-zip1-zip1-zip1\.json: corrupt archive/);
    expect(report.sources[2]?.error).toMatch(/directory\.zip: corrupt archive \(invalid central directory/);
    expect(report.written).toBe(false);
  });
});

describe('atomic updates', () => {
  const child = fileURLToPath(new URL('./import-child.ts', import.meta.url));
  const viteNode = fileURLToPath(new URL('../../node_modules/vite-node/vite-node.mjs', import.meta.url));
  let dir: string;
  let path: string;
  let big: string;

  beforeAll(async () => {
    dir = tempDir();
    path = join(dir, 'osv.sqlite');
    await importOsv([OSV_FIXTURES], path);
    big = join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 300_000; i++) lines.push(npmRecord(`GHSA-big-${i}`, `pkg-${i % 5000}`, '1.0.0'));
    writeFileSync(big, `${lines.join('\n')}\n`);
    // 300,000 records take seconds alone and far longer when other test files share the two cores.
  }, 120_000);

  it('leaves the previous database intact and usable when an import is killed part-way', async () => {
    const before = readFileSync(path);
    const statusBefore = sourceStatus(path);
    const proc = spawn(process.execPath, [viteNode, child, big, path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const killed = await new Promise<boolean>((resolve) => {
      proc.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const counts = [...output.matchAll(/records (\d+)/g)].map((m) => Number(m[1]));
        if (Math.max(0, ...counts) >= 50_000 && proc.exitCode === null) {
          proc.kill('SIGKILL');
          resolve(true);
        }
      });
      proc.on('exit', () => resolve(false));
    });
    await new Promise((resolve) =>
      proc.exitCode !== null || proc.signalCode !== null ? resolve(null) : proc.on('exit', resolve),
    );
    expect(killed, `the import finished before it could be killed:\n${output}`).toBe(true);
    expect(output).not.toContain('finished');

    const leftovers = readdirSync(dir).filter((name) => name.startsWith('osv.sqlite.tmp-'));
    expect(leftovers.length).toBeGreaterThan(0);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(sourceStatus(path)).toEqual(statusBefore);
    expect(lookup(path, 'lodash', '4.17.11')).toEqual(['CVE-2019-10744', 'CVE-2021-23337']);

    // The next import removes what the killed one left behind.
    const again = join(dir, 'again.json');
    writeFileSync(again, npmRecord('GHSA-next-next-next', 'next-pkg', '1.0.0'));
    await importOsv([again], path);
    expect(readdirSync(dir).filter((name) => name.startsWith('osv.sqlite.tmp-'))).toEqual([]);
    expect(lookup(path, 'lodash', '4.17.11')).toEqual(['CVE-2019-10744', 'CVE-2021-23337']);
    expect(lookup(path, 'next-pkg', '0.9.0')).toEqual(['GHSA-next-next-next']);
  }, 120_000);

  it('keeps temp files of imports that are still running', () => {
    const live = join(dir, `osv.sqlite.tmp-${process.pid}-abcd`);
    const dead = join(dir, 'osv.sqlite.tmp-999999999-abcd');
    writeFileSync(live, '');
    writeFileSync(dead, '');
    expect(removeStaleTempFiles(path)).toEqual(['osv.sqlite.tmp-999999999-abcd']);
    expect([existsSync(live), existsSync(dead)]).toEqual([true, false]);
  });
});

describe('imports of one database take turns', () => {
  const child = fileURLToPath(new URL('./import-when-told-child.ts', import.meta.url));
  const viteNode = fileURLToPath(new URL('../../node_modules/vite-node/vite-node.mjs', import.meta.url));

  it('three imports started at once all keep their records', async () => {
    const dir = tempDir();
    const path = join(dir, 'osv.sqlite');
    const go = join(dir, 'go');
    const sources = ['a', 'b', 'c'].map((tag) => {
      const file = join(dir, `${tag}.jsonl`);
      const lines: string[] = [];
      for (let i = 0; i < 20_000; i++)
        lines.push(npmRecord(`GHSA-${tag}-${i}`, `${tag}-pkg-${i % 500}`, '1.0.0'));
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    });
    const runs = sources.map((source) => {
      const proc = spawn(process.execPath, [viteNode, child, source, path, go], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      proc.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      proc.stderr.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const ready = new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (output.includes('ready') || proc.exitCode !== null) {
            clearInterval(poll);
            resolve();
          }
        }, 10);
      });
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      return { ready, exited, output: () => output };
    });
    await Promise.all(runs.map((r) => r.ready));
    writeFileSync(go, '');
    const codes = await Promise.all(runs.map((r) => r.exited));
    const outputs = runs.map((r) => r.output());
    expect(codes, outputs.join('\n')).toEqual([0, 0, 0]);
    for (const output of outputs) expect(output).toContain('finished 20000');
    // The ones that waited said so.
    expect(outputs.join('\n')).toMatch(/warn another vouch db import or update \(process \d+\) is writing/);
    const status = sourceStatus(path);
    expect(status.sources.map((s) => s.records).sort()).toEqual([20_000, 20_000, 20_000]);
    for (const tag of ['a', 'b', 'c'])
      expect(lookup(path, `${tag}-pkg-7`, '0.9.0')).toContain(`GHSA-${tag}-7`);
    expect(existsSync(`${path}.lock`)).toBe(false);
  }, 180_000);

  it('waits for a live holder and then fails clearly; takes over a lock whose process is gone', async () => {
    const dir = tempDir();
    const path = join(dir, 'osv.sqlite');
    const source = join(dir, 'one.json');
    writeFileSync(source, npmRecord('GHSA-one-one-one', 'one-pkg', '1.0.0'));
    // Held by a live process (this one, as another import in this process would).
    writeFileSync(`${path}.lock`, `${process.pid}\n`);
    const warnings: string[] = [];
    const logger = { progress: () => {}, warn: (m: string) => warnings.push(m), debug: () => {} };
    const failure = await importOsv([source], path, { logger, lockWaitMs: 300 }).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^another vouch db import or update \\(process ${process.pid}\\) has been writing .*osv\\.sqlite for over 0 s; run the command again once it has finished`,
      ),
    );
    expect(warnings).toHaveLength(1);
    expect(existsSync(path)).toBe(false);
    // A lock left by a process that is gone does not block anyone.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.on('exit', resolve));
    writeFileSync(`${path}.lock`, `${gone.pid}\n`);
    const report = await importOsv([source], path, { logger, lockWaitMs: 300 });
    expect(report.written).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
