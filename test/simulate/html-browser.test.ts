/// <reference lib="dom" />
/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core. Skipped, saying why, where
 * either is missing; in CI (which installs both) their absence fails the run. Screenshots go to test-output/.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FINDING_KIND_IDS } from '../../src/model/finding.js';
import { computeRunMetrics } from '../../src/simulate/metrics.js';
import { htmlReporter } from '../../src/simulate/report/html.js';
import { buildReport, type ReportRun, sampleViews } from '../../src/simulate/report/model.js';
import { describeWith, prerequisite } from '../prerequisites.js';
import { tempDir } from './helpers.js';
import { sampleRun } from './report-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = resolve(process.cwd(), 'test-output');

function playwrightInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('playwright-core');
    return true;
  } catch {
    return false;
  }
}

const BROWSER = [
  prerequisite(
    'Chromium',
    existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`,
  ),
  prerequisite(
    'playwright-core',
    playwrightInstalled() ? undefined : 'not installed (a devDependency: npm install)',
  ),
];

const { plan, samples } = sampleRun();
const metrics = computeRunMetrics(plan, samples);
const run: ReportRun = { label: 'run-1', metrics, samples: sampleViews(metrics, samples) };
const secondSamples = samples.filter((s) => s.model === 'openai:a');
const secondMetrics = computeRunMetrics(plan, secondSamples);
const second: ReportRun = {
  label: 'run-2',
  metrics: secondMetrics,
  samples: sampleViews(secondMetrics, secondSamples),
};

function write(name: string, runs: ReportRun[]): string {
  const file = join(tempDir(), name);
  writeFileSync(file, htmlReporter(buildReport(runs), { color: false }));
  return pathToFileURL(file).href;
}

describeWith(BROWSER, 'the HTML report in headless Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    // A fresh profile: playwright takes it as launchPersistentContext's folder, not as --user-data-dir.
    context = await chromium.launchPersistentContext(tempDir('vouch-chromium-'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    mkdirSync(OUTPUT, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
  });

  it('shows every finding kind, what undisclosed risk is made of, the names table and the charts', async () => {
    await page.goto(write('report.html', [run]), { waitUntil: 'load' });
    expect(await page.title()).toBe('Vouch simulation report');

    // One row per finding kind there is, each visible with the share per model.
    const kinds = page.locator('table[data-table="kinds"] tbody tr');
    expect(await kinds.count()).toBe(FINDING_KIND_IDS.length);
    await expect.poll(() => page.locator('table[data-table="kinds"]').isVisible()).toBe(true);
    const vulnerable = page.locator('table[data-table="kinds"] tr:has([data-kind="vulnerable"])');
    expect(await vulnerable.innerText()).toMatch(/vulnerable ↓\s+25\.0% \[8\.9%–53\.2%\] \(3\/12\)\s+9\.1%/);
    expect(
      await page.locator('table[data-table="kinds"] tr:has([data-kind="typosquat"])').innerText(),
    ).toMatch(/n\/a\s+n\/a/);
    const composition = await page.locator('table[data-table="undisclosed-by"] tbody tr').allInnerTexts();
    expect(composition.map((row) => row.split(/\s+/)[0])).toEqual(['vulnerable', 'outdated']);

    // The slopsquatting view: names as text, not markup.
    const names = page.locator('table[data-table="hallucinations"] tbody tr');
    expect(await names.count()).toBe(3);
    expect(await names.first().innerText()).toMatch(
      /^<script>alert\(1\)<\/script>\s+npm\s+1\s+ollama:b\s+xml/,
    );
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);

    // Rates: a bar per rate and model; the heatmap is a table whose metric the selector switches.
    expect(await page.locator('[data-chart="rates"] .bar').count()).toBeGreaterThan(10);
    expect(await page.locator('[data-chart="rates"] .group .label').first().innerText()).toBe('vulnerable ↓');
    expect(await page.locator('table[data-heatmap="anyRisk"] .cell').count()).toBe(
      plan.scenarios.length * plan.models.length,
    );
    await page.selectOption('#heatmap-metric', 'hallucination');
    expect(await page.locator('table[data-heatmap="hallucination"]').isVisible()).toBe(true);
    expect(await page.locator('table[data-heatmap="anyRisk"]').isVisible()).toBe(false);
    await page.selectOption('#heatmap-metric', 'anyRisk');

    // Versions: the share of each version; the vulnerable one hatched and named.
    const xml2js = page.locator('[data-chart="versions"] .package:has(code:text-is("npm:xml2js"))');
    const segment = xml2js.locator('.segment.vulnerable[data-version="0.4.19"]').first();
    expect(await segment.isVisible()).toBe(true);
    expect(await segment.getAttribute('title')).toBe('openai:a: xml2js 0.4.19: 2 of 3 (66.7%): vulnerable');
    expect(await xml2js.locator('.vulnerable-label').first().innerText()).toBe('0.4.19 67% ⚠ vulnerable');

    // Nothing is clipped: no label, header or cell is narrower than its text.
    const clipped = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.label, th, td, .who, .legend li, summary'))
        .filter((el) => (el as HTMLElement).offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
        .map((el) => (el.textContent ?? '').slice(0, 40)),
    );
    expect(clipped).toEqual([]);

    await page.screenshot({ path: join(OUTPUT, 'simulation-report.png'), fullPage: true });
  }, 60_000);

  it('drills down from a sample to its prompt, answer and findings, with the lines', async () => {
    const answers = page.locator('[data-section="answers"] details.sample');
    expect(await answers.count()).toBe(samples.length);
    const sample = page.locator('details.sample[data-sample="xml/openai:a/0"]');
    expect(await sample.locator('summary').innerText()).toContain('2 findings: vulnerable, undisclosed-risk');
    await sample.locator('summary').click();
    expect(await sample.locator('.prompt').innerText()).toContain('Parse XML in Node.js.');
    const flagged = sample.locator('pre.answer .line.flagged');
    expect(await flagged.count()).toBe(1);
    expect(await flagged.innerText()).toMatch(/^3\s*npm install xml2js@0\.4\.19$/);
    const link = sample.locator('.findings li[data-kind="vulnerable"] a');
    expect(await link.innerText()).toBe('line 3');
    expect(await flagged.getAttribute('id')).toBe((await link.getAttribute('href'))!.slice(1));
    await link.click();
    expect(await page.evaluate(() => location.hash)).toMatch(/^#s\d+-L3$/);
    expect(await sample.locator('.findings li[data-kind="vulnerable"] .message').innerText()).toBe(
      'xml2js: vulnerable',
    );

    // The hostile answer: its escape sequence shown, its markup text.
    const hostile = page.locator('details.sample[data-sample="xml/ollama:b/2"]');
    await hostile.locator('summary').click();
    const text = await hostile.locator('pre.answer').innerText();
    expect(text).toContain('\\x1b[31mred\\x1b[0m <img src=x onerror=alert(2)>');
    expect(text).not.toContain('\x1b');
    expect(await page.locator('img').count()).toBe(0);

    // A failed sample says why; the filter hides answers without findings.
    const failed = page.locator('details.sample[data-status="failed"]');
    expect(await failed.locator('summary').innerText()).toContain('failed: HTTP 500: overloaded');
    await page.check('#only-findings');
    expect(await page.locator('details.sample[data-findings="0"]').first().isVisible()).toBe(false);
    expect(await sample.isVisible()).toBe(true);
    await sample.scrollIntoViewIfNeeded();
    await sample.screenshot({ path: join(OUTPUT, 'simulation-report-drill-down.png') });
    await page.uncheck('#only-findings');
  }, 60_000);

  it('gives a variant the same colour in a report and in a comparison, and tests the differences', async () => {
    const swatches = async () =>
      Object.fromEntries(
        await page
          .locator('ul.legend')
          .first()
          .locator('li')
          .evaluateAll((items) =>
            items.map((li) => [
              li.getAttribute('data-variant'),
              getComputedStyle(li.querySelector('.swatch')!).backgroundColor,
            ]),
          ),
      );
    const alone = await swatches();
    expect(alone['openai:a']).not.toBe(alone['ollama:b']);
    await page.goto(write('compare.html', [run, second]), { waitUntil: 'load' });
    expect(await page.title()).toBe('Vouch simulation comparison');
    const compared = await swatches();
    expect(compared['run-1 · openai:a']).toBe(alone['openai:a']);
    expect(compared['run-1 · ollama:b']).toBe(alone['ollama:b']);
    // The same model in the second run: its colour, striped.
    const stripe = await page
      .locator('ul.legend li[data-variant="run-2 · openai:a"] .swatch')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(stripe).toContain('repeating-linear-gradient');

    const tests = page.locator('table[data-table="tests"] tbody tr');
    expect(await tests.count()).toBeGreaterThan(5);
    expect(await page.locator('table[data-table="tests"]').isVisible()).toBe(true);
    await page.screenshot({ path: join(OUTPUT, 'simulation-compare.png'), fullPage: true });

    expect(problems).toEqual([]);
    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
  }, 60_000);
});
