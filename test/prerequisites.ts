/**
 * Evidence a test needs that the project does not carry: the data in ../shared, Debian's Chromium, npm.
 * Locally a suite whose evidence is missing is skipped with the reason (test/skip-reporter.ts prints every
 * skip and why); in CI (`CI=true`) it fails, naming what is missing, so the strongest evidence cannot go
 * missing while the run stays green.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { IN_CI } from './ci.js';

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * ../shared beside the project root. VOUCH_TEST_SHARED_DIR points elsewhere: the test of this guard uses it
 * to run a suite against a folder that does not exist.
 */
export const SHARED_DIR = resolve(process.env.VOUCH_TEST_SHARED_DIR ?? resolve(PROJECT_ROOT, '../shared'));

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}

/** One piece of evidence: what it is, and why it is missing (undefined when it is there). */
export interface Prerequisite {
  what: string;
  missing: string | undefined;
}

/** A file or folder under ../shared, and its path. */
export function sharedData(what: string, ...parts: string[]): Prerequisite & { path: string } {
  const path = sharedPath(...parts);
  return { what, path, missing: existsSync(path) ? undefined : `${path} is absent` };
}

/** The top-PyPI-packages list, as `vouch db update` downloads it; several suites read it. */
export const TOP_PYPI = sharedData(
  'the top-PyPI-packages list in ../shared',
  'data',
  'python',
  'top-pypi-packages.min.json',
);

/** A prerequisite decided by the caller (a program on this machine, an installed package). */
export function prerequisite(what: string, missing: string | undefined): Prerequisite {
  return { what, missing };
}

/** The sentence a skip or a CI failure says: each missing piece, with why. */
export function missingEvidence(needs: Prerequisite[]): string | undefined {
  const missing = needs.filter((need) => need.missing !== undefined);
  if (missing.length === 0) return undefined;
  return `needs ${missing.map((need) => `${need.what} (${need.missing})`).join(' and ')}`;
}

/** The test that stands for those that cannot run: it fails in CI, and is skipped with the reason elsewhere. */
function absent(name: string, reason: string): void {
  if (IN_CI) {
    it(name, () => {
      throw new Error(`missing evidence in CI (CI=true): ${reason}`);
    });
  } else {
    it(name, (context) => context.skip(reason));
  }
}

/**
 * `describe(name, body)` when every prerequisite is present. Otherwise one test stands for the suite (its
 * body is not run: it may read the missing files while collecting): it fails in CI and is skipped with the
 * reason elsewhere.
 */
export function describeWith(needs: Prerequisite | Prerequisite[], name: string, body: () => void): void {
  const reason = missingEvidence([needs].flat());
  if (reason === undefined) {
    describe(name, body);
    return;
  }
  describe(name, () => absent('has the evidence it needs', reason));
}

/** `it(name, fn)` when every prerequisite is present; otherwise as `describeWith`. */
export function itWith(
  needs: Prerequisite | Prerequisite[],
  name: string,
  fn: () => unknown,
  timeout?: number,
): void {
  const reason = missingEvidence([needs].flat());
  if (reason === undefined) it(name, fn, timeout);
  else absent(name, reason);
}
