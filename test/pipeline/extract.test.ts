import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/model/result.js';
import { exitCodeFor } from '../../src/pipeline/policy.js';
import { scan } from '../../src/pipeline/scan.js';
import { REPORTERS } from '../../src/reporters/registry.js';
import { probeHidingText, writeTree } from '../helpers.js';

const SECRET = 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY';
const CREDENTIALS = `[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = ${SECRET}\n`;

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A repository under a home folder that holds a secret beside it: `home/.aws/credentials`, `home/repo/…`. */
function home(repo: Record<string, string>): { home: string; repo: string } {
  const root = mkdtempSync(join(tmpdir(), 'vouch-include-'));
  dirs.push(root);
  writeTree(root, { '.aws/credentials': CREDENTIALS });
  return { home: root, repo: writeTree(join(root, 'repo'), repo) };
}

/** Every output format of a result, for asserting that a secret appears in none. */
function everyFormat(result: ScanResult): string {
  return Object.values(REPORTERS)
    .map((reporter) => reporter(result, { color: false }))
    .join('\n');
}

function errorsOf(result: ScanResult): string[] {
  return result.errors.map((e) => `${e.file}:${e.line} ${e.message}`);
}

describe('includes never leave the tree', () => {
  it('refuses -r out of the scanned folder, naming the include, and quotes none of it', async () => {
    const { repo } = home({ 'requirements.txt': 'flask==2.0.0\n-r ../.aws/credentials\n' });
    const result = await scan(['.'], { cwd: repo });
    expect(errorsOf(result)).toEqual([
      'requirements.txt:2 cannot read requirements file "../.aws/credentials": refused: it leads out of the scanned folder',
    ]);
    expect(result.packages.map((p) => p.name)).toEqual(['flask']);
    expect(everyFormat(result)).not.toContain(SECRET);
    expect(exitCodeFor(result, 'none')).toBe(2);
  });

  it('follows symlinks before deciding: a link inside the tree to a file outside it is refused', async () => {
    const { home: root, repo } = home({ 'requirements.txt': '-c constraints/base.txt\n' });
    mkdirSync(join(repo, 'constraints'));
    symlinkSync(join(root, '.aws', 'credentials'), join(repo, 'constraints', 'base.txt'));
    const result = await scan(['requirements.txt'], { cwd: repo });
    expect(errorsOf(result)).toEqual([
      'requirements.txt:1 cannot read constraints file "constraints/base.txt": refused: it leads out of the scanned folder',
    ]);
    expect(everyFormat(result)).not.toContain(SECRET);
  });

  it('refuses an include into .git, where a CI checkout leaves its credentials', async () => {
    const { repo } = home({
      'requirements.txt': '-r .git/config\nrequests\n',
      '.git/config': '[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic c2VjcmV0LXRva2Vu\n',
    });
    const result = await scan(['.'], { cwd: repo });
    expect(errorsOf(result)).toEqual([
      'requirements.txt:1 cannot read requirements file ".git/config": refused: it is inside version-control metadata',
    ]);
    expect(everyFormat(result)).not.toContain('c2VjcmV0LXRva2Vu');
  });

  it('reads a regular include in the tree, and quotes only the name-shaped start of a line that is not a requirement', async () => {
    const { repo } = home({
      'requirements.txt': '-r base.txt\n',
      'base.txt': `django==4.2\naws_secret_access_key = ${SECRET}\n`,
    });
    const result = await scan(['.'], { cwd: repo });
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(
        /^requirements\.txt:1 base\.txt:2: invalid requirement starting "aws_secret_access_key": /,
      ),
    ]);
    expect(everyFormat(result)).not.toContain(SECRET);
  });

  it('refuses a FIFO or a device as an include instead of blocking or reading forever', async () => {
    const { repo } = home({ 'requirements.txt': '-r pipe.txt\n-r /dev/zero\n-r zero.txt\nflask\n' });
    execFileSync('mkfifo', [join(repo, 'pipe.txt')]);
    symlinkSync('/dev/zero', join(repo, 'zero.txt'));
    const result = await scan(['requirements.txt'], { cwd: repo });
    expect(errorsOf(result)).toEqual([
      'requirements.txt:1 cannot read requirements file "pipe.txt": not a regular file (a FIFO, socket or device)',
      'requirements.txt:2 cannot read requirements file "/dev/zero": refused: it leads out of the scanned folder',
      'requirements.txt:3 cannot read requirements file "zero.txt": refused: it leads out of the scanned folder',
    ]);
    expect(result.packages.map((p) => p.name)).toEqual(['flask']);
  });

  it('refuses setup.cfg file: and a POM <relativePath> that leave the scanned folder', async () => {
    const { home: root, repo } = home({
      'app/setup.cfg': '[options]\ninstall_requires = file: ../../.aws/credentials\n',
      'app/pom.xml': `<project><parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version>
<relativePath>../../outside/pom.xml</relativePath></parent><artifactId>a</artifactId></project>`,
    });
    writeTree(root, {
      'outside/pom.xml':
        '<project><groupId>g</groupId><artifactId>p</artifactId><version>1</version><properties><leak>x</leak></properties></project>',
    });
    const result = await scan(['app'], { cwd: repo });
    expect(errorsOf(result).sort()).toEqual([
      'app/pom.xml:2 <relativePath> "../../outside/pom.xml": refused: it leads out of the scanned folder',
      'app/setup.cfg:2 cannot read "../../.aws/credentials": refused: it leads out of the scanned folder',
    ]);
    expect(everyFormat(result)).not.toContain(SECRET);
  });

  it('does not look for Directory.Packages.props above the scanned folder', async () => {
    const { home: root, repo } = home({
      'src/App.csproj':
        '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Newtonsoft.Json" /></ItemGroup></Project>',
    });
    writeTree(root, {
      'Directory.Packages.props':
        '<Project><ItemGroup><PackageVersion Include="Newtonsoft.Json" Version="9.9.9" /></ItemGroup></Project>',
    });
    const inside = await scan(['.'], { cwd: repo });
    expect(inside.packages.map((p) => `${p.name} ${p.version ?? '-'}`)).toEqual(['Newtonsoft.Json -']);
  });

  it('an answer cannot include files, whatever its code blocks say', async () => {
    const { repo } = home({ 'secret.txt': `token = ${SECRET}\n` });
    const answer = '```requirements.txt\n-r secret.txt\n-r ../.aws/credentials\nflask\n```\n';
    const result = await scan(['-'], { cwd: repo, stdin: answer });
    expect(result.errors.map((e) => e.message)).toEqual([
      'in the requirements.txt code block: cannot read requirements file "secret.txt": refused: an answer cannot include files',
      'in the requirements.txt code block: cannot read requirements file "../.aws/credentials": refused: an answer cannot include files',
    ]);
    expect(everyFormat(result)).not.toContain(SECRET);
  });
});

describe('names', () => {
  it('a package name longer than any registry allows is refused with its line, and never checked', async () => {
    const { repo } = home({
      'Cargo.toml': `[package]\nname = "a"\n\n[dependencies]\n${'x'.repeat(600)} = "1"\nserde = "1"\n`,
    });
    const result = await scan(['.'], { cwd: repo });
    expect(result.packages.map((p) => p.name)).toEqual(['serde']);
    expect(errorsOf(result)).toEqual([
      `Cargo.toml:5 a package name longer than 512 characters ("${'x'.repeat(40)}…"): not checked`,
    ]);
  });
});

describe('text built to stall the parser', () => {
  it('is a per-file error naming the file, its imports still found and the other files read', async () => {
    // Every piece oxc-budget's probe reads alone hides its errors; oxc took over 5 minutes on 512 KB of it.
    const lead = "import leftPad from 'left-pad';\nconst isOdd = require('is-odd');\n";
    const { repo } = home({
      'package.json': '{"name":"app","dependencies":{"express":"4.0.0"}}',
      'src/stall.js': probeHidingText(1024 * 1024, lead),
      'src/server.js': "import express from 'express';\nimport chalk from 'chalk';\n",
    });
    const result = await scan(['.'], { cwd: repo });
    expect(errorsOf(result)).toEqual([
      'src/stall.js:1 the parser did not finish within 3.6 s (error-dense text, not JavaScript?): not parsed',
    ]);
    expect(
      result.findings.filter((f) => f.kind === 'undeclared').map((f) => `${f.name} ${f.location.file}`),
    ).toEqual(['chalk src/server.js', 'left-pad src/stall.js', 'is-odd src/stall.js']);
    expect(exitCodeFor(result, 'none')).toBe(2);
  });
});

describe('errors never flood the report', () => {
  it('lists at most 100 errors of one file and counts the rest', async () => {
    const { repo } = home({ 'package.json': '-'.repeat(5_000), 'requirements.txt': 'flask==2.0\n' });
    const result = await scan(['.'], { cwd: repo });
    const errors = result.errors.filter((e) => e.file === 'package.json');
    expect(errors).toHaveLength(101);
    expect(errors[100]!.message).toMatch(/^and \d+ more errors in this file, not listed$/);
    expect(result.packages.map((p) => p.name)).toEqual(['flask']);
    expect(exitCodeFor(result, 'none')).toBe(2);
  });
});
