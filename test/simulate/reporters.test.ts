import { describe, expect, it } from 'vitest';
import { computeRunMetrics } from '../../src/simulate/metrics.js';
import { SIMULATION_REPORTERS } from '../../src/simulate/report/index.js';
import type { SimulationReport } from '../../src/simulate/report/model.js';
import { sampleRun } from './report-fixture.js';

const { plan, samples } = sampleRun();
const single: SimulationReport = { runs: [{ label: 'run-1', metrics: computeRunMetrics(plan, samples) }] };
const pair: SimulationReport = {
  runs: [
    single.runs[0]!,
    {
      label: 'run-2',
      metrics: computeRunMetrics(
        plan,
        samples.filter((s) => s.model === 'openai:a'),
      ),
    },
  ],
};
const render = (format: keyof typeof SIMULATION_REPORTERS, report = single) =>
  SIMULATION_REPORTERS[format](report, { color: false });

describe('simulation reporters', () => {
  it('table: rates per model with intervals and counts, scenarios with packages, failures', () => {
    const text = render('table');
    expect(text).toContain('3 scenarios × 2 variants × 4 samples = 24 planned, 23 answered, 1 failed');
    expect(text).toMatch(/openai:a\s+12\s+25\.0% \[8\.9%–53\.2%\] \(3\/12\)/);
    expect(text).toMatch(/hallucination rate/);
    expect(text).toMatch(/xml\s+openai:a\s+4\s+50\.0% \[15\.0%–85\.0%\]/);
    expect(text).toContain('xml2js ×3 (0.4.19 ×2, 0.4.23 ×1)');
    expect(text).toContain('×1 HTTP 500: overloaded (after 4 attempts)');
    expect(text).not.toContain('\x1b[');
    expect(text).not.toContain('run-1');
  });

  it('markdown: tables whose cells cannot break the table', () => {
    const text = render('markdown');
    expect(text).toContain('| variant | answers | vulnerable |');
    expect(text).toContain('| openai:a | 12 | 25.0% [8.9%–53.2%] (3/12) |');
    expect(text).toContain('### jwt');
    expect(text).toContain('| openai:a | npm:jsonwebtoken | 3/4 | 2 | 9.0.2 ×2, 8.5.1 ×1 |');
  });

  it('json: the metrics as computed', () => {
    const doc = JSON.parse(render('json'));
    expect(doc).toMatchObject({ kind: 'vouch-simulation-report', version: 1 });
    expect(doc.metrics).toEqual(JSON.parse(JSON.stringify(single.runs[0]!.metrics)));
    expect(doc).not.toHaveProperty('runs');
    const compared = JSON.parse(render('json', pair));
    expect(compared).toMatchObject({ kind: 'vouch-simulation-comparison', version: 1 });
    expect(compared.runs.map((r: { run: string }) => r.run)).toEqual(['run-1', 'run-2']);
  });

  it('html: one file, nothing fetched, hostile names escaped, three charts', () => {
    const html = render('html');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/(?:src|href)="(?!data:)[^"]*"/);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('npm:&lt;script&gt;alert(1)&lt;/script&gt;');
    for (const chart of ['rates', 'heatmap', 'versions']) expect(html).toContain(`data-chart="${chart}"`);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('compare: every run’s variants side by side, labelled with the run', () => {
    const text = render('table', pair);
    expect(text).toContain('run-1: 3 scenarios × 2 variants');
    expect(text).toContain(
      'run-2: 3 scenarios × 2 variants × 4 samples = 24 planned, 12 answered, 0 failed, 12 not asked yet',
    );
    expect(text).toMatch(/run-1 · ollama:b\s+11/);
    expect(text).toMatch(/run-2 · ollama:b\s+0\s+n\/a/);
    expect(render('html', pair)).toContain('Vouch simulation comparison');
    expect(render('markdown', pair)).toContain('| run-2 · openai:a | 12 |');
  });
});
