import { describe, expect, it } from 'vitest';
import { arrsLedger, arrsPanel, arrsSentence } from '../../../src/site/arrs-panel.js';
import type { ArrsRow } from '../../../src/site/site-data.js';
import { arrsRow } from '../../fixtures/site/site-metrics.js';

const LAST = '2026-11-16';
// Clinical pharmacists: 2 WTE at £70,000 a year each against a £66,972 maximum; £60,000 spent so
// far, of which £57,410 is claimable and £2,590 is not. Link workers: suppressed (pay NULL).
const pharmacists = arrsRow('clinical_pharmacist', {
  wte: 2,
  ytd_spend_pence: 6_000_000,
  cost_per_wte_pence: 7_000_000,
  max_reimbursable_per_wte_pence: 6_697_200,
  claimable_pence: 5_741_000,
  excess_not_claimable_pence: 259_000,
}) as ArrsRow;
const linkWorkers = arrsRow('social_prescribing_link_worker', {
  wte: 1.5,
  suppressed: true,
}) as ArrsRow;
const withTotal = (r: ArrsRow): ArrsRow => ({
  ...r,
  network_suppressed: false,
  network_ytd_spend_pence: 7_500_000,
  arrs_allocation_pence: 30_000_000,
  allocation_used_share: 0.25,
});

describe('arrsSentence', () => {
  it('gives the spend so far, WTE, allocation used and roles over the maximum', () => {
    // 7,500,000p = £75,000 of 30,000,000p = £300,000: 25.0%; WTE 2 + 1.5 = 3.5.
    expect(arrsSentence([withTotal(pharmacists), withTotal(linkWorkers)], '2026-04-01')).toBe(
      'ARRS: £75,000 spent so far in 2026/27 on 2 roles (3.5 WTE), 25.0% of the £300,000 allocation; 1 role over the maximum reimbursable amount.',
    );
  });

  it('suppresses the total with the network, and says when no maximum is configured', () => {
    const noRate = { ...linkWorkers, suppressed: false, ytd_spend_pence: 1_000 };
    expect(arrsSentence([noRate], '2026-04-01')).toBe(
      'ARRS: 1 role (1.5 WTE) so far in 2026/27; spend suppressed for the rest of the year (privacy threshold); no maximum reimbursable amount is configured for 2026/27.',
    );
    expect(arrsSentence([], '2026-04-01')).toBe(
      'ARRS: no ARRS-funded shifts filled so far in 2026/27.',
    );
  });
});

describe('arrsLedger', () => {
  it('takes the latest week of the year up to the page week, not the rota ahead or last year', () => {
    const rows = [
      { ...pharmacists, financial_year_start: '2025-04-01', week_start: '2026-03-23' },
      { ...pharmacists, week_start: '2026-11-09' },
      pharmacists,
      { ...pharmacists, week_start: '2026-11-23' },
    ];
    const ledger = arrsLedger(rows, LAST);
    expect(ledger.financialYear).toBe('2026-04-01');
    expect(ledger.series.map((r) => r.week_start)).toEqual(['2026-11-09', LAST]);
    expect(ledger.latest).toEqual([pharmacists]);
  });
});

describe('arrsPanel', () => {
  it('shows suppressed roles as suppressed and says why, and names the role over its maximum', () => {
    const html = arrsPanel({ rows: [pharmacists, linkWorkers], latestWeek: LAST });
    expect(html).toMatch(
      /Social prescribing link workers?<\/td><td[^>]*>1\.5<\/td><td[^>]*>suppressed<\/td><td[^>]*>suppressed</,
    );
    expect(html).toContain('1 role reads “suppressed”');
    expect(html).toContain('£70,000 per WTE against £66,972; £2,590 so far cannot be claimed');
    expect(html).toContain(
      'No maximum reimbursable amount is configured for 2026/27 for: Social prescribing',
    );
    expect(html).toContain('No ARRS allocation is set for 2026/27');
    expect(html).toContain('href="data/arrs.csv"');
  });

  it('says plainly when no maximum is configured for the year', () => {
    const html = arrsPanel({ rows: [{ ...linkWorkers, suppressed: false }], latestWeek: LAST });
    expect(html).toContain(
      'No maximum reimbursable amount is configured for 2026/27, so cost per WTE is not compared',
    );
    expect(html).not.toContain('reads “suppressed”');
    expect(html).toMatch(/>not set<\/td>/);
  });
});
