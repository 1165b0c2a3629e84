/**
 * One self-contained HTML file: inline CSS, inline SVG charts and a few lines of inline script, no network
 * (its Content-Security-Policy allows nothing else). Charts: the rates per model with their intervals, a
 * heatmap of scenarios × models for a chosen rate, and the spread of versions per package.
 */
import type { GroupMetrics } from '../metrics.js';
import {
  type Column,
  columns,
  formatCost,
  formatNumber,
  formatProportion,
  percent,
  RATE_NAMES,
  RATE_TITLES,
  type RateName,
  rateOf,
  type SimulationReport,
  type SimulationReporter,
  scenarioRows,
  totalsLine,
} from './model.js';

const PALETTE = ['#3366cc', '#dc6b19', '#2e8b57', '#a0449c', '#b8860b', '#008b8b', '#c0392b', '#5d6d7e'];
const HEATMAP_METRICS: { id: string; title: string; value: (m: GroupMetrics) => number | null }[] = [
  ...RATE_NAMES.map((name) => ({
    id: name,
    title: RATE_TITLES[name],
    value: (m: GroupMetrics) => rateOf(m, name)?.rate ?? null,
  })),
  { id: 'jaccard', title: 'consistency (mean Jaccard)', value: (m: GroupMetrics) => m.jaccard },
];
const VERSION_PACKAGES = 20;

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const color = (index: number) => PALETTE[index % PALETTE.length]!;

function legend(cols: readonly Column[]): string {
  return `<ul class="legend">${cols
    .map(
      (c, i) => `<li><span class="swatch" style="background:${color(i)}"></span>${escapeHtml(c.label)}</li>`,
    )
    .join('')}</ul>`;
}

/** Horizontal bars per rate, one per column, with the Wilson interval as an error bar. */
function ratesChart(cols: readonly Column[]): string {
  const left = 150;
  const width = 560;
  const bar = 12;
  const groupGap = 16;
  const groupHeight = cols.length * (bar + 3) + groupGap;
  const height = 30 + RATE_NAMES.length * groupHeight;
  const x = (rate: number) => left + rate * width;
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1])
    parts.push(
      `<line x1="${x(tick)}" y1="20" x2="${x(tick)}" y2="${height}" class="grid"/><text x="${x(tick)}" y="14" class="tick">${percent(tick, 0)}</text>`,
    );
  RATE_NAMES.forEach((name, g) => {
    const top = 26 + g * groupHeight;
    parts.push(
      `<text x="${left - 8}" y="${top + (cols.length * (bar + 3)) / 2 + 4}" class="label" text-anchor="end">${escapeHtml(RATE_TITLES[name])}</text>`,
    );
    cols.forEach((col, i) => {
      const y = top + i * (bar + 3);
      const p = rateOf(col.metrics, name);
      if (!p) {
        parts.push(`<text x="${left + 4}" y="${y + bar - 2}" class="na">n/a</text>`);
        return;
      }
      const tip = `${col.label}: ${RATE_TITLES[name]} ${formatProportion(p)}`;
      parts.push(
        `<g class="bar"><title>${escapeHtml(tip)}</title><rect x="${left}" y="${y}" width="${(p.rate * width).toFixed(1)}" height="${bar}" fill="${color(i)}"/>` +
          `<line x1="${x(p.low).toFixed(1)}" x2="${x(p.high).toFixed(1)}" y1="${y + bar / 2}" y2="${y + bar / 2}" class="whisker"/>` +
          `<line x1="${x(p.low).toFixed(1)}" x2="${x(p.low).toFixed(1)}" y1="${y + 2}" y2="${y + bar - 2}" class="whisker"/>` +
          `<line x1="${x(p.high).toFixed(1)}" x2="${x(p.high).toFixed(1)}" y1="${y + 2}" y2="${y + bar - 2}" class="whisker"/></g>`,
      );
    });
  });
  return `<svg data-chart="rates" role="img" aria-label="rates per model" viewBox="0 0 ${left + width + 20} ${height}" width="${left + width + 20}" height="${height}">${parts.join('')}</svg>`;
}

function heatColor(value: number): string {
  // White to dark red: light cells read as "rare", dark as "common".
  const t = Math.max(0, Math.min(1, value));
  const r = Math.round(255 - t * (255 - 165));
  const g = Math.round(255 - t * 255);
  const b = Math.round(255 - t * 255);
  return `rgb(${r},${g},${b})`;
}

function heatmaps(report: SimulationReport, cols: readonly Column[]): string {
  const rows = scenarioRows(report);
  const left = 230;
  const cellWidth = 96;
  const cellHeight = 20;
  const top = 110;
  const width = left + cols.length * cellWidth + 10;
  const height = top + rows.length * cellHeight + 10;
  return HEATMAP_METRICS.map((metric, m) => {
    const parts: string[] = [];
    cols.forEach((col, i) => {
      const cx = left + i * cellWidth + cellWidth / 2;
      parts.push(
        `<text transform="translate(${cx},${top - 8}) rotate(-35)" class="label">${escapeHtml(col.label)}</text>`,
      );
    });
    rows.forEach((row, r) => {
      const y = top + r * cellHeight;
      parts.push(
        `<text x="${left - 8}" y="${y + cellHeight - 6}" class="label" text-anchor="end"><title>${escapeHtml(row.request)}</title>${escapeHtml(row.scenario)}</text>`,
      );
      row.cells.forEach((cell, i) => {
        const x = left + i * cellWidth;
        const value = cell ? metric.value(cell) : null;
        const text = value === null ? 'n/a' : metric.id === 'jaccard' ? value.toFixed(2) : percent(value, 0);
        const tip = `${row.scenario} · ${cols[i]!.label}: ${metric.title} ${value === null ? 'n/a' : metric.id === 'jaccard' ? value.toFixed(3) : formatProportion(cell ? rateOf(cell, metric.id as RateName) : null)}`;
        parts.push(
          `<g class="cell"><title>${escapeHtml(tip)}</title><rect x="${x}" y="${y}" width="${cellWidth - 2}" height="${cellHeight - 2}" fill="${value === null ? '#eeeeee' : heatColor(value)}"/>` +
            `<text x="${x + cellWidth / 2 - 1}" y="${y + cellHeight - 6}" text-anchor="middle" class="${value !== null && value > 0.55 ? 'dark' : 'value'}">${text}</text></g>`,
        );
      });
    });
    return `<svg data-chart="heatmap" data-heatmap="${metric.id}" role="img" aria-label="${escapeHtml(metric.title)} per scenario and model"${m === 0 ? '' : ' style="display:none"'} viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${parts.join('')}</svg>`;
  }).join('');
}

/** Distinct versions per package (the packages named most often), one bar per column. */
function versionChart(cols: readonly Column[]): string {
  const totals = new Map<string, { label: string; samples: number }>();
  for (const col of cols)
    for (const p of col.metrics.packages) {
      const id = `${p.ecosystem}:${p.name}`;
      const entry = totals.get(id) ?? { label: id, samples: 0 };
      entry.samples += p.samples;
      totals.set(id, entry);
    }
  const top = [...totals.entries()]
    .sort((a, b) => b[1].samples - a[1].samples || (a[0] < b[0] ? -1 : 1))
    .slice(0, VERSION_PACKAGES);
  if (top.length === 0)
    return '<svg data-chart="versions" role="img" aria-label="no packages" width="300" height="30"><text x="4" y="20" class="na">no packages named</text></svg>';
  const spreads = top.map(([id]) =>
    cols.map((col) => col.metrics.packages.find((p) => `${p.ecosystem}:${p.name}` === id)),
  );
  const max = Math.max(1, ...spreads.flat().map((p) => p?.versions.length ?? 0));
  const left = 220;
  const width = 480;
  const bar = 10;
  const groupHeight = cols.length * (bar + 2) + 10;
  const height = 24 + top.length * groupHeight;
  const parts: string[] = [];
  for (let tick = 0; tick <= max; tick += Math.max(1, Math.ceil(max / 8))) {
    const x = left + (tick / max) * width;
    parts.push(
      `<line x1="${x}" y1="18" x2="${x}" y2="${height}" class="grid"/><text x="${x}" y="12" class="tick">${tick}</text>`,
    );
  }
  top.forEach(([, entry], g) => {
    const y0 = 22 + g * groupHeight;
    parts.push(
      `<text x="${left - 8}" y="${y0 + (cols.length * (bar + 2)) / 2 + 4}" class="label" text-anchor="end">${escapeHtml(entry.label)}</text>`,
    );
    spreads[g]!.forEach((p, i) => {
      if (!p) return;
      const tip = `${cols[i]!.label}: ${p.versions.length} distinct version${p.versions.length === 1 ? '' : 's'} in ${p.samples} answer${p.samples === 1 ? '' : 's'}${p.versions.length > 0 ? ` (${p.versions.map((v) => `${v.version} ×${v.samples}`).join(', ')})` : ''}`;
      parts.push(
        `<g class="bar"><title>${escapeHtml(tip)}</title><rect x="${left}" y="${y0 + i * (bar + 2)}" width="${((p.versions.length / max) * width).toFixed(1)}" height="${bar}" fill="${color(i)}"/></g>`,
      );
    });
  });
  return `<svg data-chart="versions" role="img" aria-label="distinct versions per package" viewBox="0 0 ${left + width + 20} ${height}" width="${left + width + 20}" height="${height}">${parts.join('')}</svg>`;
}

function ratesTable(cols: readonly Column[]): string {
  const head = [
    'variant',
    'answers',
    'failed',
    ...RATE_NAMES.map((n) => RATE_TITLES[n]),
    'jaccard',
    'tokens in/out',
    'cost',
  ]
    .map((h) => `<th>${escapeHtml(h)}</th>`)
    .join('');
  const body = cols
    .map(
      (col) =>
        `<tr><th scope="row">${escapeHtml(col.label)}</th><td>${col.metrics.answered}</td><td>${col.metrics.failed}</td>${RATE_NAMES.map(
          (n) => `<td>${escapeHtml(formatProportion(rateOf(col.metrics, n)))}</td>`,
        ).join(
          '',
        )}<td>${formatNumber(col.metrics.jaccard)}</td><td>${col.metrics.inputTokens}/${col.metrics.outputTokens}</td><td>${escapeHtml(formatCost(col.metrics.cost))}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function scenarioDetails(report: SimulationReport, cols: readonly Column[]): string {
  return scenarioRows(report)
    .map((row) => {
      const lines = row.cells
        .map((cell, i) => {
          if (!cell) return '';
          const packages = cell.packages
            .map(
              (p) =>
                `<li><code>${escapeHtml(`${p.ecosystem}:${p.name}`)}</code> ×${p.samples}${p.versions.length > 0 ? ` <span class="versions">${escapeHtml(p.versions.map((v) => `${v.version} ×${v.samples}`).join(', '))}</span>` : ''}</li>`,
            )
            .join('');
          return `<h4>${escapeHtml(cols[i]!.label)}</h4><p>${cell.answered} answers · any finding ${escapeHtml(formatProportion(cell.anyRisk))} · hallucination ${escapeHtml(formatProportion(cell.hallucination))} · jaccard ${formatNumber(cell.jaccard)}</p><ul>${packages || '<li>no packages</li>'}</ul>`;
        })
        .join('');
      return `<details><summary><code>${escapeHtml(row.scenario)}</code> ${escapeHtml(row.request)}</summary>${lines}</details>`;
    })
    .join('');
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:12px;margin:.5rem 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
thead th{background:#f4f4f6}svg{display:block;max-width:100%;height:auto}
svg text{font:11px system-ui,sans-serif;fill:#333}svg .tick{text-anchor:middle;fill:#777}svg .grid{stroke:#e5e5e5}
svg .whisker{stroke:#111;stroke-width:1.2}svg .na{fill:#999}svg .dark{fill:#fff}svg .value{fill:#222}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
details{margin:.3rem 0}summary{cursor:pointer}.versions{color:#666}.note{color:#555;font-size:12px}
`;

const SCRIPT = `
document.getElementById('heatmap-metric').addEventListener('change', function (event) {
  var charts = document.querySelectorAll('[data-heatmap]');
  for (var i = 0; i < charts.length; i++)
    charts[i].style.display = charts[i].getAttribute('data-heatmap') === event.target.value ? '' : 'none';
});
`;

export const htmlReporter: SimulationReporter = (report) => {
  const cols = columns(report);
  const title = report.runs.length > 1 ? 'Vouch simulation comparison' : 'Vouch simulation report';
  const totals = report.runs
    .map(
      (run) =>
        `<li>${report.runs.length > 1 ? `<b>${escapeHtml(run.label)}</b>: ` : ''}${escapeHtml(totalsLine(run.metrics))}</li>`,
    )
    .join('');
  const failures = report.runs
    .filter((run) => run.metrics.failures.length > 0)
    .map(
      (run) =>
        `<h3>${escapeHtml(report.runs.length > 1 ? `Failed samples (${run.label})` : 'Failed samples')}</h3><table><thead><tr><th>count</th><th>reason</th></tr></thead><tbody>${run.metrics.failures
          .map((f) => `<tr><td>${f.count}</td><td>${escapeHtml(f.reason)}</td></tr>`)
          .join('')}</tbody></table>`,
    )
    .join('');
  const options = HEATMAP_METRICS.map((m) => `<option value="${m.id}">${escapeHtml(m.title)}</option>`).join(
    '',
  );
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
<h2>Rates per model</h2>
<p class="note">Share of answers with at least one finding of each kind; bars show the share, whiskers its 95% Wilson interval. The hallucination rate is nonexistent package references over the package references the registry was asked about (Spracklen et al.); risks disclosed: the risky recommendations the answer itself warns about, over all risky recommendations (these are not counted as undisclosed risk). n/a: the check did not run.</p>
${legend(cols)}
${ratesChart(cols)}
${ratesTable(cols)}
<h2>Per scenario</h2>
<label>Rate shown: <select id="heatmap-metric">${options}</select></label>
${heatmaps(report, cols)}
<h2>Version spread</h2>
<p class="note">Distinct versions and ranges given for the packages named most often.</p>
${legend(cols)}
${versionChart(cols)}
<h2>Scenarios</h2>
${scenarioDetails(report, cols)}
${failures}
<script>${SCRIPT}</script>
</body>
</html>
`;
};
