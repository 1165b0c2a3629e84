/**
 * `check` over a folder of labelled answers, for the labelled-answers test, with a snapshot for mutation
 * testing of the disclosure rules (`npm run mutate disclosure`, docs/mutation.md).
 *
 * Only the undisclosed-risk analyzer can differ between two mutants of `answer-warnings.ts` and
 * `undisclosed-risk.ts`, yet every mutant would import the whole pipeline again and run it over eighty
 * answers: seconds each, ten hours for the module on two loaded cores. So scripts/mutate.mjs first runs the
 * labelled test on the unmutated source with `VOUCH_DISCLOSURE_SNAPSHOT=write:<dir>`: the pipeline runs as
 * always, and what undisclosed-risk was given (the answers' references and texts, the other analyzers'
 * findings) is saved with the result, after checking that the analyzer over the saved input gives back
 * exactly the pipeline's entries. The mutants then run with `read:<dir>`: the saved result, its
 * undisclosed-/disclosed-risk entries replaced by what the (mutated) analyzer says about the saved input,
 * judged anew by each test that asks (so that Stryker sees which tests reach which mutant, and runs only
 * those). Without the variable (`npm test`), every run is the whole pipeline, once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { vi } from 'vitest';
import type { AnalysisContext } from '../../src/analyzers/types.js';
import { undisclosedRisk } from '../../src/analyzers/undisclosed-risk.js';
import type { Finding } from '../../src/model/finding.js';
import type { PackageRef } from '../../src/model/package-ref.js';
import type { CheckResult } from '../../src/pipeline/check.js';

interface Snapshot {
  result: CheckResult;
  input: { refs: PackageRef[]; findings: Finding[]; documents: [string, string][] };
}

const JUDGED = new Set(['undisclosed-risk', 'disclosed-risk']);

/** What `check` would give if undisclosed-risk judged the saved input as it does now. */
function rejudge({ result, input }: Snapshot): CheckResult {
  const { findings } = undisclosedRisk.analyze({
    refs: input.refs,
    findings: input.findings,
    documents: new Map(input.documents),
    // undisclosed-risk never asks the resolver.
    phantom: undefined as never,
  });
  return { ...result, findings: [...result.findings.filter((f) => !JUDGED.has(f.kind)), ...findings] };
}

/** The findings as a list that does not depend on their order (ties in the report's sort). */
const unordered = (findings: readonly Finding[]) => findings.map((f) => JSON.stringify(f)).sort();

function mode(): { write: boolean; dir: string } | undefined {
  const value = process.env.VOUCH_DISCLOSURE_SNAPSHOT;
  if (!value) return undefined;
  const match = /^(read|write):(.+)$/.exec(value);
  if (!match) throw new Error(`VOUCH_DISCLOSURE_SNAPSHOT is read:<dir> or write:<dir>, not ${value}`);
  return { write: match[1] === 'write', dir: match[2]! };
}

/**
 * A function that checks the `.md` answers of a folder as `check` does, and gives what gives the result.
 * Call it at the top of a test file: it sets up the fixture database and registry (in `beforeAll`) unless
 * the snapshot is read.
 */
export async function answerChecker(): Promise<(files: string[], dir: string) => Promise<() => CheckResult>> {
  const snapshot = mode();
  const fileOf = (dir: string) => join(snapshot!.dir, `${basename(dir)}.json`);
  if (snapshot && !snapshot.write) {
    return async (_files, dir) => {
      const saved = JSON.parse(readFileSync(fileOf(dir), 'utf8')) as Snapshot;
      return () => rejudge(saved);
    };
  }
  // Imported here, so that reading the snapshot never loads the pipeline.
  const { useAnswerFacts } = await import('./answer-facts.js');
  const { check } = await import('../../src/pipeline/check.js');
  const facts = useAnswerFacts();
  return async (files, dir) => {
    if (!snapshot) {
      const result = await check(files, { cwd: dir, ...facts() });
      return () => result;
    }
    const spy = vi.spyOn(undisclosedRisk, 'analyze');
    let result: CheckResult;
    let context: AnalysisContext;
    try {
      result = await check(files, { cwd: dir, ...facts() });
      ensure(spy.mock.calls.length === 1, `undisclosed-risk ran ${spy.mock.calls.length} times`);
      context = spy.mock.calls[0]![0];
    } finally {
      spy.mockRestore();
    }
    const saved: Snapshot = JSON.parse(
      JSON.stringify({
        result,
        input: {
          refs: context.refs,
          findings: context.findings ?? [],
          documents: [...(context.documents ?? new Map())],
        },
      }),
    );
    const again = JSON.stringify(unordered(rejudge(saved).findings));
    ensure(
      again === JSON.stringify(unordered(JSON.parse(JSON.stringify(result.findings)))),
      "undisclosed-risk over the saved input does not give back the pipeline's findings",
    );
    mkdirSync(snapshot.dir, { recursive: true });
    writeFileSync(fileOf(dir), JSON.stringify(saved));
    return () => result;
  };
}

function ensure(ok: boolean, message: string): void {
  if (!ok) throw new Error(`disclosure snapshot: ${message}`);
}
