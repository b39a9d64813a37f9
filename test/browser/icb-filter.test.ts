/**
 * The ICB overview at scale in Debian Chromium: an ICB page of 36 networks (many-networks.ts)
 * served with the site's Content-Security-Policy. The filter (dashboards/icb-filter.js) narrows the
 * table and the panels by name and by flag and says how many networks it shows; without
 * JavaScript the filter stays hidden and every network is listed; no sideways scroll at 390 px;
 * axe finds nothing. Screenshots go to test-output/screenshots/.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/site/content-security-policy.js';
import { fillTemplate } from '../../src/site/html.js';
import { icbPage } from '../../src/site/icb-page.js';
import { loadSiteAssets } from '../../src/site/site-assets.js';
import { manyNetworks } from '../fixtures/site/many-networks.js';
import { launchChromium, openPage } from '../helpers/browser.js';
import { type StaticServer, startStaticServer } from '../helpers/static-server.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));

let tmp: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let url = '';

beforeAll(async () => {
  // Prepare: the ICB page of 36 networks with the site's assets, as build-site lays them out.
  tmp = await mkdtemp(path.join(os.tmpdir(), 'rotascope-icb-'));
  const assets = await loadSiteAssets();
  const page = icbPage({ icbCode: 'QZZ', ...manyNetworks(36) });
  const html = fillTemplate(assets.pageTemplate, {
    title: page.title,
    breadcrumbs: page.breadcrumbs,
    body: page.body,
    root: '../../',
    footer: 'test',
    data: '',
    scripts: (page.scripts ?? [])
      .map((s) => `<script src="../../assets/${s}" defer></script>`)
      .join(''),
    printstyle: '',
  });
  for (const [name, body] of Object.entries(assets.static)) {
    await mkdir(path.dirname(path.join(tmp, 'assets', name)), { recursive: true });
    await writeFile(path.join(tmp, 'assets', name), body);
  }
  await mkdir(path.join(tmp, 'icb/QZZ'), { recursive: true });
  await writeFile(path.join(tmp, 'icb/QZZ/index.html'), html);
  await mkdir(SCREENSHOTS, { recursive: true });
  [server, browser] = await Promise.all([
    startStaticServer(tmp, { headers: { 'content-security-policy': CONTENT_SECURITY_POLICY } }),
    launchChromium(),
  ]);
  url = `${server.origin}/icb/QZZ/index.html`;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** How many rows of each networks table and panels are shown, and what the live region says. */
function shown(page: Page) {
  return page.evaluate(() => ({
    rows: [...document.querySelectorAll('table[data-filter-table]')].map(
      (table) => table.querySelectorAll('tbody tr:not([hidden])').length,
    ),
    panels: document.querySelectorAll('li.multiple:not([hidden])').length,
    status: document.querySelector('[data-filter-count]')?.textContent,
  }));
}

describe('the ICB page of 36 networks in Chromium', () => {
  it('filters both tables and the panels by name and by flag, and says how many it shows', async () => {
    const { page, log } = await openPage(browser as Browser, url);
    try {
      await expect(shown(page)).resolves.toEqual({
        rows: [36, 36],
        panels: 36,
        status: 'Showing all 36 networks.',
      });
      // Act: by name (case does not matter), then by flag, then nothing matches.
      await page.getByLabel('Network name or code').fill('NETWORK 03');
      const byName = await shown(page);
      await page.getByLabel('Network name or code').fill('');
      await page.getByLabel('Show').selectOption('falling');
      const byFlag = await shown(page);
      await page.getByLabel('Network name or code').fill('u90001');
      const none = await shown(page);
      // Assess
      expect(byName).toEqual({ rows: [1, 1], panels: 1, status: 'Showing 1 of 36 networks.' });
      expect(byFlag).toEqual({ rows: [1, 1], panels: 1, status: 'Showing 1 of 36 networks.' });
      expect(none).toEqual({
        rows: [0, 0],
        panels: 0,
        status: 'No network matches; 36 networks in all.',
      });
      await page.getByLabel('Show').selectOption('any');
      await page.getByLabel('Network name or code').fill('');
      const flagged = await shown(page);
      const [cover = 0, compared] = flagged.rows;
      expect(cover).toBeGreaterThan(1);
      expect(cover).toBeLessThan(36);
      expect([compared, flagged.panels]).toEqual([cover, cover]);
      expect([...log.consoleErrors, ...log.pageErrors, ...log.failedRequests]).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lists every network with the filter hidden when JavaScript is off', async () => {
    const { page } = await openPage(browser as Browser, url, { javaScriptEnabled: false });
    try {
      await expect(page.locator('[data-icb-filter]').isVisible()).resolves.toBe(false);
      await expect(shown(page)).resolves.toEqual({ rows: [36, 36], panels: 36, status: '' });
    } finally {
      await page.close();
    }
  });

  for (const width of [1280, 390])
    it(`fits ${width} px without sideways scroll, panels drawn, and axe finds nothing`, async () => {
      const { page } = await openPage(browser as Browser, url, {
        viewport: { width, height: 900 },
        // For axe's injected script only; the filter test above runs under the CSP.
        bypassCSP: true,
      });
      try {
        const layout = await page.evaluate(() => ({
          scrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
          panelWidths: [...document.querySelectorAll('svg.multiple-chart')].map(
            (svg) => svg.getBoundingClientRect().width,
          ),
          smallestAxisText: Math.min(
            ...[...document.querySelectorAll('svg.multiple-chart text')].map(
              (t) => t.getBoundingClientRect().height,
            ),
          ),
        }));
        await page.screenshot({
          path: path.join(SCREENSHOTS, `icb-36-networks-${width}.png`),
          fullPage: true,
        });
        expect(layout.scrolls).toBe(false);
        expect(layout.panelWidths).toHaveLength(36);
        expect(Math.min(...layout.panelWidths)).toBeGreaterThanOrEqual(220);
        // 11 px text in a 240-wide viewBox drawn 220+ px wide: at least ~10 px of glyph box.
        expect(layout.smallestAxisText).toBeGreaterThanOrEqual(10);
        await page.addScriptTag({ content: axe.source });
        const violations = await page.evaluate(() =>
          (window as unknown as { axe: typeof axe }).axe
            .run(document, {
              runOnly: {
                type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'],
              },
            })
            .then((r) => r.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)),
        );
        expect(violations).toEqual([]);
      } finally {
        await page.close();
      }
    });
});
