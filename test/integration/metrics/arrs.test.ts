/**
 * arrs on hand-made curated shifts with real DuckDB: the ARRS ledger by role, year to date.
 * Rates chosen so an hour is a round number: with 37.5 hours a WTE and 52 weeks in 2026/27, one
 * WTE-year is 37.5 x 52 = 1,950 hours, so a £39,000 maximum is 3,900,000 / 1,950 = 2,000p an hour
 * and £29,250 is 1,500p an hour. Every expected number is worked out in the comments.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import { computeMetrics, metricTable } from '../../../src/metrics/compute-metrics.js';
import type { MetricParameters } from '../../../src/metrics/metric-parameters.js';
import { type ShiftFixture, writeCuratedShifts } from '../../helpers/curated-fixtures.js';
import { openTestStores, type TestStores } from '../../helpers/stores.js';

let stores: TestStores | undefined;
let engine: DuckDbEngine;
beforeAll(async () => {
  engine = await DuckDbEngine.open();
});
afterEach(async () => {
  await stores?.close();
  stores = undefined;
});
afterAll(async () => {
  await engine?.close();
});

type Row = Record<string, unknown>;

const RATES: MetricParameters['arrsRates'] = [
  // 2026/27: 2,000p and 1,500p an hour (above). No rate for first_contact_physio.
  { financialYearStart: '2026-04-01', role: 'clinical_pharmacist', maxPencePerWte: 3_900_000 },
  { financialYearStart: '2026-04-01', role: 'pharmacy_technician', maxPencePerWte: 2_925_000 },
  // 2025/26 (also 52 Mondays, 7 April 2025 to 30 March 2026): 1,500p an hour for pharmacists.
  { financialYearStart: '2025-04-01', role: 'clinical_pharmacist', maxPencePerWte: 2_925_000 },
];

/** The ledger and network_week_role, the table whose weekly role spend a reader can set beside it. */
async function ledger(shifts: ShiftFixture[], parameters: Partial<MetricParameters> = {}) {
  stores = await openTestStores('local');
  await writeCuratedShifts(engine, stores.curated, shifts);
  const tables = await computeMetrics({
    engine,
    curated: stores.curated,
    parameters: { arrsRates: RATES, ...parameters },
  });
  return {
    arrs: tableRows<Row>(metricTable(tables, 'arrs')),
    roleWeeks: tableRows<Row>(metricTable(tables, 'network_week_role')),
  };
}

async function arrs(shifts: ShiftFixture[], parameters: Partial<MetricParameters> = {}) {
  return (await ledger(shifts, parameters)).arrs;
}

/** The Monday of a fixture's start, `YYYY-MM-DD`. */
function mondayOf(start: string): string {
  const day = new Date(`${start.slice(0, 10)}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/**
 * What a reader could work out by difference. Every role week with costed ARRS spend is known
 * where network_week_role publishes the role's spend (the attack assumes the role's shifts are all
 * ARRS-funded). Two published figures of a series (or one and the year's start, when the total was
 * 0) give the sum of the weeks in between: with exactly one of them unknown, that one is worked
 * out, and may open another window; repeated until nothing more comes out. Returns each role week
 * below k clinicians that comes out, for a role's series and the network total.
 */
function givenBack(shifts: ShiftFixture[], tables: { arrs: Row[]; roleWeeks: Row[] }): string[] {
  const arrsSpend = shifts.filter(
    (s) => s.arrs_funded === true && s.cost_pence != null && (s.status ?? 'filled') === 'filled',
  );
  const keyOf = (s: ShiftFixture) =>
    `${s.network_code ?? 'U60865'} ${mondayOf(s.start)} ${s.role ?? 'gp'}`;
  const spendWeeks = [...new Set(arrsSpend.map(keyOf))];
  const small = spendWeeks.filter(
    (k) => new Set(arrsSpend.filter((s) => keyOf(s) === k).map((s) => s.clinician_key)).size < 3,
  );
  const known = new Set(
    tables.roleWeeks
      .filter((r) => r.spend_pence !== null)
      .map((r) => `${r.network_code} ${r.week_start} ${r.role}`),
  );
  const windows: string[][] = [];
  const addSeries = (points: string[], network: string, role: string | undefined) => {
    const published = ['', ...new Set(points)];
    for (let i = 0; i < published.length; i++) {
      for (let j = i + 1; j < published.length; j++) {
        const [from, to] = [published[i] ?? '', published[j] ?? ''];
        windows.push(
          spendWeeks.filter((k) => {
            const [n, week = '', r] = k.split(' ');
            return n === network && (role === undefined || r === role) && week > from && week <= to;
          }),
        );
      }
    }
  };
  const rows = tables.arrs;
  for (const key of new Set(rows.map((r) => `${r.network_code} ${r.role}`))) {
    const [network = '', role = ''] = key.split(' ');
    const mine = rows.filter((r) => r.network_code === network && r.role === role);
    addSeries(
      mine.filter((r) => r.ytd_spend_pence !== null).map((r) => String(r.week_start)),
      network,
      role,
    );
  }
  for (const network of new Set(rows.map((r) => String(r.network_code)))) {
    const mine = rows.filter((r) => r.network_code === network);
    addSeries(
      mine.filter((r) => r.network_ytd_spend_pence !== null).map((r) => String(r.week_start)),
      network,
      undefined,
    );
  }
  const worked: string[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const window of windows) {
      const unknown = window.filter((k) => !known.has(k));
      if (unknown.length === 1 && unknown[0] !== undefined) {
        known.add(unknown[0]);
        worked.push(unknown[0]);
        changed = true;
      }
    }
  }
  return worked.filter((k) => small.includes(k));
}

/** A filled ARRS shift of 7.5 h (09:00-16:30) on a day, by one clinician, at a cost. */
const arrsShift = (
  id: string,
  network_code: string,
  role: string,
  day: string,
  clinician: string,
  cost_pence: number | null,
): ShiftFixture => ({
  shift_id: id,
  network_code,
  role,
  start: `${day} 09:00`,
  end: `${day} 16:30`,
  arrs_funded: true,
  clinician_key: clinician,
  cost_pence,
});

/** Three clinicians (`<prefix>1..3`) with one 7.5 h ARRS shift each on a day, each at `cost`. */
const three = (network: string, role: string, day: string, prefix: string, cost: number) =>
  [1, 2, 3].map((n) =>
    arrsShift(`${network}-${prefix}${n}-${day}`, network, role, day, `${prefix}${n}`, cost),
  );

const of = (rows: Row[], network: string, role?: string) =>
  rows.filter((r) => r.network_code === network && (role === undefined || r.role === role));

/** One week of U60865 (Monday 9 November 2026): three roles with three clinicians each. */
const ONE_WEEK: ShiftFixture[] = [
  // Clinical pharmacists at 18,000p for 7.5 h = 2,400p an hour: over the 2,000p maximum.
  ...three('U60865', 'clinical_pharmacist', '2026-11-09', 'p', 18_000),
  // Pharmacy technicians at 9,000p for 7.5 h = 1,200p an hour: under the 1,500p maximum.
  ...three('U60865', 'pharmacy_technician', '2026-11-10', 't', 9_000),
  // First contact physios at 15,000p = 2,000p an hour: no rate shipped for the role.
  ...three('U60865', 'first_contact_physio', '2026-11-11', 'f', 15_000),
  // Not ARRS: a GP locum (the only locum cell: nothing to close), pharmacist shifts with the ARRS
  // flag left empty (three clinicians, so the pharmacists' salaried spend in network_week_role
  // minus the ARRS spend gives nothing small back), an unfilled ARRS shift.
  {
    shift_id: 'G1',
    start: '2026-11-09 09:00',
    end: '2026-11-09 17:00',
    cost_pence: 80_000,
    engagement: 'locum',
  },
  ...three('U60865', 'clinical_pharmacist', '2026-11-12', 'p', 18_000).map((s) => ({
    ...s,
    arrs_funded: null,
  })),
  {
    ...arrsShift('U1', 'U60865', 'clinical_pharmacist', '2026-11-12', 'p1', null),
    status: 'unfilled',
  },
];

describe('arrs', () => {
  it('compares each role with its maximum: over, under, and without a rate', async () => {
    const rows = await arrs(ONE_WEEK, {
      budgets: [
        {
          networkCode: 'U60865',
          financialYearStart: '2026-04-01',
          budgetPence: 10_000_000,
          arrsAllocationPence: 1_260_000,
        },
      ],
    });
    const common = {
      network_code: 'U60865',
      icb_code: 'QMF',
      financial_year_start: '2026-04-01',
      week_start: '2026-11-09',
      weeks_with_data: 1,
      weeks_in_year: 52,
      // 3 x 7.5 = 22.5 h in each role; WTE = 22.5 / (37.5 x 1 week) = 0.6.
      ytd_filled_hours: 22.5,
      ytd_costed_hours: 22.5,
      wte: 0.6,
      suppressed: false,
      // 54,000 + 27,000 + 45,000 = 126,000 of a 1,260,000 allocation: 10%.
      network_ytd_spend_pence: 126_000,
      // Nine clinicians, all in this week: the network total is published.
      network_suppressed: false,
      arrs_allocation_pence: 1_260_000,
      allocation_used_share: 0.1,
    };
    expect(of(rows, 'U60865')).toEqual([
      {
        ...common,
        role: 'clinical_pharmacist',
        ytd_spend_pence: 54_000,
        // 2,400p an hour x 1,950 hours = 4,680,000p a WTE-year.
        cost_per_wte_pence: 4_680_000,
        max_reimbursable_per_wte_pence: 3_900_000,
        // Ceiling 2,000 x 22.5 h = 45,000: 45,000 claimable, 54,000 - 45,000 = 9,000 not.
        claimable_pence: 45_000,
        excess_not_claimable_pence: 9_000,
      },
      {
        ...common,
        role: 'first_contact_physio',
        ytd_spend_pence: 45_000,
        // 2,000p an hour x 1,950 = 3,900,000; no rate, so nothing to compare it with.
        cost_per_wte_pence: 3_900_000,
        max_reimbursable_per_wte_pence: null,
        claimable_pence: null,
        excess_not_claimable_pence: null,
      },
      {
        ...common,
        role: 'pharmacy_technician',
        ytd_spend_pence: 27_000,
        // 1,200 x 1,950 = 2,340,000; ceiling 1,500 x 22.5 = 33,750 > 27,000: all claimable.
        cost_per_wte_pence: 2_340_000,
        max_reimbursable_per_wte_pence: 2_925_000,
        claimable_pence: 27_000,
        excess_not_claimable_pence: 0,
      },
    ]);
  });

  it('counts a WTE in the configured hours, and no allocation is no share', async () => {
    const rows = of(await arrs(ONE_WEEK, { arrsWteHours: 30 }), 'U60865', 'clinical_pharmacist');
    // 22.5 / (30 x 1) = 0.75 WTE; a WTE-year is 30 x 52 = 1,560 h: 2,400 x 1,560 = 3,744,000p;
    // ceiling 3,900,000 x 22.5 / 1,560 = 56,250 > 54,000: all claimable at 30 hours a week.
    expect(rows.map((r) => [r.wte, r.cost_per_wte_pence, r.claimable_pence])).toEqual([
      [0.75, 3_744_000, 54_000],
    ]);
    expect(rows[0]?.excess_not_claimable_pence).toBe(0);
    expect([rows[0]?.arrs_allocation_pence, rows[0]?.allocation_used_share]).toEqual([null, null]);
  });

  it('suppresses a role below k and the network total, keeping a role that gives nothing back', async () => {
    const shifts = [
      // Link workers from 2 clinicians: 2 x 10,000 = 20,000 (below k = 3).
      arrsShift('S1', 'U99999', 'social_prescribing_link_worker', '2026-11-09', 's1', 10_000),
      arrsShift('S2', 'U99999', 'social_prescribing_link_worker', '2026-11-10', 's2', 10_000),
      // Care coordinators from 3: 3 x 8,000 = 24,000.
      ...three('U99999', 'care_coordinator', '2026-11-11', 'c', 8_000),
      // Salaried GPs and nurses, three each, not ARRS-funded. The link workers close the salaried
      // engagement in network_week_role; with the coordinators' 24,000 published here, the
      // salaried total minus it is still the link workers, GPs and nurses together.
      ...three('U99999', 'gp', '2026-11-12', 'g', 40_000).map((s) => ({
        ...s,
        arrs_funded: false,
      })),
      ...three('U99999', 'practice_nurse', '2026-11-12', 'n', 20_000).map((s) => ({
        ...s,
        arrs_funded: false,
      })),
    ];
    const tables = await ledger(shifts);
    const published = of(tables.arrs, 'U99999').map((r) => [
      r.role,
      r.suppressed,
      r.ytd_spend_pence,
      r.cost_per_wte_pence,
      r.ytd_filled_hours,
      r.wte,
      r.network_ytd_spend_pence,
      r.network_suppressed,
    ]);
    expect(published).toEqual([
      // Hours and WTE stay: 3 x 7.5 = 22.5 h = 0.6 WTE, 2 x 7.5 = 15 h = 0.4 WTE. The network
      // total, 44,000, minus the coordinators' 24,000 would give the link workers' 20,000.
      // 24,000 x 37.5 x 52 / 22.5 = 2,080,000 a WTE-year.
      ['care_coordinator', false, 24_000, 2_080_000, 22.5, 0.6, null, true],
      ['social_prescribing_link_worker', true, null, null, 15, 0.4, null, true],
    ]);
    expect(givenBack(shifts, tables)).toEqual([]);
  });

  it('suppresses every ARRS role of an engagement whose closure the ledger would open', async () => {
    const shifts = [
      // Link workers from 2 (20,000) and coordinators from 3 (24,000), all salaried: the
      // engagement is closed in network_week_role, its total (44,000) published in network_week.
      // Published here, the coordinators' 24,000 would leave 44,000 - 24,000 = 20,000.
      arrsShift('S1', 'U99999', 'social_prescribing_link_worker', '2026-11-09', 's1', 10_000),
      arrsShift('S2', 'U99999', 'social_prescribing_link_worker', '2026-11-10', 's2', 10_000),
      ...three('U99999', 'care_coordinator', '2026-11-11', 'c', 8_000),
    ];
    const rows = await arrs(shifts);
    expect(of(rows, 'U99999').map((r) => [r.role, r.suppressed, r.ytd_spend_pence])).toEqual([
      ['care_coordinator', true, null],
      ['social_prescribing_link_worker', true, null],
    ]);
  });

  it('suppresses a role from its first unpublishable week to the end of the year', async () => {
    const shifts = [
      // Week of 16 Nov: link workers from 2 clinicians, 2 x 10,000 = 20,000 (below k); care
      // coordinators from 3, 3 x 15,000 = 45,000. Both suppressed (the closure above).
      arrsShift('S1', 'U88888', 'social_prescribing_link_worker', '2026-11-16', 's1', 10_000),
      arrsShift('S2', 'U88888', 'social_prescribing_link_worker', '2026-11-17', 's2', 10_000),
      ...three('U88888', 'care_coordinator', '2026-11-18', 'c', 15_000),
      // Week of 23 Nov: three new link workers (30,000).
      ...three('U88888', 'social_prescribing_link_worker', '2026-11-24', 'n', 10_000),
      // Week of 30 Nov: both roles spend again, three each. The coordinators' 60,000 minus this
      // week's 15,000 (network_week_role publishes it) would give 16 November's 45,000 back, and
      // 65,000 - 45,000 the link workers' 20,000: every later figure of the year stays hidden.
      ...three('U88888', 'social_prescribing_link_worker', '2026-12-01', 'n', 10_000),
      ...three('U88888', 'care_coordinator', '2026-12-02', 'c', 5_000),
    ];
    const tables = await ledger(shifts);
    expect(
      of(tables.arrs, 'U88888').map((r) => [
        r.week_start,
        r.role,
        r.suppressed,
        r.ytd_spend_pence,
        r.network_ytd_spend_pence,
        r.ytd_filled_hours,
      ]),
    ).toEqual([
      ['2026-11-16', 'care_coordinator', true, null, null, 22.5],
      ['2026-11-23', 'care_coordinator', true, null, null, 22.5],
      ['2026-11-30', 'care_coordinator', true, null, null, 45],
      ['2026-11-16', 'social_prescribing_link_worker', true, null, null, 15],
      ['2026-11-23', 'social_prescribing_link_worker', true, null, null, 37.5],
      ['2026-11-30', 'social_prescribing_link_worker', true, null, null, 60],
    ]);
    expect(givenBack(shifts, tables)).toEqual([]);
  });

  it('suppresses a role whose ARRS spend sits beside a small part that is not ARRS-funded', async () => {
    const rows = await arrs([
      // Pharmacists p1-p3 ARRS-funded (45,000) and p4 not (18,000), all salaried: network_week_role
      // publishes the cell (4 clinicians, 63,000), and 63,000 - 45,000 would be p4's pay.
      ...three('U66666', 'clinical_pharmacist', '2026-11-09', 'p', 15_000),
      {
        ...arrsShift('P4', 'U66666', 'clinical_pharmacist', '2026-11-10', 'p4', 18_000),
        arrs_funded: false,
      },
      // Technicians: three ARRS-funded, three not (their own 3 clinicians): nothing small.
      ...three('U66666', 'pharmacy_technician', '2026-11-09', 't', 9_000),
      ...three('U66666', 'pharmacy_technician', '2026-11-10', 'u', 9_000).map((s) => ({
        ...s,
        arrs_funded: false,
      })),
    ]);
    expect(of(rows, 'U66666').map((r) => [r.role, r.suppressed, r.ytd_spend_pence])).toEqual([
      ['clinical_pharmacist', true, null],
      ['pharmacy_technician', false, 27_000],
    ]);
  });

  it('counts unknown clinicians as below k, and uncosted shifts as no spend, not 0', async () => {
    const rows = await arrs([
      // Paramedics: three costed shifts, no known clinician: none is known to be a third person.
      ...three('U44444', 'paramedic', '2026-11-09', 'x', 12_000).map((s) => ({
        ...s,
        clinician_key: null,
      })),
      // Dietitians: three shifts without a cost: hours and WTE, but no spend to compare.
      ...three('U33333', 'dietitian', '2026-11-09', 'd', 0).map((s) => ({
        ...s,
        cost_pence: null,
      })),
    ]);
    const pick = (r: Row) => [
      r.role,
      r.suppressed,
      r.ytd_spend_pence,
      r.ytd_costed_hours,
      r.wte,
      r.claimable_pence,
      r.network_ytd_spend_pence,
      r.network_suppressed,
    ];
    // The only role: the network total would be the paramedics' 36,000, so it is NULL too.
    expect(of(rows, 'U44444').map(pick)).toEqual([
      ['paramedic', true, null, 22.5, 0.6, null, null, true],
    ]);
    expect(of(rows, 'U33333').map(pick)).toEqual([
      ['dietitian', false, null, 0, 0.6, null, null, false],
    ]);
  });

  it('keeps a series from giving back a small week by difference', async () => {
    const week2 = arrsShift('A2', 'U77777', 'clinical_pharmacist', '2026-11-10', 'a1', 15_000);
    const shifts: ShiftFixture[] = [
      // Week of 2 Nov: a1, a2, a3 at 15,000 (2,000p an hour, exactly the maximum).
      ...three('U77777', 'clinical_pharmacist', '2026-11-02', 'a', 15_000),
      // Week of 9 Nov: a1 alone. Three clinicians so far, but 45,000 published for 2 Nov and
      // 60,000 for 9 Nov would give a1's week (15,000) back: suppressed.
      week2,
      // Week of 16 Nov: no ARRS shift (a GP shift makes it a week with data).
      {
        shift_id: 'G16',
        network_code: 'U77777',
        start: '2026-11-16 09:00',
        end: '2026-11-16 13:00',
      },
      // Week of 23 Nov: a1, a2, a3 again. 105,000 - 45,000 is a1's week and this one, and
      // network_week_role publishes this one (45,000): still suppressed, to the end of the year.
      ...three('U77777', 'clinical_pharmacist', '2026-11-23', 'a', 15_000),
    ];
    const tables = await ledger(shifts);
    expect(
      of(tables.arrs, 'U77777').map((r) => [
        r.week_start,
        r.weeks_with_data,
        r.suppressed,
        r.ytd_spend_pence,
        r.ytd_filled_hours,
        r.claimable_pence,
        r.excess_not_claimable_pence,
        r.network_ytd_spend_pence,
      ]),
    ).toEqual([
      ['2026-11-02', 1, false, 45_000, 22.5, 45_000, 0, 45_000],
      // The network total, the same one role, is held back by the same rule.
      ['2026-11-09', 2, true, null, 30, null, null, null],
      ['2026-11-16', 3, true, null, 30, null, null, null],
      // 7 shifts x 7.5 = 52.5 h: hours are not pay and stay.
      ['2026-11-23', 4, true, null, 52.5, null, null, null],
    ]);
    // WTE over the weeks with data: 52.5 / (37.5 x 4) = 0.35.
    expect(of(tables.arrs, 'U77777').at(-1)?.wte).toBeCloseTo(0.35, 10);
    expect(givenBack(shifts, tables)).toEqual([]);
  });

  it('puts the week of Monday 30 March 2026 in 2025/26, at that year rate', async () => {
    const rows = await arrs([
      // Week of 30 March 2026: Monday, Tuesday and Wednesday 1 April, all 2025/26.
      arrsShift('M1', 'U55555', 'clinical_pharmacist', '2026-03-30', 'm1', 15_000),
      arrsShift('M2', 'U55555', 'clinical_pharmacist', '2026-03-31', 'm2', 15_000),
      arrsShift('M3', 'U55555', 'clinical_pharmacist', '2026-04-01', 'm3', 15_000),
      // Week of 6 April 2026: the first of 2026/27.
      ...three('U55555', 'clinical_pharmacist', '2026-04-06', 'm', 15_000),
    ]);
    expect(
      of(rows, 'U55555').map((r) => [
        r.financial_year_start,
        r.week_start,
        r.weeks_with_data,
        r.weeks_in_year,
        r.ytd_spend_pence,
        r.max_reimbursable_per_wte_pence,
        r.claimable_pence,
        r.excess_not_claimable_pence,
      ]),
    ).toEqual([
      // 2025/26 at 1,500p an hour: ceiling 1,500 x 22.5 = 33,750; 45,000 - 33,750 = 11,250.
      ['2025-04-01', '2026-03-30', 1, 52, 45_000, 2_925_000, 33_750, 11_250],
      // 2026/27 starts again at week 1, at 2,000p an hour: 45,000 all claimable.
      ['2026-04-01', '2026-04-06', 1, 52, 45_000, 3_900_000, 45_000, 0],
    ]);
  });
});
