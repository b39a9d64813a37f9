/**
 * Disclosure: no spend figure suppressed below k clinicians can be had back by arithmetic on what
 * is published for the same network and week (docs/metrics.md, "Small numbers").
 *
 * Each scenario is a small hand-checked week of shifts. The metric tables are computed twice with
 * real DuckDB: at k = 3 (what is published) and at k = 1 (nothing suppressed: the true values). The
 * published cells are read from every place they leave Rotascope for that network and week:
 * `network_week_role` and `rates` (metric tables), and the network page's datasets (`network_week`,
 * `practice_week`), each as rows, as the Arrow download and as the CSV download, plus `icb_week`.
 * Then every additive relation between published figures is attacked:
 *
 * - every subtraction path: for each total and each set of its published parts, total minus the
 *   sum of those parts, compared with every suppressed true value;
 * - solving: any relation with exactly one unknown gives it, repeated until nothing new comes out,
 *   with the worst case that the reader also knows which role worked at which practice (the
 *   role x practice cells are unknowns in relations of their own, so a practice's figure minus a
 *   role's published figure is tried too).
 */
import { tableFromIPC } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine } from '../../../src/engine/duckdb-engine.js';
import {
  computeMetrics,
  type MetricTables,
  metricTable,
} from '../../../src/metrics/compute-metrics.js';
import type { Row } from '../../../src/site/chart.js';
import { arrowIpc, datasetCsv } from '../../../src/site/datasets.js';
import { networkDatasets } from '../../../src/site/network-page.js';
import { groupByNetwork, siteMetricsFromTables } from '../../../src/site/site-data.js';
import { type ShiftFixture, writeCuratedShifts } from '../../helpers/curated-fixtures.js';
import { bundledReference } from '../../helpers/reference.js';
import { openTestStores, type TestStores } from '../../helpers/stores.js';

const NETWORK = 'U60865';
const ICB = 'QMF';
const WEEK = '2026-11-09';
const ENGAGEMENTS = ['salaried', 'bank', 'locum', 'agency'] as const;

const AM = { start: '2026-11-09 08:30', end: '2026-11-09 12:30' }; // 4 h
const PM = { start: '2026-11-10 14:00', end: '2026-11-10 18:00' }; // 4 h

/** A filled, costed 4-hour shift. */
function shift(
  id: string,
  role: string,
  engagement: string,
  practice: string,
  clinician: string,
  cost: number,
  when = AM,
): ShiftFixture {
  return {
    shift_id: id,
    ...when,
    role,
    engagement,
    practice_code: practice,
    clinician_key: clinician,
    cost_pence: cost,
  };
}

interface Scenario {
  name: string;
  shifts: ShiftFixture[];
  /** Suppressed cells the scenario is about, with their true values (the hand check). */
  expectSuppressed: Record<string, number>;
  /** Cells that stay published, with their values (the hand check). */
  expectPublished: Record<string, number>;
}

const SCENARIOS: Scenario[] = [
  {
    // The case of issue 17: GP locums from 2 clinicians (g1, g2: 46,000p each, 92,000p for 8 h)
    // at F84025, nurse locums from 3 (20,000p each, 60,000p) at F84054, and GP salaried from 3 at
    // F84025 (23,200 + 23,200 + 24,000 = 70,400p). Before the fix: network locum 152,000 minus
    // the nurses' 60,000 = 92,000, and F84025's locum spend was 92,000 outright.
    name: 'GP locums from 2 clinicians beside nurse locums from 3',
    shifts: [
      shift('L1', 'gp', 'locum', 'F84025', 'g1', 46_000),
      shift('L2', 'gp', 'locum', 'F84025', 'g2', 46_000, PM),
      shift('L3', 'practice_nurse', 'locum', 'F84054', 'n1', 20_000),
      shift('L4', 'practice_nurse', 'locum', 'F84054', 'n2', 20_000),
      shift('L5', 'practice_nurse', 'locum', 'F84054', 'n3', 20_000),
      shift('S1', 'gp', 'salaried', 'F84025', 's1', 23_200),
      shift('S2', 'gp', 'salaried', 'F84025', 's2', 23_200),
      shift('S3', 'gp', 'salaried', 'F84025', 's3', 24_000),
    ],
    expectSuppressed: {
      'role gp locum': 92_000,
      'practice F84025 locum': 92_000,
      'role practice_nurse locum': 60_000,
      'practice F84054 locum': 60_000,
    },
    // 70,400 + 152,000 = 222,400 in all; the GP salaried cell is the whole salaried spend.
    expectPublished: {
      network: 222_400,
      'network locum': 152_000,
      'network salaried': 70_400,
      'role gp salaried': 70_400,
      'practice F84025 salaried': 70_400,
    },
  },
  {
    // Across role and practice: GP locums from 2 clinicians (92,000p) and nursing associate
    // locums from 3 (15,000p each, 45,000p) both at F84025 (5 clinicians, 137,000p), nurse locums
    // from 3 at F84054 (60,000p). F84025's locum spend minus the nursing associates' would give
    // the GPs' 92,000 back; so would the network's 197,000 minus 45,000 and 60,000.
    name: 'GP locums hidden inside a practice with another role',
    shifts: [
      shift('L1', 'gp', 'locum', 'F84025', 'g1', 46_000),
      shift('L2', 'gp', 'locum', 'F84025', 'g2', 46_000, PM),
      shift('A1', 'nursing_associate', 'locum', 'F84025', 'a1', 15_000),
      shift('A2', 'nursing_associate', 'locum', 'F84025', 'a2', 15_000),
      shift('A3', 'nursing_associate', 'locum', 'F84025', 'a3', 15_000),
      shift('L3', 'practice_nurse', 'locum', 'F84054', 'n1', 20_000),
      shift('L4', 'practice_nurse', 'locum', 'F84054', 'n2', 20_000),
      shift('L5', 'practice_nurse', 'locum', 'F84054', 'n3', 20_000),
      shift('B1', 'gp', 'agency', 'F84054', 'b1', 60_000),
      shift('B2', 'gp', 'agency', 'F84054', 'b2', 61_000),
      shift('B3', 'gp', 'agency', 'F84054', 'b3', 62_000),
    ],
    expectSuppressed: { 'role gp locum': 92_000, 'practice F84025 locum': 137_000 },
    // 92,000 + 45,000 + 60,000 = 197,000 locum; agency 60,000 + 61,000 + 62,000 = 183,000.
    expectPublished: {
      network: 380_000,
      'network locum': 197_000,
      'role gp agency': 183_000,
      'practice F84054 agency': 183_000,
    },
  },
];

/** Parse the CSV download (RFC 4180 quoting) into rows of text, empty cells as NULL. */
function parseCsv(text: string): Record<string, string | null>[] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...body] = records;
  return body.map((r) =>
    Object.fromEntries((header ?? []).map((h, i) => [h, r[i] === '' ? null : (r[i] ?? null)])),
  );
}

const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
};

/** Every copy of a dataset that is published: the rows, the Arrow download, the CSV download. */
function publishedCopies(rows: Row[]): Record<string, unknown>[][] {
  if (rows.length === 0) return [[]];
  const arrow = tableRows<Record<string, unknown>>(tableFromIPC(arrowIpc(rows)));
  const csv = parseCsv(datasetCsv(rows));
  expect(arrow).toHaveLength(rows.length);
  expect(csv).toHaveLength(rows.length);
  return [rows as Record<string, unknown>[], arrow, csv];
}

/** Spend cells by name, from one computation of the metric tables. */
type Cells = Map<string, number | null>;

async function spendCells(tables: MetricTables): Promise<Cells> {
  const cells: Cells = new Map();
  // Known wherever any published copy shows it; NULL only when every copy does.
  const put = (key: string, value: unknown) => {
    const v = num(value);
    if (v !== null || !cells.has(key)) cells.set(key, v ?? cells.get(key) ?? null);
  };
  const site = siteMetricsFromTables(tables);
  const metrics = groupByNetwork(site).get(NETWORK);
  if (!metrics) throw new Error(`no ${NETWORK} rows`);
  const data = networkDatasets(metrics, await bundledReference(), WEEK);
  for (const copy of publishedCopies(data.network_week))
    for (const r of copy.filter((r) => r.week_start === WEEK)) {
      put('network', r.spend_pence);
      for (const e of ENGAGEMENTS) put(`network ${e}`, r[`${e}_spend_pence`]);
      // agency share x spend is the agency spend again
      const share = num(r.agency_share_of_spend);
      const spend = num(r.spend_pence);
      if (share !== null && spend !== null) put('network agency', Math.round(share * spend));
    }
  expect(data.practice_week.length).toBeGreaterThan(0);
  for (const copy of publishedCopies(data.practice_week))
    for (const r of copy) {
      const p = String(r.practice_code);
      put(`practice ${p}`, r.spend_pence);
      for (const e of ENGAGEMENTS) put(`practice ${p} ${e}`, r[`${e}_spend_pence`]);
      const share = num(r.agency_share_of_spend);
      const spend = num(r.spend_pence);
      if (share !== null && spend !== null) put(`practice ${p} agency`, Math.round(share * spend));
    }
  for (const copy of publishedCopies(site.icbWeek.filter((r) => r.icb_code === ICB)))
    for (const r of copy.filter((r) => r.week_start === WEEK)) {
      // The network is the ICB's only one here, so the ICB's figures are the network's.
      put('network', r.spend_pence);
      for (const e of ENGAGEMENTS) put(`network ${e}`, r[`${e}_spend_pence`]);
    }
  const role = tableRows<Record<string, unknown>>(metricTable(tables, 'network_week_role'));
  for (const r of role.filter((r) => r.network_code === NETWORK)) {
    put(`role ${r.role}`, r.spend_pence);
    for (const e of ENGAGEMENTS) put(`role ${r.role} ${e}`, r[`${e}_spend_pence`]);
  }
  const rates = tableRows<Record<string, unknown>>(metricTable(tables, 'rates'));
  for (const r of rates.filter((r) => r.network_code === NETWORK)) {
    put(`role ${r.role} ${r.engagement}`, r.spend_pence);
    const perHour = num(r.cost_per_hour_pence);
    const hours = num(r.costed_hours);
    if (perHour !== null && hours !== null)
      put(`role ${r.role} ${r.engagement}`, Math.round(perHour * hours));
  }
  return cells;
}

interface Relation {
  total: string;
  parts: string[];
}

/** Every additive relation among the week's spend cells (and the role x practice unknowns). */
function relations(shifts: readonly ShiftFixture[]): Relation[] {
  const roles = [...new Set(shifts.map((s) => s.role as string))];
  const practices = [...new Set(shifts.map((s) => s.practice_code as string))];
  const out: Relation[] = [
    { total: 'network', parts: ENGAGEMENTS.map((e) => `network ${e}`) },
    { total: 'network', parts: roles.map((r) => `role ${r}`) },
    { total: 'network', parts: practices.map((p) => `practice ${p}`) },
  ];
  for (const e of ENGAGEMENTS) {
    out.push({ total: `network ${e}`, parts: roles.map((r) => `role ${r} ${e}`) });
    out.push({ total: `network ${e}`, parts: practices.map((p) => `practice ${p} ${e}`) });
  }
  for (const r of roles)
    out.push({ total: `role ${r}`, parts: ENGAGEMENTS.map((e) => `role ${r} ${e}`) });
  for (const p of practices)
    out.push({ total: `practice ${p}`, parts: ENGAGEMENTS.map((e) => `practice ${p} ${e}`) });
  // Worst case: the reader knows who worked where, so each role x practice x engagement cell with
  // shifts is an unknown of its own, and the others are known zeros.
  const inside = (r: string, p: string, e: string) =>
    shifts.some((s) => s.role === r && s.practice_code === p && s.engagement === e);
  for (const e of ENGAGEMENTS) {
    for (const r of roles)
      out.push({
        total: `role ${r} ${e}`,
        parts: practices.filter((p) => inside(r, p, e)).map((p) => `cell ${r} ${p} ${e}`),
      });
    for (const p of practices)
      out.push({
        total: `practice ${p} ${e}`,
        parts: roles.filter((r) => inside(r, p, e)).map((r) => `cell ${r} ${p} ${e}`),
      });
  }
  return out;
}

function* subsets<T>(items: readonly T[]): Generator<T[]> {
  for (let mask = 0; mask < 1 << items.length; mask++)
    yield items.filter((_, i) => (mask >> i) & 1);
}

const same = (a: number, b: number) => Math.abs(a - b) < 0.5;

/** Every way the published cells give back a suppressed value, as readable paths. */
function recoveries(published: Cells, truth: Cells, rels: readonly Relation[]): string[] {
  const suppressed = [...truth].filter(
    ([key, value]) => value !== null && published.get(key) === null,
  ) as [string, number][];
  const found: string[] = [];
  const known = (key: string) => published.get(key) ?? null;
  // Every subtraction path: a published total minus any set of its published parts.
  for (const rel of rels) {
    const total = known(rel.total);
    if (total === null) continue;
    const parts = rel.parts.filter((p) => known(p) !== null);
    for (const set of subsets(parts)) {
      const left = total - set.reduce((sum, p) => sum + (known(p) as number), 0);
      for (const [key, value] of suppressed)
        if (rel.parts.includes(key) && same(left, value))
          found.push(`${rel.total} - (${set.join(' + ') || 'nothing'}) = ${left} = ${key}`);
    }
  }
  // Solving: a relation with one unknown left gives it; repeat until nothing new.
  const solved = new Map<string, number>();
  for (const [key, value] of published) if (value !== null) solved.set(key, value);
  let progress = true;
  while (progress) {
    progress = false;
    for (const rel of rels) {
      const terms = [rel.total, ...rel.parts];
      const unknown = terms.filter((t) => !solved.has(t));
      if (unknown.length !== 1) continue;
      const [missing] = unknown as [string];
      const partsSum = rel.parts
        .filter((p) => p !== missing)
        .reduce((sum, p) => sum + (solved.get(p) as number), 0);
      const value = missing === rel.total ? partsSum : (solved.get(rel.total) as number) - partsSum;
      solved.set(missing, value);
      progress = true;
      const truthValue = truth.get(missing);
      if (!missing.startsWith('cell ') && truthValue != null && same(value, truthValue))
        found.push(`solved ${missing} = ${value} from ${rel.total} = ${rel.parts.join(' + ')}`);
    }
  }
  return found;
}

describe('suppression holds under arithmetic', () => {
  let stores: TestStores | undefined;
  let engine: DuckDbEngine | undefined;
  afterEach(async () => {
    await engine?.close();
    await stores?.close();
    engine = undefined;
    stores = undefined;
  });

  for (const scenario of SCENARIOS)
    it(`no suppressed spend can be recovered: ${scenario.name}`, async () => {
      stores = await openTestStores('local');
      engine = await DuckDbEngine.open();
      await writeCuratedShifts(engine, stores.curated, scenario.shifts);
      const open = { engine, curated: stores.curated };
      const compute = (minClinicians: number) =>
        computeMetrics({ ...open, parameters: { minClinicians } });
      const published = await spendCells(await compute(3));
      const truth = await spendCells(await compute(1));

      // The hand check: these cells are suppressed at k = 3 and have these true values.
      for (const [key, value] of Object.entries(scenario.expectSuppressed)) {
        expect(truth.get(key), key).toBe(value);
        expect(published.get(key), key).toBeNull();
      }
      // The network's engagement totals, and cells that are a whole engagement, stay published.
      for (const [key, value] of Object.entries(scenario.expectPublished))
        expect(published.get(key), key).toBe(value);

      expect(recoveries(published, truth, relations(scenario.shifts))).toEqual([]);
    });
});
