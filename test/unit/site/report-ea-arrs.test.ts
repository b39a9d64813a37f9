/**
 * The fixture site's Enhanced Access and ARRS figures on the network page and in the weekly report
 * (test/fixtures/site/site-metrics.ts: U00002 short by 10.8 h in its last week, with a suppressed
 * ARRS role; U00001 with a practice lacking a list size).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSite, type SiteFile } from '../../../src/site/build-site.js';
import { loadSiteAssets } from '../../../src/site/site-assets.js';
import { quality, reference, siteMetrics } from '../../fixtures/site/site-metrics.js';

const NOW = new Date('2026-11-23T08:00:00Z');
let files: SiteFile[];
const body = (p: string) => {
  const found = files.find((f) => f.path === p);
  if (!found) throw new Error(`no ${p}`);
  return typeof found.body === 'string' ? found.body : new TextDecoder().decode(found.body);
};

beforeAll(async () => {
  files = await buildSite({
    metrics: siteMetrics(),
    reference,
    quality: quality(NOW),
    assets: await loadSiteAssets(),
    generatedAt: NOW,
    sourceLabel: 'test data',
  });
});

describe('Enhanced Access and ARRS on the site', () => {
  it('gives the weekly report one sentence on each', () => {
    const report = body('reports/2026-W47/U00002/index.html');
    // 52.309 - 41.5 = 10.809 h short; WTE 2 + 1.5 = 3.5; the network total is suppressed.
    expect(report).toContain(
      '<li>Enhanced Access: 41.5 of 52.3 required hours filled (10.8 h short).</li>',
    );
    expect(report).toContain(
      '<li>ARRS: 2 roles (3.5 WTE) so far in 2026/27; spend suppressed for the rest of the year (privacy threshold); 1 role over the maximum reimbursable amount.</li>',
    );
    const unknown = body('reports/2026-W47/U00001/index.html');
    expect(unknown).toContain(
      'Enhanced Access: 20.0 hours filled; the required minimum is unknown (no list size for 1 practice).',
    );
    expect(unknown).toContain('ARRS: no ARRS-funded shifts filled so far in 2026/27.');
  });

  it('puts both panels on the network page, with the trend data as CSV', () => {
    const page = body('networks/U00002/index.html');
    expect(page).toContain('id="enhanced-access-title"');
    expect(page).toContain('id="arrs-title"');
    expect(page).toMatch(/Enhanced Access<\/[^>]+>[\s\S]{0,400}41\.5 h of 52\.3 h/);
    const csv = body('networks/U00002/data/enhanced_access.csv').trim().split('\n');
    expect(csv).toHaveLength(1 + 3);
    expect(body('networks/U00002/data/arrs.csv')).toContain('clinical_pharmacist');
  });
});
