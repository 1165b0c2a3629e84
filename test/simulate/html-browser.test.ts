/**
 * The HTML report in a real browser: Debian's chromium driven by playwright-core. Skipped, saying why, where
 * either is missing; in CI (which installs both) their absence fails the run.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { computeRunMetrics } from '../../src/simulate/metrics.js';
import { htmlReporter } from '../../src/simulate/report/html.js';
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

describeWith(BROWSER, 'the HTML report in headless Chromium', () => {
  it('renders its charts offline with no console errors', async () => {
    const { chromium } = await import('playwright-core');
    const { plan, samples } = sampleRun();
    const html = htmlReporter(
      { runs: [{ label: 'run', metrics: computeRunMetrics(plan, samples) }] },
      { color: false },
    );
    const file = join(tempDir(), 'report.html');
    writeFileSync(file, html);

    // A fresh profile: playwright takes it as launchPersistentContext's folder, not as --user-data-dir.
    const context = await chromium.launchPersistentContext(tempDir('vouch-chromium-'), {
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
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      expect(await page.title()).toBe('Vouch simulation report');
      for (const chart of ['rates', 'heatmap', 'versions'])
        expect(await page.locator(`svg[data-chart="${chart}"]`).first().isVisible(), chart).toBe(true);
      // Bars for each rate and model, one heatmap cell per scenario and model.
      expect(await page.locator('svg[data-chart="rates"] rect').count()).toBeGreaterThan(4);
      expect(await page.locator('svg[data-heatmap="anyRisk"] g.cell').count()).toBe(
        plan.scenarios.length * plan.models.length,
      );
      const box = await page.locator('svg[data-chart="rates"]').boundingBox();
      expect(box?.width).toBeGreaterThan(300);

      // The metric selector switches the heatmap that is shown.
      await page.selectOption('#heatmap-metric', 'hallucination');
      expect(await page.locator('svg[data-heatmap="hallucination"]').isVisible()).toBe(true);
      expect(await page.locator('svg[data-heatmap="anyRisk"]').isVisible()).toBe(false);
      await page.selectOption('#heatmap-metric', 'anyRisk');

      mkdirSync(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, 'simulation-report.png'), fullPage: true });
      expect(problems).toEqual([]);
      expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
