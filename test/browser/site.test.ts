/**
 * The site in Debian Chromium, for every page type (index, ICB overview, network dashboard,
 * weekly report): charts drew marks, no console errors, no request outside the site's own files
 * (over http and from file://), axe-core finds no WCAG 2.2 A/AA violations, tables sort, and
 * nothing needs JavaScript to navigate; at a laptop's 1280 px and a phone's 390 px nothing scrolls
 * sideways, chart text is at least 11 px and legends fit, the latest report is reached within 10
 * Tab presses from a network page, and a weekly report prints on at most 3 A4 pages. A second site, built from the hand-made fixture with a
 * practice named `<script>alert(1)</script> & "Co"`, proves that data-derived text stays text.
 * Screenshots of one page of each type at 1280 and 390 px go to test-output/screenshots/ for a
 * person to look at.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { packageRoot } from '../../src/package-root.js';
import { loadReference, type Reference } from '../../src/reference/organisations.js';
import { buildSite } from '../../src/site/build-site.js';
import { CONTENT_SECURITY_POLICY } from '../../src/site/content-security-policy.js';
import { networkName } from '../../src/site/network-page.js';
import { loadSiteAssets } from '../../src/site/site-assets.js';
import {
  EVIL,
  reference as fixtureReference,
  quality,
  siteMetrics,
} from '../fixtures/site/site-metrics.js';
import { launchChromium, openPage, type PageLog } from '../helpers/browser.js';
import { type StaticServer, startStaticServer } from '../helpers/static-server.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const RENDER_TIMEOUT_MS = 15_000;
/** The axe-core rule sets checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** Smallest chart text a person should be given, at its drawn size times any scaling (issue 19). */
const MIN_CHART_TEXT_PX = 11;
const MAX_TABS_TO_REPORT = 10;
const MAX_REPORT_PAGES = 3;
/** An A4 page less the report's @page margins (12 mm sides, 14 mm top and bottom), at 96 px/in. */
const A4_PRINTABLE_PX = {
  width: Math.floor(((210 - 24) * 96) / 25.4),
  height: Math.floor(((297 - 28) * 96) / 25.4),
};

type PageKind = 'index' | 'icb' | 'network' | 'report';

interface SitePage {
  kind: PageKind;
  /** Path inside the site, with forward slashes; also names the screenshot. */
  path: string;
}

let tmp: string | undefined;
let demoSite = '';
let fixtureSite = '';
let pages: SitePage[] = [];
let reference: Reference;
let server: StaticServer | undefined;
/** The demo site served with the Content-Security-Policy CloudFront sends (infra/site-distribution.ts). */
let cspServer: StaticServer | undefined;
let browser: Browser | undefined;

/** Every index.html under the site, with its page type from the layout (build-site.ts). */
async function discoverPages(root: string): Promise<SitePage[]> {
  const entries = await readdir(root, { recursive: true });
  return entries
    .map((e) => e.split(path.sep).join('/'))
    .filter((p) => p.endsWith('index.html'))
    .sort()
    .map((p) => ({
      path: p,
      kind:
        p === 'index.html'
          ? 'index'
          : ({ icb: 'icb', networks: 'network', reports: 'report' } as const)[
              p.split('/')[0] as 'icb'
            ],
    }));
}

const siteErrors = (log: PageLog) => [
  ...log.consoleErrors.map((e) => `console error: ${e}`),
  ...log.consoleWarnings.map((e) => `console warning: ${e}`),
  ...log.pageErrors.map((e) => `page error: ${e}`),
];

/** Wait until every interactive chart says it is drawn (or failed), an error shows, or time is up. */
async function waitForCharts(page: Page, log: PageLog): Promise<void> {
  const deadline = Date.now() + RENDER_TIMEOUT_MS;
  while (Date.now() < deadline && siteErrors(log).length === 0) {
    const pending = await page.evaluate(
      () =>
        [...document.querySelectorAll<HTMLElement>('[data-chart]')].filter(
          (chart) => chart.dataset.rendered === undefined,
        ).length,
    );
    if (pending === 0) return;
    await page.waitForTimeout(100);
  }
}

/** Each chart on the page (interactive or inline SVG): its id, whether it drew, and its marks. */
function chartStates(page: Page) {
  return page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement | SVGElement>(
        '[data-chart], .report-chart, svg.multiple-chart',
      ),
    ].map((chart) => {
      // The ICB page's small multiples are inline SVG drawn in Node: drawn when they have a line.
      const inline = chart instanceof SVGElement;
      return {
        id: chart.id || (chart.getAttribute(inline ? 'aria-label' : 'aria-labelledby') ?? '?'),
        rendered:
          inline ||
          chart.classList.contains('report-chart') ||
          (chart as HTMLElement).dataset.rendered === 'true',
        width: (inline ? chart : chart.querySelector('svg'))?.getBoundingClientRect().width ?? 0,
        marks: inline
          ? chart.querySelectorAll('path.network').length
          : chart.querySelectorAll('svg .role-mark > *').length,
      };
    }),
  );
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: typeof axe }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
      }),
    WCAG_TAGS,
  );
  return results.violations.map(
    (v) =>
      `axe ${v.id} (${v.impact}): ${v.help} at ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')}`,
  );
}

/**
 * Open a page, let its charts draw, and list what is wrong with it (empty when nothing is):
 * charts not drawn or without marks, errors, requests outside `allowed`, axe violations.
 */
async function pageProblems(
  p: SitePage,
  base: string,
  options: { axe: boolean },
): Promise<string[]> {
  const { page, log } = await openPage(browser as Browser, new URL(p.path, base).href);
  try {
    await waitForCharts(page, log);
    const charts = await chartStates(page);
    // The index and ICB pages draw their figures in Node (sparklines, small multiples): no chart.
    const expectCharts = p.kind === 'network' || p.kind === 'report';
    return [
      ...(expectCharts && charts.length === 0 ? ['no charts on the page'] : []),
      ...charts.flatMap((c) => [
        ...(c.rendered ? [] : [`chart ${c.id} not drawn`]),
        ...(c.width > 0 ? [] : [`chart ${c.id} has no visible SVG`]),
        ...(c.marks > 0 ? [] : [`chart ${c.id} drew no marks`]),
      ]),
      ...siteErrors(log),
      ...log.failedRequests.map((r) => `failed request: ${r}`),
      ...log.requests
        .filter((u) => !u.startsWith(base))
        .map((u) => `request outside the site: ${u}`),
      ...(options.axe ? await axeViolations(page) : []),
    ];
  } finally {
    await page.close();
  }
}

/** `{ [page path]: problems }`, two pages at a time. */
async function problemsByPage(list: SitePage[], base: string, options: { axe: boolean }) {
  const result: Record<string, string[]> = {};
  for (let i = 0; i < list.length; i += 2) {
    await Promise.all(
      list.slice(i, i + 2).map(async (p) => {
        result[p.path] = await pageProblems(p, base, options);
      }),
    );
  }
  return result;
}

const noProblems = (list: SitePage[]) => Object.fromEntries(list.map((p) => [p.path, []]));

beforeAll(async () => {
  // Prepare: a fresh demo build (12 weeks), the fixture site, a server for the demo and a browser.
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-browser-'));
  demoSite = path.join(tmp, 'site');
  fixtureSite = path.join(tmp, 'fixture-site');
  const output: string[] = [];
  const io = { out: (l: string) => output.push(l), err: (l: string) => output.push(l), env: {} };
  const data = path.join(tmp, 'data');
  const argv = ['run', '--demo', '--weeks', '12', '--data', data, '--site', demoSite];
  const [code, launched] = await Promise.all([main(argv, io), launchChromium()]);
  browser = launched;
  expect(code, output.join('\n')).toBe(0);
  const now = new Date('2026-11-23T08:00:00Z');
  const files = await buildSite({
    metrics: siteMetrics(),
    reference: fixtureReference,
    quality: quality(now),
    assets: await loadSiteAssets(),
    generatedAt: now,
    sourceLabel: 'test fixture',
  });
  for (const f of files) {
    const target = path.join(fixtureSite, f.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, f.body);
  }
  server = await startStaticServer(demoSite);
  cspServer = await startStaticServer(demoSite, {
    headers: { 'content-security-policy': CONTENT_SECURITY_POLICY },
  });
  reference = await loadReference(path.join(packageRoot, 'data', 'reference'));
  pages = await discoverPages(demoSite);
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await cspServer?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the demo site in Chromium', () => {
  it('has every page type: the index, one ICB, six networks and their weekly reports', () => {
    const count = (kind: PageKind) => pages.filter((p) => p.kind === kind).length;
    expect([count('index'), count('icb'), count('network'), count('report')]).toEqual([1, 1, 6, 6]);
    for (const p of pages.filter((x) => x.kind === 'network'))
      expect(reference.networks.has(p.path.split('/')[1] ?? '')).toBe(true);
  });

  it('draws every chart on every page over http, with only the site’s own files and no axe violations', async () => {
    // Act
    const problems = await problemsByPage(pages, `${server?.origin}/`, {
      axe: true,
    });
    // Assess
    expect(problems).toEqual(noProblems(pages));
  });

  it('draws the charts when opened from file://, without requests leaving the folder', async () => {
    // Prepare: one page of each kind that has charts.
    const list = (['icb', 'network', 'report'] as const).map(
      (k) => pages.find((p) => p.kind === k) as SitePage,
    );
    // Act
    const problems = await problemsByPage(list, pathToFileURL(`${demoSite}/`).href, {
      axe: false,
    });
    // Assess
    expect(problems).toEqual(noProblems(list));
  });

  it('draws the charts under the CloudFront Content-Security-Policy (no eval, no inline script)', async () => {
    // Prepare: one page of each kind, from the server that sends the CSP.
    const base = `${cspServer?.origin}/`;
    const list = (['index', 'icb', 'network', 'report'] as const).map(
      (k) => pages.find((p) => p.kind === k) as SitePage,
    );
    // Act
    const problems = await problemsByPage(list, base, { axe: false });
    // Assess: drawn, and no CSP violation (Chromium reports each as a console error).
    expect(problems).toEqual(noProblems(list));
    // The policy is in force (so the charts above drew under it): an inline script added to the
    // page is refused and reported as a violation. (DevTools' own evaluation is exempt from the
    // page's CSP, so `new Function` cannot be tried from page.evaluate.)
    const { page } = await openPage(browser as Browser, new URL(list[1]?.path ?? '', base).href);
    try {
      const outcome = await page.evaluate(async () => {
        const violations: string[] = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          violations.push(e.effectiveDirective),
        );
        const script = document.createElement('script');
        script.textContent = 'document.body.dataset.inlineRan = "yes";';
        document.head.append(script);
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { ran: document.body.dataset.inlineRan === 'yes', violations };
      });
      expect(outcome).toEqual({ ran: false, violations: ['script-src-elem'] });
    } finally {
      await page.close();
    }
  });

  it('links from the index to every ICB and network page, with no script needed', async () => {
    const { page, log } = await openPage(browser as Browser, `${server?.origin}/index.html`, {
      javaScriptEnabled: false,
    });
    try {
      const hrefs = await page
        .locator('main a')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      const expected = pages
        .filter((p) => p.kind === 'icb' || p.kind === 'network')
        .map((p) => p.path);
      expect([...hrefs].sort()).toEqual(expected);
      for (const href of expected.filter((h) => h.startsWith('networks/'))) {
        const code = href.split('/')[1] ?? '';
        // Act
        await page.click(`main a[href="${href}"]`);
        await page.waitForURL(`${server?.origin}/${href}`, { waitUntil: 'domcontentloaded' });
        // Assess
        await expect(page.locator('h1').textContent()).resolves.toBe(networkName(reference, code));
        await page.goBack({ waitUntil: 'domcontentloaded' });
      }
      expect(log.failedRequests).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('sorts the ICB overview’s network table by a column when its heading is pressed', async () => {
    const icb = pages.find((p) => p.kind === 'icb') as SitePage;
    const { page } = await openPage(browser as Browser, `${server?.origin}/${icb.path}`);
    try {
      // The first of the two networks tables (cover; the second compares per 1,000 patients).
      const table = page.locator('table[data-sortable]').first();
      const column = (n: number) =>
        table
          .locator('tbody tr')
          .evaluateAll(
            (rows, i) => rows.map((r) => Number((r as HTMLTableRowElement).cells[i]?.dataset.sort)),
            n,
          );
      // Act: "Fill rate" is the third column.
      const fillRate = table.locator('thead th').nth(2).getByRole('button');
      await expect(fillRate.textContent()).resolves.toBe('Fill rate');
      await fillRate.click();
      const ascending = await column(2);
      await fillRate.click();
      const descending = await column(2);
      // Assess
      expect(ascending).toHaveLength(6);
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      expect(descending).toEqual([...ascending].reverse());
      await expect(page.locator('th[aria-sort="descending"]').textContent()).resolves.toBe(
        'Fill rate',
      );
    } finally {
      await page.close();
    }
  });
});

/** What a person sees wrong with the page's layout at its width (empty when nothing is). */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate((minPx) => {
    const problems: string[] = [];
    const scroller = document.scrollingElement as Element;
    if (scroller.scrollWidth > window.innerWidth)
      problems.push(
        `page scrolls sideways: ${scroller.scrollWidth} px wide in ${window.innerWidth}`,
      );
    for (const value of document.querySelectorAll<HTMLElement>('.tile-value'))
      if (value.scrollWidth > value.clientWidth + 1)
        problems.push(`tile "${value.textContent}" runs past its edge`);
    for (const svg of document.querySelectorAll<SVGSVGElement>(
      '[data-chart] svg, .report-chart svg',
    )) {
      const box = svg.getBoundingClientRect();
      const drawn = svg.width.baseVal.value;
      if (box.width === 0 || drawn === 0) continue;
      const scale = box.width / drawn;
      const chart = svg.closest('[data-chart], .report-chart') as HTMLElement;
      const name = chart.id || chart.getAttribute('aria-labelledby');
      const sizes = [...svg.querySelectorAll('text')]
        .filter((t) => (t.textContent ?? '').trim() !== '')
        .map((t) => Number.parseFloat(getComputedStyle(t).fontSize) * scale);
      const smallest = Math.min(...sizes);
      if (smallest < minPx) problems.push(`chart ${name}: text ${smallest.toFixed(1)} px`);
      const edge = chart.getBoundingClientRect().right + 1;
      for (const t of svg.querySelectorAll('.role-legend text'))
        if (t.getBoundingClientRect().right > edge)
          problems.push(`chart ${name}: legend "${t.textContent}" cut off`);
    }
    return problems;
  }, MIN_CHART_TEXT_PX);
}

/** Tables wider than their place on a printed page (media print, A4 width): empty when none. */
function printedOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.table-scroll')]
      .filter((region) => region.scrollWidth > region.clientWidth + 1)
      .map(
        (region) =>
          `${region.getAttribute('aria-label') ?? region.querySelector('caption')?.textContent}: ${region.scrollWidth} px in ${region.clientWidth}`,
      ),
  );
}

/** Pages in a PDF: its page objects (`/Type /Page`, not `/Pages`). */
function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g) ?? []).length;
}

describe('as people use it: a laptop, a phone and paper', () => {
  const onePerKind = () =>
    (['index', 'icb', 'network', 'report'] as const).map(
      (k) => pages.find((p) => p.kind === k) as SitePage,
    );

  // At 1280 px axe has run on every page already: the first test opens them at that width
  // (openPage's default viewport).
  it.each([
    { width: 1280, axe: false },
    { width: 390, axe: true },
  ])(
    'at $width px: no page scrolls sideways, charts draw with legible text and whole legends, no warnings (axe: $axe)',
    async ({ width, axe: runAxe }) => {
      const problems: Record<string, string[]> = {};
      for (const p of onePerKind()) {
        const { page, log } = await openPage(browser as Browser, `${server?.origin}/${p.path}`, {
          viewport: { width, height: 900 },
        });
        try {
          await waitForCharts(page, log);
          const charts = await chartStates(page);
          await page.screenshot({
            path: path.join(SCREENSHOTS, `${width}px_${p.path.replaceAll('/', '_')}.png`),
            fullPage: true,
          });
          problems[p.path] = [
            ...(p.kind !== 'index' && charts.length === 0 ? ['no charts on the page'] : []),
            ...charts
              .filter((c) => !c.rendered || c.marks === 0)
              .map((c) => `chart ${c.id} not drawn`),
            ...(await layoutProblems(page)),
            ...siteErrors(log),
            ...(runAxe ? await axeViolations(page) : []),
          ];
        } finally {
          await page.close();
        }
      }
      expect(problems).toEqual(noProblems(onePerKind()));
    },
  );

  it('loads no chart library on the index and the weekly report, and only vega and vega-embed on a network page', async () => {
    const loaded: Record<string, string[]> = {};
    for (const p of onePerKind()) {
      const { page, log } = await openPage(browser as Browser, `${server?.origin}/${p.path}`);
      await page.close();
      loaded[p.kind] = log.requests
        .filter((u) => u.endsWith('.js'))
        .map((u) => u.split('/').pop() ?? '');
    }
    expect(loaded).toEqual({
      index: ['site.js'],
      icb: expect.arrayContaining(['site.js']),
      network: ['vega.min.js', 'vega-embed.min.js', 'site.js'],
      report: ['site.js'],
    });
  });

  it('reaches the latest weekly report from a network page within 10 Tab presses', async () => {
    const network = pages.find((p) => p.kind === 'network') as SitePage;
    const code = network.path.split('/')[1];
    const { page } = await openPage(browser as Browser, `${server?.origin}/${network.path}`);
    try {
      const latest = pages
        .filter((p) => p.kind === 'report' && p.path.endsWith(`/${code}/index.html`))
        .map((p) => p.path.split('/')[1])
        .sort()
        .at(-1);
      const focused: string[] = [];
      for (let press = 1; press <= MAX_TABS_TO_REPORT; press += 1) {
        await page.keyboard.press('Tab');
        focused.push(await page.evaluate(() => document.activeElement?.getAttribute('href') ?? ''));
        if (focused.at(-1)?.includes(`reports/${latest}/${code}/`)) break;
      }
      expect(focused.at(-1), `focus went: ${focused.join(' -> ')}`).toContain(
        `reports/${latest}/${code}/index.html`,
      );
    } finally {
      await page.close();
    }
  });

  it('prints the ICB overview with its networks tables within the page', async () => {
    const icb = pages.find((x) => x.kind === 'icb') as SitePage;
    const { page, log } = await openPage(browser as Browser, `${server?.origin}/${icb.path}`);
    try {
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: A4_PRINTABLE_PX.width, height: A4_PRINTABLE_PX.height });
      // Flags in sentences wrap in their cell, and no link's address is printed after it: the
      // cover table was 1,609 px wide on a 794 px page, so its right-hand columns were cut.
      await expect(printedOverflow(page)).resolves.toEqual([]);
      const addressed = await page.evaluate(
        () =>
          [...document.querySelectorAll('main a[href]')].filter(
            (a) => getComputedStyle(a, '::after').content !== 'none',
          ).length,
      );
      expect(addressed).toBe(0);
      expect(siteErrors(log)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('prints every weekly report on at most 3 A4 pages, its first chart on page 1', async () => {
    const pdfPages: Record<string, number> = {};
    const firstChartOnPage1: Record<string, boolean> = {};
    for (const p of pages.filter((x) => x.kind === 'report')) {
      const { page, log } = await openPage(browser as Browser, `${server?.origin}/${p.path}`);
      try {
        const pdf = await page.pdf({ preferCSSPageSize: true });
        pdfPages[p.path] = pdfPageCount(pdf);
        if (p === pages.find((x) => x.kind === 'report'))
          await writeFile(path.join(SCREENSHOTS, 'weekly-report.pdf'), pdf);
        // Page 1 is not left half blank: the first chart (with its table) fits on it, below the
        // heading, summary and tiles, rather than being pushed whole onto page 2.
        await page.emulateMedia({ media: 'print' });
        await page.setViewportSize({
          width: A4_PRINTABLE_PX.width,
          height: A4_PRINTABLE_PX.height,
        });
        const bottom = await page.evaluate(
          () =>
            document.querySelector('.report-figure')?.getBoundingClientRect().bottom ?? Infinity,
        );
        firstChartOnPage1[p.path] = bottom <= A4_PRINTABLE_PX.height;
        // Every table within the page's width: on paper nothing scrolls, so a wider one is cut
        // (the weekly cover table overran the edge by 29 px).
        await expect(printedOverflow(page), p.path).resolves.toEqual([]);
        expect(siteErrors(log)).toEqual([]);
      } finally {
        await page.close();
      }
    }
    expect(Object.values(pdfPages).length).toBe(6);
    for (const [report, count] of Object.entries(pdfPages))
      expect(count, report).toBeLessThanOrEqual(MAX_REPORT_PAGES);
    expect(Object.values(pdfPages).every((n) => n >= 1)).toBe(true);
    expect(Object.values(firstChartOnPage1).every(Boolean), JSON.stringify(firstChartOnPage1)).toBe(
      true,
    );
  });
});

describe('data-derived text in the browser', () => {
  it('shows a practice named <script>alert(1)</script> & "Co" as text and runs nothing', async () => {
    const dialogs: string[] = [];
    const url = pathToFileURL(path.join(fixtureSite, 'networks/U00001/index.html')).href;
    const { page, log } = await openPage(browser as Browser, url);
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    try {
      await waitForCharts(page, log);
      await expect(page.locator('h1').textContent()).resolves.toBe(`Network ${EVIL}`);
      const cells = await page.locator('#practices-title ~ details td').allTextContents();
      expect(cells).toContain(EVIL);
      expect(dialogs).toEqual([]);
      expect(siteErrors(log)).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('the index behind sign-in', () => {
  /** The fixture site built for sign-in, served on 127.0.0.1; the links a viewer sees on its index. */
  async function viewIndex(
    grants: string | undefined,
  ): Promise<{ links: string[]; noAccessShown: boolean }> {
    const dir = path.join(tmp as string, 'signed-in-site');
    const files = await buildSite({
      metrics: siteMetrics(),
      reference: fixtureReference,
      quality: quality(new Date('2026-11-23T08:00:00Z')),
      assets: await loadSiteAssets(),
      generatedAt: new Date('2026-11-23T08:00:00Z'),
      sourceLabel: 'test fixture',
      access: 'signed-in',
    });
    for (const f of files) {
      await mkdir(path.dirname(path.join(dir, f.path)), { recursive: true });
      await writeFile(path.join(dir, f.path), f.body);
    }
    const signedIn = await startStaticServer(dir);
    const { page, log } = await openPage(browser as Browser, `${signedIn.origin}/index.html`);
    try {
      if (grants !== undefined) {
        // As the edge sets it at sign-in (src/access/edge-auth.ts).
        await page
          .context()
          .addCookies([{ name: 'rotascope_grants', value: grants, url: signedIn.origin }]);
        await page.reload();
      }
      expect(siteErrors(log)).toEqual([]);
      const links = await page
        .locator('main a:visible')
        .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
      return { links, noAccessShown: await page.locator('[data-no-access]').isVisible() };
    } finally {
      await page.close();
      await signedIn.close();
    }
  }

  it('lists only what the viewer’s grants open; everything when there is no grants cookie', async () => {
    const everything = [
      'icb/QXX/index.html',
      'networks/U00001/index.html',
      'networks/U00002/index.html',
    ];
    expect(await viewIndex('network:U00001')).toEqual({
      links: ['networks/U00001/index.html'],
      noAccessShown: false,
    });
    const commissioner = await viewIndex('icb:QXX');
    expect(commissioner.links.sort()).toEqual(everything);
    expect(commissioner.noAccessShown).toBe(false);
    const noCookie = await viewIndex(undefined);
    expect(noCookie.links.sort()).toEqual(everything);
    expect(noCookie.noAccessShown).toBe(false);
  });

  it('tells a viewer whose grants open nothing how to get access', async () => {
    expect(await viewIndex('icb:QKK+network:U99999')).toEqual({ links: [], noAccessShown: true });
  });
});
