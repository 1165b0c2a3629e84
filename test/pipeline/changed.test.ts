import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { gitIn } from '../helpers.js';

let repo: string;
const git = gitIn(() => repo);
const write = (path: string, text: string) => {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), text);
};

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'vouch-changed-'));
  git('init', '-q', '-b', 'main');
  write('requirements.txt', 'requests==2.32.3\n');
  write('app/utils.py', 'def helper():\n    return 1\n');
  write('app/main.py', 'import requests\n');
  write('packages/web/package.json', '{"name":"@shop/web","dependencies":{}}\n');
  write('packages/api/package.json', '{"name":"@shop/api","dependencies":{}}\n');
  write('package.json', '{"name":"shop","private":true,"workspaces":["packages/*"]}\n');
  write('packages/api/index.js', "import web from '@shop/web';\n");
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

const changedScan = (cwd = repo) => scan(['.'], { cwd, database: false, changedSince: 'HEAD' });
const names = (result: Awaited<ReturnType<typeof scan>>) => result.findings.map((f) => `${f.kind} ${f.name}`);

describe('changed-only scans', () => {
  it('knows the unchanged tree: local Python modules and workspace packages are not packages', async () => {
    write('app/main.py', 'import requests\nimport utils\nfrom app import utils as u\nimport yaml\n');
    write('packages/api/index.js', "import web from '@shop/web';\nimport ky from 'ky';\n");
    const result = await changedScan();
    expect(names(result).sort()).toEqual(['undeclared PyYAML', 'undeclared ky']);
    expect(result.changed?.files).toEqual(['app/main.py', 'packages/api/index.js']);
    expect(result.stats.filesScanned).toBe(2);
  });

  it('reports nothing, and reads nothing but context, when nothing changed', async () => {
    const result = await changedScan();
    expect(result.findings).toEqual([]);
    expect(result.changed).toMatchObject({ files: [], existing: 0 });
    expect(result.packages).toEqual([]);
  });

  it('shows paths from a subfolder as a full scan from there would', async () => {
    write('packages/api/index.js', "import chalk from 'chalk';\n");
    const result = await changedScan(join(repo, 'packages/api'));
    expect(result.findings.map((f) => `${f.name} ${f.location.file}`)).toEqual(['chalk index.js']);
  });

  it('refuses standard input', async () => {
    await expect(scan(['-'], { cwd: repo, stdin: 'x', changedSince: 'HEAD' })).rejects.toThrow(
      /--changed-since scans files of a git repository/,
    );
  });
});
