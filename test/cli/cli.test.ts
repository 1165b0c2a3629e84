import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { fixturePath } from '../helpers.js';
import { runCli } from './run-cli.js';

function run(args: string[], opts: { cwd?: string; stdin?: string; env?: CliIO['env'] } = {}) {
  return runCli(args, { ...opts, cwd: opts.cwd ?? fixturePath('scan/phantom-npm') });
}

const PHANTOM = fixturePath('scan/phantom-npm');
const BROKEN = fixturePath('scan/broken-manifest');
/** The one finding of PHANTOM: `undeclared` body-parser, at medium severity. */
const MEDIUM_FINDING = /MEDIUM\s+undeclared\s+npm:body-parser\s+src\/server\.js:3:28/;

/** An advisory archive server that has nothing (404), for the exit code of a failed database update. */
let archives = '';
let closeArchives: () => void;
beforeAll(async () => {
  const server = createServer((_, res) => res.writeHead(404).end());
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  archives = `http://127.0.0.1:${(server.address() as AddressInfo).port}/osv`;
  closeArchives = () => server.close();
});
afterAll(() => closeArchives());

/** Every exit code: what the user types, the code, and what stdout says (`%archives%` is the server). */
const table: {
  name: string;
  args: string[];
  cwd?: string;
  stdin?: string;
  env?: CliIO['env'];
  exit: number;
  stdout: RegExp;
  stderr?: RegExp;
}[] = [
  {
    name: 'findings at the default threshold (low) fail',
    args: ['scan'],
    exit: 1,
    stdout: MEDIUM_FINDING,
  },
  {
    name: 'a finding exactly at --fail-on fails',
    args: ['scan', '--fail-on', 'medium'],
    exit: 1,
    stdout: MEDIUM_FINDING,
  },
  {
    name: 'a finding one step below --fail-on passes, and is still reported',
    args: ['scan', '.', '--fail-on', 'high'],
    exit: 0,
    stdout: MEDIUM_FINDING,
  },
  {
    name: '--fail-on info fails on any finding',
    args: ['scan', '--fail-on', 'info'],
    exit: 1,
    stdout: MEDIUM_FINDING,
  },
  {
    name: '--fail-on none never fails',
    args: ['scan', '--fail-on', 'none'],
    exit: 0,
    stdout: MEDIUM_FINDING,
  },
  {
    name: 'no findings pass',
    args: ['scan', 'package.json'],
    exit: 0,
    stdout: /0 finding\(s\)/,
  },
  {
    name: 'an unknown format is a usage error',
    args: ['scan', '--format', 'xml'],
    exit: 2,
    stdout: /^$/,
    stderr: /Allowed choices are table, json, sarif/,
  },
  {
    name: 'an unknown severity is a usage error',
    args: ['scan', '--fail-on', 'severe'],
    exit: 2,
    stdout: /^$/,
    stderr: /severe/,
  },
  {
    name: 'a bad size is a usage error',
    args: ['scan', '--max-file-size', 'big'],
    exit: 2,
    stdout: /^$/,
    stderr: /expected a size/,
  },
  {
    name: 'an unknown command is a usage error',
    args: ['vet'],
    exit: 2,
    stdout: /^$/,
    stderr: /unknown command/,
  },
  {
    name: 'a missing config file is an input error',
    args: ['scan', '--config', 'nope.json'],
    exit: 2,
    stdout: /^$/,
    stderr: /nope\.json: no such configuration file/,
  },
  {
    name: 'a broken file makes the exit code 2 and is named',
    args: ['scan'],
    cwd: BROKEN,
    exit: 2,
    stdout: /package\.json:4:\d+\s+invalid JSON/,
  },
  {
    name: 'a missing path is reported, not thrown',
    args: ['scan', 'missing.js'],
    exit: 2,
    stdout: /missing\.js\s+no such file or directory/,
  },
  {
    name: 'stdin read as a named manifest',
    args: ['scan', '-', '--stdin-filename', 'package.json'],
    stdin: '{"dependencies":{"express":"4.17.1"}}',
    exit: 0,
    stdout: /express\s+4\.17\.1\s+declared/,
  },
  {
    name: 'a failed database download is an internal failure (3)',
    args: ['db', 'update', '--url', '%archives%', '--ecosystem', 'npm'],
    env: { VOUCH_CACHE_DIR: mkdtempSync(join(tmpdir(), 'vouch-cli-db-')) },
    exit: 3,
    stdout: /^npm +failed +http:\/\/127\.0\.0\.1:\d+\/osv\/npm\/all\.zip: HTTP 404; no database yet$/m,
  },
  { name: '--version', args: ['--version'], exit: 0, stdout: /^\d+\.\d+\.\d+/ },
  { name: 'help', args: ['scan', '--help'], exit: 0, stdout: /--fail-on <severity>/ },
];

describe('vouch CLI', () => {
  for (const row of table) {
    it(row.name, async () => {
      const args = row.args.map((arg) => arg.replace('%archives%', archives));
      const out = await run(args, { cwd: row.cwd ?? PHANTOM, stdin: row.stdin, env: row.env });
      expect(out.exit, out.stderr).toBe(row.exit);
      expect(out.stdout).toMatch(row.stdout);
      if (row.stderr) expect(out.stderr).toMatch(row.stderr);
      expect(out.stderr).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
    });
  }

  it('writes machine-clean JSON on stdout', async () => {
    // Offline: without a local database the OSV API would be asked, and warned about when unreachable.
    const out = await run(['scan', '--format', 'json', '--offline']);
    const result = JSON.parse(out.stdout);
    expect(result.schemaVersion).toBe(1);
    expect(result.findings).toHaveLength(1);
    expect(out.stderr).toBe('');
  });

  it('colours only when asked and never with NO_COLOR', async () => {
    const forced = await run(['scan'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[');
    const plain = await run(['scan'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).not.toContain('\x1b[');
  });

  it('stops reading standard input past --max-file-size and refuses it (exit 2)', async () => {
    const bin = fileURLToPath(new URL('../../bin/vouch.js', import.meta.url));
    const child = spawn(process.execPath, [bin, 'scan', '-', '--max-file-size', '1MB', '--no-registry'], {
      cwd: PHANTOM,
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    // An endless answer: without the limit the process would read (and hold) it until memory runs out.
    const block = Buffer.alloc(1 << 16, 'npm install left-pad\n');
    const feed = () => {
      while (child.stdin.writable && child.stdin.write(block));
    };
    child.stdin.on('drain', feed);
    child.stdin.on('error', () => {}); // EPIPE once the process stops reading
    feed();
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stdout).toMatch(/<stdin>\s+not read: larger than the size limit/);
  });

  it('exits with the same codes as a real process', () => {
    const bin = fileURLToPath(new URL('../../bin/vouch.js', import.meta.url));
    // --no-registry: the process reads the machine's npm configuration, and tests never touch the network.
    const child = spawnSync(process.execPath, [bin, 'scan', '--format', 'json', '--no-registry'], {
      cwd: PHANTOM,
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(1);
    expect(JSON.parse(child.stdout).findings[0].name).toBe('body-parser');
  });
});
