/**
 * Lists every skipped test after vitest's own summary, with the reason it was skipped (the note of
 * `context.skip(note)`, test/prerequisites.ts), so that a run that exits 0 says what it did not check.
 * A skip without a reason is listed as such. In CI (`CI=true`) any skipped test fails the run.
 */
import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { IN_CI } from './ci.js';

export default class SkipReporter implements Reporter {
  /** `-t PATTERN` skips the tests it does not name: those are the developer's choice, not missing checks. */
  private byName = false;

  onInit(vitest: Vitest): void {
    this.byName = vitest.config.testNamePattern !== undefined;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    let count = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped' || (this.byName && result.note === undefined)) continue;
        count++;
        const file = relative(process.cwd(), module.moduleId);
        lines.push(`  ${file} > ${test.fullName}: ${result.note ?? 'no reason given'}`);
      }
    }
    if (count === 0) return;
    const tests = `${count} test${count === 1 ? '' : 's'}`;
    if (IN_CI) {
      // test/prerequisites.ts fails its tests in CI; any other skip (a stray it.skip) must not pass either.
      process.stdout.write(`\nCI=true, yet ${tests} skipped: the run fails\n${lines.join('\n')}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(
      `\nSkipped ${tests} (in CI, with CI=true, each fails instead):\n${lines.join('\n')}\n`,
    );
  }
}
