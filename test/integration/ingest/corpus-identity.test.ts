/**
 * The network corpus: which network a row belongs to, and whether it may be published as one.
 * Every case is its own export at its own raw key, ingested with real DuckDB into a temp folder
 * with the bundled reference data and one allow-listed network (U99001); each asserts its reason
 * and conservation (rows in = accepted + rejected). One row per case: add a case by adding a row.
 *
 * Reference data used (data/reference/, hand-checked):
 *   U60865 (ICB QMF): F84025, F84054, F84062, F84698    U54453 (QMF): F84012
 *   U89141 (QHM): A81001                                F84673 (QMF) and A84035 (QHM): in no PCN
 *   U99001: in no reference file; allow-listed here (ROTASCOPE_EXTRA_NETWORKS)
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableRows } from '../../../src/engine/arrow-types.js';
import { DuckDbEngine, sqlString } from '../../../src/engine/duckdb-engine.js';
import type { IngestSummary } from '../../../src/ingest/ingest-all.js';
import { ingestTestStores, openTestStores, type TestStores } from '../../helpers/stores.js';

const SHIFT_HEADER =
  'shift_id,practice_code,network_code,role,engagement,person_id,date,start_time,end_time,status,cost_gbp,exported_at';
const SHIFT: Record<string, string> = {
  practice_code: 'F84698',
  network_code: 'U60865',
  role: 'gp',
  engagement: 'locum',
  person_id: 'GMC-7100001',
  date: '2026-11-10',
  start_time: '08:30',
  end_time: '12:30',
  status: 'filled',
  cost_gbp: '380.00',
  exported_at: '2026-11-16 07:00',
};
const AVAILABILITY_HEADER =
  'person_id,network_code,home_practice_code,role,engagement,week_start,available_hours,exported_at';
const AVAILABILITY: Record<string, string> = {
  person_id: 'GMC-7000001',
  network_code: 'U60865',
  home_practice_code: '',
  role: 'gp',
  engagement: 'salaried',
  week_start: '2026-11-09',
  available_hours: '20',
  exported_at: '2026-11-16 07:00',
};
const csv = (header: string, base: Record<string, string>, rows: Record<string, string>[]) =>
  `${[
    header,
    ...rows.map((change, i) => {
      const row: Record<string, string> = { shift_id: `S${i + 1}`, ...base, ...change };
      return header
        .split(',')
        .map((c) => {
          const v = row[c] ?? '';
          return /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
        })
        .join(',');
    }),
  ].join('\n')}\n`;

/** A good row for the folder's network, so each case's other row is the one under test. */
const GOOD_FOR: Record<string, Record<string, string>> = {
  U60865: {},
  U54453: { practice_code: 'F84012', network_code: 'U54453' },
  U99001: { practice_code: 'F84673', network_code: 'U99001' },
  U99002: { practice_code: 'F84673', network_code: 'U99002' },
};

type Kind = 'shifts' | 'availability';
interface Case {
  name: string;
  kind: Kind;
  /** The raw key's network folder. */
  folder: string;
  /** The row under test (a change to the good row); the file also has one good row first. */
  change: Record<string, string>;
  /** Its reject reason, or null when it is accepted. */
  reason: string | null;
  /** When the folder's "good" row is itself rejected (the folder network is unknown). */
  goodRejected?: string;
}

const CASES: Case[] = [
  // Shifts: a practice the reference data places in no PCN takes the file's network code, which
  // must be a known PCN in the practice's ICB.
  {
    name: 'unallocated practice, known PCN of its ICB',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84673' },
    reason: null,
  },
  {
    name: 'unallocated practice, lower-case network code',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84673', network_code: 'u60865' },
    reason: null,
  },
  {
    name: 'unallocated practice, invented network code',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84673', network_code: 'U12345' },
    reason: 'unknown_network',
  },
  {
    name: 'unallocated practice, markup as network code',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84673', network_code: '<b>U60865</b>' },
    reason: 'unknown_network',
  },
  {
    name: 'unallocated practice, formula as network code',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84673', network_code: '=HYPERLINK("x","U60865")' },
    reason: 'unknown_network',
  },
  {
    name: 'unallocated practice, an ICB code as network',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84673', network_code: 'QMF' },
    reason: 'unknown_network',
  },
  {
    name: 'unallocated practice, no network code',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84673', network_code: '' },
    reason: 'no_network',
  },
  {
    name: 'unallocated practice, PCN of another ICB',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84673', network_code: 'U89141' },
    reason: 'network_mismatch',
  },
  {
    name: 'unallocated practice of another ICB, this PCN',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'A84035' },
    reason: 'network_mismatch',
  },
  {
    name: 'unallocated practice, allow-listed network',
    kind: 'shifts',
    folder: 'U99001',
    change: { practice_code: 'F84673', network_code: 'U99001', shift_id: 'X' },
    reason: null,
  },
  {
    name: 'allocated practice claimed for an allow-listed network',
    kind: 'shifts',
    folder: 'U99001',
    change: { practice_code: 'F84012', network_code: 'U99001' },
    reason: 'network_mismatch',
  },
  {
    name: 'a folder network neither known nor allow-listed',
    kind: 'shifts',
    folder: 'U99002',
    change: { shift_id: 'X', practice_code: 'F84673', network_code: 'U99002' },
    reason: 'unknown_network',
    goodRejected: 'unknown_network',
  },
  // Shifts: the raw key's network folder is the network every accepted row belongs to.
  {
    name: 'practice of another network, no network code (network from reference)',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84012', network_code: '' },
    reason: 'network_folder_mismatch',
  },
  {
    name: 'practice of another network, with its own network code',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84012', network_code: 'U54453' },
    reason: 'network_folder_mismatch',
  },
  {
    name: 'unallocated practice, another known network',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84673', network_code: 'U54453' },
    reason: 'network_folder_mismatch',
  },
  {
    name: 'this network file in the other network folder',
    kind: 'shifts',
    folder: 'U54453',
    change: {},
    reason: 'network_folder_mismatch',
  },
  {
    name: 'practice in this network, no network code',
    kind: 'shifts',
    folder: 'U60865',
    change: { practice_code: 'F84025', network_code: '' },
    reason: null,
  },
  // Availability: the network code is always the file's own.
  {
    name: 'availability, known network',
    kind: 'availability',
    folder: 'U60865',
    change: { person_id: 'GMC-7000002' },
    reason: null,
  },
  {
    name: 'availability, invented network',
    kind: 'availability',
    folder: 'U60865',
    change: { network_code: 'U12345' },
    reason: 'unknown_network',
  },
  {
    name: 'availability, markup network',
    kind: 'availability',
    folder: 'U60865',
    change: { network_code: '<script>x</script>' },
    reason: 'unknown_network',
  },
  {
    name: 'availability, another network',
    kind: 'availability',
    folder: 'U60865',
    change: { network_code: 'U54453' },
    reason: 'network_folder_mismatch',
  },
  {
    name: 'availability, allow-listed network',
    kind: 'availability',
    folder: 'U99001',
    change: { person_id: 'GMC-7000002', network_code: 'U99001' },
    reason: null,
  },
];

const keyFor = (c: Case) =>
  `generic/${c.folder}/${c.kind}/${c.name.replace(/[^a-z0-9]+/gi, '-')}.csv`;
const bodyFor = (c: Case) =>
  c.kind === 'shifts'
    ? csv(SHIFT_HEADER, SHIFT, [GOOD_FOR[c.folder] ?? {}, c.change])
    : csv(AVAILABILITY_HEADER, AVAILABILITY, [GOOD_FOR[c.folder] ?? {}, c.change]);

// A RotaCloud export (no network column: every row's network comes from its practice in the
// reference data, all U60865) uploaded into the folder of U54453: every row is rejected.
const ROTACLOUD_KEY = 'rotacloud/U54453/shifts/shifts-2026-11-16T0700.json';
const ROTACLOUD = JSON.stringify(
  [101, 102].map((location, i) => ({
    id: 7001 + i,
    deleted: false,
    published: true,
    open: false,
    start_time: Date.parse('2026-11-10T09:00:00Z') / 1000,
    end_time: Date.parse('2026-11-10T13:00:00Z') / 1000,
    minutes_break: 0,
    user: 801 + i,
    location,
    role: 11,
  })),
);

let stores: TestStores;
let engine: DuckDbEngine;
let summary: IngestSummary;

beforeAll(async () => {
  stores = await openTestStores('local');
  engine = await DuckDbEngine.open();
  for (const c of CASES) await stores.raw.put(keyFor(c), bodyFor(c));
  await stores.raw.put(ROTACLOUD_KEY, ROTACLOUD);
  summary = await ingestTestStores(stores, engine, { extraNetworks: ['U99001'] });
}, 120_000);
afterAll(async () => {
  await engine?.close();
  await stores?.close();
});

describe('network corpus', () => {
  it('has at least 10 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(10);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const manifest = summary.ingested.find((m) => m.sourceFile === keyFor(c));
    const reasons = [c.goodRejected, c.reason].filter((r): r is string => Boolean(r));
    const byReason: Record<string, number> = {};
    for (const r of reasons) byReason[r] = (byReason[r] ?? 0) + 1;
    expect(manifest).toMatchObject({
      rowsIn: 2,
      accepted: 2 - reasons.length,
      rejected: reasons.length,
    });
    expect(manifest?.rejectsByReason).toEqual(byReason);
    expect(manifest?.rowsIn).toBe((manifest?.accepted ?? 0) + (manifest?.rejected ?? 0));
    // Whatever is accepted belongs to the folder's network, and nothing else is published.
    expect(manifest?.networks).toEqual(reasons.length === 2 ? [] : [c.folder]);
  });

  it('a RotaCloud export in another network folder: every row network_folder_mismatch', () => {
    const manifest = summary.ingested.find((m) => m.sourceFile === ROTACLOUD_KEY);
    expect(manifest).toMatchObject({
      rowsIn: 2,
      accepted: 0,
      rejected: 2,
      rejectsByReason: { network_folder_mismatch: 2 },
      networks: [],
    });
  });

  it('says which network and which folder, in the reject message', async () => {
    const c = CASES.find((x) => x.name.startsWith('practice of another network, no network'));
    const rows = tableRows<{ message: string; network_code: string }>(
      await engine.query(
        `select message, network_code from read_parquet(${sqlString(
          path.join(stores.curated.localPath?.('rejects') ?? '', '**', '*.parquet'),
        )}) where source_file = ${sqlString(keyFor(c as Case))}`,
      ),
    );
    expect(rows).toEqual([
      {
        message:
          'Row 2: the row is for network "U54453" but the file was uploaded to the folder of network "U60865".',
        network_code: 'U60865',
      },
    ]);
  });

  it('publishes no network but known and allow-listed ones, and conserves rows overall', async () => {
    const networks = new Set(summary.ingested.flatMap((m) => m.networks));
    expect([...networks].sort()).toEqual(['U54453', 'U60865', 'U99001']);
    expect(summary.failed).toEqual([]);
    expect(summary.rowsIn).toBe(summary.accepted + summary.rejected);
    expect(summary.rowsIn).toBe(CASES.length * 2 + 2);
  });
});
