import { describe, expect, it } from 'vitest';
import { FINDING_KIND_IDS } from '../../src/model/finding.js';
import { escapeHtml, escapeMarkdown, plain } from '../../src/reporters/escape.js';
import { computeRunMetrics, isInfoKind } from '../../src/simulate/metrics.js';
import { SIMULATION_REPORTERS } from '../../src/simulate/report/index.js';
import {
  buildReport,
  type ReportRun,
  type SimulationReport,
  sampleViews,
} from '../../src/simulate/report/model.js';
import { csvField } from '../../src/simulate/report/text.js';
import { sampleRun } from './report-fixture.js';

const { plan, samples } = sampleRun();
const metrics = computeRunMetrics(plan, samples);
const run1: ReportRun = { label: 'run-1', metrics, samples: sampleViews(metrics, samples) };
const secondMetrics = computeRunMetrics(
  plan,
  samples.filter((s) => s.model === 'openai:a'),
);
const single = buildReport([run1]);
const pair = buildReport([run1, { label: 'run-2', metrics: secondMetrics }]);
const render = (format: keyof typeof SIMULATION_REPORTERS, report: SimulationReport = single) =>
  SIMULATION_REPORTERS[format](report, { color: false });

describe('simulation reporters', () => {
  it('table: where the samples went, rates per model with intervals and counts, scenarios, failures', () => {
    const text = render('table');
    expect(text).toContain(
      '3 scenarios × 2 variants × 4 samples = 24 planned, 23 answered, 1 failed, 1 partly checked',
    );
    expect(text).toMatch(/ollama:b\s+12\s+11\s+1\s+0\s+0\s+11\s+1\s+0\n/);
    expect(text).toMatch(/openai:a\s+12\s+25\.0% \[8\.9%–53\.2%\] \(3\/12\)/);
    expect(text).toContain('vulnerable ↓');
    expect(text).toContain('risks disclosed ↑');
    expect(text).toContain('↓ lower is better, ↑ higher is better');
    // A rate the registry could not fully see says so.
    expect(text).toContain('18.2% [5.1%–47.7%] (2/11; 1 partial)');
    expect(text).toContain('18.2% [5.1%–47.7%] (2/11; 1 not checked)');
    expect(text).toMatch(/xml\s+openai:a\s+4\s+50\.0% \[15\.0%–85\.0%\]/);
    expect(text).toContain('xml2js ×3 (0.4.19 ×2 [vulnerable], 0.4.23 ×1)');
    expect(text).toContain('registry: 1 package in 1 answer: registry unreachable (HTTP 503)');
    expect(text).toContain('×1 HTTP 500: overloaded (after 4 attempts)');
    expect(text).not.toContain('\x1b[');
    expect(text).not.toContain('run-1');
  });

  it('every finding kind, and what undisclosed risk is made of, in every format', () => {
    const table = render('table');
    // An informational kind (disclosed-risk) is neither better nor worse higher: it has no arrow.
    for (const kind of FINDING_KIND_IDS)
      expect(table).toMatch(new RegExp(`^${kind}${isInfoKind(kind) ? '' : ' ↓'} `, 'm'));
    expect(table).toMatch(
      /^outdated ↓\s+8\.3% \[1\.5%–35\.4%\] \(1\/12\)\s+9\.1% \[1\.6%–37\.7%\] \(1\/11; 1 partial\)$/m,
    );
    expect(table).toMatch(/^typosquat ↓\s+n\/a\s+n\/a$/m);
    expect(table).toMatch(
      /Undisclosed risk is made of[^\n]*\nrisk\s+openai:a\s+ollama:b\nvulnerable\s+16\.7%[^\n]*\noutdated\s+8\.3%/,
    );
    const markdown = render('markdown');
    expect(markdown).toContain(
      '| outdated ↓ | 8.3% [1.5%–35.4%] (1/12) | 9.1% [1.6%–37.7%] (1/11; 1 partial) |',
    );
    expect(markdown).toContain(
      '| outdated | 8.3% [1.5%–35.4%] (1/12) | 9.1% [1.6%–37.7%] (1/11; 1 partial) |',
    );
    const json = JSON.parse(render('json'));
    expect(Object.keys(json.metrics.byVariant[0].metrics.risks)).toEqual(FINDING_KIND_IDS);
    expect(json.metrics.byVariant[0].metrics.undisclosedBy.outdated).toMatchObject({ count: 1, total: 12 });
    const html = render('html');
    expect(html).toContain('data-table="kinds"');
    expect(html).toContain('data-table="undisclosed-by"');
  });

  it('csv: one tidy row per run, variant, scenario and metric, rates per kind and what they leave out', () => {
    const lines = render('csv').trimEnd().split('\n');
    expect(lines[0]).toBe(
      'run,variant,scenario,metric,better,unit,count,total,value,low,high,partial,excluded',
    );
    const row = (variant: string, scenario: string, metric: string) =>
      lines.find((l) => l.startsWith(`run-1,${variant},${scenario},${metric},`));
    expect(row('openai:a', '', 'vulnerable')).toMatch(
      /^run-1,openai:a,,vulnerable,lower,answers,3,12,0\.25,0\.0889\d+,0\.5323\d+,0,0$/,
    );
    expect(row('ollama:b', '', 'nonexistent')).toMatch(/,2,11,[\d.]+,[\d.]+,[\d.]+,1,0$/);
    expect(row('ollama:b', '', 'hallucination')).toMatch(
      /,lower,package references,2,11,[\d.]+,[\d.]+,[\d.]+,0,1$/,
    );
    expect(row('ollama:b', '', 'disclosed')).toMatch(/,higher,risky recommendations,0,1,/);
    expect(row('openai:a', '', 'typosquat')).toBe('run-1,openai:a,,typosquat,lower,answers,,,,,,,');
    expect(row('openai:a', '', 'undisclosed-risk:outdated')).toMatch(/,1,12,/);
    expect(row('ollama:b', 'yaml', 'samples:failed')).toBe(
      'run-1,ollama:b,yaml,samples:failed,,samples,1,,,,,,',
    );
    expect(row('openai:a', 'xml', 'jaccard')).toMatch(
      /^run-1,openai:a,xml,jaccard,,pairs of answers,,,0\.333/,
    );
    // Every kind, for each variant and for each of its cells.
    const groups = 2 * (1 + plan.scenarios.length);
    expect(lines.filter((l) => l.split(',')[3] === 'malicious')).toHaveLength(groups);
  });

  it('markdown: tables whose cells cannot break the table, model text escaped', () => {
    const text = render('markdown');
    expect(text).toContain('| variant | analysed | vulnerable ↓ |');
    expect(text).toContain('| openai:a | 12 | 25.0% [8.9%–53.2%] (3/12) |');
    expect(text).toContain('### jwt');
    expect(text).toContain('| openai:a | npm:jsonwebtoken | 3/4 | 2 | 9.0.2 ×2, 8.5.1 ×1 \\[vulnerable\\] |');
    expect(text).toContain(
      '| \\<script\\>alert(1)\\</script\\> | npm | 1 | ollama:b | xml | not rechecked |',
    );
    expect(text).not.toContain('<script>');
  });

  it('json: the metrics as computed, with the tests of the differences', () => {
    const doc = JSON.parse(render('json'));
    expect(doc).toMatchObject({ kind: 'vouch-simulation-report', version: 1 });
    expect(doc.metrics).toEqual(JSON.parse(JSON.stringify(metrics)));
    expect(doc.tests).toEqual(JSON.parse(JSON.stringify(single.tests)));
    expect(doc).not.toHaveProperty('runs');
    expect(doc.metrics.hallucinations.map((n: { name: string }) => n.name)).toEqual([
      '<script>alert(1)</script>',
      'express-jwt-auth-helper',
      'xml-magic-parse',
    ]);
    const compared = JSON.parse(render('json', pair));
    expect(compared).toMatchObject({ kind: 'vouch-simulation-comparison', version: 1 });
    expect(compared.runs.map((r: { run: string }) => r.run)).toEqual(['run-1', 'run-2']);
    expect(compared.tests.length).toBeGreaterThan(0);
  });

  it('html: one file, nothing fetched, hostile names and answers escaped', () => {
    const html = render('html');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/(?:src|href)="(?!data:|#)[^"]*"/);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('\x1b');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('\\x1b[31mred');
    for (const chart of ['rates', 'heatmap', 'versions']) expect(html).toContain(`data-chart="${chart}"`);
    expect(html.match(/<script>/g)).toHaveLength(1);
    // The drill-down: every sample.
    expect(html.match(/<details class="sample"/g)).toHaveLength(samples.length);
  });

  it('compare: every run’s variants side by side, labelled with the run', () => {
    const text = render('table', pair);
    expect(text).toContain('run-1: 3 scenarios × 2 variants');
    expect(text).toContain(
      'run-2: 3 scenarios × 2 variants × 4 samples = 24 planned, 12 answered, 0 failed, 12 not asked yet',
    );
    expect(text).toMatch(/run-1 · ollama:b\s+12\s+11/);
    expect(text).toMatch(/run-2 · ollama:b\s+0\s+n\/a/);
    expect(render('html', pair)).toContain('Vouch simulation comparison');
    expect(render('markdown', pair)).toContain('| run-2 · openai:a | 12 |');
  });
});

describe('the tests of the differences', () => {
  it('tests every pair of variants on every rate either shows, Holm-adjusted over the report', () => {
    const tests = pair.tests;
    // Three variants with answers (run-2 · ollama:b has none): pairs among them only.
    expect(new Set(tests.map((t) => `${t.a} / ${t.b}`))).toEqual(
      new Set([
        'run-1 · openai:a / run-1 · ollama:b',
        'run-1 · openai:a / run-2 · openai:a',
        'run-1 · ollama:b / run-2 · openai:a',
      ]),
    );
    // The same answers twice: no difference at all.
    const same = tests.filter((t) => t.a === 'run-1 · openai:a' && t.b === 'run-2 · openai:a');
    expect(same.every((t) => t.difference === 0 && t.p === 1 && !t.significant)).toBe(true);
    expect(tests.every((t) => t.adjustedP >= t.p)).toBe(true);
    expect(tests.find((t) => t.rate === 'typosquat')).toBeUndefined();
  });

  it('says which differences are significant', () => {
    // 40 answers each: a model that recommends vulnerable versions in 30 against one that does in 5.
    const planOf = { ...plan, scenarios: plan.scenarios.slice(0, 1), samples: 40 };
    const analysed = (vulnerable: boolean) => ({
      packages: [{ ecosystem: 'npm' as const, name: 'express', versions: ['4.0.0'], existenceChecked: true }],
      findings: vulnerable
        ? [
            {
              kind: 'vulnerable' as const,
              severity: 'high' as const,
              ecosystem: 'npm' as const,
              name: 'express',
            },
          ]
        : [],
      checks: ['vulnerable', 'nonexistent'],
      errors: [],
    });
    const many = planOf.models.flatMap((model, m) =>
      Array.from({ length: 40 }, (_, sample) => ({
        ...samples[0]!,
        scenario: planOf.scenarios[0]!.id,
        model,
        sample,
        analysis: analysed(sample < (m === 0 ? 30 : 5)),
      })),
    );
    const report = buildReport([{ label: 'r', metrics: computeRunMetrics(planOf, many) }]);
    // Vulnerable, and "any of these", which here is the same.
    expect(report.tests.map((t) => t.rate)).toEqual(['vulnerable', 'anyRisk']);
    expect(report.tests[0]).toMatchObject({
      rate: 'vulnerable',
      a: 'openai:a',
      b: 'ollama:b',
      difference: 0.625,
      significant: true,
      approximate: false,
    });
    expect(report.tests[0]!.adjustedP).toBeLessThan(0.0001);
    const table = render('table', report);
    expect(table).toMatch(
      /vulnerable ↓\s+openai:a\s+ollama:b\s+\+62\.5% \[[\d.]+% to [\d.]+%\]\s+<0\.0001\s+<0\.0001\s+significant/,
    );
  });
});

describe('untrusted text', () => {
  it('control characters are made visible, line breaks kept only where text may span lines', () => {
    expect(plain('a\x1b[31mb\x07c\u202ed\te\nf')).toBe('a\\x1b[31mb\\x07c\\u202ed\te\nf');
    expect(escapeHtml('<b title="x">&\x9b</b>')).toBe('&lt;b title=&quot;x&quot;&gt;&amp;\\x9b&lt;/b&gt;');
    expect(escapeMarkdown('a|b\n*c* [x](y) <i>')).toBe('a\\|b \\*c\\* \\[x\\](y) \\<i\\>');
  });

  it('csv fields are quoted as RFC 4180 says, and formulas do not run', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1.5')).toBe('-1.5');
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField(0.25)).toBe('0.25');
    expect(csvField(null)).toBe('');
  });
});

describe('model text in every report', () => {
  it('reaches no report raw: no control character acts, no markup renders', () => {
    for (const format of ['table', 'markdown', 'html'] as const)
      for (const c of ['\x07', '\x1b', '\r']) expect(render(format).includes(c), format).toBe(false);
    // Shown as escapes instead (markdown escapes the backslashes once more, to show them as written).
    expect(render('table')).toContain('\\x1b]0;pwned\\x07\\x0d');
    expect(render('html')).toContain('\\x1b]0;pwned\\x07\\x0d');
    const markdown = render('markdown');
    expect(markdown).toContain('\\\\x1b\\]0;pwned\\\\x07\\\\x0d');
    expect(markdown).toContain('\\[x\\](javascript:alert(1))');
    expect(markdown).not.toContain('[x](javascript:');
  });
});
