import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/pipeline/scan.js';
import { fixturePath, writeTree } from '../helpers.js';

function findingsOf(result: ScanResult): string[] {
  return result.findings.map(
    (f) => `${f.kind} ${f.severity} ${f.name} ${f.location.file}:${f.location.line}`,
  );
}

describe('scan: phantom imports in a repository', () => {
  it('flags an import that package.json does not declare', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/phantom-npm') });
    expect(findingsOf(result)).toEqual(['undeclared medium body-parser src/server.js:3']);
    expect(result.findings[0]?.message).toBe(
      "'body-parser' is imported but it is not declared in package.json; to declare it: npm install body-parser",
    );
    expect(result.errors).toEqual([]);
    expect(result.checks).toEqual(
      expect.arrayContaining([
        { id: 'undeclared', status: 'ran' },
        { id: 'transitive-only', status: 'ran' },
      ]),
    );
  });

  it('checks each workspace file against its nearest manifest and the workspace root', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/monorepo') });
    // lodash: the sibling workspace @mono/a declares it, and npm's hoisting lets it load here (low).
    expect(findingsOf(result).sort()).toEqual([
      'undeclared low ky packages/b/src/index.ts:5',
      'undeclared low lodash packages/b/src/index.ts:3',
      'undeclared medium chalk packages/b/src/index.ts:13',
    ]);
    const imported = result.packages.filter((p) => p.source === 'imported').map((p) => p.importName);
    // Workspace packages, the package's own name, tsconfig aliases and builtins are not packages.
    expect(imported).not.toContain('@mono/a');
    expect(imported).not.toContain('@mono/a/helpers');
    expect(imported).not.toContain('@app/util');
    expect(imported).not.toContain('node:fs/promises');
    expect(imported).not.toContain('path');
    expect(imported).toContain('lodash/merge');
    expect(result.findings.find((f) => f.name === 'ky')?.evidence).toMatchObject({ typeOnly: true });
  });

  it('looks past a package.json that only marks the module type', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/nested-type-marker') });
    expect(findingsOf(result)).toEqual(['undeclared medium chalk lib/esm/index.js:2']);
  });

  it('reads the manifests above a single file given on its own', async () => {
    const cwd = fixturePath('scan/monorepo');
    const result = await scan(['packages/b/src/index.ts'], { cwd });
    // The sibling workspace is not read when one file is scanned: nothing says lodash loads by hoisting.
    expect(findingsOf(result).sort()).toEqual([
      'undeclared low ky packages/b/src/index.ts:5',
      'undeclared medium chalk packages/b/src/index.ts:13',
      'undeclared medium lodash packages/b/src/index.ts:3',
    ]);
    // Context manifests inform the check but are not the user's target: their packages are not listed.
    expect(result.packages.every((p) => p.location.file === 'packages/b/src/index.ts')).toBe(true);
  });

  it('keeps going past a broken file and reports it with its line', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/broken-manifest') });
    expect(result.errors).toEqual([
      expect.objectContaining({ file: 'package.json', line: 4, extractor: 'npm/package-json' }),
    ]);
  });

  it('reports a missing input as a per-file error and scans the rest', async () => {
    const result = await scan(['nope.js', '.'], { cwd: fixturePath('scan/phantom-npm') });
    expect(result.errors).toEqual([{ file: 'nope.js', message: 'no such file or directory' }]);
    expect(result.findings.length).toBe(1);
  });
});

describe('scan: walking folders', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function tree(files: Record<string, string | Buffer>): string {
    dir = writeTree(mkdtempSync(join(tmpdir(), 'vouch-walk-')), files);
    return dir;
  }

  it('honours .gitignore, skips dependency and virtualenv folders', async () => {
    const cwd = tree({
      'package.json': '{"name":"x"}',
      '.gitignore': 'generated/\n*.min.js\n',
      'src/a.js': "require('kept')",
      'src/b.min.js': "require('ignored-by-pattern')",
      'generated/c.js': "require('ignored-folder')",
      'node_modules/dep/index.js': "require('in-node-modules')",
      'env/pyvenv.cfg': 'home = /usr/bin',
      'env/lib/site.js': "require('in-venv')",
      'sub/.gitignore': 'local.js\n',
      'sub/local.js': "require('ignored-nested')",
      'sub/other.js': "require('kept-nested')",
    });
    const result = await scan(['.'], { cwd });
    const names = result.packages.map((p) => p.name).sort();
    expect(names).toEqual(['kept', 'kept-nested']);
    const all = await scan(['.'], { cwd, gitignore: false });
    expect(all.packages.map((p) => p.name).sort()).toEqual([
      'ignored-by-pattern',
      'ignored-folder',
      'ignored-nested',
      'kept',
      'kept-nested',
    ]);
  });

  it('skips binary and oversized files and says so; --exclude drops paths', async () => {
    const cwd = tree({
      'package.json': '{"name":"x"}',
      'bin.js': Buffer.from([0x72, 0x65, 0x00, 0x01, 0x02]),
      'big.js': `require('big');\n${'// padding\n'.repeat(2000)}`,
      'fixtures/bad.js': "require('excluded')",
      'ok.js': "require('ok')",
    });
    const result = await scan(['.'], { cwd, maxFileSize: 4096, exclude: ['fixtures/'] });
    expect(result.packages.map((p) => p.name)).toEqual(['ok']);
    expect(result.skipped).toEqual([
      { file: 'big.js', reason: 'too-large', kind: 'source' },
      { file: 'bin.js', reason: 'binary', kind: 'source' },
    ]);
  });

  it('never follows symlinks out of the tree or into loops', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'vouch-outside-'));
    writeFileSync(join(outside, 'secret.js'), "require('outside')");
    const cwd = tree({ 'package.json': '{"name":"x"}', 'src/a.js': "require('inside')" });
    symlinkSync(outside, join(cwd, 'src', 'out'));
    symlinkSync(join(outside, 'secret.js'), join(cwd, 'src', 'secret.js'));
    symlinkSync(cwd, join(cwd, 'src', 'loop'));
    symlinkSync(join(cwd, 'src', 'a.js'), join(cwd, 'alias.js'));
    try {
      const result = await scan(['.'], { cwd });
      expect(result.packages.map((p) => `${p.name} ${p.location.file}`).sort()).toEqual([
        'inside alias.js',
        'inside src/a.js',
      ]);
      expect(result.skipped).toEqual(
        expect.arrayContaining([
          { file: 'src/out', reason: 'symlink-outside-root', kind: 'folder' },
          { file: 'src/secret.js', reason: 'symlink-outside-root', kind: 'source' },
          { file: 'src/loop', reason: 'symlink-loop', kind: 'folder' },
        ]),
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('scan: transitive-only imports', () => {
  it('reports the chain from the project to a package only the lockfile installs', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/transitive-npm') });
    expect(findingsOf(result).sort()).toEqual([
      'transitive-only low body-parser src/server.js:2',
      'transitive-only low debug src/server.js:3',
      'undeclared medium left-pad src/server.js:4',
    ]);
    const bodyParser = result.findings.find((f) => f.name === 'body-parser');
    expect(bodyParser?.evidence).toMatchObject({
      chain: ['phantom-app', 'express', 'body-parser'],
      lockfile: 'package-lock.json',
    });
    expect(bodyParser?.message).toContain('phantom-app → express → body-parser');
  });

  it('treats a folder with pnpm-workspace.yaml as the workspace root', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/pnpm-workspace') });
    expect(findingsOf(result).sort()).toEqual([
      // pnpm links only what a package declares: the import fails, so it is not the low of npm's hoisting.
      'transitive-only medium form-data packages/web/src/index.ts:3',
      'undeclared medium zod packages/web/src/index.ts:4',
    ]);
    expect(result.findings.find((f) => f.name === 'form-data')?.evidence).toMatchObject({
      chain: ['@mono/web', 'axios', 'form-data'],
      lockfile: 'pnpm-lock.yaml',
    });
  });
});

describe('scan: Python projects', () => {
  it('accepts any distribution that installs the imported package, and softens optional imports', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/python-alternatives') });
    expect(findingsOf(result).sort()).toEqual([
      'undeclared info ujson app/db.py:6',
      'undeclared medium numpy app/db.py:4',
    ]);
    expect(result.findings.find((f) => f.name === 'numpy')?.inferred).toBe(true);
  });
  it('reads every file of a requirements/ folder as a manifest of the folder it sits in and below', async () => {
    // requirements/base.txt and dev.txt cover the whole tree; tools/requirements/ covers tools/ only.
    const result = await scan(['.'], { cwd: fixturePath('scan/python-requirements-folder') });
    expect(findingsOf(result).sort()).toEqual([
      'undeclared medium PyYAML service/app/config.py:1',
      'undeclared medium flask service/app/main.py:3',
    ]);
    expect(result.findings[0]?.message).toMatch(
      /not declared in requirements\/base\.txt, requirements\/dev\.txt; to declare it: add the line "PyYAML" to requirements\/base\.txt$/,
    );
  });
});
