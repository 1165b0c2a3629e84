import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exitCodeFor } from '../../src/pipeline/policy.js';
import { scan } from '../../src/pipeline/scan.js';
import { runOffline } from '../cli/run-cli.js';
import { writeTree } from '../helpers.js';

/**
 * Files whose opening fails as on a runner where they are mode 000 (EACCES): the tests run as root, which
 * reads any file, so the refusal is made at the I/O boundary, the one `open` Vouch reads files through.
 */
const refused = vi.hoisted(() => new Set<string>());
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = ((path: Parameters<typeof fs.openSync>[0], ...rest: unknown[]) => {
    if (typeof path === 'string' && refused.has(path))
      throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
    return (fs.openSync as (...args: unknown[]) => number)(path, ...rest);
  }) as typeof fs.openSync;
  return { ...fs, default: { ...fs, openSync }, openSync };
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  refused.clear();
});

function tree(files: Record<string, string | Buffer>): string {
  dir = writeTree(mkdtempSync(join(tmpdir(), 'vouch-policy-')), files);
  return dir;
}

describe('the gate never passes on missing evidence', () => {
  it('a manifest skipped for a NUL byte fails the gate (exit 2) and is named', async () => {
    const cwd = tree({
      'requirements.txt': Buffer.concat([Buffer.from('flask==0.1\n'), Buffer.from([0]), Buffer.from('x\n')]),
      'app.py': 'import flask\n',
    });
    const out = await runOffline(['scan', '.'], cwd);
    expect(out.exit).toBe(2);
    expect(out.stdout).toMatch(
      /Not read, so the scan is incomplete \(1\)\n\s+requirements\.txt\s+manifest: binary/,
    );
  });

  it('a lockfile over the size limit fails the gate', async () => {
    const cwd = tree({
      'package.json': '{"name":"app","dependencies":{"left-pad":"^1.0.0"}}',
      'package-lock.json': `{"lockfileVersion":3,"packages":{},"padding":"${'x'.repeat(5000)}"}`,
    });
    const result = await scan(['.'], { cwd, maxFileSize: 4096 });
    expect(result.skipped).toEqual([{ file: 'package-lock.json', reason: 'too-large', kind: 'lockfile' }]);
    expect(exitCodeFor(result, 'none')).toBe(2);
  });

  it('a FIFO in place of a manifest is skipped, listed and fails the gate (the scan does not hang)', async () => {
    const cwd = tree({ 'app.py': 'import flask\n' });
    execFileSync('mkfifo', [join(cwd, 'requirements.txt')]);
    const out = await runOffline(['scan', '.', '--format', 'json'], cwd);
    expect(out.exit).toBe(2);
    expect(JSON.parse(out.stdout).skipped).toEqual([
      { file: 'requirements.txt', reason: 'not-a-regular-file', kind: 'manifest' },
    ]);
  });

  it('a manifest that cannot be opened (permission denied) fails the gate (exit 2) and is named', async () => {
    const cwd = tree({
      'requirements.txt': 'flask==0.1\n',
      'package.json': '{"name":"app","dependencies":{}}',
      'app.py': 'import flask\n',
    });
    refused.add(join(cwd, 'requirements.txt'));
    const out = await runOffline(['scan', '.', '--format', 'json'], cwd);
    expect(out.exit, out.stderr).toBe(2);
    const result = JSON.parse(out.stdout);
    expect(result.skipped).toEqual([{ file: 'requirements.txt', reason: 'unreadable', kind: 'manifest' }]);
    // The table names it too, among what was not read.
    const table = await runOffline(['scan', '.'], cwd);
    expect(table.exit).toBe(2);
    expect(table.stdout).toMatch(
      /Not read, so the scan is incomplete \(1\)\n\s+requirements\.txt\s+manifest: /,
    );
  });

  it('a folder skipped for a name that is not UTF-8 fails the gate', async () => {
    const cwd = tree({ 'package.json': '{"name":"app"}' });
    const bad = Buffer.concat([Buffer.from(cwd), Buffer.from('/svc-'), Buffer.from([0xc3, 0x28])]);
    mkdirSync(bad);
    writeFileSync(Buffer.concat([bad, Buffer.from('/package.json')]), '{"dependencies":{"evil":"1"}}');
    const out = await runOffline(['scan', '.'], cwd);
    expect(out.exit).toBe(2);
    expect(out.stdout).toMatch(/svc-\uFFFD\(\s+folder: its name is not valid UTF-8/);
  });

  it('a skipped source file is listed but does not fail the gate', async () => {
    const cwd = tree({
      'package.json': '{"name":"app"}',
      'dist/blob.js': Buffer.from([0x72, 0x00, 0x01]),
    });
    const out = await runOffline(['scan', '.'], cwd);
    expect(out.exit).toBe(0);
    expect(out.stdout).toMatch(/Skipped \(1\)\n\s+dist\/blob\.js\s+binary/);
  });

  it('a file named on the command line that cannot be read is an input error', async () => {
    const cwd = tree({ 'big.md': `npm install left-pad\n${'x'.repeat(5000)}` });
    const result = await scan(['big.md'], { cwd, maxFileSize: 1000 });
    expect(result.errors).toEqual([
      { file: 'big.md', message: expect.stringMatching(/^not read: larger than/) },
    ]);
  });

  it('standard input over --max-file-size is read no further and refused', async () => {
    const cwd = tree({});
    const out = await runOffline(
      ['scan', '-', '--max-file-size', '1KB'],
      cwd,
      `npm install a\n${'x'.repeat(10_000)}`,
    );
    expect(out.stdinLimit).toBe(1024);
    expect(out.exit).toBe(2);
    expect(out.stdout).toMatch(/<stdin>\s+not read: larger than the size limit/);
  });
});
