/**
 * The demo site in Debian Chromium: every page draws its charts (over http and from file://)
 * without errors and without asking for anything outside the site, and the overview links to
 * every network page. Screenshots go to test-output/screenshots/ for a person to look at.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { packageRoot } from '../../src/config.js';
import { loadReference, type Reference } from '../../src/reference/organisations.js';
import { launchChromium, openPage, type PageLog } from '../helpers/browser.js';
import { type StaticServer, startStaticServer } from '../helpers/static-server.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const RENDER_TIMEOUT_MS = 15_000;

interface SitePage {
  /** `overview` or `network-<code>`: names the page in messages and its screenshot. */
  name: string;
  /** Path inside the site, with forward slashes. */
  path: string;
}

interface ChartState {
  id: string;
  rendered: boolean;
  width: number;
  lines: number;
  points: number;
  rows: number;
}

let tmp: string | undefined;
let site = '';
let pages: SitePage[] = [];
let reference: Reference;
let server: StaticServer | undefined;
let browser: Browser | undefined;

/** The overview and every `networks/<code>/index.html` the build wrote. */
async function discoverPages(root: string): Promise<SitePage[]> {
  const codes = (await readdir(path.join(root, 'networks'), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((code) => existsSync(path.join(root, 'networks', code, 'index.html')))
    .sort();
  return [
    { name: 'overview', path: 'index.html' },
    ...codes.map((code) => ({ name: `network-${code}`, path: `networks/${code}/index.html` })),
  ];
}

/** Errors the site caused: uncaught errors and console errors (the page declares its favicon, so none are expected). */
const siteErrors = (log: PageLog) => [
  ...log.consoleErrors.map((e) => `console error: ${e}`),
  ...log.pageErrors.map((e) => `page error: ${e}`),
];

/** Wait until every chart says it is drawn, the page reports an error, or the time is up. */
async function waitForCharts(page: Page, log: PageLog): Promise<void> {
  const deadline = Date.now() + RENDER_TIMEOUT_MS;
  while (Date.now() < deadline && siteErrors(log).length === 0) {
    const done = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-chart]')].every(
        (chart) => chart.dataset.rendered === 'true',
      ),
    );
    if (done) return;
    await page.waitForTimeout(100);
  }
}

/** Each chart: drawn or not, its SVG width, its line and point marks, and its data rows. */
function chartStates(page: Page): Promise<ChartState[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-chart]')].map((chart) => {
      let rows = 0;
      try {
        const source = document.getElementById(chart.dataset.chart ?? '')?.textContent ?? '{}';
        const spec = JSON.parse(source) as { datasets?: Record<string, unknown[]> };
        for (const data of Object.values(spec.datasets ?? {})) rows += data.length;
      } catch {
        rows = Number.NaN;
      }
      return {
        id: chart.id,
        rendered: chart.dataset.rendered === 'true',
        width: chart.querySelector('svg')?.getBoundingClientRect().width ?? 0,
        lines: chart.querySelectorAll('svg .mark-line.role-mark path').length,
        points: chart.querySelectorAll('svg .mark-symbol.role-mark path').length,
        rows,
      };
    }),
  );
}

/** What is wrong with a chart: not drawn, or drawn without one point per data row. */
function chartProblems(c: ChartState): string[] {
  if (!c.rendered) return [`chart #${c.id} not drawn`];
  return [
    ...(c.width > 0 ? [] : [`chart #${c.id} has no visible SVG`]),
    ...(c.lines > 0 ? [] : [`chart #${c.id} has no line marks`]),
    ...(c.points > 0 && c.points === c.rows
      ? []
      : [`chart #${c.id} has ${c.points} points for ${c.rows} data rows`]),
  ];
}

/**
 * Open a page, let its charts draw, and list what is wrong with it (empty when nothing is): charts
 * not drawn or without one point per data row, errors, and requests not starting with `allowed`.
 */
async function pageProblems(url: string, allowed: string, screenshot?: string): Promise<string[]> {
  const { page, log } = await openPage(browser as Browser, url);
  try {
    await waitForCharts(page, log);
    const charts = await chartStates(page);
    if (screenshot)
      await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: true });
    return [
      ...(charts.length === 0 ? ['no charts on the page'] : []),
      ...charts.flatMap(chartProblems),
      ...siteErrors(log),
      ...log.failedRequests.map((r) => `failed request: ${r}`),
      ...log.requests
        .filter((u) => !u.startsWith(allowed))
        .map((u) => `request outside the site: ${u}`),
    ];
  } finally {
    await page.close();
  }
}

/** `{ [page name]: problems }` for the given pages, checked two at a time. */
async function problemsByPage(
  list: SitePage[],
  base: string,
  screenshots: boolean,
): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (let i = 0; i < list.length; i += 2) {
    await Promise.all(
      list.slice(i, i + 2).map(async (p) => {
        const shot = screenshots ? `${p.name}.png` : undefined;
        result[p.name] = await pageProblems(new URL(p.path, base).href, base, shot);
      }),
    );
  }
  return result;
}

const noProblems = (list: SitePage[]) => Object.fromEntries(list.map((p) => [p.name, []]));

describe('the demo site in Chromium', () => {
  beforeAll(async () => {
    // Prepare: a fresh demo build (12 weeks), a server for it and a browser.
    tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-browser-'));
    site = path.join(tmp, 'site');
    const output: string[] = [];
    const io = { out: (l: string) => output.push(l), err: (l: string) => output.push(l), env: {} };
    const data = path.join(tmp, 'data');
    const argv = ['run', '--demo', '--weeks', '12', '--data', data, '--site', site];
    const [code, launched] = await Promise.all([main(argv, io), launchChromium()]);
    browser = launched;
    expect(code, output.join('\n')).toBe(0);
    server = await startStaticServer(site);
    reference = await loadReference(path.join(packageRoot, 'data', 'reference'));
    pages = await discoverPages(site);
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('has an overview and a page for each of the six demo networks', () => {
    // Assess
    const networks = pages.filter((p) => p.name !== 'overview');
    expect(networks).toHaveLength(6);
    for (const p of networks)
      expect(reference.networks.has(p.name.slice('network-'.length))).toBe(true);
  });

  it('draws every chart on every page over http, using only the site’s own files', async () => {
    // Act
    const problems = await problemsByPage(pages, `${server?.origin}/`, true);
    // Assess
    expect(problems).toEqual(noProblems(pages));
  });

  it('draws the charts when opened from file://, without requests leaving the folder', async () => {
    // Prepare
    const list = pages.slice(0, 2);
    // Act
    const problems = await problemsByPage(list, pathToFileURL(`${site}/`).href, false);
    // Assess
    expect(problems).toEqual(noProblems(list));
  });

  it('links from the overview to every network page, with no script needed', async () => {
    // Prepare
    const overview = `${server?.origin}/index.html`;
    const { page, log } = await openPage(browser as Browser, overview, {
      javaScriptEnabled: false,
    });
    try {
      const hrefs = await page
        .locator('main a[href^="networks/"]')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      const networkPaths = pages.filter((p) => p.name !== 'overview').map((p) => p.path);
      expect(hrefs.sort()).toEqual(networkPaths);
      for (const href of networkPaths) {
        const code = href.split('/')[1] ?? '';
        // Act
        await page.click(`main a[href="${href}"]`);
        await page.waitForURL(`${server?.origin}/${href}`, { waitUntil: 'domcontentloaded' });
        // Assess
        await expect(page.locator('h1').textContent()).resolves.toBe(
          reference.networks.get(code)?.name,
        );
        await page.goBack({ waitUntil: 'domcontentloaded' });
      }
      expect(log.failedRequests).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
