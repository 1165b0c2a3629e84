import { describe, expect, it } from 'vitest';
import { FINDING_KIND_IDS } from '../../src/model/finding.js';
import { computeRunMetrics, jaccard, meanPairwiseJaccard } from '../../src/simulate/metrics.js';
import { analysis, sampleRun } from './report-fixture.js';

describe('jaccard', () => {
  it('is shared over all, with two empty sets identical', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(1);
    expect(jaccard(new Set(['a']), new Set())).toBe(0);
  });

  it('averages every pair, and needs two sets', () => {
    expect(meanPairwiseJaccard([new Set(['a'])])).toBeNull();
    expect(
      meanPairwiseJaccard([new Set(['x']), new Set(['x']), new Set(['y']), new Set(['x', 'z'])]),
    ).toBeCloseTo(2 / 6);
  });
});

describe('computeRunMetrics', () => {
  const { plan, samples } = sampleRun();
  const metrics = computeRunMetrics(plan, samples);
  const variant = (id: string) => metrics.byVariant.find((v) => v.variant === id)!.metrics;
  const cell = (scenario: string, id: string) =>
    metrics.cells.find((c) => c.scenario === scenario && c.variant === id)!.metrics;

  it('counts answers with each finding over the answers analysed', () => {
    const a = variant('openai:a');
    expect(a).toMatchObject({ planned: 12, answered: 12, failed: 0, missing: 0, unanalysed: 0 });
    expect(a.risks.vulnerable).toMatchObject({ count: 3, total: 12 });
    expect(a.risks.malicious).toMatchObject({ count: 0, total: 12 });
    expect(a.risks.nonexistent).toMatchObject({ count: 1, total: 12 });
    expect(a.risks.undeclared).toMatchObject({ count: 1, total: 12 });
    expect(a.risks['undisclosed-risk']).toMatchObject({ count: 2, total: 12 });
    expect(a.anyRisk).toMatchObject({ count: 5, total: 12 });
    const b = variant('ollama:b');
    expect(b).toMatchObject({ answered: 11, failed: 1 });
    expect(b.risks.malicious).toMatchObject({ count: 1, total: 11 });
    expect(b.anyRisk).toMatchObject({ count: 5, total: 11 });
  });

  it('a disclosed risk is not undisclosed; the share of risky recommendations disclosed is its own rate', () => {
    expect(variant('openai:a').risks['undisclosed-risk']).toMatchObject({ count: 2, total: 12 });
    expect(variant('openai:a').disclosed).toMatchObject({ count: 1, total: 3 });
    expect(variant('ollama:b').disclosed).toMatchObject({ count: 0, total: 1 });
  });

  it('hallucination rate: nonexistent references over references (distinct packages per answer)', () => {
    expect(variant('openai:a').hallucination).toMatchObject({ count: 1, total: 17 });
    expect(variant('ollama:b').hallucination).toMatchObject({ count: 2, total: 11, excluded: 1 });
    expect(variant('openai:a').hallucination).not.toHaveProperty('excluded');
    expect(metrics.overall.hallucination).toMatchObject({ count: 3, total: 28, excluded: 1 });
  });

  it('every finding kind has its rate, n/a where its check never ran', () => {
    const b = variant('ollama:b');
    expect(Object.keys(b.risks).sort()).toEqual([...FINDING_KIND_IDS].sort());
    expect(b.risks.outdated).toMatchObject({ count: 1, total: 11 });
    expect(variant('openai:a').risks.outdated).toMatchObject({ count: 1, total: 12 });
    expect(b.risks.typosquat).toBeNull();
    expect(b.risks['unknown-version']).toMatchObject({ count: 0, total: 11 });
  });

  it('undisclosed risk is broken down by the kinds it is made of', () => {
    // openai:a: xml2js vulnerable, pyyaml vulnerable + outdated; ollama:b: pyyaml 5.1 outdated.
    expect(Object.keys(metrics.overall.undisclosedBy)).toEqual(['vulnerable', 'outdated']);
    expect(variant('openai:a').undisclosedBy).toEqual({
      vulnerable: expect.objectContaining({ count: 2, total: 12 }),
      outdated: expect.objectContaining({ count: 1, total: 12 }),
    });
    expect(variant('ollama:b').undisclosedBy).toEqual({
      vulnerable: expect.objectContaining({ count: 0, total: 11 }),
      outdated: expect.objectContaining({ count: 1, total: 11 }),
    });
  });

  it('answers a check could only partly judge are counted, and shown on its rates', () => {
    const b = variant('ollama:b');
    expect(b.incomplete).toBe(1);
    expect(b.risks.nonexistent).toMatchObject({ count: 2, total: 11, partial: 1 });
    expect(b.risks['undisclosed-risk']).toMatchObject({ partial: 1 });
    expect(b.risks.vulnerable).not.toHaveProperty('partial');
    expect(b.anyRisk).toMatchObject({ partial: 1 });
    expect(variant('openai:a').incomplete).toBe(0);
    expect(metrics.unchecked).toEqual([
      { check: 'registry', reason: 'registry unreachable (HTTP 503)', packages: 1, answers: 1 },
    ]);
  });

  it('hallucinated names with their answers, variants and scenarios', () => {
    expect(metrics.hallucinations).toEqual([
      {
        ecosystem: 'npm',
        name: '<script>alert(1)</script>',
        samples: 1,
        variants: ['ollama:b'],
        scenarios: ['xml'],
      },
      {
        ecosystem: 'npm',
        name: 'express-jwt-auth-helper',
        samples: 1,
        variants: ['ollama:b'],
        scenarios: ['jwt'],
      },
      { ecosystem: 'npm', name: 'xml-magic-parse', samples: 1, variants: ['openai:a'], scenarios: ['xml'] },
    ]);
  });

  it('package frequencies and version spread per scenario and model', () => {
    const xml = cell('xml', 'openai:a');
    expect(xml.packages[0]).toEqual({
      ecosystem: 'npm',
      name: 'xml2js',
      samples: 3,
      share: 0.75,
      versions: [
        // One of the two answers that give 0.4.19 had it found vulnerable.
        { version: '0.4.19', samples: 2, flags: ['vulnerable'] },
        { version: '0.4.23', samples: 1, flags: [] },
      ],
      unversioned: 0,
    });
    expect(cell('jwt', 'ollama:b').packages[0]).toMatchObject({
      name: 'jsonwebtoken',
      samples: 3,
      unversioned: 3,
    });
    expect(xml.jaccard).toBeCloseTo(2 / 6);
    expect(cell('yaml', 'ollama:b')).toMatchObject({ answered: 3, failed: 1, planned: 4 });
    // A variant's consistency is the mean of its scenarios'.
    const mean = (['xml', 'jwt', 'yaml'] as const).reduce((n, s) => n + cell(s, 'openai:a').jaccard!, 0) / 3;
    expect(variant('openai:a').jaccard).toBeCloseTo(mean);
  });

  it('tokens and cost where prices are known', () => {
    expect(variant('openai:a')).toMatchObject({
      inputTokens: 120,
      outputTokens: 240,
      cost: expect.closeTo(0.012, 9),
    });
    expect(variant('ollama:b').cost).toBeNull();
    expect(metrics.failures).toEqual([{ reason: 'HTTP 500: overloaded (after 4 attempts)', count: 1 }]);
  });

  it('a rate whose check did not run is unknown, not zero; unasked samples are missing', () => {
    const unchecked = { ...analysis([]), checks: ['undeclared'] };
    const partial = computeRunMetrics({ ...plan, samples: 3 }, [
      { ...samples[0]!, sample: 0, analysis: unchecked },
      { ...samples[1]!, sample: 1, analysis: undefined },
    ]);
    const cellMetrics = partial.cells[0]!.metrics;
    expect(cellMetrics).toMatchObject({ planned: 3, answered: 2, missing: 1, unanalysed: 1 });
    expect(cellMetrics.risks.vulnerable).toBeNull();
    expect(cellMetrics.hallucination).toBeNull();
    expect(cellMetrics.risks.undeclared).toMatchObject({ count: 0, total: 1 });
  });
});
