import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PIECE } from '../src/extractors/oxc-budget.js';
import type { ExtractContext, Extractor, ExtractResult } from '../src/extractors/types.js';
import { trustedGit } from '../src/inputs/git.js';
import type { Finding } from '../src/model/finding.js';
import type { PackageRef } from '../src/model/package-ref.js';
import { RESULT_SCHEMA_VERSION, type ScanResult } from '../src/model/result.js';
import type { Severity } from '../src/model/severity.js';
import { notCheckedOf } from '../src/pipeline/policy.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export function fixturePath(...parts: string[]): string {
  return `${FIXTURES}${parts.join('/')}`;
}

/** A context for running one extractor alone: includes are read from disk, snippets are not expected. */
export function testContext(overrides: Partial<ExtractContext> = {}): ExtractContext {
  return {
    pythonImportMap: new Map(),
    readRelative: () => ({ error: 'no such file' }),
    extractSnippet: () => ({ refs: [], errors: [], facts: [] }),
    ...overrides,
  };
}

export function extractFixture(extractor: Extractor, ...parts: string[]): ExtractResult {
  const path = fixturePath(...parts);
  return extractor.extract({ path: parts.join('/'), text: readFileSync(path, 'utf8') }, testContext());
}

/** `npm:express@4.17.1 installed [dev] (git) as alias`: what a user reads off one ref. */
export function refSummary(ref: PackageRef): string {
  let text = `${ref.ecosystem}:${ref.name}`;
  if (ref.version !== undefined) text += `@${ref.version}`;
  if (ref.spec !== undefined) text += ` ${ref.spec}`;
  text += ` ${ref.source}`;
  if (ref.groups) text += ` [${ref.groups.join(',')}]`;
  if (ref.origin && ref.origin !== 'registry') text += ` (${ref.origin})`;
  if (ref.alias) text += ` as ${ref.alias}`;
  return text;
}

/** A finding as the phantom check reports it, at the given severity (for policy and reporter tests). */
export function findingAt(severity: Severity, overrides: Partial<Finding> = {}): Finding {
  return {
    kind: 'undeclared',
    severity,
    ecosystem: 'npm',
    name: 'body-parser',
    message: 'body-parser is imported but not declared',
    location: { file: 'src/server.js', line: 3 },
    ...overrides,
  };
}

/** A scan result with these findings and file errors and nothing else. */
export function resultWith(findings: Finding[], errors: ScanResult['errors'] = []): ScanResult {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: 'vouch', version: '0.0.0' },
    inputs: ['.'],
    packages: [],
    findings,
    errors,
    skipped: [],
    unchecked: [],
    checks: [],
    notChecked: notCheckedOf([], [], []),
    stats: { filesScanned: 1, bytesScanned: 1, durationMs: 1 },
  };
}

/** Writes files (path → content) under `root`, creating their folders; returns `root`. */
export function writeTree(root: string, files: Record<string, string | Buffer>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Git in a test repository: the machine's git, with an identity and without the system configuration. */
export function gitIn(dir: () => string): (...args: string[]) => Buffer {
  const git = trustedGit(process.env, []);
  return (...args) =>
    execFileSync(git, ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
      cwd: dir(),
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
    });
}

/**
 * JavaScript whose syntax errors oxc-budget's probe cannot see (issue 11): each piece the probe parses alone
 * starts with `)`, which closes the `f(` ending the piece before (a call in the whole text, an unrecoverable
 * error alone), so the probe's parse of the piece stops there; oxc's parse of the whole text reads on
 * through lines of stray backslashes, an error per character or two. `lead` (imports) opens the first piece.
 */
export function probeHidingText(size: number, lead = ''): string {
  const line = `${'\\'.repeat(7_999)}\n`;
  // The probe cuts a piece at the first line break at or after PIECE characters: here, the one after `f(`.
  const piece = (head: string): string => {
    let text = head;
    while (text.length + line.length <= PIECE) text += line;
    return `${text}${'\\'.repeat(PIECE - text.length - 2)}f(\n`;
  };
  let text = `${lead}${' '.repeat(PIECE - lead.length - 2)}f(\n`;
  while (text.length < size) text += piece(')\n');
  return `${text})\n`;
}
