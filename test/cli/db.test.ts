import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fixturePath } from '../helpers.js';
import { damagePages, makeZip, npmRecord, OSV_FIXTURES, tempDir } from '../vulndb/helpers.js';

async function run(args: string[], env: CliIO['env'], cwd = fixturePath('vulndb/project')) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env,
    cwd,
    readStdin: async () => '',
  };
  const exit = await main(args, io);
  return { exit, stdout, stderr };
}

describe('vouch db', () => {
  const cache = tempDir();
  const env = { VOUCH_CACHE_DIR: cache };

  it('says how to get a database when there is none', async () => {
    const out = await run(['db', 'status'], env);
    expect(out.exit).toBe(2);
    expect(out.stderr).toBe(
      `vouch: no vulnerability database at ${join(cache, 'osv.sqlite')}: run vouch db update (or vouch db import FILE)\n`,
    );
  });

  it('imports a folder into the cache, listing what it skipped', async () => {
    const out = await run(['db', 'import', OSV_FIXTURES], env);
    expect(out.exit, out.stderr).toBe(0);
    expect(out.stdout).toContain(
      `${OSV_FIXTURES}: 16 records, 2 skipped, 1 GIT ranges not evaluated, 1 for other ecosystems`,
    );
    expect(out.stdout).toContain(
      `  skipped ${OSV_FIXTURES}/pypi/records.jsonl:7: not an OSV record: no "id"`,
    );
    expect(out.stdout).toMatch(
      new RegExp(`Database: ${join(cache, 'osv.sqlite')} \\(\\d+\\.\\d MB\\) in \\d+\\.\\ds\\n$`),
    );
    expect(out.stderr).toBe('');
  });

  it('shows records per ecosystem, the source and the age', async () => {
    const out = await run(['db', 'status'], env);
    expect(out.exit).toBe(0);
    expect(out.stdout).toMatch(/Updated: +\d{4}-\d\d-\d\dT[\d:.]+Z \(\d+ min ago\)/);
    expect(out.stdout).toMatch(/^npm +5 +2 +5$/m);
    expect(out.stdout).toMatch(/^PyPI +6 +0 +3$/m);
    expect(out.stdout).toContain(`${OSV_FIXTURES}  16`);
    const json = JSON.parse((await run(['db', 'status', '--format', 'json'], env)).stdout);
    expect(json).toMatchObject({
      advisories: 14,
      withdrawn: 2,
      stale: false,
      sources: [{ records: 16, skipped: 2 }],
    });
    const old = JSON.parse((await run(['db', 'status', '--format', 'json', '--max-age', '0'], env)).stdout);
    expect(old.stale).toBe(true);
  });

  it('fails an import whose source cannot be read', async () => {
    const out = await run(['db', 'import', 'missing.zip'], env);
    expect(out.exit).toBe(2);
    expect(out.stdout).toContain(
      `failed: ${join(fixturePath('vulndb/project'), 'missing.zip')}: no such file or directory`,
    );
    expect(out.stdout).toContain('(not changed)');
  });

  it('lets scan find the database in the cache', async () => {
    const out = await run(['scan', '.', '--format', 'json'], env);
    expect(out.exit).toBe(1);
    const kinds = JSON.parse(out.stdout).findings.map((f: { kind: string }) => f.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['vulnerable', 'malicious', 'range-allows-vulnerable', 'undeclared']),
    );
  });

  it('lets scan run without the database, listing the skipped checks', async () => {
    const out = await run(['scan', '.', '--no-database'], env);
    expect(out.stdout).toContain(
      'Checks skipped\n  vulnerable: vulnerability database turned off (--no-database)\n',
    );
    const missing = await run(['scan', '.', '--database', 'nowhere.sqlite', '--offline'], env);
    expect(missing.stdout).toContain(
      '  malicious: no vulnerability database: run vouch db update (or vouch db import FILE)',
    );
    expect(missing.exit).toBe(1);
  });

  it('updates from an archive server and fails with exit 3 when an archive is missing', async () => {
    const zip = makeZip([
      { name: 'GHSA-cli0-cli0-cli0.json', data: npmRecord('GHSA-cli0-cli0-cli0', 'cli-pkg', '1.0.0') },
    ]);
    const server = createServer((req, res) => {
      if (req.url === '/osv/npm/all.zip') res.end(zip);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/osv`;
      const out = await run(['db', 'update', '--url', url, '--ecosystem', 'npm', 'Go'], {
        VOUCH_CACHE_DIR: tempDir(),
      });
      expect(out.exit).toBe(3);
      expect(out.stdout).toMatch(/^npm +updated +1 records \(0\.0 MB downloaded\)$/m);
      expect(out.stdout).toContain(`Go   failed   ${url}/Go/all.zip: HTTP 404; no database yet`);
    } finally {
      server.close();
    }
  });
});

describe('a database that cannot be written or read', () => {
  const child = fileURLToPath(new URL('./main-child.ts', import.meta.url));
  const viteNode = fileURLToPath(new URL('../../node_modules/vite-node/vite-node.mjs', import.meta.url));

  it('a full disk during db import: says so, exit 2, and the previous database is unchanged', async () => {
    const dir = tempDir();
    const database = join(dir, 'osv.sqlite');
    expect((await run(['db', 'import', OSV_FIXTURES, '--database', database], {})).exit).toBe(0);
    const before = readFileSync(database);
    const big = join(dir, 'big.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) lines.push(npmRecord(`GHSA-full-${i}`, `full-pkg-${i}`, '1.0.0'));
    writeFileSync(big, `${lines.join('\n')}\n`);
    // No file this process writes may grow past 1 MiB: the disk is full as far as the import can tell.
    const limit = 1024;
    const out = spawnSync(
      'bash',
      [
        '-c',
        `ulimit -f ${limit} && exec "$0" "$@"`,
        process.execPath,
        viteNode,
        child,
        'db',
        'import',
        big,
        '--database',
        database,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(out.status, out.stderr).toBe(2);
    expect(out.stderr).toMatch(
      /^vouch: could not write the new vulnerability database beside .*osv\.sqlite: (the disk is full|reading or writing the disk failed)/,
    );
    expect(out.stderr).toContain('The previous database is unchanged.');
    expect(out.stderr).not.toMatch(/internal error|cannot rollback/);
    expect(readFileSync(database).equals(before)).toBe(true);
  }, 150_000);

  it('a scan never passes on an advisory database with damaged pages: exit 2, and what to do', async () => {
    const dir = tempDir();
    const database = join(dir, 'osv.sqlite');
    const sources = join(dir, 'many.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(npmRecord(`GHSA-page-${i}`, `page-pkg-${i}`, '1.0.0'));
    writeFileSync(sources, `${lines.join('\n')}\n`);
    expect((await run(['db', 'import', sources, '--database', database], {})).exit).toBe(0);
    damagePages(database);
    const scan = await run(
      ['scan', '--no-registry', '--database', database],
      {},
      fixturePath('vulndb/project'),
    );
    expect(scan.exit, scan.stdout + scan.stderr).toBe(2);
    expect(scan.stdout + scan.stderr).toMatch(/corrupt.*vouch db update \(or vouch db import\)/);
    const status = await run(['db', 'status', '--database', database], {});
    expect(status.exit).toBe(2);
    expect(status.stderr).toMatch(/corrupt.*run vouch db update \(or vouch db import\)/);
    expect(status.stderr).not.toMatch(/internal error/);
  });
});
