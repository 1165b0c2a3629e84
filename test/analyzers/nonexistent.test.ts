/**
 * `nonexistent` on answers, through the real pipeline (fixture registry on 127.0.0.1): one problem, one
 * finding.
 */
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { useAnswerFacts } from './answer-facts.js';

const facts = useAnswerFacts();

describe('nonexistent in answers', () => {
  it('reports a hallucinated import as nonexistent only, with undeclared in its evidence', async () => {
    const answer = ['```python', 'import requests', 'import fastjsonx', '```', ''].join('\n');
    const result = await scan(['-'], { ...facts(), stdin: answer, database: false });
    expect(result.findings.map((f) => `${f.kind} ${f.name} ${f.location.line}`)).toEqual([
      // requests is imported but never installed: that is its own problem.
      'undeclared requests 2',
      'nonexistent fastjsonx 3',
      'undisclosed-risk fastjsonx 3',
    ]);
    const nonexistent = result.findings.find((f) => f.kind === 'nonexistent');
    expect(nonexistent?.evidence).toMatchObject({ why: 'not-found', undeclared: true });
  });

  it('keeps undeclared out of the evidence when the answer installs the missing package', async () => {
    const answer = ['```bash', 'pip install fastjsonx', '```', '```python', 'import fastjsonx', '```'].join(
      '\n',
    );
    const result = await scan(['-'], { ...facts(), stdin: answer, database: false });
    expect(result.findings.map((f) => `${f.kind} ${f.name} ${f.location.line}`)).toEqual([
      'nonexistent fastjsonx 2',
      'undisclosed-risk fastjsonx 2',
    ]);
    expect(result.findings[0]?.evidence?.undeclared).toBeUndefined();
  });
});
