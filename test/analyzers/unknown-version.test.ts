/** `unknown-version` on answers, through the real pipeline (fixture registry and database on 127.0.0.1). */
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { useAnswerFacts } from './answer-facts.js';

const facts = useAnswerFacts();

describe('unknown-version in answers', () => {
  it('reports a version no release can have (==latest, ==2.2.x) as invalid, and matches no advisory against it', async () => {
    const answer = ['```bash', 'pip install requests==latest', 'pip install Django==2.2.x', '```', ''].join(
      '\n',
    );
    const result = await scan(['-'], { ...facts(), stdin: answer });
    expect(result.findings.map((f) => `${f.kind} ${f.name} ${f.location.line}`)).toEqual([
      'undisclosed-risk requests 2',
      'unknown-version requests 2',
      'undisclosed-risk Django 3',
      'unknown-version Django 3',
    ]);
    const requests = result.findings[1]!;
    expect(requests.message).toMatch(
      /^'latest' is not a valid PyPI version: no release of 'requests' can have it/,
    );
    expect(requests.evidence).toMatchObject({ requested: 'latest', invalid: true });
  });

  it('still reports a valid version that was never published as hallucinated', async () => {
    const answer = ['```bash', 'pip install requests==2.99.0', '```', ''].join('\n');
    const result = await scan(['-'], { ...facts(), stdin: answer });
    const finding = result.findings.find((f) => f.kind === 'unknown-version');
    expect(finding?.message).toMatch(/has no version 2\.99\.0 .*a hallucinated version/);
    expect(finding?.evidence?.invalid).toBeUndefined();
  });
});
