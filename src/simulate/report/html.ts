/**
 * One self-contained HTML file: inline CSS, a few lines of inline script, no network (its
 * Content-Security-Policy allows nothing else). Charts are HTML boxes rather than SVG text, so that a long
 * label wraps instead of being clipped. Sections: where the samples went, the headline rates per model with
 * their intervals, every finding kind and what undisclosed risk is made of, the tests of the differences,
 * the hallucinated names, a heatmap of scenarios × models for a chosen rate, the share of recommendations
 * per version (vulnerable versions marked), and every answer: prompt → answer → findings, with their lines.
 * Every text is escaped, its control characters made visible.
 */
import { FINDING_KIND_IDS } from '../../model/finding.js';
import { escapeHtml as e } from '../../reporters/escape.js';
import type { AnalysedFinding } from '../analysis.js';
import { type GroupMetrics, isInfoKind } from '../metrics.js';
import type { Proportion } from '../stats.js';
import { variantColors } from './colors.js';
import {
  type Column,
  columns,
  compositionKinds,
  DENOMINATOR_HEADER,
  DENOMINATOR_NOTE,
  DIRECTION_NOTE,
  denominatorCells,
  formatCost,
  formatDifference,
  formatNow,
  formatNumber,
  formatP,
  formatProportion,
  HEADLINE_RATES,
  hallucinationRows,
  percent,
  type RateName,
  rateInfo,
  rateOf,
  rateTitle,
  type SimulationReport,
  type SimulationReporter,
  scenarioRows,
  TEST_NOTE,
  totalsLine,
} from './model.js';

/** Packages in the version chart: those named most often. */
const VERSION_PACKAGES = 15;
/** Versions with a segment of their own in a bar; the rest are "other". */
const VERSION_SEGMENTS = 6;
/** Answers in the drill-down, and characters of each: a report of a huge run stays a file a browser opens. */
const DRILL_SAMPLES = 2000;
const DRILL_CHARS = 20_000;

interface Painted extends Column {
  color: string;
  /** A later run's column of a variant shown before: same colour, striped. */
  striped: boolean;
}

function paint(report: SimulationReport): Painted[] {
  const cols = columns(report);
  const colors = variantColors(cols.map((c) => c.variant));
  const seen = new Set<string>();
  return cols.map((col) => {
    const striped = seen.has(col.variant);
    seen.add(col.variant);
    return { ...col, color: colors.get(col.variant)!, striped };
  });
}

function fill(col: Painted): string {
  return col.striped
    ? `background:repeating-linear-gradient(135deg,${col.color} 0 4px,#fff 4px 6px)`
    : `background:${col.color}`;
}

function swatch(col: Painted): string {
  return `<span class="swatch" style="${fill(col)}"></span>`;
}

function legend(cols: readonly Painted[]): string {
  return `<ul class="legend">${cols.map((c) => `<li data-variant="${e(c.label)}">${swatch(c)}${e(c.label)}</li>`).join('')}</ul>`;
}

/** A bar from 0 to the share, with the interval as a whisker. */
function bar(col: Painted, p: Proportion | null, tip: string): string {
  if (!p) return `<div class="track"><span class="na">n/a</span></div>`;
  return `<div class="track" title="${e(tip)}"><div class="bar" style="width:${(p.rate * 100).toFixed(2)}%;${fill(col)}"></div><div class="whisker" style="left:${(p.low * 100).toFixed(2)}%;width:${((p.high - p.low) * 100).toFixed(2)}%"></div><span class="value">${e(percent(p.rate))}</span></div>`;
}

/** Per rate, one bar per column. */
function ratesChart(cols: readonly Painted[], rates: readonly RateName[], id: string): string {
  const groups = rates
    .map((name) => {
      const rows = cols
        .map((col) => {
          const p = rateOf(col.metrics, name);
          return `<div class="row">${bar(col, p, `${col.label}: ${rateInfo(name).title} ${formatProportion(p)}`)}</div>`;
        })
        .join('');
      return `<div class="group" data-rate="${e(name)}"><div class="label">${e(rateTitle(name))}</div><div class="bars">${rows}</div></div>`;
    })
    .join('');
  return `<div class="chart" data-chart="${id}" role="img" aria-label="${e(id)} per model"><div class="axis"><span>0%</span><span>25%</span><span>50%</span><span>75%</span><span>100%</span></div>${groups}</div>`;
}

function table(head: string[], rows: string[][], attributes = ''): string {
  return `<table${attributes}><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${cell}</th>` : `<td>${cell}</td>`)).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

function ratesTable(cols: readonly Painted[]): string {
  return table(
    [
      'variant',
      'analysed',
      ...HEADLINE_RATES.map((n) => e(rateTitle(n))),
      'jaccard',
      'tokens in/out',
      'cost',
    ],
    cols.map((col) => [
      `${swatch(col)}${e(col.label)}`,
      String(col.metrics.answered - col.metrics.unanalysed),
      ...HEADLINE_RATES.map((n) => e(formatProportion(rateOf(col.metrics, n)))),
      formatNumber(col.metrics.jaccard),
      `${col.metrics.inputTokens}/${col.metrics.outputTokens}`,
      e(formatCost(col.metrics.cost)),
    ]),
    ' data-table="rates"',
  );
}

/** A table cell with the share drawn behind its text. */
function shareCell(col: Painted, p: Proportion | null): string {
  if (!p) return '<span class="na">n/a</span>';
  return `<div class="cellbar"><div style="width:${(p.rate * 100).toFixed(2)}%;${fill(col)}"></div><span>${e(formatProportion(p))}</span></div>`;
}

function kindsTable(report: SimulationReport, cols: readonly Painted[]): string {
  const kinds = table(
    ['kind', ...cols.map((c) => `${swatch(c)}${e(c.label)}`)],
    FINDING_KIND_IDS.map((kind) => [
      `<span data-kind="${e(kind)}">${e(rateTitle(kind))}</span>`,
      ...cols.map((col) => shareCell(col, rateOf(col.metrics, kind))),
    ]),
    ' data-table="kinds"',
  );
  const composition = compositionKinds(report);
  const made =
    composition.length === 0
      ? '<p class="note">No undisclosed risk in these answers.</p>'
      : table(
          ['risk', ...cols.map((c) => `${swatch(c)}${e(c.label)}`)],
          composition.map((kind) => [
            `<span data-kind="${e(kind)}">${e(kind)}</span>`,
            ...cols.map((col) => shareCell(col, col.metrics.undisclosedBy[kind] ?? null)),
          ]),
          ' data-table="undisclosed-by"',
        );
  return `${kinds}<h3>What undisclosed risk is made of</h3><p class="note">Share of answers with an undisclosed risk of each kind (over the answers the check ran for); an answer may count under several.</p>${made}`;
}

function testsTable(report: SimulationReport): string {
  if (report.tests.length === 0) return '';
  return `<h2>Differences between variants</h2><p class="note">${e(TEST_NOTE)}</p>${table(
    ['rate', 'A', 'B', 'A − B [95% CI]', 'p', 'Holm p', 'significant'],
    report.tests.map((t) => [
      e(rateTitle(t.rate)),
      e(t.a),
      e(t.b),
      e(formatDifference(t)),
      `${formatP(t.p)}${t.approximate ? ' ≈' : ''}`,
      formatP(t.adjustedP),
      t.significant ? '<b class="significant">yes</b>' : 'no',
    ]),
    ' data-table="tests"',
  )}`;
}

function namesTable(report: SimulationReport): string {
  const names = hallucinationRows(report);
  const body =
    names.length === 0
      ? '<p class="note">No answer named a package that does not exist.</p>'
      : table(
          ['name', 'ecosystem', 'answers', 'variants', 'scenarios', 'now'],
          names.map((n) => [
            `<code>${e(n.name)}</code>`,
            e(n.ecosystem),
            String(n.samples),
            e(n.variants.join(', ')),
            e(n.scenarios.join(', ')),
            `<span class="now-${n.now?.status ?? 'unasked'}">${e(formatNow(n))}</span>`,
          ]),
          ' data-table="hallucinations"',
        );
  return `<h2>Hallucinated package names</h2><p class="note">Names the registry did not know when an answer named them: anyone may register one later (slopsquatting). "now": asked again when this report was made (<code>vouch report --recheck</code>).</p>${body}`;
}

/** Cell colour for a share: red where lower is better, green where higher is, blue for neither. */
function heatColor(value: number, better: 'lower' | 'higher' | null): string {
  const t = Math.max(0, Math.min(1, value));
  const mix = (to: [number, number, number]) =>
    `rgb(${to.map((c) => Math.round(255 - t * (255 - c))).join(',')})`;
  return mix(better === 'lower' ? [178, 24, 43] : better === 'higher' ? [27, 120, 55] : [33, 102, 172]);
}

const HEATMAP_RATES: readonly RateName[] = [...HEADLINE_RATES];

function heatmaps(report: SimulationReport, cols: readonly Painted[]): string {
  const rows = scenarioRows(report);
  const metrics: {
    id: string;
    title: string;
    better: 'lower' | 'higher' | null;
    cell: (m: GroupMetrics) => { value: number | null; tip: string };
  }[] = [
    ...HEATMAP_RATES.map((name) => ({
      id: name,
      title: rateTitle(name),
      better: rateInfo(name).better,
      cell: (m: GroupMetrics) => {
        const p = rateOf(m, name);
        return { value: p?.rate ?? null, tip: formatProportion(p) };
      },
    })),
    {
      id: 'jaccard',
      title: 'consistency (mean Jaccard)',
      better: null,
      cell: (m: GroupMetrics) => ({ value: m.jaccard, tip: formatNumber(m.jaccard, 3) }),
    },
  ];
  const options = metrics.map((m) => `<option value="${e(m.id)}">${e(m.title)}</option>`).join('');
  const tables = metrics
    .map((metric, index) => {
      const head = ['scenario', ...cols.map((c) => `${swatch(c)}${e(c.label)}`)];
      const body = rows.map((row) => [
        `<code title="${e(row.request)}">${e(row.scenario)}</code>`,
        ...row.cells.map((cell, i) => {
          const { value, tip } = cell ? metric.cell(cell) : { value: null, tip: 'not in this run' };
          const text =
            value === null ? 'n/a' : metric.id === 'jaccard' ? value.toFixed(2) : percent(value, 0);
          const style =
            value === null
              ? 'background:#eee'
              : `background:${heatColor(value, metric.better)};color:${value > 0.55 ? '#fff' : '#111'}`;
          return `<span class="cell" style="${style}" title="${e(`${row.scenario} · ${cols[i]!.label}: ${metric.title} ${tip}`)}">${text}</span>`;
        }),
      ]);
      return table(
        head,
        body,
        ` class="heatmap" data-chart="heatmap" data-heatmap="${e(metric.id)}"${index === 0 ? '' : ' hidden'}`,
      );
    })
    .join('');
  return `<label>Rate shown: <select id="heatmap-metric">${options}</select></label>${tables}`;
}

/**
 * For the packages named most often: per column, the share of the answers naming the package that give each
 * version (or none); a version a finding called vulnerable is hatched red and marked.
 */
function versionChart(cols: readonly Painted[]): string {
  const totals = new Map<string, { ecosystem: string; name: string; samples: number }>();
  for (const col of cols)
    for (const p of col.metrics.packages) {
      const id = `${p.ecosystem}:${p.name}`;
      const entry = totals.get(id) ?? { ecosystem: p.ecosystem, name: p.name, samples: 0 };
      entry.samples += p.samples;
      totals.set(id, entry);
    }
  const top = [...totals.entries()]
    .sort((a, b) => b[1].samples - a[1].samples || (a[0] < b[0] ? -1 : 1))
    .slice(0, VERSION_PACKAGES);
  if (top.length === 0) return '<div data-chart="versions"><p class="note">No packages named.</p></div>';
  const groups = top
    .map(([id, entry]) => {
      const rows = cols
        .map((col) => {
          const p = col.metrics.packages.find((q) => `${q.ecosystem}:${q.name}` === id);
          if (!p)
            return `<div class="row"><span class="who">${swatch(col)}${e(col.label)}</span><span class="na">not named</span></div>`;
          // Answers may give two versions of one package: shares are of the versions given.
          const given = p.versions.reduce((n, v) => n + v.samples, 0) + p.unversioned;
          const shown = p.versions.slice(0, VERSION_SEGMENTS);
          const other = p.versions.slice(VERSION_SEGMENTS).reduce((n, v) => n + v.samples, 0);
          const segments = [
            ...shown.map((v) => ({ label: v.version, samples: v.samples, flags: v.flags })),
            ...(other > 0 ? [{ label: 'other versions', samples: other, flags: [] as string[] }] : []),
            ...(p.unversioned > 0
              ? [{ label: 'no version', samples: p.unversioned, flags: [] as string[] }]
              : []),
          ];
          const html = segments
            .map((s, i) => {
              const vulnerable = s.flags.includes('vulnerable');
              const share = s.samples / given;
              const tip = `${col.label}: ${entry.name} ${s.label}: ${s.samples} of ${given} (${percent(share)})${s.flags.length > 0 ? `: ${s.flags.join(', ')}` : ''}`;
              return `<div class="segment${vulnerable ? ' vulnerable' : ''}${s.label === 'no version' ? ' unversioned' : ''}" data-version="${e(s.label)}" style="width:${(share * 100).toFixed(2)}%;--shade:${(0.35 + 0.65 * (1 - i / Math.max(1, segments.length))).toFixed(2)};--color:${col.color}" title="${e(tip)}"></div>`;
            })
            .join('');
          const names = segments
            .map(
              (s) =>
                `<span class="${s.flags.includes('vulnerable') ? 'vulnerable-label' : ''}">${e(s.label)} ${percent(s.samples / given, 0)}${s.flags.length > 0 ? ` ⚠ ${e(s.flags.join(', '))}` : ''}</span>`,
            )
            .join(' · ');
          return `<div class="row"><span class="who">${swatch(col)}${e(col.label)}</span><div class="stack">${html}</div><div class="versions">${names}</div></div>`;
        })
        .join('');
      return `<div class="package"><div class="label"><code>${e(id)}</code></div>${rows}</div>`;
    })
    .join('');
  return `<div class="chart versions-chart" data-chart="versions">${groups}</div>`;
}

function scenarioDetails(report: SimulationReport, cols: readonly Painted[]): string {
  return scenarioRows(report)
    .map((row) => {
      const lines = row.cells
        .map((cell, i) => {
          if (!cell) return '';
          const packages = cell.packages
            .map(
              (p) =>
                `<li><code>${e(`${p.ecosystem}:${p.name}`)}</code> ×${p.samples}${p.versions.length > 0 ? ` <span class="versions">${e(p.versions.map((v) => `${v.version} ×${v.samples}${v.flags.length > 0 ? ` [${v.flags.join(', ')}]` : ''}`).join(', '))}</span>` : ''}</li>`,
            )
            .join('');
          return `<h4>${swatch(cols[i]!)}${e(cols[i]!.label)}</h4><p>${cell.answered} answers · any finding ${e(formatProportion(cell.anyRisk))} · hallucination ${e(formatProportion(cell.hallucination))} · jaccard ${formatNumber(cell.jaccard)}</p><ul>${packages || '<li>no packages</li>'}</ul>`;
        })
        .join('');
      return `<details><summary><code>${e(row.scenario)}</code> ${e(row.request)}</summary>${lines}</details>`;
    })
    .join('');
}

function findingLine(f: AnalysedFinding, anchor: string): string {
  const where = f.line !== undefined ? `<a href="#${anchor}-L${f.line}">line ${f.line}</a>` : 'whole answer';
  const subject = `${f.ecosystem}:${f.name}${f.version !== undefined ? `@${f.version}` : ''}`;
  // A disclosure of the older form is an undisclosed-risk entry marked disclosed: say so.
  const kind = f.disclosed && !isInfoKind(f.kind) ? `${f.kind} (disclosed)` : f.kind;
  return `<li class="finding sev-${e(f.severity)}" data-kind="${e(f.kind)}"><span class="kind">${e(kind)}</span> <span class="severity">${e(f.severity)}</span> <code>${e(subject)}</code> · ${where}${f.message ? `<div class="message">${e(f.message)}</div>` : ''}</li>`;
}

/** The answer with numbered lines; lines with a finding are marked and can be jumped to. */
function answerText(text: string, findings: readonly AnalysedFinding[], anchor: string): string {
  const cut = text.length > DRILL_CHARS;
  const lines = (cut ? text.slice(0, DRILL_CHARS) : text).replace(/\r\n?/g, '\n').split('\n');
  const byLine = new Map<number, string[]>();
  for (const f of findings)
    if (f.line !== undefined) byLine.set(f.line, [...(byLine.get(f.line) ?? []), f.kind]);
  const body = lines
    .map((line, i) => {
      const kinds = byLine.get(i + 1);
      return `<span class="line${kinds ? ' flagged' : ''}" id="${anchor}-L${i + 1}"${kinds ? ` title="${e([...new Set(kinds)].join(', '))}"` : ''}><span class="n">${i + 1}</span>${e(line)}</span>`;
    })
    .join('\n');
  return `<pre class="answer">${body}</pre>${cut ? `<p class="note">Answer cut at ${DRILL_CHARS} characters (${text.length} in all; the run store has it whole).</p>` : ''}`;
}

function drillDown(report: SimulationReport, cols: readonly Painted[]): string {
  const order = new Map(scenarioRows(report).map((row, i) => [row.scenario, i]));
  const colIndex = (run: string, variant: string) =>
    cols.findIndex((c) => c.run === run && c.variant === variant);
  const all = report.runs.flatMap((run) => (run.samples ?? []).map((s) => ({ run: run.label, s })));
  if (all.length === 0) return '';
  all.sort(
    (a, b) =>
      (order.get(a.s.scenario) ?? 0) - (order.get(b.s.scenario) ?? 0) ||
      colIndex(a.run, a.s.variant) - colIndex(b.run, b.s.variant) ||
      a.s.sample - b.s.sample,
  );
  const shown = all.slice(0, DRILL_SAMPLES);
  const items = shown
    .map(({ run, s }, index) => {
      const col = cols[colIndex(run, s.variant)];
      const anchor = `s${index}`;
      const findings = s.analysis?.findings ?? [];
      const risky = findings.filter((f) => !f.disclosed);
      const state =
        s.status === 'failed'
          ? `failed: ${s.error ?? ''}`
          : !s.analysis
            ? 'not analysed'
            : risky.length === 0
              ? 'no findings'
              : `${risky.length} finding${risky.length === 1 ? '' : 's'}: ${[...new Set(risky.map((f) => f.kind))].join(', ')}`;
      const prompt = `<div class="prompt">${s.prompt.system ? `<div><b>system</b> ${e(s.prompt.system)}</div>` : ''}<div><b>user</b> ${e(s.prompt.user)}</div></div>`;
      const answer =
        s.text !== undefined
          ? answerText(s.text, findings, anchor)
          : `<p class="note">${e(s.error ?? 'no answer')}</p>`;
      const found =
        findings.length > 0
          ? `<ul class="findings">${[...findings]
              .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
              .map((f) => findingLine(f, anchor))
              .join('')}</ul>`
          : s.analysis
            ? '<p class="note">No findings.</p>'
            : '';
      const problems = [
        ...(s.analysis?.errors ?? []).map((m) => `unreadable: ${m}`),
        ...(s.analysis?.unchecked ?? []).map(
          (u) => `not checked (${u.check}): ${u.ecosystem}:${u.name}: ${u.reason}`,
        ),
      ];
      const notes =
        problems.length > 0
          ? `<ul class="problems">${problems.map((p) => `<li>${e(p)}</li>`).join('')}</ul>`
          : '';
      return `<details class="sample" data-sample="${e(`${s.scenario}/${s.variant}/${s.sample}`)}" data-findings="${risky.length}" data-status="${s.status}"><summary>${col ? swatch(col) : ''}<code>${e(s.scenario)}</code> · ${e(col?.label ?? s.variant)} · #${s.sample + 1} · <span class="state">${e(state)}</span></summary><h4>Prompt</h4>${prompt}<h4>Answer</h4>${answer}<h4>Findings</h4>${found}${notes}</details>`;
    })
    .join('');
  const omitted = all.length - shown.length;
  return `<h2>Answers</h2><p class="note">Every sample: the prompt, the answer with its line numbers (lines with a finding marked), and the findings with their lines.${omitted > 0 ? ` The first ${DRILL_SAMPLES} of ${all.length} samples are shown; the JSON report and the run store have all.` : ''}</p><label><input type="checkbox" id="only-findings"> only answers with findings</label><div data-section="answers">${items}</div>`;
}

function samplesTable(cols: readonly Painted[]): string {
  return table(
    ['variant', ...DENOMINATOR_HEADER],
    cols.map((col) => [`${swatch(col)}${e(col.label)}`, ...denominatorCells(col.metrics)]),
    ' data-table="samples"',
  );
}

function notCheckedTables(report: SimulationReport): string {
  return report.runs
    .map((run) => {
      const label = report.runs.length > 1 ? ` (${run.label})` : '';
      const parts: string[] = [];
      if (run.metrics.unchecked.length > 0)
        parts.push(
          `<h3>${e(`Not checked${label}`)}</h3>${table(
            ['check', 'packages', 'answers', 'reason'],
            run.metrics.unchecked.map((u) => [
              e(u.check),
              String(u.packages),
              String(u.answers),
              e(u.reason),
            ]),
          )}`,
        );
      if (run.metrics.failures.length > 0)
        parts.push(
          `<h3>${e(`Failed samples${label}`)}</h3>${table(
            ['count', 'reason'],
            run.metrics.failures.map((f) => [String(f.count), e(f.reason)]),
          )}`,
        );
      return parts.join('');
    })
    .join('');
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}h3{font-size:1rem}
table{border-collapse:collapse;font-size:12px;margin:.5rem 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
thead th{background:#f4f4f6}tbody th{font-weight:normal;white-space:nowrap}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border:1px solid rgba(0,0,0,.2)}
.chart{margin:.5rem 0}.axis{display:flex;justify-content:space-between;margin-left:12rem;color:#777;font-size:11px}
.group{display:flex;gap:.5rem;margin:.4rem 0;align-items:center}.group>.label{flex:0 0 11.5rem;text-align:right;overflow-wrap:anywhere}
.bars{flex:1;min-width:0}.track{position:relative;height:14px;margin:2px 0;background:#f6f6f8}
.bar{position:absolute;left:0;top:0;bottom:0}.whisker{position:absolute;top:6px;height:2px;background:#111}
.track .value{position:absolute;right:4px;top:-1px;font-size:11px;color:#333}.na{color:#999;font-size:11px}
.cellbar{position:relative;min-width:13rem}.cellbar>div{position:absolute;left:0;top:0;bottom:0;opacity:.35}.cellbar>span{position:relative}
.heatmap .cell{display:block;min-width:4rem;text-align:center;padding:2px}
.versions-chart .package{margin:.6rem 0}.versions-chart .row{display:grid;grid-template-columns:14rem 1fr;gap:.2rem .5rem;align-items:center}
.versions-chart .who{overflow-wrap:anywhere}.versions-chart .versions{grid-column:2;font-size:11px;color:#444}
.stack{display:flex;height:14px;background:#f6f6f8}.segment{background:var(--color);opacity:var(--shade);border-right:1px solid #fff}
.segment.unversioned{background:#ccc;opacity:1}.segment.vulnerable{opacity:1;background:repeating-linear-gradient(45deg,#b2182b 0 3px,#fff 3px 5px);outline:1px solid #b2182b}
.vulnerable-label{color:#b2182b;font-weight:600}
details{margin:.3rem 0}summary{cursor:pointer}.versions{color:#666}.note{color:#555;font-size:12px}.significant{color:#b2182b}
.now-exists{color:#b2182b;font-weight:600}
.sample{border:1px solid #e4e4e8;padding:.2rem .5rem}.sample[open]{background:#fcfcfd}.prompt{background:#f4f4f6;padding:.3rem .5rem;white-space:pre-wrap;overflow-wrap:anywhere}
pre.answer{background:#fff;border:1px solid #e4e4e8;padding:.4rem;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px}
pre.answer .line{display:block}pre.answer .n{display:inline-block;width:3em;color:#999;user-select:none}pre.answer .flagged{background:#fde0e0}
.findings .kind{font-weight:600}.findings .severity{color:#777}.findings .message{color:#444}.problems{color:#7a5a00}
`;

const SCRIPT = `
document.getElementById('heatmap-metric').addEventListener('change', function (event) {
  var charts = document.querySelectorAll('[data-heatmap]');
  for (var i = 0; i < charts.length; i++) charts[i].hidden = charts[i].getAttribute('data-heatmap') !== event.target.value;
});
var only = document.getElementById('only-findings');
if (only) only.addEventListener('change', function () {
  var samples = document.querySelectorAll('.sample');
  for (var i = 0; i < samples.length; i++) samples[i].hidden = only.checked && samples[i].getAttribute('data-findings') === '0';
});
`;

export const htmlReporter: SimulationReporter = (report) => {
  const cols = paint(report);
  const title = report.runs.length > 1 ? 'Vouch simulation comparison' : 'Vouch simulation report';
  const totals = report.runs
    .map(
      (run) =>
        `<li>${report.runs.length > 1 ? `<b>${e(run.label)}</b>: ` : ''}${e(totalsLine(run.metrics))}</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
<ul>${totals}</ul>
<h2>Samples</h2>
<p class="note">${e(DENOMINATOR_NOTE)}</p>
${samplesTable(cols)}
<h2>Rates per model</h2>
<p class="note">Share of answers with at least one finding of each kind; bars show the share, whiskers its 95% Wilson interval (${e(DIRECTION_NOTE)}). The hallucination rate is nonexistent package references over the package references the registry was asked about (Spracklen et al.); risks disclosed: the risky recommendations the answer itself warns about, over all risky recommendations (these are not counted as undisclosed risk). n/a: the check did not run.</p>
${legend(cols)}
${ratesChart(cols, HEADLINE_RATES, 'rates')}
${ratesTable(cols)}
<h2>By finding kind</h2>
<p class="note">Share of answers with at least one finding of each kind, over the answers whose check ran (${e(DIRECTION_NOTE)}).</p>
${kindsTable(report, cols)}
${testsTable(report)}
${namesTable(report)}
<h2>Per scenario</h2>
${heatmaps(report, cols)}
<h2>Recommended versions</h2>
<p class="note">For the packages named most often: the share of each version (or range) among those the answers give, per model; grey: no version given; <span class="vulnerable-label">hatched red ⚠</span>: a version with a vulnerable finding (other findings are named after ⚠).</p>
${legend(cols)}
${versionChart(cols)}
<h2>Scenarios</h2>
${scenarioDetails(report, cols)}
${drillDown(report, cols)}
${notCheckedTables(report)}
<script>${SCRIPT}</script>
</body>
</html>
`;
};
